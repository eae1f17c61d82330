"""The HR campaign list gives each campaign's status and progress in the analyst's bodies —
invited, started but not finished, finished, the response rate — and when units differ the
dashboard says which."""

from __future__ import annotations

import re

from flask_babel import force_locale, format_percent

from survey.accounts.users import create_user
from survey.extensions import db
from survey.i18n import label_of
from survey.models import Invitation

from . import factories as f
from .conftest import PASSWORD


def _row(page: str, title: str) -> list[str]:
    row = page[page.index(f">{title}</a>"):]
    row = row[:row.index("</tr>")]
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_the_campaign_list_counts_started_but_unfinished_in_the_analysts_bodies(
        world, client, auth):
    alpha_ids = {u.id for u in world.alpha.units}
    invitations = db.session.scalars(db.select(Invitation).filter_by(
        campaign_id=world.current.id)).all()
    mine = [i for i in invitations if i.unit_id in alpha_ids]
    waiting = [i for i in mine if i.status != "finished"][:5]
    assert len(waiting) == 5
    for invitation in waiting[:3]:
        invitation.status = "started"
    for invitation in waiting[3:]:
        invitation.status = "finished"
    db.session.commit()
    finished = sum(1 for i in mine if i.status == "finished")
    started = sum(1 for i in mine if i.status == "started")
    auth.as_("hr@alpha.kz", "ru")
    page = client.get("/hr/").get_data(as_text=True)
    status, _dates, invited, started_cell, finished_cell, rate, _anonymous = _row(
        page, world.current.title_ru)
    with force_locale("ru"):
        assert status == str(label_of("status", world.current.status))
    assert "Started" not in page
    assert (int(invited.replace("\xa0", "")), int(started_cell), int(finished_cell)) == (
        len(mine), started, finished)
    with force_locale("ru"):
        assert rate == format_percent(finished / len(mine), "#,##0%")
    assert rate != "0%"


def test_when_units_differ_the_dashboard_says_which(app, client, auth):
    cat = f.catalogue()
    body = f.body("omega", 2)
    db.session.flush()
    campaign = f.campaign(cat, [body], code="omega-2026")
    f.results(campaign, cat, {body.units[0]: 60}, seed=31)
    f.results(campaign, cat, {body.units[1]: 60}, seed=32, shift=1.5)
    create_user("hr@omega.kz", "Omega HR", PASSWORD, "hr", [body])
    db.session.commit()
    auth.as_("hr@omega.kz", "en")
    page = client.get(f"/hr/campaigns/{campaign.id}").get_data(as_text=True)
    section = page[page.index('id="comparisons-title"'):page.index("With the previous wave")]
    assert "<caption>Units that differ</caption>" in section
    higher, lower = re.search(r'<tr><th scope="row">(.*?)</th><td>(.*?)</td>', section).groups()
    assert (higher, lower) == (body.units[1].name_en, body.units[0].name_en)
