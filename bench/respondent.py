"""Load benchmark of the respondent path on the production recipe (deploy/stack.py: nginx in
front of gunicorn, PostgreSQL with its default durability, Redis, the job consumer), concurrent
respondents on loopback, each going landing → consent → survey pages (→ test pages) → the end.

    .venv/bin/python bench/respondent.py [--clients 10 50] [--think 0 0.1] [--survey-only]

Loads the real questionnaires, creates a campaign (survey-only: the 40 statements of
``digital_culture`` on 5 pages; otherwise survey and test) and invitations, and drives nginx
with asyncio clients for a bounded time and number of requests, once per number of clients and
think time. Prints requests/s, completed responses/s, latency percentiles per kind of request,
errors, CPU time per request, and the SQL statements one page save sends. Traffic never leaves
127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import sys
import time
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIELD = re.compile(rb'name="(q\d+)" value="([^"]+)"')
ACTION = re.compile(rb'<form method="post" id="page-form" action="([^"]+)"')
PROGRESS = re.compile(rb'<progress class="progress" max="(\d+)" value="(\d+)"')
HOST = "127.0.0.1"


# --- setting up the database -----------------------------------------------------------------

def prepare_database(url: str, invitations: int, survey_only: bool) -> list[str]:
    """A fresh schema with the real questionnaires, one open campaign, and invitation tokens."""

    from survey import create_app
    from survey.campaigns.invitations import create_invitation
    from survey.config import normalise_database_url
    from survey.extensions import db
    from survey.models import Campaign, Organisation, RoleProfile, Unit
    from survey.models._types import utcnow
    from survey.questionnaires.loader import latest_version, load_folder

    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
                      "SECRET_KEY": "bench"})
    with app.app_context():
        load_folder(ROOT / "questionnaires")
        org = Organisation(code="bench", name_kk="Бенч органы", name_ru="Орган", name_en="Body",
                           governance_level="republican", sector="digital_development")
        unit = Unit(organisation=org, code="u1", name_kk="Бөлім", name_ru="Отдел",
                    name_en="Unit")
        role = db.session.scalars(db.select(RoleProfile).order_by(RoleProfile.position)).first()
        now = utcnow()
        campaign = Campaign(
            code="bench", title_kk="Сауалнама кезеңі", title_ru="Волна опроса",
            title_en="Survey wave", status="open", opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=7), anonymous=True, test_time_limit_minutes=45,
            survey_version=latest_version("digital_culture"),
            test_version=None if survey_only else latest_version("digital_skills"),
            organisations=[org],
        )
        db.session.add_all([org, unit, campaign])
        db.session.flush()
        tokens = [create_invitation(campaign, organisation_id=org.id, unit_id=unit.id,
                                    position_category_id=role.id).token
                  for _ in range(invitations)]
        db.session.commit()
        db.engine.dispose()
    return tokens


def statements_per_save(url: str, token: str) -> list[str]:
    """The SQL statements one survey page save sends (counted in-process on a spare link)."""
    from sqlalchemy import event

    from survey import create_app
    from survey.config import normalise_database_url
    from survey.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(url),
                      "SECRET_KEY": "bench"})
    seen: list[str] = []
    with app.app_context():
        client = app.test_client()
        client.post(f"/i/{token}", data={"consent": "yes"})
        html = client.get(f"/i/{token}/survey/1").data
        form = {name.decode(): "4" for name, _value in FIELD.findall(html)}
        event.listen(db.engine, "before_cursor_execute",
                     lambda _c, _cu, statement, *_a: seen.append(" ".join(statement.split()[:2])))
        client.post(f"/i/{token}/survey/1", data=form)
        db.engine.dispose()
    return seen


# --- the server --------------------------------------------------------------------------------

def load_stack():
    """deploy/stack.py: the production recipe, the same one the tests run."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("stack", ROOT / "deploy" / "stack.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- CPU time, independent of what else the machine is doing ----------------------------------

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process so far (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def gunicorn_workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []


def database_backends(url: str) -> list[int]:
    """The PostgreSQL server processes serving this database (the app's pooled connections)."""
    import psycopg

    with psycopg.connect(url) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        ).fetchall()
    return [pid for (pid,) in rows]


