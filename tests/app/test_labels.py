"""One table per kind of label, and one function for a maturity level's name, wherever a page
or an export says them."""

from __future__ import annotations

from flask_babel import force_locale

from survey.i18n import (
    GOVERNANCE_LEVEL_LABELS,
    LANGUAGE_CODES,
    LANGUAGE_SELF_NAMES,
    SECTOR_LABELS,
    label_of,
    level_name,
)
from survey.models.org import GOVERNANCE_LEVELS, SECTORS

MODEL = {"levels": [{"level": 3, "name": {"kk": "орташа деңгей", "ru": "средний уровень",
                                          "en": "intermediate level"}},
                    {"level": 4, "name": {}}]}


def test_a_level_is_named_by_the_loaded_model_first(app):
    with app.test_request_context(), force_locale("ru"):
        assert level_name(MODEL, 3) == "средний уровень"


def test_a_level_the_model_does_not_name_falls_back_to_the_glossary_name(app):
    # The personal result fell back to the glossary, the HR tables to an empty cell: both now
    # show the glossary's name.
    with app.test_request_context(), force_locale("ru"):
        assert level_name(MODEL, 4) == "высокий уровень"
        assert level_name(MODEL, 5) == "высший уровень зрелости"
        assert level_name(None, 1) == "начальный уровень"


def test_no_level_has_no_name(app):
    with app.test_request_context():
        assert level_name(MODEL, 0) == ""


def test_the_social_sector_is_social_protection_on_every_page(app):
    # The admin form said "Social protection", the HR and trainer filters "Social sphere":
    # health care and education are sectors of their own, so "social" is social protection.
    with app.test_request_context(), force_locale("en"):
        assert label_of("sector", "social") == "Social protection"
        assert label_of("sector", "health") == "Health care"
    with app.test_request_context(), force_locale("kk"):
        assert label_of("sector", "social") == "Әлеуметтік қорғау"


def test_governance_levels_are_named_without_repeating_the_word_level(app):
    with app.test_request_context(), force_locale("ru"):
        assert [label_of("governance", c) for c in GOVERNANCE_LEVELS] == [
            "Республиканский", "Региональный", "Местный"]


def test_every_code_of_the_models_has_a_label():
    assert set(GOVERNANCE_LEVEL_LABELS) == set(GOVERNANCE_LEVELS)
    assert set(SECTOR_LABELS) == set(SECTORS)
    assert tuple(LANGUAGE_SELF_NAMES) == LANGUAGE_CODES


def test_the_admin_form_and_the_hr_filters_offer_the_same_sector_names(app, client):
    from survey.admin.forms import OrganisationForm

    with app.test_request_context(), force_locale("en"):
        form = OrganisationForm(meta={"csrf": False})
        offered = {choice.value: str(choice.label) for choice in form.sector.choices}
        assert offered == {code: str(label) for code, label in SECTOR_LABELS.items()}


def test_an_invitation_status_and_a_count_of_people_are_different_words(app):
    with app.test_request_context(), force_locale("kk"):
        from flask_babel import gettext

        assert label_of("invitation", "finished") == "Аяқталды"
        assert gettext("Finished") == "Аяқтағандар"
