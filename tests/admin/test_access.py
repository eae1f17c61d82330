"""Every admin page and action is restricted by role and scope; forms need a CSRF token."""

from __future__ import annotations

import io

import pytest

from survey import create_app
from survey.extensions import db
from survey.models import Campaign, Invitation, Organisation, User
from tests import factories as base
from tests.conftest import make_config

from .factories import staff

ADMIN_ONLY = [
    ("get", "/admin/organisations"), ("get", "/admin/organisations/new"),
    ("get", "/admin/organisations/{org}"), ("post", "/admin/organisations/{org}/units"),
    ("get", "/admin/users"), ("get", "/admin/users/{user}"),
    ("post", "/admin/users/{user}/active/0"), ("get", "/admin/audit"),
    ("get", "/admin/questionnaires"),
    ("get", "/admin/questionnaires/versions/{version}/preview/kk"),
]
CAMPAIGN_PAGES = [
    ("get", "/admin/campaigns/{campaign}"), ("get", "/admin/campaigns/{campaign}/edit"),
    ("post", "/admin/campaigns/{campaign}/status/open"),
    ("post", "/admin/campaigns/{campaign}/staff"),
    ("post", "/admin/campaigns/{campaign}/staff/confirm"),
    ("post", "/admin/campaigns/{campaign}/links.csv"),
    ("post", "/admin/campaigns/{campaign}/links/print"),
    ("post", "/admin/campaigns/{campaign}/send"), ("post", "/admin/campaigns/{campaign}/remind"),
    ("post", "/admin/invitations/{invitation}/reissue"),
]


@pytest.fixture
def ids(world):
    """An akimat-only campaign with one invitation, and a ministry HR analyst."""
    campaign = base.campaign(world.survey, [world.akimat], code="akimat-wave", status="draft")
    db.session.flush()
    invitation = Invitation(campaign=campaign, token_hash="0" * 64, organisation=world.akimat,
                            unit=world.akimat.units[0], position_category_id=_profile_id())
    db.session.add(invitation)
    hr = staff("hr", "hr@mdd.kz", [world.ministry])
    db.session.commit()
    return {"campaign": campaign.id, "invitation": invitation.id, "org": world.akimat.id,
            "user": hr.id, "version": world.survey.id}


def _profile_id():
    from survey.models import RoleProfile

    return db.session.scalar(db.select(RoleProfile.id).limit(1))


def call(client, method, path, ids):
    return getattr(client, method)(path.format(**ids))


@pytest.mark.parametrize(("method", "path"), ADMIN_ONLY + CAMPAIGN_PAGES)
def test_anonymous_visitors_are_sent_to_the_login_page(client, ids, method, path):
    response = call(client, method, path, ids)
    assert response.status_code == 302
    assert "/staff/login" in response.headers["Location"]


@pytest.mark.parametrize(("method", "path"), ADMIN_ONLY)
def test_hr_analysts_cannot_reach_admin_only_pages(auth, ids, method, path):
    client = auth.as_(db.session.get(User, ids["user"]))
    assert call(client, method, path, ids).status_code == 403


@pytest.mark.parametrize(("method", "path"), ADMIN_ONLY + CAMPAIGN_PAGES + [
    ("get", "/admin/"), ("get", "/admin/campaigns"), ("get", "/admin/campaigns/new")])
def test_trainers_reach_no_administration_page(auth, ids, world, method, path):
    client = auth.as_(staff("trainer", "t@mdd.kz", [world.ministry, world.akimat]))
    assert call(client, method, path, ids).status_code == 403


@pytest.mark.parametrize(("method", "path"), CAMPAIGN_PAGES)
def test_hr_analysts_cannot_reach_another_bodys_campaign(auth, ids, method, path):
    client = auth.as_(db.session.get(User, ids["user"]))
    assert call(client, method, path, ids).status_code == 403
    assert db.session.get(Campaign, ids["campaign"]).status == "draft"


def test_hr_analysts_see_and_run_only_their_own_bodies_campaigns(auth, ids, world):
    own = base.campaign(world.survey, [world.ministry], code="mdd-wave", status="draft")
    db.session.commit()
    client = auth.as_(db.session.get(User, ids["user"]))
    listing = client.get("/admin/campaigns").get_data(as_text=True)
    assert "mdd-wave" in listing
    assert "akimat-wave" not in listing
    assert client.post(f"/admin/campaigns/{own.id}/status/open").status_code == 302
    db.session.refresh(own)
    assert own.status == "open"
    form = client.get("/admin/campaigns/new").get_data(as_text=True)
    assert world.ministry.name_kk in form
    assert world.akimat.name_kk not in form


def test_an_hr_analyst_cannot_import_staff_of_another_body(auth, ids, world):
    shared = base.campaign(world.survey, [world.ministry, world.akimat], code="both",
                           status="draft")
    db.session.commit()
    client = auth.as_(db.session.get(User, ids["user"]))
    response = client.post(f"/admin/campaigns/{shared.id}/staff",
                           content_type="multipart/form-data", headers={"Accept-Language": "en"},
                           data={"file": (io.BytesIO(
                               b"organisation,unit,position\nakimat,finance,specialist\n"),
                               "s.csv")})
    assert response.status_code == 400
    assert "You may not import the staff of the government body" in response.get_data(
        as_text=True)


def test_a_form_without_its_csrf_token_is_refused(migrated_database, world):
    app = create_app(make_config(migrated_database, WTF_CSRF_ENABLED=True))
    admin = staff("admin", "csrf@qabilet.kz")
    client = app.test_client()
    try:
        login_page = client.get("/staff/login").get_data(as_text=True)
        token = login_page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
        assert client.post("/staff/login", data={"email": admin.email, "password":
                                                 "correct-horse-battery",
                                                 "csrf_token": token}).status_code == 302
        response = client.post("/admin/organisations/new", data={
            "code": "nocsrf", "name_kk": "а", "name_ru": "б", "name_en": "c",
            "governance_level": "local", "sector": "health"})
        assert response.status_code == 400
        assert db.session.scalar(db.select(Organisation).filter_by(code="nocsrf")) is None
    finally:
        with app.app_context():  # this second app has its own engine: close its connections
            db.engine.dispose()
