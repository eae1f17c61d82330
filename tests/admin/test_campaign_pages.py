"""The campaign page for hundreds of invitations, asking before what cannot be undone, a lost
link for someone who started, dates as local days, and an audit log a person can read."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from flask_babel import force_locale
from markupsafe import escape

from survey.campaigns.invitations import import_staff_list
from survey.campaigns.staff_list import read_staff_list
from survey.extensions import db
from survey.i18n import closing_day, format_day, opening_day
from survey.models import Attempt, AuditEntry, Invitation
from survey.responses.attempts import find_attempt, start_attempt
from survey.tokens import attempt_key

from .factories import staff

ALMATY = ZoneInfo("Asia/Almaty")


@pytest.fixture
def admin_client(auth, world):
    return auth.as_(staff("admin", "admin@qabilet.kz"))


def _import(campaign, rows: int) -> None:
    lines = ["organisation,unit,position,name,email,personnel_number"]
    lines += [f"mdd,it,specialist,Person {n:03d},p{n:03d}@gov.kz,{1000 + n}" for n in range(rows)]
    parsed, problems = read_staff_list("\n".join(lines).encode(), "s.csv", campaign)
    assert problems == []
    import_staff_list(campaign, parsed)
    db.session.commit()


def test_a_large_invitation_list_is_searched_filtered_sorted_and_paged(admin_client, identified):
    _import(identified, 120)
    url = f"/admin/campaigns/{identified.id}"
    first = admin_client.get(url).get_data(as_text=True)
    assert "Person 000" in first  # names, not only body codes
    assert "Person 060" not in first  # 50 a page
    assert "?page=2" in first or "page=2" in first
    third = admin_client.get(f"{url}?page=3").get_data(as_text=True)
    assert "Person 119" in third
    assert "Person 000" not in third
    found = admin_client.get(f"{url}?q=p042%40gov").get_data(as_text=True)
    assert "Person 042" in found
    assert "Person 043" not in found
    by_number = admin_client.get(f"{url}?q=1077").get_data(as_text=True)
    assert "Person 077" in by_number
    recent = admin_client.get(f"{url}?sort=recent").get_data(as_text=True)
    assert recent.index("Person 119") < recent.index("Person 118")
    none = admin_client.get(f"{url}?status=finished").get_data(as_text=True)
    assert "Person 0" not in none
    # The body's name, not its code.
    assert identified.organisations[0].name in first


def test_opening_and_closing_ask_first_and_say_what_follows(admin_client, draft):
    url = f"/admin/campaigns/{draft.id}/status/open"
    asked = admin_client.get(url)
    assert asked.status_code == 200
    page = asked.get_data(as_text=True)
    assert format_day(opening_day(draft), "kk") in page
    db.session.refresh(draft)
    assert draft.status == "draft"  # asking changes nothing
    admin_client.post(url)
    db.session.refresh(draft)
    assert draft.status == "open"
    assert admin_client.get(f"/admin/campaigns/{draft.id}/status/open").status_code == 404
    campaign_page = admin_client.get(f"/admin/campaigns/{draft.id}").get_data(as_text=True)
    assert f'href="/admin/campaigns/{draft.id}/status/closed"' in campaign_page


def test_someone_who_started_and_lost_the_link_gets_one_to_their_answers(admin_client,
                                                                         identified):
    _import(identified, 2)
    page = admin_client.post(f"/admin/campaigns/{identified.id}/links/print").get_data(
        as_text=True)
    tokens = re.findall(r'<a href="[^"]*/i/([A-Za-z0-9_-]+)"', page)
    assert len(tokens) == 2
    invitation = db.session.scalar(db.select(Invitation).order_by(Invitation.id))
    start_attempt(invitation, identified, tokens[0], "ru")
    db.session.commit()
    db.session.refresh(invitation)
    assert invitation.status == "started"
    asked = admin_client.get(f"/admin/invitations/{invitation.id}/reissue").get_data(as_text=True)
    assert "<form" in asked
    printed = admin_client.post(f"/admin/invitations/{invitation.id}/reissue").get_data(
        as_text=True)
    new = re.search(r'<a href="[^"]*/i/([A-Za-z0-9_-]+)"', printed).group(1)
    assert new != tokens[0]
    assert find_attempt(tokens[0]) is None  # the lost link stops working
    attempt, _campaign = find_attempt(new)
    assert attempt.access_hash == attempt_key(new)
    assert db.session.scalar(db.select(db.func.count(Attempt.id))) == 1
    assert db.session.scalar(db.select(AuditEntry).filter_by(action="link_recovered"))


def test_printed_slips_have_a_qr_code_and_instructions_in_the_persons_language(
        admin_client, identified):
    lines = ["organisation,unit,position,name,email,language",
             "mdd,it,specialist,Aigerim,a@gov.kz,kk", "mdd,it,specialist,Ivan,i@gov.kz,ru"]
    parsed, problems = read_staff_list("\n".join(lines).encode(), "s.csv", identified)
    assert problems == []
    import_staff_list(identified, parsed)
    db.session.commit()
    page = admin_client.post(f"/admin/campaigns/{identified.id}/links/print").get_data(
        as_text=True)
    assert page.count("<svg") == 2
    kk_slip = page[page.index("Aigerim"):page.index("Ivan")]
    ru_slip = page[page.index("Ivan"):]
    with admin_client.application.test_request_context():
        last_kk, last_ru = (format_day(closing_day(identified), lang) for lang in ("kk", "ru"))
        with force_locale("ru"):
            from flask_babel import gettext
            scan_ru = str(escape(gettext("Scan the code with your phone's camera, or type "
                                         "the address below into a browser.")))
    assert last_kk in kk_slip
    assert last_ru in ru_slip
    assert scan_ru in ru_slip
    assert scan_ru not in kk_slip


def test_one_closing_day_on_every_page(admin_client, app, world):
    """A campaign closing at the end of 15 March (Almaty) shows 15 March everywhere."""
    from tests import factories as base

    campaign = base.campaign(world.survey, [world.ministry], code="wave-days", status="open",
                             opens_at=datetime(2026, 3, 1, tzinfo=ALMATY),
                             closes_at=datetime(2026, 3, 16, tzinfo=ALMATY))
    db.session.commit()
    with app.test_request_context():
        assert opening_day(campaign) == date(2026, 3, 1)
        assert closing_day(campaign) == date(2026, 3, 15)
        assert format_day(date(2026, 3, 15), "kk") == "2026 жылғы 15 наурыз"
        assert format_day(date(2026, 3, 15), "ru") == "15 марта 2026 г."
        assert format_day(date(2026, 3, 15), "en") == "15 March 2026"
    for url in ("/admin/campaigns", f"/admin/campaigns/{campaign.id}", "/hr/"):
        page = admin_client.get(url).get_data(as_text=True)
        assert "2026 жылғы 1 наурыз – 2026 жылғы 15 наурыз" in page, url
        assert "16 наурыз" not in page


def test_the_audit_log_says_in_words_what_an_edit_changed_and_filters(admin_client, draft):
    form = admin_client.get(f"/admin/campaigns/{draft.id}/edit").get_data(as_text=True)
    assert "csrf" in form or "<form" in form
    data = {"code": draft.code, "title_kk": "Жаңа атау", "title_ru": draft.title_ru,
            "title_en": draft.title_en,
            "organisations": [str(o.id) for o in draft.organisations],
            "opens": opening_day(draft).isoformat(), "closes": closing_day(draft).isoformat(),
            "anonymous": "anonymous", "time_limit": str(draft.test_time_limit_minutes or 45),
            "default_language": draft.default_language,
            "survey_version": str(draft.survey_version_id or 0),
            "test_version": str(draft.test_version_id or 0)}
    response = admin_client.post(f"/admin/campaigns/{draft.id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    log = admin_client.get("/admin/audit?action=campaign_updated").get_data(as_text=True)
    assert "Жаңа атау" in log
    assert "→" in log
    assert "{&#34;" not in log  # no raw JSON
    assert "campaign:" not in log  # the object in words
    only_logins = admin_client.get("/admin/audit?action=login").get_data(as_text=True)
    assert "Жаңа атау" not in only_logins
