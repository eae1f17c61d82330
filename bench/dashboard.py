"""End-to-end timing of the HR dashboard's numbers from the database.

Fills a campaign of 100,000 finished attempts (40 survey items, 70 test items, 2,000 units in
50 bodies) through the app's own models, builds its first release of figures (the disclosure
gate's atoms, formed and stored), then times what a dashboard request computes — reading the
packed results (one query), the invitation counts, the stored release, and every number from
`analysis/` — cold (no cache) and warm (p95 over repeated requests); then the item-quality
page's numbers (chosen options read, reliability, item statistics, distractors, DIF); then a
page read right after new results arrived (the release is built in the background, as the app
runs by default, and timed on its own).

    python bench/dashboard.py                      # SQLite in a temporary file
    QABILET_PG_DURABLE=1 .ci/with-postgres python bench/dashboard.py --postgres  # production

One BLAS thread, as the app's service environment should run (see bench/README.md).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import flask_migrate  # noqa: E402
import numpy as np  # noqa: E402
from sqlalchemy import text  # noqa: E402

from survey import create_app  # noqa: E402
from survey.config import normalise_database_url  # noqa: E402
from survey.extensions import cache, db, process_cache  # noqa: E402
from survey.questionnaires.reference import maturity_model  # noqa: E402
from survey.results import building, frames, quality  # noqa: E402
from survey.results import dashboard as report  # noqa: E402
from survey.results.releases import build_release, released_figures  # noqa: E402
from tests.hr import factories as f  # noqa: E402


def make_app(postgres: bool, directory: str):
    if postgres:
        url = os.environ.get("QABILET_TEST_DATABASE_URL")
        if not url:
            sys.exit("--postgres needs QABILET_TEST_DATABASE_URL (run under .ci/with-postgres)")
        uri = normalise_database_url(url)
    else:
        uri = f"sqlite:///{directory}/bench.sqlite"
    return create_app({"TESTING": True, "SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": uri})


def fill(attempts: int, units: int, bodies: int, survey_items: int, test_items: int):
    cat = f.catalogue(survey_items, test_items)
    per_body = units // bodies
    orgs = [f.body(f"body{b:03d}", per_body) for b in range(bodies)]
    db.session.flush()
    campaign = f.campaign(cat, orgs, code="bench")
    all_units = [u for org in orgs for u in org.units]
    per_unit = {u: attempts // len(all_units) for u in all_units}
    count = f.results(campaign, cat, per_unit, seed=7)
    db.session.commit()
    return cat, campaign, orgs, count


def numbers(campaign, model, filters, k=5):
    """What the dashboard view computes before formatting: the frame, the gate (the latest
    release; one due is built in the background) and the released figures."""
    frame, gate, invited = released_figures(campaign, k)
    return report.dashboard(frame, gate, model, filters, invited, k)


def timed(fn, repeat: int = 1) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def p95(values: list[float]) -> float:
    return float(np.percentile(values, 95))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--attempts", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=2_000)
    parser.add_argument("--bodies", type=int, default=50)
    parser.add_argument("--survey-items", type=int, default=40)
    parser.add_argument("--test-items", type=int, default=70)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--new-results", type=int, default=1_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        app = make_app(args.postgres, directory)
        with app.app_context():
            if db.engine.dialect.name == "postgresql":
                with db.engine.begin() as connection:
                    connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            flask_migrate.upgrade(directory=str(ROOT / "migrations"))
            start = time.perf_counter()
            cat, campaign, orgs, count = fill(args.attempts, args.units, args.bodies,
                                              args.survey_items, args.test_items)
            fill_s = time.perf_counter() - start
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                    c.execute(text("VACUUM ANALYZE"))
            model = maturity_model().model
            everyone = report.Filters(organisations=tuple(o.id for o in orgs))
            one_body = report.Filters(organisations=(orgs[0].id,))

            load_before = os.getloadavg()
            frames.load_campaign(campaign)  # the frame the release is formed over, read
            start = time.perf_counter()
            build_release(campaign.id, 5)  # the first release: every atom formed, stored
            release_s = time.perf_counter() - start

            def cold() -> None:
                process_cache.clear()  # the frames
                cache.clear()  # dashboards and charts
                db.session.expire_all()
                numbers(campaign, model, everyone)

            cold_runs = timed(cold, 3)
            warm_runs = timed(lambda: numbers(campaign, model, everyone), args.repeat)
            cache.clear()
            numbers(campaign, model, everyone)
            body_runs = []
            for _ in range(args.repeat):
                cache.clear()  # the frame stays cached: a new filter on read data
                body_runs += timed(lambda: numbers(campaign, model, one_body))
            start = time.perf_counter()
            frames.read_frame(campaign)
            read_s = time.perf_counter() - start
            frame = frames.load_campaign(campaign)
            start = time.perf_counter()
            choices = frames.test_choices(campaign, frame)
            gate = released_figures(campaign, 5)[1]
            quality.compute_quality(frame, gate.partition, report.row_mask(frame, everyone), 5,
                                    choices)
            items_s = time.perf_counter() - start
            dash = numbers(campaign, model, everyone)

            # New results arrive: the next page read re-reads and re-scores the results but
            # serves the latest release; the next one is built in the background.
            new_units = [u for org in orgs[:10] for u in org.units][:args.new_results // 5]
            f.results(campaign, cat, {u: 5 for u in new_units}, seed=8)
            db.session.commit()
            start = time.perf_counter()
            during = numbers(campaign, model, everyone)
            during_s = time.perf_counter() - start
            building.wait_for_builds()
            next_s = time.perf_counter() - start
            cache.clear()
            after = numbers(campaign, model, everyone)
            load_after = os.getloadavg()
            print(f"database: {db.engine.dialect.name}; {count:,} finished attempts, "
                  f"{args.survey_items} survey + {args.test_items} test items, "
                  f"{len(dash.units):,} units in {len(orgs)} bodies; {os.cpu_count()} CPUs")
            print(f"fill through the models:           {fill_s:8.1f} s")
            print(f"read packed results (one query):   {read_s:8.3f} s")
            print(f"first release (atoms formed, stored): {release_s:6.3f} s")
            print(f"dashboard numbers, cold:           {min(cold_runs):8.3f} s best, "
                  f"{max(cold_runs):.3f} s worst of {len(cold_runs)} (target < 2 s)")
            print(f"dashboard numbers, warm:           {p95(warm_runs) * 1000:8.1f} ms p95, "
                  f"{statistics.median(warm_runs) * 1000:.1f} ms median (target < 300 ms)")
            print(f"new filter (one body), data read:  {p95(body_runs) * 1000:8.1f} ms p95, "
                  f"{statistics.median(body_runs) * 1000:.1f} ms median")
            print(f"item quality (options read + all): {items_s:8.3f} s")
            print(f"page read, {len(new_units) * 5} new results:  {during_s:8.3f} s "
                  f"(release {during.release} served, {during.waiting} waiting)")
            print(f"next release, built in background: stored {next_s:.3f} s after that read "
                  f"began (release {after.release}, {after.waiting} waiting)")
            print(f"load average: {load_before[0]:.2f} at the start, {load_after[0]:.2f} at the end "
                  f"(1-minute)")
            print(f"culture score: {dash.overall.mean[0]:.2f} "
                  f"[{dash.overall.low[0]:.2f}, {dash.overall.high[0]:.2f}], n = {dash.overall.n[0]:,}")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
