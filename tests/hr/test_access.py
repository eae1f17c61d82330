"""Route by route and role by role: nobody sees another body's data, whatever the URL."""

from __future__ import annotations

import pytest

HR_ROUTES = (
    "/hr/campaigns/{c}",
    "/hr/campaigns/{c}/charts/subscores.png",
    "/hr/campaigns/{c}/charts/gaps_units.png",
    "/hr/campaigns/{c}/export.xlsx",
    "/hr/campaigns/{c}/export/top_gaps.csv",
    "/hr/campaigns/{c}/report",
)
TRAINER_ROUTES = (
    "/trainer/campaigns/{c}",
    "/trainer/campaigns/{c}/plan.xlsx",
    "/trainer/campaigns/{c}/plan.csv",
)


@pytest.mark.parametrize("route", ["/hr/", "/trainer/", *HR_ROUTES, *TRAINER_ROUTES])
def test_anonymous_visitors_are_sent_to_the_login_page(world, client, route):
    response = client.get(route.format(c=world.current.id))
    assert response.status_code == 302
    assert "/staff/login" in response.headers["Location"]


@pytest.mark.parametrize("route", HR_ROUTES)
def test_an_hr_analyst_of_another_body_gets_403_on_every_hr_route(world, client, route, auth):
    auth.as_("hr@beta.kz", "en")
    assert client.get(route.format(c=world.alpha_only.id)).status_code == 403


@pytest.mark.parametrize("route", TRAINER_ROUTES)
def test_a_trainer_of_another_body_gets_403_on_every_trainer_route(world, client, route, auth):
    auth.as_("trainer@beta.kz", "en")
    assert client.get(route.format(c=world.alpha_only.id)).status_code == 403


@pytest.mark.parametrize("route", HR_ROUTES)
def test_trainers_get_403_on_hr_routes(world, client, route, auth):
    auth.as_("trainer@alpha.kz", "en")
    assert client.get(route.format(c=world.current.id)).status_code == 403


@pytest.mark.parametrize("route", TRAINER_ROUTES)
def test_hr_analysts_get_403_on_trainer_routes(world, client, route, auth):
    auth.as_("hr@alpha.kz", "en")
    assert client.get(route.format(c=world.current.id)).status_code == 403


@pytest.mark.parametrize("route", HR_ROUTES)
def test_guessing_another_bodys_organisation_or_unit_in_the_filters_gives_403(world, client, route, auth):
    auth.as_("hr@beta.kz", "en")
    base = route.format(c=world.current.id)
    assert client.get(f"{base}?organisation={world.alpha.id}").status_code == 403
    assert client.get(f"{base}?unit={world.alpha.units[0].id}").status_code == 403
    assert client.get(f"{base}?unit=999999").status_code == 403
    assert client.get(f"{base}?unit=abc").status_code == 400
    assert client.get(f"{base}?sector=nonsense").status_code == 400


@pytest.mark.parametrize("route", [*HR_ROUTES[:1], *HR_ROUTES[3:]])
def test_a_shared_campaign_shows_an_hr_analyst_only_their_own_body(world, client, route, auth):
    auth.as_("hr@beta.kz", "en")
    response = client.get(route.format(c=world.current.id))
    assert response.status_code == 200
    body = _text(response)
    assert "Body beta" in body or "Ministry beta" in body
    assert "alpha" not in body.lower()


@pytest.mark.parametrize("route", TRAINER_ROUTES)
def test_a_shared_campaign_shows_a_trainer_only_their_own_body(world, client, route, auth):
    auth.as_("trainer@beta.kz", "en")
    response = client.get(route.format(c=world.current.id))
    assert response.status_code == 200
    assert "alpha" not in _text(response).lower()


def test_the_campaign_list_shows_only_campaigns_of_the_users_bodies(world, client, auth):
    auth.as_("hr@beta.kz", "en")
    page = client.get("/hr/").get_data(as_text=True)
    assert f"/hr/campaigns/{world.current.id}" in page
    assert f"/hr/campaigns/{world.alpha_only.id}" not in page


def test_an_admin_sees_every_campaign(world, client, auth):
    auth.as_("admin@example.kz", "en")
    assert client.get(f"/hr/campaigns/{world.alpha_only.id}").status_code == 200
    assert client.get(f"/trainer/campaigns/{world.alpha_only.id}").status_code == 200


def test_an_unknown_campaign_is_404(world, client, auth):
    auth.as_("hr@alpha.kz", "en")
    assert client.get("/hr/campaigns/999999").status_code == 404


def _text(response) -> str:
    """The readable text of a page, CSV or XLSX response."""
    if response.mimetype.endswith("spreadsheetml.sheet"):
        import io

        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(response.data), read_only=True)
        return "\n".join(str(cell) for sheet in book.worksheets
                         for row in sheet.iter_rows(values_only=True) for cell in row if cell)
    return response.get_data(as_text=True)
