"""The floor under the respondent benchmark: what the production recipe serves when the app
does no more than the least a respondent's path needs.

    .venv/bin/python bench/floor.py [--clients 10 50] [--workers 3] [--threads 4] [--seconds 20]

The same stack as bench/respondent.py (nginx → gunicorn gthread 3×4, PostgreSQL with its
default durability, Redis, the consumer), the same load generator and the same path of eight
requests a response — but gunicorn serves ``create_floor_app()`` below instead of Qabilet: a
Flask app with no templates, no ORM, no session, no CSRF, no translations. Each request sends,
in one durable transaction, the least its real counterpart cannot do without (landing: find
the invitation; consent: create the attempt; each save: find the attempt, claim it with a
guarded UPDATE, one multi-row INSERT … ON CONFLICT DO UPDATE of its answers), and answers with
a page of the same size in bytes as the real one, made by joining strings.

Whatever latency this floor cannot reach, no change to the app's own code can: it is what Flask,
gunicorn, nginx, durable PostgreSQL and the load generator cost together on this machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES = 6  # the survey-only path: five pages of statements and the self-rating page
SCHEMA = """
CREATE TABLE floor_invitation (token text PRIMARY KEY, used boolean NOT NULL DEFAULT false);
CREATE TABLE floor_attempt (id serial PRIMARY KEY, token text UNIQUE NOT NULL,
                            page integer NOT NULL);
CREATE TABLE floor_answer (attempt_id integer NOT NULL, item text NOT NULL,
                           value integer NOT NULL, PRIMARY KEY (attempt_id, item));
