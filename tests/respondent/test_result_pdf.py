"""The personal result as a PDF document: A4, nothing cut, the person (or "anonymous
participant"), the campaign and the date on every page — checked by reading the PDF back
with poppler (pdftoppm images, pdftotext words and their boxes)."""

from __future__ import annotations

import pytest

from survey.extensions import db
from survey.models import Attempt, Person
from tests.pdfcheck import check_pdf
from tests.respondent import factories as f
from tests.respondent.walk import complete_survey, complete_test, consent


def finished(client, world, answers, **invitation):
    token = world.invite(**invitation)
    consent(client, token)
    complete_survey(client, token, world.campaign.survey_version, f.SCALES)
    complete_test(client, token, answers)
    return token


def all_wrong(version) -> dict[str, list[str]]:
    """Every question answered wrong: the longest result, with every question written out."""
    out = {}
    for item in version.items:
        if item.type == "true_false":
            out[f"q{item.id}"] = ["false" if item.key else "true"]
        elif item.type == "single":
            out[f"q{item.id}"] = ["d"]
        else:
            out[f"q{item.id}"] = ["b"]
    return out


@pytest.mark.parametrize(("language", "anonymous_text", "date"), [
    ("kk", "Анонимді қатысушы", "жылғы"),
    ("ru", "Анонимный участник", " г."),
    ("en", "Anonymous participant", ""),
])
def test_an_anonymous_result_pdf_names_no_one_and_fits_a4(client, tmp_path, language,
                                                          anonymous_text, date):
    world = f.world(default_language=language)
    token = finished(client, world, all_wrong(world.campaign.test_version))
    response = client.get(f"/i/{token}/result.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    title = world.campaign.title_kk if language == "kk" else (
        world.campaign.title_ru if language == "ru" else world.campaign.title_en)
    pages = check_pdf(response.data, tmp_path, footer=anonymous_text, name=language)
    for text in pages.texts:
        flat = " ".join(text.split())
        assert title in flat
        assert date in flat
    # Ten missed questions written out, each with its explanation, none folded away.
    everything = " ".join(" ".join(t.split()) for t in pages.texts)
    assert everything.count("Why c") == len(world.campaign.test_version.items)
    assert pages.count <= 4


def test_an_identified_result_pdf_carries_the_persons_name(client, tmp_path):
    world = f.world(default_language="kk", anonymous=False)
    person = Person(organisation_id=world.organisation.id, unit_id=world.unit.id,
                    position_category_id=world.role.id, full_name="Айгүл Серікқызы Нұрланова")
    db.session.add(person)
    db.session.commit()
    token = finished(client, world, f.right_answers(world.campaign.test_version),
                     person_id=person.id)
    response = client.get(f"/i/{token}/result.pdf")
    pages = check_pdf(response.data, tmp_path, footer="Айгүл Серікқызы Нұрланова")
    assert "Менің нәтижем" in pages.texts[0]
    html = client.get(f"/i/{token}/result").text
    assert "Айгүл Серікқызы Нұрланова" in html


def test_the_pdf_waits_until_the_attempt_is_finished(client):
    world = f.world()
    token = world.invite()
    consent(client, token)
    assert client.get(f"/i/{token}/result.pdf").location == f"/i/{token}/survey/1"
    assert db.session.scalars(db.select(Attempt.stage)).one() == "survey"
