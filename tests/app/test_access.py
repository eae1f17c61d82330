"""The scope rules of :mod:`survey.access`, where the administration and the HR pages once kept
two copies that disagreed."""

from __future__ import annotations

from survey.extensions import db
from tests import factories as base
from tests.admin.factories import staff, world


def test_an_admin_lists_a_campaign_left_without_bodies_on_the_admin_and_hr_pages(app, auth):
    # The administration listed every campaign for an admin, the HR list only campaigns with a
    # body in them. One rule now: an admin sees every campaign (an emptied one stays findable).
    bodies = world()
    emptied = base.campaign(bodies.survey, [bodies.ministry], code="emptied-wave")
    db.session.commit()
    emptied.organisations = []
    db.session.commit()
    client = auth.as_(staff("admin", "admin@qabilet.kz"), "en")
    assert "emptied-wave" in client.get("/admin/campaigns").get_data(as_text=True)
    hr_list = client.get("/hr/")
    assert hr_list.status_code == 200
    assert f"/hr/campaigns/{emptied.id}" in hr_list.get_data(as_text=True)
    # …but its dashboard has no body to read from.
    assert client.get(f"/hr/campaigns/{emptied.id}").status_code == 403


def test_an_hr_analyst_lists_only_campaigns_with_one_of_their_bodies(app, auth):
    bodies = world()
    mine = base.campaign(bodies.survey, [bodies.ministry, bodies.akimat], code="shared-wave")
    other = base.campaign(bodies.survey, [bodies.akimat], code="akimat-wave")
    db.session.commit()
    client = auth.as_(staff("hr", "hr@mdd.kz", [bodies.ministry]), "en")
    for prefix, page in (("/admin", "/admin/campaigns"), ("/hr", "/hr/")):
        text = client.get(page).get_data(as_text=True)
        assert f'href="{prefix}/campaigns/{mine.id}"' in text
        assert f'href="{prefix}/campaigns/{other.id}"' not in text
