"""The demo's adaptive campaign: each demo person's test is chosen by the application's own rule.

Every item is the one :func:`survey.responses.adaptive.adaptive_state` picks from the answers
stored so far and the attempt's seed, so a demo attempt is exactly what the respondent pages
would have shown that person; the answer to each item comes from the demo's ability model.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from ..extensions import db
from ..models import Answer, Attempt, Campaign, Item, Organisation, QuestionnaireVersion
from ..models._types import utcnow
from .adaptive import adaptive_state


def adaptive_campaign(organisations: Sequence[Organisation], survey: QuestionnaireVersion,
                      test: QuestionnaireVersion) -> Campaign:
    """A closed campaign with the survey and the adaptive test, between the two waves."""
    now = utcnow()
    campaign = Campaign(
        code="skills-2026-adaptive", title_kk="2026 жылғы бейімделгіш тест (пилот)",
        title_ru="Адаптивный тест 2026 (пилот)", title_en="Adaptive test 2026 (pilot)",
        status="closed", opens_at=now - timedelta(days=120), closes_at=now - timedelta(days=90),
        anonymous=False, test_time_limit_minutes=30, default_language="kk", test_mode="adaptive",
        survey_version=survey, test_version=test, organisations=list(organisations),
    )
    db.session.add(campaign)
    return campaign


def answer_adaptively(attempt: Attempt, campaign: Campaign, answer: Callable[[Item], str],
                      at: datetime) -> None:
    """Answer the attempt's adaptive test item by item until the rule stops it."""
    items = {item.id: item for item in campaign.test_version.items}
    step = 0
    while (state := adaptive_state(attempt, campaign)).item is not None:
        item = items[state.item.id]
        step += 1
        db.session.add(Answer(attempt_id=attempt.id, item_id=item.id, value=answer(item),
                              answered_at=at + timedelta(seconds=40 * step)))
        db.session.flush()