"""
# One page save's statements, sent by the app and named in the report.
FIND = "SELECT id FROM floor_attempt WHERE token = :t"
CLAIM = "UPDATE floor_attempt SET page = :n + 1 WHERE id = :a AND page = :n"
WRITE = ("INSERT INTO floor_answer (attempt_id, item, value) VALUES (:a, :i, :v) "
         "ON CONFLICT (attempt_id, item) DO UPDATE SET value = excluded.value")


# --- the app gunicorn serves ------------------------------------------------------------------

def create_floor_app():
    """The minimal WSGI app: Flask routing and SQLAlchemy Core on psycopg, nothing else."""
    from flask import Flask, Response, request
    from sqlalchemy import create_engine, text

    sizes = json.loads(os.environ["FLOOR_SIZES"])
    items = json.loads(os.environ["FLOOR_ITEMS"])
    engine = create_engine(os.environ["DATABASE_URL"].replace("postgresql://",
                                                              "postgresql+psycopg://"),
                           pool_size=int(os.environ.get("QABILET_THREADS", "4")))
    app = Flask(__name__)

    def page(kind: str, token: str, number: int = 0) -> Response:
        if kind == "survey":
            fields = "".join(f'<input type="radio" name="{item}" value="{value}">'
                             for item in items[number - 1] for value in range(1, 6))
            head = (f'<progress class="progress" max="{PAGES}" value="{number - 1}">'
                    f'</progress><form method="post" id="page-form" '
                    f'action="/i/{token}/survey/{number}">{fields}</form>')
            target = sizes[f"survey{number}"]
        else:
            head = f'<a href="/i/{token}/result">' if kind == "result" else "<form>"
            target = sizes[kind]
        body = head + " " * max(0, target - len(head.encode()))
        return Response(body, content_type="text/html; charset=utf-8")

    @app.get("/health")
    def health():
        return "ok"

    @app.get("/i/<token>")
    def landing(token: str):
        with engine.connect() as connection:
            connection.execute(text("SELECT used FROM floor_invitation WHERE token = :t"),
                               {"t": token}).one()
        return page("landing", token)

    @app.post("/i/<token>")
    def consent(token: str):
        with engine.begin() as connection:
            connection.execute(text("UPDATE floor_invitation SET used = true WHERE token = :t"),
                               {"t": token})
            connection.execute(text("INSERT INTO floor_attempt (token, page) VALUES (:t, 1)"),
                               {"t": token})
        return page("survey", token, 1)

    @app.post("/i/<token>/survey/<int:number>")
    def save(token: str, number: int):
        answers = [{"i": item, "v": int(request.form[item])} for item in items[number - 1]]
        with engine.begin() as connection:
            attempt = connection.execute(text(FIND), {"t": token}).scalar_one()
            connection.execute(text(CLAIM), {"a": attempt, "n": number})
            connection.execute(text(WRITE), [{"a": attempt, **answer} for answer in answers])
        return page("survey", token, number + 1) if number < PAGES else page("result", token)

    return app


# --- the real pages' sizes, so that the floor sends as many bytes -------------------------------

def real_pages(url: str, token: str) -> tuple[dict[str, int], list[list[str]]]:
    """Bytes of each page of the real survey-only path, and the fields each save posts."""
    from respondent import FIELD

    from survey import create_app
    from survey.config import normalise_database_url
    from survey.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
                      "SECRET_KEY": "bench"})
    sizes: dict[str, int] = {}
    items: list[list[str]] = []
    with app.app_context():
        client = app.test_client()
        sizes["landing"] = len(client.get(f"/i/{token}", follow_redirects=True).data)
        html = client.post(f"/i/{token}", data={"consent": "yes"}, follow_redirects=True).data
        for number in range(1, PAGES + 1):
            sizes[f"survey{number}"] = len(html)
            names = list(dict.fromkeys(name.decode() for name, _v in FIELD.findall(html)))
            items.append(names)
            reply = client.post(f"/i/{token}/survey/{number}",
                                data={**{name: "4" for name in names}, "action": "next"},
                                follow_redirects=True)
            html = reply.data
        sizes["result"] = len(html)
        db.engine.dispose()
    return sizes, items


def main() -> None:
    import psycopg
    from respondent import CpuMeter, drive, load_stack, prepare_database, print_summary, report

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--invitations", type=int, default=6000, help="links per run")
    args = parser.parse_args()

    # The real app measures its pages on a stack of its own, which is then stopped.
    with load_stack().Stack(nodes=1, workers=1, threads=1, consumer=False) as stack:
        sizes, items = real_pages(stack.database_url,
                                  prepare_database(stack.database_url, 1, True)[0])
    print("bytes per page of the real path:", ", ".join(f"{k} {v}" for k, v in sizes.items()))
    tokens = [f"floor{n:08d}" for n in range(args.invitations * len(args.clients))]
    env = {"FLOOR_SIZES": json.dumps(sizes), "FLOOR_ITEMS": json.dumps(items)}
    summary = []
    with load_stack().Stack(nodes=1, workers=args.workers, threads=args.threads, env=env,
                            app="bench.floor:create_floor_app()") as stack:
        with psycopg.connect(stack.database_url, autocommit=True) as connection:
            connection.execute(SCHEMA)
            with connection.cursor().copy("COPY floor_invitation (token) FROM STDIN") as copy:
                for token in tokens:
                    copy.write_row((token,))
        meter = CpuMeter.of(stack)
        statements = [" ".join(statement.split()[:2]) for statement in (FIND, CLAIM, WRITE)]
        for clients in args.clients:
            batch = [tokens.pop() for _ in range(args.invitations)]
            load_before = os.getloadavg()[0]
            stats, elapsed, cpu = asyncio.run(drive(
                stack.nginx_port, batch, clients, args.warmup, args.seconds, 100_000, 0.0,
                True, meter, True))
            shape = f"1 node(s) × gthread {args.workers}×{args.threads}, keep-alive"
            summary.append(report(stats, elapsed, clients, shape,
                                  0.0, statements, load_before, cpu, "floor (minimal app)"))
        # The floor must do the work it stands for: every acknowledged answer is in the table.
        with psycopg.connect(stack.database_url) as connection:
            finished, short = connection.execute(
                "SELECT count(*), count(*) FILTER (WHERE n <> %s) FROM (SELECT a.id, "
                "count(f.item) AS n FROM floor_attempt a LEFT JOIN floor_answer f "
                "ON f.attempt_id = a.id WHERE a.page > %s GROUP BY a.id) AS done",
                (sum(len(page) for page in items), PAGES)).fetchone()
        print(f"\nfinished responses in the database: {finished}, of which with an answer "
              f"missing: {short}")
        if short:
            raise SystemExit("the floor lost answers; its figures mean nothing")
    print_summary("floor: minimal app, survey-only path", summary)


if __name__ == "__main__":
    main()
