"""Run in a production-recipe stack (``python -m tests.app.stack_world N``): the real
questionnaires, a survey-only campaign open for a week with N invitations (with e-mail
addresses), an administrator and an HR analyst. Prints what the test needs as JSON."""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path

from survey import create_app
from survey.accounts.users import create_user
from survey.campaigns.invitations import create_invitation
from survey.extensions import db
from survey.models import Campaign, Organisation, RoleProfile, Unit
from survey.models._types import utcnow
from survey.questionnaires.loader import latest_version, load_folder
from survey.responses.layout import layout

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "stack-password-1"


def build(invitations: int) -> dict:
    load_folder(ROOT / "questionnaires")
    org = Organisation(code="stack", name_kk="Орган", name_ru="Орган", name_en="Body",
                       governance_level="republican", sector="digital_development")
    unit = Unit(organisation=org, code="u1", name_kk="Бөлім", name_ru="Отдел", name_en="Unit")
    role = db.session.scalars(db.select(RoleProfile).order_by(RoleProfile.position)).first()
    now = utcnow()
    campaign = Campaign(code="stack", title_kk="Кезең", title_ru="Волна", title_en="Wave",
                        status="open", opens_at=now - timedelta(days=1),
                        closes_at=now + timedelta(days=30), anonymous=True,
                        reminder_days="", survey_version=latest_version("digital_culture"),
                        organisations=[org])
    db.session.add_all([org, unit, campaign])
    db.session.flush()
    tokens = [create_invitation(campaign, organisation_id=org.id, unit_id=unit.id,
                                position_category_id=role.id, email=f"p{i}@gov.kz",
                                language="en", status="sent", sent_at=now).token
              for i in range(invitations)]
    for i in range(3):  # links not handed out yet: for the e-mail job
        create_invitation(campaign, organisation_id=org.id, unit_id=unit.id,
                          position_category_id=role.id, email=f"new{i}@gov.kz", language="en")
    create_user("admin@stack.kz", "Admin", PASSWORD, "admin", language="en")
    create_user("hr@stack.kz", "HR", PASSWORD, "hr", organisations=[org], language="en")
    db.session.commit()
    pages = len(layout(campaign.survey_version_id).survey_pages)
    return {"campaign": campaign.id, "tokens": tokens, "password": PASSWORD, "pages": pages}


if __name__ == "__main__":
    with create_app().app_context():
        print(json.dumps(build(int(sys.argv[1]))))
