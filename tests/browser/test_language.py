"""The home page in each language, and the switcher keeping the choice across pages."""

import pytest

TITLES = {
    "kk": "Мемлекеттік қызметтің цифрлық мәдениеті",
    "ru": "Цифровая культура государственной службы",
    "en": "Digital culture of the civil service",
}


@pytest.mark.parametrize("locale", ["kk", "ru", "en"])
def test_home_page_speaks_the_browser_language(browser, base_url, locale):
    context = browser.new_context(locale=locale)
    page = context.new_page()
    page.goto(base_url + "/")
    assert page.locator("html").get_attribute("lang") == locale
    assert page.locator("h1").inner_text() == TITLES[locale]
    assert TITLES[locale] in page.title()
    context.close()


def test_switcher_changes_the_language_and_keeps_it_across_pages(page, base_url):
    page.goto(base_url + "/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Қазақша").click()
    assert page.locator("html").get_attribute("lang") == "kk"
    assert page.locator("h1").inner_text() == TITLES["kk"]
    # Another page keeps Kazakh although the browser asks for English.
    page.get_by_role("link", name="Қызметкерлер үшін кіру").click()
    assert page.url.endswith("/staff/login")
    assert page.locator("html").get_attribute("lang") == "kk"
    page.get_by_role("navigation", name="Тіл").get_by_role("link", name="Русский").click()
    assert page.url.endswith("/staff/login")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text() == "Вход для сотрудников"


def test_pages_work_on_a_keyboard_with_a_skip_link(page, base_url):
    page.goto(base_url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