class CpuMeter:
    """CPU seconds spent by the app's workers, nginx, the database backends, Redis and the load
    generator."""

    def __init__(self, masters: list[int], nginx: int, redis: int, url: str) -> None:
        self.masters, self.nginx, self.redis, self.url = masters, nginx, redis, url

    def snapshot(self) -> dict[str, dict[int, float]]:
        return {
            "app": {pid: cpu_seconds(pid) for master in self.masters
                    for pid in gunicorn_workers(master)},
            "nginx": {pid: cpu_seconds(pid) for pid in gunicorn_workers(self.nginx)},
            "redis": {self.redis: cpu_seconds(self.redis)},
            "database": {pid: cpu_seconds(pid) for pid in database_backends(self.url)},
            "load generator": {os.getpid(): sum(os.times()[:2])},
        }

    @classmethod
    def of(cls, stack) -> CpuMeter:
        """The meter of a running deploy/stack.py stack."""
        redis = next(p.pid for p in stack.processes if "redis-server" in p.args[0])
        nginx = next(p.pid for p in stack.processes if p.args[0].endswith("nginx"))
        return cls([g.pid for g in stack.gunicorns], nginx, redis, stack.database_url)

    @staticmethod
    def spent(before: dict, after: dict) -> dict[str, float]:
        return {part: sum(after[part][pid] - before[part].get(pid, 0.0) for pid in after[part])
                for part in after}


# --- the load ------------------------------------------------------------------------------------

class Stats:
    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.completed = 0
        self.recording = False


