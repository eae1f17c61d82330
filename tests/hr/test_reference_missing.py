"""A deployment where `questionnaires load` never ran: HR and trainer pages explain it, in the
page's language, instead of failing with a stack trace."""

from __future__ import annotations

import pytest

from survey.extensions import db
from survey.models import ReferenceDocument
from survey.questionnaires.loader import MATURITY_MODEL_KEY

EXPLANATIONS = {
    "kk": "Цифрлық жетілу моделі (деңгейлер, салмақтар және ұсынымдар) дерекқорға жүктелмеген.",
    "ru": "Модель цифровой зрелости (уровни, веса и рекомендации) не загружена в базу данных.",
    "en": "The digital maturity model (levels, weights and recommendations) has not been loaded",
}


@pytest.fixture
def unloaded(world):
    db.session.execute(db.delete(ReferenceDocument).filter_by(key=MATURITY_MODEL_KEY))
    db.session.commit()
    return world


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_an_hr_page_without_a_loaded_maturity_model_says_so_in_the_page_language(
        auth, unloaded, lang):
    client = auth.as_("hr@alpha.kz", language=lang)
    response = client.get(f"/hr/campaigns/{unloaded.current.id}")
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert EXPLANATIONS[lang] in html
    assert "flask --app survey questionnaires load" in html
    assert "Traceback" not in html
    assert "ReferenceDataMissing" not in html


def test_a_trainer_page_without_a_loaded_maturity_model_is_unavailable_too(auth, unloaded):
    client = auth.as_("trainer@alpha.kz", language="ru")
    response = client.get(f"/trainer/campaigns/{unloaded.current.id}")
    assert response.status_code == 503
    assert EXPLANATIONS["ru"] in response.get_data(as_text=True)
