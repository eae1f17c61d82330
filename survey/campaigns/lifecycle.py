"""A campaign's life: created as a draft, opened, closed (and reopened), archived.

What may change depends on whether anyone has answered: once a campaign has attempts, its
questionnaire versions, anonymity mode and test time limit are locked, because answers were
given under them and comparisons rely on them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from ..extensions import db
from ..i18n import CAMPAIGN_STATUS_LABELS, LANGUAGE_CODES
from ..models import Attempt, Campaign, Organisation, QuestionnaireVersion
from ..models.campaign import TEST_MODES
from .audit import record
from .problems import Problem, ProblemsError

CODE = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
TRANSITIONS = {"draft": ("open",), "open": ("closed",), "closed": ("open", "archived"),
               "archived": ()}


@dataclass
class CampaignSettings:
    """Everything an administrator sets on a campaign."""

    code: str
    titles: dict[str, str]
    organisations: list[Organisation]
    opens_at: datetime
    closes_at: datetime
    anonymous: bool = True
    test_time_limit_minutes: int | None = 45
    test_mode: str = "linear"  # "linear" (the fixed form) or "adaptive"
    default_language: str = "kk"
    survey_version: QuestionnaireVersion | None = None
    test_version: QuestionnaireVersion | None = None
    reminder_days: str = "7,2"  # whole days before the end, e.g. "7, 2"; empty: none


def has_answers(campaign: Campaign) -> bool:
    """Whether anyone has started the campaign (then some settings are locked)."""
    if campaign.id is None:
        return False
    return db.session.scalar(
        db.select(Attempt.id).where(Attempt.campaign_id == campaign.id).limit(1)) is not None


def check_settings(settings: CampaignSettings, campaign: Campaign | None) -> list[Problem]:
    """Every problem with ``settings`` for a new campaign (None) or this one, locks aside."""
    problems = []
    if not CODE.match(settings.code or ""):
        problems.append(Problem("bad_code", where="code"))
    else:
        other = db.session.scalar(db.select(Campaign).filter_by(code=settings.code))
        if other is not None and other is not campaign:
            problems.append(Problem("code_taken", where="code", params={"value": settings.code}))
    for language in LANGUAGE_CODES:
        if not (settings.titles.get(language) or "").strip():
            problems.append(Problem("required", where="titles"))
            break
    if settings.closes_at <= settings.opens_at:
        problems.append(Problem("dates_order", where="dates"))
    if not settings.organisations:
        problems.append(Problem("no_organisations", where="organisations"))
    if settings.survey_version is None and settings.test_version is None:
        problems.append(Problem("no_questionnaire", where="questionnaires"))
    for version, kind in ((settings.survey_version, "survey"), (settings.test_version, "test")):
        if version is not None and version.questionnaire.kind != kind:
            problems.append(Problem("wrong_questionnaire_kind", where="questionnaires"))
    if settings.test_mode not in TEST_MODES:
        problems.append(Problem("bad_test_mode", where="test_mode"))
    limit = settings.test_time_limit_minutes
    if limit is not None and not 1 <= limit <= 600:
        problems.append(Problem("bad_time_limit", where="time_limit"))
    if reminder_schedule(settings.reminder_days) is None:
        problems.append(Problem("bad_reminder_days", where="reminder_days"))
    return problems


def _snapshot(campaign: Campaign) -> dict[str, object]:
    """The settings an edit can change, as plain values for the audit log."""
    return {
        "code": campaign.code, "title_kk": campaign.title_kk, "title_ru": campaign.title_ru,
        "title_en": campaign.title_en,
        "organisations": sorted(o.code for o in campaign.organisations),
        "opens_at": campaign.opens_at.isoformat() if campaign.opens_at else None,
        "closes_at": campaign.closes_at.isoformat() if campaign.closes_at else None,
        "anonymous": campaign.anonymous, "time_limit": campaign.test_time_limit_minutes,
        "default_language": campaign.default_language,
        "survey_version": campaign.survey_version_id, "test_version": campaign.test_version_id,
        "reminder_days": campaign.reminder_days,
    }


def reminder_schedule(text: str | None) -> str | None:
    """``"7, 2"`` → ``"7,2"`` (latest first, each once); None unless every part is a whole
    number of days from 1 to 365."""
    parts = [p.strip() for p in (text or "").replace(";", ",").split(",") if p.strip()]
    if not all(p.isdigit() and 1 <= int(p) <= 365 for p in parts):
        return None
    return ",".join(str(d) for d in sorted({int(p) for p in parts}, reverse=True))


def _apply(campaign: Campaign, settings: CampaignSettings) -> None:
    campaign.code = settings.code
    campaign.title_kk, campaign.title_ru, campaign.title_en = (
        settings.titles[lang].strip() for lang in LANGUAGE_CODES)
    campaign.organisations = list(settings.organisations)
    campaign.opens_at, campaign.closes_at = settings.opens_at, settings.closes_at
    campaign.anonymous = settings.anonymous
    campaign.test_time_limit_minutes = settings.test_time_limit_minutes
    campaign.test_mode = settings.test_mode
    campaign.default_language = settings.default_language
    campaign.survey_version = settings.survey_version
    campaign.test_version = settings.test_version
    campaign.reminder_days = reminder_schedule(settings.reminder_days) or ""


def create_campaign(settings: CampaignSettings) -> Campaign:
    """A new draft campaign; every problem with the settings at once, or none."""
    problems = check_settings(settings, None)
    if problems:
        raise ProblemsError(problems)
    campaign = Campaign(status="draft")
    _apply(campaign, settings)
    db.session.add(campaign)
    db.session.flush()
    record("campaign_created", f"campaign:{campaign.code}")
    return campaign


def update_campaign(campaign: Campaign, settings: CampaignSettings) -> Campaign:
    """Change a campaign's settings, refusing what is locked once answers exist."""
    if campaign.status == "archived":
        raise ProblemsError([Problem("archived", where="status")])
    problems = check_settings(settings, campaign)
    if has_answers(campaign):
        for name, column in (("survey_version", "questionnaires"),
                             ("test_version", "questionnaires"),
                             ("anonymous", "anonymous"),
                             ("test_time_limit_minutes", "time_limit"),
                             ("test_mode", "test_mode")):
            if getattr(settings, name) != getattr(campaign, name):
                problems.append(Problem("locked_after_answers", where=column))
        if not {o.id for o in campaign.organisations} <= {o.id for o in settings.organisations}:
            problems.append(Problem("locked_after_answers", where="organisations"))
    if problems:
        raise ProblemsError(problems)
    before = _snapshot(campaign)
    _apply(campaign, settings)
    after = _snapshot(campaign)
    changed = {name: [before[name], after[name]] for name in before if before[name] != after[name]}
    record("campaign_updated", f"campaign:{campaign.code}", {"changed": changed})
    return campaign


def change_status(campaign: Campaign, target: str) -> Campaign:
    """Move a campaign along draft → open → closed (→ open again) → archived."""
    if target not in TRANSITIONS.get(campaign.status, ()):
        raise Problem.refuse("bad_transition", where="status",
                             value=CAMPAIGN_STATUS_LABELS[campaign.status],
                             target=CAMPAIGN_STATUS_LABELS[target])
    before = campaign.status
    campaign.status = target
    details = {"from": before, "to": target}
    if target == "closed":
        from ..responses.attempts import finish_open_tests

        details["attempts_finished"] = finish_open_tests(campaign.id)
    record("campaign_status", f"campaign:{campaign.code}", details)
    if target == "closed":
        # The last release: what waited for late finishers is released now (the status change
        # is committed first, so a release lost to a concurrent one never undoes it).
        from ..config import privacy_min_group
        from ..results.releases import close_release

        db.session.commit()
        close_release(campaign, privacy_min_group())
    return campaign
