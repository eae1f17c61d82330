"""Every page, chart and export with people's numbers goes through the gate: each route of the
HR and trainer blueprints is read, the answers of every result not in a released figure are
then rewritten, and every route must give exactly what it gave before — a route that computed
anything from an unreleased result would change.

The routes are enumerated from the app's URL map; each one must be reached by the crawl from
the campaign's pages (so a new route that shows numbers is checked as soon as a page links it,
and a route nothing links fails the test until it is added here)."""

from __future__ import annotations

import io
import re
import subprocess

import numpy as np
from openpyxl import load_workbook
from sqlalchemy import update

from survey.extensions import cache, db, process_cache
from survey.models import AttemptResult
from survey.results.releases import stored_atoms

# Routes without people's numbers (lists of campaigns).
NO_NUMBERS = {"hr.index", "trainer.index"}
# The CSRF token and the export time (a report read across a minute boundary) change anyway.
VOLATILE = re.compile(r'name="csrf_token"[^>]*>|<meta name="csrf-token"[^>]*>|'
                      r"Exported</th>\s*<td>[^<]*</td>|^\ufeff?Exported,[^\r\n]*", re.M)


def _links(html: str, prefixes: tuple[str, ...]) -> set[str]:
    found = set(re.findall(r'(?:href|src)="([^"#]+)"', html))
    return {u.replace("&amp;", "&") for u in found if u.startswith(prefixes)}


def _content(response) -> object:
    body = response.data
    if body[:2] == b"PK":  # a workbook: its cell values, without the export time
        book = load_workbook(io.BytesIO(body))
        return [[row for row in book[name].iter_rows(values_only=True)
                 if not (row and row[0] in ("Exported",))] for name in book.sheetnames]
    if body[:4] == b"\x89PNG":
        return body
    if body[:5] == b"%PDF-":  # a PDF: its text, without the date it was made
        text = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True,
                              check=True).stdout.decode("utf-8")
        return re.sub(r"\d{1,2}:\d{2}(:\d{2})?", "", text)  # the export time is volatile
    return VOLATILE.sub("", response.get_data(as_text=True))


def _crawl(client, starts: list[str], prefixes: tuple[str, ...]) -> dict[str, object]:
    seen: dict[str, object] = {}
    queue = list(starts)
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        seen[url] = _content(response)
        if response.mimetype == "text/html":
            queue += sorted(_links(response.get_data(as_text=True), prefixes) - set(seen))
    return seen


def _endpoints(app, urls) -> set[str]:
    adapter = app.url_map.bind("localhost")
    return {adapter.match(url.split("?")[0])[0] for url in urls}


def _read_all(world, client, auth):
    campaign = world.current.id
    alpha = world.alpha
    filters = ["", f"?organisation={alpha.id}", f"?unit={alpha.units[3].id}",
               f"?unit={alpha.units[0].id}"]
    hr = ("/hr/campaigns/",)
    auth.as_("hr@alpha.kz", "en")
    seen = _crawl(client, [f"/hr/campaigns/{campaign}{q}" for q in filters] +
                  [f"/hr/campaigns/{campaign}/items{q}" for q in filters], hr)
    auth.logout()
    auth.as_("trainer@alpha.kz", "en")
    seen.update(_crawl(client, [f"/trainer/campaigns/{campaign}{q}" for q in filters],
                       ("/trainer/campaigns/",)))
    auth.logout()
    return seen


def test_every_route_with_numbers_gives_only_released_figures(world, app, client, auth):
    before = _read_all(world, client, auth)
    routes = {rule.endpoint for rule in app.url_map.iter_rules()
              if rule.endpoint.split(".")[0] in ("hr", "trainer") and "GET" in rule.methods}
    assert routes - NO_NUMBERS <= _endpoints(app, before), "a route no page links"
    assert len(before) > 30

    # Rewrite every unreleased result: all answers wrong, every statement at its lowest.
    atoms = stored_atoms(world.current.id)
    pending = [r for r in db.session.scalars(db.select(AttemptResult).where(
        AttemptResult.campaign_id == world.current.id)) if atoms.get(r.attempt_id, -1) < 0]
    assert len(pending) >= 3
    for result in pending:
        db.session.execute(update(AttemptResult).where(
            AttemptResult.attempt_id == result.attempt_id).values(
            survey_answers=bytes([1]) * len(result.survey_answers or b""),
            test_choices=bytes(len(result.test_choices or b"")),
            test_correct=bytes(len(result.test_correct or b""))))
    db.session.commit()
    process_cache.clear()
    cache.clear()

    after = _read_all(world, client, auth)
    assert after.keys() == before.keys()
    changed = [url for url in before if not _same(before[url], after[url])]
    assert changed == []


def _same(a, b) -> bool:
    if isinstance(a, bytes) and isinstance(b, bytes):
        return a == b
    return bool(np.all(a == b)) if not isinstance(a, str | list) else a == b
