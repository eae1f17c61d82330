"""Small builders of domain objects for tests: just enough rows, with sensible defaults."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

from survey.extensions import db
from survey.models import (
    Campaign,
    Competence,
    Item,
    Organisation,
    Questionnaire,
    QuestionnaireVersion,
    RoleProfile,
    Unit,
)
from survey.models._types import utcnow

_seq = count(1)


def texts(en: str) -> dict[str, str]:
    n = next(_seq)
    return {"kk": f"{en} (kk {n})", "ru": f"{en} (ru {n})", "en": en}


def organisation(code: str | None = None, **kw) -> Organisation:
    code = code or f"org-{next(_seq)}"
    org = Organisation(
        code=code,
        name_kk=kw.pop("name_kk", f"{code} органы"),
        name_ru=kw.pop("name_ru", f"Орган {code}"),
        name_en=kw.pop("name_en", f"Body {code}"),
        governance_level=kw.pop("governance_level", "republican"),
        sector=kw.pop("sector", "digital_development"),
        **kw,
    )
    db.session.add(org)
    return org


def unit(org: Organisation, code: str | None = None, **kw) -> Unit:
    code = code or f"unit-{next(_seq)}"
    u = Unit(organisation=org, code=code, name_kk=f"{code} бөлімі", name_ru=f"Отдел {code}",
             name_en=f"Unit {code}", **kw)
    db.session.add(u)
    return u


def role_profile(code: str | None = None) -> RoleProfile:
    p = RoleProfile(code=code or f"role-{next(_seq)}", position=next(_seq), names=texts("Role"),
                    rationales=texts("Why"))
    db.session.add(p)
    return p


def competence(code: str | None = None) -> Competence:
    c = Competence(code=code or f"comp-{next(_seq)}", position=next(_seq), names=texts("Comp"),
                   descriptions=texts("About"))
    db.session.add(c)
    return c


def survey_version(n_items: int = 3) -> QuestionnaireVersion:
    q = Questionnaire(code=f"survey-{next(_seq)}", kind="survey")
    v = QuestionnaireVersion(questionnaire=q, number=1, content_hash=f"{next(_seq):064x}",
                             definition={"title": texts("Survey")})
    for i in range(n_items):
        v.items.append(Item(code=f"s{i}", position=i, type="likert", scale="engagement",
                            texts=texts(f"Statement {i}")))
    db.session.add(v)
    return v


def campaign(version: QuestionnaireVersion, orgs: list[Organisation], **kw) -> Campaign:
    now = utcnow()
    c = Campaign(
        code=kw.pop("code", f"wave-{next(_seq)}"),
        title_kk="Толқын", title_ru="Волна", title_en="Wave",
        opens_at=kw.pop("opens_at", now - timedelta(days=1)),
        closes_at=kw.pop("closes_at", now + timedelta(days=30)),
        survey_version=version,
        organisations=orgs,
        status=kw.pop("status", "open"),
        **kw,
    )
    db.session.add(c)
    return c
