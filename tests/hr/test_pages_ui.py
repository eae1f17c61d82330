"""What HR and trainers meet: charts per language and with the page's decimal separator,
formats said once and plainly, the filter form, empty selections and the campaign list."""

from __future__ import annotations

import io
import re

import pytest
from flask_babel import force_locale

from analysis import charts as figures
from survey.hr.texts import evidence_text, p_text


def test_chart_addresses_carry_the_language(world, client, auth):
    auth.as_("hr@alpha.kz", "kk")
    kk = client.get(f"/hr/campaigns/{world.current.id}").get_data(as_text=True)
    client.get("/language/ru?next=/")
    ru = client.get(f"/hr/campaigns/{world.current.id}").get_data(as_text=True)
    kk_src = re.findall(r'<img src="([^"]+subscores[^"]*)"', kk)
    ru_src = re.findall(r'<img src="([^"]+subscores[^"]*)"', ru)
    assert kk_src
    assert ru_src
    assert "lang=kk" in kk_src[0]
    assert "lang=ru" in ru_src[0]
    # The picture follows the address, not the session: the kk address still draws kk.
    a = client.get(kk_src[0].replace("&amp;", "&")).data
    b = client.get(ru_src[0].replace("&amp;", "&")).data
    assert a[:4] == b"\x89PNG"
    assert a != b
    assert client.get(f"/hr/campaigns/{world.current.id}/charts/levels.png?lang=xx"
                      ).status_code == 400


def _texts(figure) -> list[str]:
    figure.canvas.draw()
    found = [t.get_text() for t in figure.findobj(lambda o: hasattr(o, "get_text"))]
    return [t for t in found if t]


def test_charts_use_the_decimal_separator_of_the_tables():
    radar = figures.radar(["a", "b", "c"], [2.43, 3.1, 4.0], "T", decimal=",")
    texts = " ".join(_texts(radar))
    assert "2,43" in texts
    assert "2.43" not in texts
    heat = figures.heatmap(["r"], ["c"], [[2.5]], "T", "x", percent=False, decimal=",")
    assert "2,50" in " ".join(_texts(heat))


def test_chart_labels_break_between_words_only():
    long = "Мемлекеттік басқарудағы цифрлық сауаттылық және государственном управлении"
    # Heatmap columns wrap at about 12 characters: a longer word once lost its end.
    heat = figures.heatmap(["r"], [long, "цифрлық"], [[0.4, 0.5]], long, "x")
    bars = figures.bars([long], [0.4], long, "x", percent=True)
    for text in _texts(heat) + _texts(bars):
        for line in text.split("\n"):
            for word in line.split():
                if re.search("[а-яәғқңөұүһі]", word, re.IGNORECASE):
                    assert word in long.split(), word


def test_p_and_effect_are_said_plainly(app):
    with app.test_request_context(), force_locale("ru"):
        assert p_text(0.0004) == "p < 0,001"
        assert p_text(0.0621) == "p = 0,062"
        # No effect size where the test found no difference.
        assert evidence_text(0.062, 1.0, significant=False) == "p = 0,062"
        assert "0,31" in evidence_text(0.01, 0.31)
        assert "= <" not in evidence_text(0.0001, 0.5)


def test_priorities_are_whole_level_steps(world, client, auth):
    auth.as_("hr@alpha.kz", "ru")
    page = client.get(f"/hr/campaigns/{world.current.id}").get_data(as_text=True)
    table = page[page.index('aria-label="Приоритетные'):] if 'aria-label="Приоритетные' in page \
        else page
    assert not re.search(r"\d{3},00<", table)


def test_the_unit_filter_groups_units_under_their_body_and_follows_it(world, client, auth):
    auth.as_("admin@example.kz", "en")
    page = client.get(f"/hr/campaigns/{world.current.id}").get_data(as_text=True)
    assert page.count("<optgroup") == 2
    narrowed = client.get(f"/hr/campaigns/{world.current.id}?organisation={world.alpha.id}"
                          ).get_data(as_text=True)
    assert narrowed.count("<optgroup") == 1
    unit = world.beta.units[0]
    mismatch = client.get(f"/hr/campaigns/{world.current.id}?organisation={world.alpha.id}"
                          f"&unit={unit.id}").get_data(as_text=True)
    assert "is not in the chosen government body" in mismatch
    assert "<img" not in mismatch.split('id="score-title"')[1]  # no empty charts
    assert "No results yet." not in mismatch


def test_an_empty_selection_says_so_once(world, client, auth):
    auth.as_("hr@alpha.kz", "en")
    page = client.get(f"/hr/campaigns/{world.current.id}?sector=education").get_data(
        as_text=True)
    assert "No one in this selection has finished" in page or "Too few respondents" in page
    assert "No results yet." not in page
    assert "<img" not in page


def test_the_campaign_list_shows_status_and_progress(world, client, auth):
    auth.as_("hr@alpha.kz", "en")
    page = client.get("/hr/").get_data(as_text=True)
    assert "Started, not finished" in page
    assert "open" in page
    assert "%" in page


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_trainer_plan_names_small_units_without_a_number(world, client, auth, language):
    auth.as_("trainer@alpha.kz", language)
    page = client.get(f"/trainer/campaigns/{world.current.id}").get_data(as_text=True)
    assert not re.search(r"\((1|2|3|4)\)", page)
    assert io is not None
