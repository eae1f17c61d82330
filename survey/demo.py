"""A realistic demo: three government bodies with units and project offices, two survey waves,
a few hundred synthetic civil servants whose answers have plausible structure.

Answers come from a small latent-trait model rather than coin flips, so that the demo's
dashboards look like real data: each person has a digital-culture disposition that drives all
survey scales together (scales cohere, reverse-keyed items run the other way), and a digital
ability per competence that depends on the position (IT staff stronger on safety and problem
solving, leaders weaker on content creation…) and drives the test with item difficulty rising
by level. The second wave is a little stronger than the first.

Every row goes through the app's own models and the same packing as a real finished attempt.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app

from .accounts.users import create_user
from .assessments.demo import demo_assessments
from .campaigns.invitations import create_invitation
from .extensions import db
from .i18n import LANGUAGE_CODES
from .models import (
    Answer,
    Attempt,
    Campaign,
    Invitation,
    Item,
    Organisation,
    Person,
    RoleProfile,
    Unit,
    User,
)
from .models._types import utcnow
from .questionnaires.loader import SURVEY_CODE, TEST_CODE, latest_version, load_folder
from .responses.demo import adaptive_campaign, answer_adaptively
from .results.calibration import calibrate_campaigns
from .tokens import attempt_key

DEMO_PASSWORDS = {
    "admin": ("admin@qabilet.demo", "Дәурен Әбенов", "demo-admin-2026"),
    "hr": ("hr@qabilet.demo", "Айгүл Сапарова", "demo-hr-2026"),
    "trainer": ("trainer@qabilet.demo", "Ержан Мұратов", "demo-trainer-2026"),
    "assessor": ("assessor@qabilet.demo", "Сәуле Қасымова", "demo-assessor-2026"),
}
# How each body's project office works (the district akimat's is not recorded).
PROJECT_OFFICES = {"mdd": "centralised", "akimat-krg": "decentralised", "akimat-abay": None}

# code, kk, ru, en, governance level, sector, culture offset
BODIES = [
    (
        "mdd",
        "Цифрлық даму министрлігі (демо)",
        "Министерство цифрового развития (демо)",
        "Ministry of Digital Development (demo)",
        "republican",
        "digital_development",
        0.45,
    ),
    (
        "akimat-krg",
        "Қарағанды облысының әкімдігі (демо)",
        "Акимат Карагандинской области (демо)",
        "Akimat of Karaganda Region (demo)",
        "regional",
        "general_administration",
        0.0,
    ),
    (
        "akimat-abay",
        "Абай ауданының әкімдігі (демо)",
        "Акимат Абайского района (демо)",
        "Akimat of Abay District (demo)",
        "local",
        "general_administration",
        -0.35,
    ),
]

# code, kk, ru, en, is project office
UNITS = {
    "mdd": [
        ("dt", "Цифрлық трансформация департаменті", "Департамент цифровой трансформации",
         "Digital Transformation Department", False),
        ("infosec", "Ақпараттық қауіпсіздік департаменті", "Департамент информационной безопасности",
         "Information Security Department", False),
        ("services", "Мемлекеттік көрсетілетін қызметтер департаменті",
         "Департамент государственных услуг", "Public Services Department", False),
        ("legal", "Заң департаменті", "Юридический департамент", "Legal Department", False),
        ("hr", "Персоналды басқару қызметі", "Служба управления персоналом", "HR Unit", False),
        ("po", "Жобалық кеңсе", "Проектный офис", "Project Office", True),
    ],
    "akimat-krg": [
        ("office", "Әкім аппараты", "Аппарат акима", "Office of the Akim", False),
        ("economy", "Экономика және бюджеттік жоспарлау басқармасы",
         "Управление экономики и бюджетного планирования",
         "Economy and Budget Planning Department", False),
        ("education", "Білім басқармасы", "Управление образования", "Education Department", False),
        ("health", "Денсаулық сақтау басқармасы", "Управление здравоохранения",
         "Health Department", False),
        ("digital", "Цифрландыру және мемлекеттік қызметтер басқармасы",
         "Управление цифровизации и государственных услуг",
         "Digitalisation and Public Services Department", False),
        ("po", "Жобалық кеңсе", "Проектный офис", "Project Office", True),
    ],
    "akimat-abay": [
        ("office", "Әкім аппараты", "Аппарат акима", "Office of the Akim", False),
        ("social", "Жұмыспен қамту және әлеуметтік бағдарламалар бөлімі",
         "Отдел занятости и социальных программ", "Employment and Social Programmes Unit", False),
        ("finance", "Қаржы бөлімі", "Отдел финансов", "Finance Unit", False),
        ("po", "Жобалық кеңсе", "Проектный офис", "Project Office", True),
    ],
}

# Share of staff per position category, and its effect on culture and on each competence.
POSITION_MIX = {
    "leadership": 0.06,
    "middle_manager": 0.18,
    "specialist": 0.50,
    "it_specialist": 0.08,
    "service_delivery": 0.12,
    "project_office": 0.06,
}
POSITION_ABILITY = {
    "leadership": {"_": 0.1, "content_creation": -0.4, "data_ai": 0.2},
    "middle_manager": {"_": 0.15, "communication": 0.2},
    "specialist": {"_": 0.0},
    "it_specialist": {"_": 0.8, "safety": 0.6, "problem_solving": 0.6, "data_ai": 0.4},
    "service_delivery": {"_": -0.2, "egov_eds": 0.6, "safety": 0.1},
    "project_office": {"_": 0.5, "data_ai": 0.4, "communication": 0.3},
}
FIRST_NAMES = ["Айгерім", "Нұрлан", "Дина", "Ерлан", "Асель", "Бауыржан", "Жанар", "Олжас",
               "Мадина", "Серік", "Гүлназ", "Тимур", "Ольга", "Сергей", "Әсем", "Данияр"]
LAST_NAMES = ["Абенова", "Жұмабаев", "Ким", "Сейітова", "Оспанов", "Иванова", "Тұрсынов",
              "Ахметова", "Байжанов", "Петров", "Құдайбергенова", "Смағұлов"]


@dataclass
class DemoPerson:
    person: Person
    profile: str
    culture: float
    ability: dict[str, float]


def database_is_empty() -> bool:
    return db.session.scalar(db.select(db.func.count()).select_from(Organisation)) == 0


@dataclass
class DemoReady:
    accounts: list[tuple[str, str, str]]  # role, e-mail, password
    links: list[tuple[str, str]]  # language, invitation path
    built: bool


def build_demo(respondents: int = 360, seed: int = 2026) -> DemoReady:
    """Fill an empty database. On a database that already holds the demo, only issue a few
    fresh invitation links to try the respondent path (tokens are stored as hashes, so earlier
    links cannot be shown again)."""
    accounts = [(role, email, password) for role, (email, _n, password) in DEMO_PASSWORDS.items()]
    if not database_is_empty():
        if db.session.scalar(db.select(User).filter_by(email=DEMO_PASSWORDS["admin"][0])) is None:
            raise RuntimeError("the database already holds data that is not the demo's")
        links = _try_me_links()
        db.session.commit()
        return DemoReady(accounts, links, built=False)
    rng = random.Random(seed)
    load_folder(current_app.config["QUESTIONNAIRES_DIR"])
    organisations = _organisations()
    profiles = {p.code: p for p in db.session.scalars(db.select(RoleProfile))}
    people = _people(organisations, profiles, respondents, rng)
    for role, (email, name, password) in DEMO_PASSWORDS.items():
        scope = [] if role == "admin" else organisations if role == "assessor" \
            else organisations[:2]
        create_user(email, name, password, role, scope, language="ru" if role == "hr" else None)
    first, second = _campaigns(organisations)
    pilot = adaptive_campaign(organisations[:2], first.survey_version, first.test_version)
    db.session.flush()
    _answer_wave(first, people, rng, share_taking=0.85, share_finished=1.0, growth=0.0)
    calibrate_campaigns([first])  # the spring wave calibrates the items of its linear form
    db.session.flush()
    _answer_wave(pilot, [p for p in people if p.person.organisation in organisations[:2]], rng,
                 share_taking=0.75, share_finished=0.92, growth=0.1)
    _answer_wave(second, people, rng, share_taking=0.78, share_finished=0.9, growth=0.25)
    db.session.flush()
    demo_assessments(organisations, (first, second), DEMO_PASSWORDS["assessor"][0],
                     DEMO_PASSWORDS["admin"][0], rng)
    links = _try_me_links()
    db.session.commit()
    return DemoReady(accounts, links, built=True)


def _try_me_links() -> list[tuple[str, str]]:
    """One new invitation per language in the open wave, for people who have not taken it."""
    campaign = db.session.scalar(db.select(Campaign).filter_by(status="open").order_by(Campaign.id))
    taken = db.select(Invitation.person_id).where(
        Invitation.campaign_id == campaign.id, Invitation.status != "sent",
        Invitation.person_id.is_not(None),
    )
    links = []
    for language in LANGUAGE_CODES:
        person = db.session.scalar(
            db.select(Person).where(Person.id.not_in(taken)).order_by(Person.id)
            .offset(len(links))
        )
        link = create_invitation(
            campaign, organisation_id=person.organisation_id, unit_id=person.unit_id,
            position_category_id=person.position_category_id, language=language, status="sent",
            sent_at=utcnow())
        links.append((language, f"/i/{link.token}"))
    return links


def _organisations() -> list[Organisation]:
    organisations = []
    for code, kk, ru, en, level, sector, _offset in BODIES:
        org = Organisation(code=code, name_kk=kk, name_ru=ru, name_en=en,
                           governance_level=level, sector=sector,
                           project_office=PROJECT_OFFICES[code])
        for unit_code, ukk, uru, uen, is_po in UNITS[code]:
            org.units.append(Unit(code=unit_code, name_kk=ukk, name_ru=uru, name_en=uen,
                                  is_project_office=is_po))
        db.session.add(org)
        organisations.append(org)
    db.session.flush()
    return organisations


def _people(organisations: list[Organisation], profiles: dict[str, RoleProfile], n: int,
            rng: random.Random) -> list[DemoPerson]:
    offsets = {code: offset for code, *_rest, offset in BODIES}
    weights = [len(UNITS[o.code]) for o in organisations]
    codes = list(POSITION_MIX)
    people = []
    for index in range(n):
        org = rng.choices(organisations, weights=weights)[0]
        profile = rng.choices(codes, weights=[POSITION_MIX[c] for c in codes])[0]
        project_office = next(u for u in org.units if u.is_project_office)
        if profile == "project_office":
            unit = project_office
        else:
            unit = rng.choice([u for u in org.units if not u.is_project_office])
        culture = rng.gauss(offsets[org.code] + POSITION_ABILITY[profile]["_"] * 0.5, 0.75)
        effects = POSITION_ABILITY[profile]
        ability = {
            code: rng.gauss(0.6 + 0.55 * culture + effects["_"] + effects.get(code, 0.0), 0.7)
            for code in ("information_data", "communication", "content_creation", "safety",
                         "problem_solving", "egov_eds", "data_ai")
        }
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        person = Person(organisation=org, unit=unit, position_category=profiles[profile],
                        personnel_number=f"{org.code.upper()}-{index + 1:04d}", full_name=name,
                        email=f"staff{index + 1:04d}@{org.code}.demo",
                        language=rng.choices(LANGUAGE_CODES, weights=[0.55, 0.42, 0.03])[0])
        db.session.add(person)
        people.append(DemoPerson(person, profile, culture, ability))
    db.session.flush()
    return people


def _campaigns(organisations: list[Organisation]) -> tuple[Campaign, Campaign]:
    now = utcnow()
    survey, test = latest_version(SURVEY_CODE), latest_version(TEST_CODE)
    first = Campaign(
        code="wave-2026-spring", title_kk="2026 жылғы көктемгі сауалнама кезеңі",
        title_ru="Весенняя волна опроса 2026", title_en="Spring 2026 survey wave",
        status="closed", opens_at=now - timedelta(days=240), closes_at=now - timedelta(days=200),
        anonymous=False, test_time_limit_minutes=45, default_language="kk",
        survey_version=survey, test_version=test, organisations=organisations,
    )
    second = Campaign(
        code="wave-2026-autumn", title_kk="2026 жылғы күзгі сауалнама кезеңі",
        title_ru="Осенняя волна опроса 2026", title_en="Autumn 2026 survey wave",
        status="open", opens_at=now - timedelta(days=10), closes_at=now + timedelta(days=20),
        anonymous=False, test_time_limit_minutes=45, default_language="kk",
        survey_version=survey, test_version=test, organisations=organisations,
        previous_campaign=first,
    )
    db.session.add_all([first, second])
    return first, second


def _answer_wave(campaign: Campaign, people: list[DemoPerson], rng: random.Random,
                 share_taking: float, share_finished: float, growth: float) -> None:
    from .responses.packing import pack_attempt

    survey_items = [i for i in campaign.survey_version.items if i.type == "likert"]
    ratings = [i for i in campaign.survey_version.items if i.type == "self_rating"]
    form = set(campaign.test_version.definition.get("linear_form") or ())
    test_items = [i for i in campaign.test_version.items if not form or i.code in form]
    scale_effect = {scale: rng.gauss(0, 0.25) for scale in sorted({i.scale for i in survey_items})}
    start = campaign.opens_at
    for demo in people:
        person = demo.person
        link = create_invitation(
            campaign, organisation_id=person.organisation_id, unit_id=person.unit_id,
            position_category_id=person.position_category_id, person_id=person.id,
            email=person.email, language=person.language, status="sent", sent_at=start)
        invitation, token = link.invitation, link.token
        if rng.random() > share_taking:
            continue
        db.session.flush()
        began = start + timedelta(hours=rng.uniform(1, 24 * 9))
        attempt = Attempt(
            campaign_id=campaign.id, invitation_id=invitation.id, access_hash=attempt_key(token),
            organisation_id=person.organisation_id, unit_id=person.unit_id,
            position_category_id=person.position_category_id, language=person.language,
            seed=rng.randrange(2**31), stage="survey", started_at=began,
        )
        db.session.add(attempt)
        db.session.flush()
        culture = demo.culture + growth
        answers = [
            Answer(attempt_id=attempt.id, item_id=item.id,
                   value=_likert(item, culture + scale_effect[item.scale], rng), answered_at=began)
            for item in survey_items
            if rng.random() > 0.015  # now and then a statement is skipped
        ]
        confidence = rng.gauss(0.3, 0.6)  # people tend to rate themselves a little high
        answers += [
            Answer(attempt_id=attempt.id, item_id=item.id, answered_at=began,
                   value=_self_rating(demo.ability[item.competence.code] + growth + confidence,
                                      rng))
            for item in ratings
        ]
        finishing = rng.random() <= share_finished
        if finishing and campaign.test_mode == "adaptive":
            answer_adaptively(attempt, campaign, lambda item, ability=demo.ability: _test_answer(
                item, ability[item.competence.code] + growth, rng), began)
        elif finishing:
            answers += [
                Answer(attempt_id=attempt.id, item_id=item.id,
                       value=_test_answer(item, demo.ability[item.competence.code] + growth, rng),
                       answered_at=began)
                for item in test_items
                if rng.random() > 0.02
            ]
        db.session.add_all(answers)
        if not finishing:
            invitation.status = "started"
            continue
        attempt.stage = "finished"
        attempt.test_started_at = began + timedelta(minutes=12)
        attempt.finished_at = began + timedelta(minutes=rng.uniform(30, 55))
        invitation.status = "finished"
        db.session.flush()
        db.session.add(pack_attempt(attempt))


def _likert(item: Item, disposition: float, rng: random.Random) -> str:
    """An agreement answer 1–5 driven by the person's disposition, flipped for reverse items."""
    latent = 3.3 + 0.9 * disposition + rng.gauss(0, 0.85)
    answer = min(5, max(1, round(latent)))
    return str(6 - answer if item.reverse else answer)


def _self_rating(ability: float, rng: random.Random) -> str:
    """A self-rated level 1–5 near the level the ability would test at (see _test_answer)."""
    return str(min(5, max(1, round(2.6 + ability / 0.85 + rng.gauss(0, 0.6)))))


def _test_answer(item: Item, ability: float, rng: random.Random) -> str:
    """Right with a probability that falls as the item's level rises above the person's ability."""
    difficulty = (item.level - 2.6) * 0.85
    right = rng.random() < 1 / (1 + math.exp(-1.7 * (ability - difficulty)))
    if item.type == "true_false":
        return str(item.key if right else not item.key).lower()
    option_ids = [option["id"] for option in item.options]
    if item.type == "single":
        return item.key if right else rng.choice([o for o in option_ids if o != item.key])
    key = sorted(item.key)
    if right:
        return ",".join(key)
    wrong = set(key)
    wrong.symmetric_difference_update({rng.choice(option_ids)})
    if wrong == set(key) or not wrong:
        wrong = set(key[:-1]) | {next(o for o in option_ids if o not in key)}
    return ",".join(sorted(wrong))
