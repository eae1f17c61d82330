"""A small world for administration tests: two government bodies with units, position
categories, and loaded survey and test versions."""

from __future__ import annotations

from dataclasses import dataclass

from survey.accounts.users import create_user
from survey.extensions import db
from survey.models import Item, Organisation, Questionnaire, QuestionnaireVersion, User
from tests import factories
from tests.conftest import STAFF_PASSWORD as PASSWORD


@dataclass
class World:
    ministry: Organisation
    akimat: Organisation
    survey: QuestionnaireVersion
    test: QuestionnaireVersion


def questionnaire(code: str, kind: str, number: int = 1) -> QuestionnaireVersion:
    q = db.session.scalar(db.select(Questionnaire).filter_by(code=code)) or Questionnaire(
        code=code, kind=kind)
    version = QuestionnaireVersion(questionnaire=q, number=number, content_hash=f"{code}{number}",
                                   definition={"title": factories.texts(f"{code} v{number}")})
    if kind == "survey":
        for i in range(2):
            version.items.append(Item(code=f"s{i}", position=i, type="likert", scale="engagement",
                                      texts=factories.texts(f"Statement {i}")))
    else:
        comp = factories.competence()
        version.items.append(Item(
            code="t0", position=0, type="single", competence=comp, level=2,
            texts=factories.texts("Which portal serves citizens?"),
            options=[{"id": "a", "text": factories.texts("egov.kz")},
                     {"id": "b", "text": factories.texts("example.org")}], key="a"))
        version.items.append(Item(
            code="t1", position=1, type="multiple", competence=comp, level=2,
            texts=factories.texts("Which are signatures?"),
            options=[{"id": "a", "text": factories.texts("EDS")},
                     {"id": "b", "text": factories.texts("PDF")}], key=["a"]))
    db.session.add(version)
    return version


def world() -> World:
    ministry = factories.organisation("mdd", name_en="Ministry of Digital Development")
    akimat = factories.organisation("akimat", name_en="Akimat of Astana", governance_level="local",
                                    sector="general_administration")
    factories.unit(ministry, "it")
    factories.unit(ministry, "hr")
    factories.unit(akimat, "finance")
    factories.role_profile("specialist")
    factories.role_profile("leadership")
    survey = questionnaire("digital_culture", "survey")
    test = questionnaire("digital_skills", "test")
    db.session.commit()
    return World(ministry, akimat, survey, test)


def staff(role: str, email: str, organisations=()) -> User:
    user = create_user(email, f"{role.title()} User", PASSWORD, role, list(organisations))
    db.session.commit()
    return user


def upload_and_confirm(client, campaign, data: bytes, name: str = "staff.csv"):
    """Upload a staff list and confirm its preview, as the pages do: the confirmation names the
    file kept on the server by its hash. Returns the confirmation's response."""
    import io

    preview = client.post(f"/admin/campaigns/{campaign.id}/staff",
                          data={"file": (io.BytesIO(data), name)},
                          content_type="multipart/form-data")
    assert preview.status_code == 200, preview.get_data(as_text=True)[:2000]
    page = preview.get_data(as_text=True)

    def hidden(field: str) -> str:
        return page.split(f'name="{field}" type="hidden" value="', 1)[1].split('"', 1)[0]

    return client.post(f"/admin/campaigns/{campaign.id}/staff/confirm",
                       data={"digest": hidden("digest"), "filename": hidden("filename")})
