"""The demo's expert assessments (``flask --app survey demo``): two periods per body, through
the same functions as the assessor pages."""

from __future__ import annotations

import random
from datetime import timedelta

from ..extensions import db
from ..models import Campaign, Organisation, User
from ..questionnaires.reference import expert_checklists
from ..results.maturity import last_day
from . import drafts, review

# Each demo body's expert ratings cluster around this level (1–5); the second period is better.
EXPERT_TENDENCY = {"mdd": 3.6, "akimat-krg": 2.7, "akimat-abay": 1.9}
NOTES = (
    "Бекітілген құжаттар мен жобалық кеңсе басшысымен сұхбат бойынша.",
    "По утверждённым документам и интервью с руководителем проектного офиса.",
)


def demo_assessments(organisations: list[Organisation], campaigns: tuple[Campaign, Campaign],
                     assessor_email: str, admin_email: str, rng: random.Random) -> None:
    """Two periods per body, each around one survey wave's closing day, rated by the demo
    assessor and confirmed by the administrator — except the district akimat's last period,
    left a draft to show the workflow."""
    loaded = expert_checklists()
    assessor = db.session.scalar(db.select(User).filter_by(email=assessor_email))
    admin = db.session.scalar(db.select(User).filter_by(email=admin_email))
    periods, start = [], last_day(campaigns[0]) - timedelta(days=150)
    for campaign in campaigns:
        end = last_day(campaign) + timedelta(days=30)
        periods.append((start, end))
        start = end + timedelta(days=1)
    for org in organisations:
        tendency = EXPERT_TENDENCY.get(org.code, 3.0)
        for number, (start, end) in enumerate(periods):
            assessment = drafts.open_assessment(org, start, end, assessor, loaded)
            entries = {}
            for rating in assessment.ratings:
                level = round(tendency + 0.4 * number + rng.gauss(0, 0.7))
                evidence = drafts.EvidenceInput(
                    "Жобалық кеңсе басшысымен сұхбат", "", end - timedelta(days=40))
                entries[rating.criterion] = drafts.RatingInput(
                    min(5, max(1, level)), rng.choice(NOTES), evidence)
            drafts.save_draft(assessment, assessor, entries, loaded)
            if org.code == "akimat-abay" and number == len(periods) - 1:
                continue
            drafts.submit(assessment, assessor, loaded)
            review.confirm(assessment, admin)
    db.session.flush()