class Connection:
    """One client's HTTP/1.1 connection to the server, reopened when it closes.

    Kept alive by default, as browsers (and nginx with an upstream ``keepalive``) do: a page then
    does not pay for a new TCP connection. ``--no-keep-alive`` closes it after each request."""

    def __init__(self, port: int, keep_alive: bool) -> None:
        self.port = port
        self.keep_alive = keep_alive
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, dict, bytes]:
        for attempt in (1, 2):
            if self.writer is None:
                self.reader, self.writer = await asyncio.open_connection(HOST, self.port)
            try:
                return await self._exchange(method, path, body)
            except (ConnectionError, asyncio.IncompleteReadError):
                self.close()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    async def _exchange(self, method: str, path: str, body: bytes) -> tuple[int, dict, bytes]:
        head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}:{self.port}\r\nAccept-Language: kk\r\n"
        if not self.keep_alive:
            head += "Connection: close\r\n"
        if method == "POST":
            head += ("Content-Type: application/x-www-form-urlencoded\r\n"
                     f"Content-Length: {len(body)}\r\n")
        self.writer.write(head.encode() + b"\r\n" + body)
        header = await self.reader.readuntil(b"\r\n\r\n")
        lines = header[:-4].split(b"\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            key, _, value = line.partition(b":")
            headers[key.strip().lower().decode()] = value.strip().decode()
        content = await self.reader.readexactly(int(headers.get("content-length", 0)))
        if not self.keep_alive or headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, content

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def form_body(html: bytes, survey: bool) -> bytes:
    chosen: dict[bytes, bytes] = {}
    for name, value in FIELD.findall(html):
        chosen.setdefault(name, value)
    pairs = [name + b"=" + (b"4" if survey else value) for name, value in chosen.items()]
    return b"&".join(pairs + [b"action=next"])


async def respondent(port: int, tokens: list[str], stats: Stats, stop_at: float,
                     budget: list[int], think: float, keep_alive: bool,
                     survey_only: bool) -> None:
    """One simulated person after another, each through the whole path, until time is up."""

    connection = Connection(port, keep_alive)

    async def call(kind: str, method: str, path: str, body: bytes = b""):
        if time.monotonic() >= stop_at or budget[0] <= 0:
            raise TimeoutError
        budget[0] -= 1
        started = time.perf_counter()
        try:
            status, headers, content = await connection.request(method, path, body)
        except OSError:
            status, headers, content = 0, {}, b""
        elapsed = time.perf_counter() - started
        if stats.recording:
            stats.latencies[kind].append(elapsed)
            if status not in (200, 302):
                stats.errors[kind] += 1
        if think:
            # Jittered, so that the clients drift apart instead of moving in lockstep.
            await asyncio.sleep(think * random.uniform(0.5, 1.5))
        return status, headers, content

    async def answer_pages(marker: str, survey: bool, status: int, headers: dict,
                           content: bytes) -> str | None:
        """Answer pages while the path stays in ``marker``, as a form-filling client would:
        a 200 answer to a POST is the next page itself (its form names its address), a
        redirect is followed. Returns the first address outside ``marker``, or None when the
        last save answered with the result page itself."""
        while True:
            address = ACTION.search(content) if status == 200 else None
            if status == 200 and address is None and b'/result">' in content:
                return None
            if address and marker in address.group(1).decode():
                path, html = address.group(1).decode(), content
            else:
                path = headers.get("location", "")
                if marker not in path or path.endswith("/review"):
                    return path
                _s, _h, html = await call("GET page", "GET", path)
            progress = PROGRESS.search(html)
            last = progress is not None and int(progress.group(2)) == int(progress.group(1)) - 1
            kind = "POST last survey save" if survey and last else "POST page save"
            status, headers, content = await call(kind, "POST", path,
                                                  form_body(html, survey=survey))

    try:
        while tokens:
            token = tokens.pop()
            base = f"/i/{token}"
            await call("GET landing", "GET", base)
            reply = await call("POST consent", "POST", base, b"consent=yes")
            location = await answer_pages("/survey/", True, *reply)
            if not survey_only:
                reply = await call("POST test start", "POST", f"{base}/test")
                review = await answer_pages("/test/", False, *reply)
                await call("GET review", "GET", review)
                _s, headers, _c = await call("POST finish", "POST", f"{base}/finish")
                location = headers.get("location", "")
            status = 200
            if location is not None:
                status, _h, _c = await call("GET end", "GET", location)
            if stats.recording and status == 200:
                stats.completed += 1
    except TimeoutError:
        return
    finally:
        connection.close()


async def drive(port: int, tokens: list[str], clients: int, warmup: float, seconds: float,
                max_requests: int, think: float, keep_alive: bool,
                meter: CpuMeter, survey_only: bool) -> tuple[Stats, float, dict]:
    stats = Stats()
    stop_at = time.monotonic() + warmup + seconds
    budget = [max_requests]
    tasks = [
        asyncio.create_task(respondent(port, tokens, stats, stop_at, budget, think, keep_alive,
                                       survey_only))
        for _ in range(clients)
    ]
    await asyncio.sleep(warmup)
    stats.recording = True
    before = meter.snapshot()
    began = time.monotonic()
    await asyncio.gather(*tasks)
    elapsed = time.monotonic() - began
    return stats, elapsed, CpuMeter.spent(before, meter.snapshot())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def report(stats: Stats, elapsed: float, clients: int, workers: str, think: float,
           statements: list[str], load_before: float, cpu: dict[str, float],
           path: str) -> dict:
    every = [v for values in stats.latencies.values() for v in values]
    total = len(every)
    errors = sum(stats.errors.values())
    print(f"\n{path}: {clients} concurrent clients, nginx → gunicorn {workers} workers×threads, "
          f"durable PostgreSQL, Redis, think time {think * 1000:.0f} ms, {elapsed:.1f} s "
          f"measured, {os.cpu_count()} cores, load average before the run {load_before:.2f}")
    print(f"requests/s: {total / elapsed:.0f}   completed responses/s: "
          f"{stats.completed / elapsed:.2f}   requests: {total}   errors: {errors}   "
          f"requests per completed response: {total / max(stats.completed, 1):.1f}")
    print(f"{'request':<22}{'count':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind in sorted(stats.latencies):
        values = stats.latencies[kind]
        print(f"{kind:<22}{len(values):>8}{percentile(values, .5):>9.1f}"
              f"{percentile(values, .95):>9.1f}{percentile(values, .99):>9.1f}")
    if every:
        print(f"{'all':<22}{total:>8}{percentile(every, .5):>9.1f}"
              f"{percentile(every, .95):>9.1f}{percentile(every, .99):>9.1f}")
    if total:
        parts = ", ".join(f"{part} {seconds / total * 1000:.2f} ms" for part, seconds in cpu.items())
        per_request = sum(cpu.values()) / total
        print(f"CPU per request: {parts}; all {per_request * 1000:.2f} ms, so "
              f"{os.cpu_count()} otherwise idle cores serve at most "
              f"{os.cpu_count() / per_request:.0f} requests/s")
    work = [s for s in statements if s.split()[0] not in ("BEGIN", "COMMIT", "ROLLBACK")]
    print(f"SQL statements per page save: {len(work)} in one transaction "
          f"({'; '.join(work)})")
    return {"clients": clients, "think": think, "rps": total / elapsed,
            "completed": stats.completed / elapsed, "errors": errors,
            "p50": percentile(every, .5) if every else 0, "p95": percentile(every, .95) if every
            else 0, "p99": percentile(every, .99) if every else 0,
            "cpu": sum(cpu.values()) / total * 1000 if total else 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--think", type=float, nargs="+", default=[0.0, 1.0],
                        help="mean pause of each client after each response, in seconds "
                             "(0 = as fast as the server answers)")
    parser.add_argument("--survey-only", action=argparse.BooleanOptionalAction, default=True,
                        help="a survey-only campaign (else survey and test)")
    parser.add_argument("--nodes", type=int, default=1)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20.0, help="measured time per run")
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--max-requests", type=int, default=100_000)
    parser.add_argument("--invitations", type=int, default=4000, help="links per run")
    parser.add_argument("--keep-alive", action=argparse.BooleanOptionalAction, default=True,
                        help="keep each client's connection open between requests")
    args = parser.parse_args()
    path = "survey-only path" if args.survey_only else "survey + test path"
    runs = [(c, t) for t in args.think for c in args.clients]
    summary = []
    with load_stack().Stack(nodes=args.nodes, workers=args.workers, threads=args.threads) as stack:
        url = stack.database_url
        tokens = prepare_database(url, args.invitations * len(runs) + 1, args.survey_only)
        statements = statements_per_save(url, tokens.pop())
        port = stack.nginx_port
        meter = CpuMeter.of(stack)
        for clients, think in runs:
            batch = [tokens.pop() for _ in range(args.invitations)]
            load_before = os.getloadavg()[0]
            stats, elapsed, cpu = asyncio.run(
                drive(port, batch, clients, args.warmup, args.seconds, args.max_requests,
                      think, args.keep_alive, meter, args.survey_only))
            summary.append(report(
                stats, elapsed, clients, f"{args.nodes} node(s) × gthread {args.workers}×"
                f"{args.threads}{', keep-alive' if args.keep_alive else ''}", think, statements,
                load_before, cpu, path))
    print_summary(path, summary)


def print_summary(path: str, summary: list[dict]) -> None:
    """One line per run, as the README quotes them."""
    print(f"\nsummary ({path}; load average now {os.getloadavg()[0]:.2f}):")
    print(f"{'clients':>8}{'think s':>9}{'req/s':>8}{'done/s':>8}{'p50 ms':>8}{'p95 ms':>8}"
          f"{'p99 ms':>8}{'errors':>8}{'CPU ms/req':>11}")
    for row in summary:
        print(f"{row['clients']:>8}{row['think']:>9.1f}{row['rps']:>8.0f}{row['completed']:>8.2f}"
              f"{row['p50']:>8.1f}{row['p95']:>8.1f}{row['p99']:>8.1f}{row['errors']:>8}"
              f"{row['cpu']:>11.2f}")


if __name__ == "__main__":
    main()
