"""The production recipe on one machine's loopback: PostgreSQL with its default durability,
Redis, N gunicorn app nodes, the Huey consumer and nginx in front — what the README's
"Production" section describes, started by one call so that the tests and the benchmark run
exactly it.

    python deploy/stack.py up [--nodes 2]     # start, print the address, stop on Ctrl-C

From Python: ``with Stack(workdir, nodes=2) as stack: ...`` (``stack.url`` is nginx,
``stack.node_urls[i]`` reaches node i alone through nginx, ``stack.flask(...)`` runs a command
against the stack's database). Everything listens on 127.0.0.1 and is removed on exit."""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise SystemExit("PostgreSQL is not installed (.ci/system-deps installs it)")
    return found[-1]


def _binary(name: str, *candidates: str) -> str:
    for path in (shutil.which(name), *candidates):
        if path and os.path.exists(path):
            return path
    raise SystemExit(f"{name} is not installed (.ci/system-deps installs it)")


class Stack:
    """PostgreSQL, Redis, ``nodes`` gunicorn nodes, the consumer and nginx, on loopback."""

    def __init__(self, workdir: Path | None = None, nodes: int = 2, workers: int = 1,
                 threads: int = 4, consumer: bool = True, env: dict[str, str] | None = None,
                 app: str = "survey:create_app()"):
        self.app = app  # what gunicorn serves; bench/floor.py puts a minimal app in its place
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="qabilet-stack."))
        self.nodes, self.workers, self.threads, self.with_consumer = nodes, workers, threads, consumer
        self.extra_env = env or {}
        self.processes: list[subprocess.Popen] = []
        self.pg_port, self.redis_port, self.nginx_port = free_port(), free_port(), free_port()
        self.node_ports = [free_port() for _ in range(nodes)]
        self.direct_ports = [free_port() for _ in range(nodes)]  # nginx → one node only
        self.database_url = f"postgresql://postgres@{HOST}:{self.pg_port}/qabilet"
        self.redis_url = f"redis://{HOST}:{self.redis_port}/0"
        self.url = f"http://{HOST}:{self.nginx_port}"
        self.node_urls = [f"http://{HOST}:{p}" for p in self.direct_ports]
        self.as_owner: list[str] = []
        self.consumer: subprocess.Popen | None = None
        self.gunicorns: list[subprocess.Popen] = []

    # --- the environment every app process gets -------------------------------------------
    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("QABILET_")}
        env.update({
            "DATABASE_URL": self.database_url, "REDIS_URL": self.redis_url,
            "SECRET_KEY": "stack-secret-" + str(self.pg_port), "PYTHONPATH": str(ROOT),
            "QABILET_TRUSTED_PROXIES": "1", "QABILET_PUBLIC_BASE_URL": self.url,
            # Plain HTTP on loopback: a Secure cookie would never come back.
            "QABILET_SESSION_COOKIE_SECURE": "false",
            "QABILET_JOBS_IMMEDIATE": "0", "QABILET_LOG_LEVEL": "warning",
            "WEB_CONCURRENCY": str(self.workers), "QABILET_THREADS": str(self.threads),
        })
        env.update(self.extra_env)
        return env

    def flask(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """Run ``flask --app survey ARGS`` against the stack."""
        return subprocess.run([sys.executable, "-m", "flask", "--app", "survey", *args],
                              env=self.env, cwd=ROOT, capture_output=True, text=True,
                              check=check, timeout=300)

    # --- starting --------------------------------------------------------------------------
    def __enter__(self) -> Stack:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        self._postgres()
        self._redis()
        upgrade = subprocess.Popen([sys.executable, "-m", "flask", "--app", "survey", "db",
                                    "upgrade"], env=self.env, cwd=ROOT,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for port in self.node_ports:
            self.gunicorns.append(self._spawn(
                [_binary("gunicorn", str(Path(sys.executable).with_name("gunicorn"))),
                 "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "--bind", f"{HOST}:{port}",
                 self.app], f"node-{port}", stop_signal=signal.SIGQUIT))
        self._nginx()
        output, _ = upgrade.communicate(timeout=300)
        if upgrade.returncode:
            raise SystemExit(f"flask db upgrade failed:\n{output.decode()}")
        if self.with_consumer:  # once the tables exist
            self.start_consumer()
        for url in [self.url, *self.node_urls]:
            self._wait(f"{url}/health")

    def _spawn(self, command: list[str], name: str, env: dict | None = None,
               stop_signal: int = signal.SIGTERM) -> subprocess.Popen:
        with open(self.workdir / f"{name}.log", "ab") as log:  # the child keeps its own copy
            process = subprocess.Popen(command, env=env or self.env, cwd=ROOT, stdout=log,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        process.stop_signal = stop_signal  # type: ignore[attr-defined]
        self.processes.append(process)
        return process

    def start_consumer(self) -> subprocess.Popen:
        self.consumer = self._spawn([sys.executable, "-m", "flask", "--app", "survey", "jobs",
                                     "consume", "--workers", "2"], "consumer")
        return self.consumer

    def kill_consumer(self) -> None:
        """Stop the consumer as a crash would (SIGKILL), mid-task."""
        if self.consumer is not None:
            os.killpg(self.consumer.pid, signal.SIGKILL)
            self.consumer.wait()
            self.consumer = None

    def _postgres(self) -> None:
        data = self.workdir / "pg"
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            if subprocess.run(["id", "postgres"], capture_output=True).returncode:
                subprocess.run(["useradd", "--system", "postgres"], check=True)
            os.chmod(self.workdir, 0o755)
            data.mkdir()
            shutil.chown(data, "postgres")
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        subprocess.run([*self.as_owner, _pg_bin("initdb"), "-D", str(data), "-U", "postgres",
                        "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"],
                       check=True, capture_output=True)
        # Stock durability: fsync, synchronous_commit and full_page_writes stay on.
        subprocess.run([*self.as_owner, _pg_bin("pg_ctl"), "-D", str(data), "-l",
                        str(data / "server.log"), "-w", "start", "-o",
                        f"-c listen_addresses={HOST} -c port={self.pg_port} "
                        f"-c unix_socket_directories={data} -c max_connections=200"],
                       check=True, capture_output=True)
        subprocess.run([_pg_bin("createdb"), "-h", HOST, "-p", str(self.pg_port), "-U",
                        "postgres", "qabilet"], check=True, capture_output=True)

    def _redis(self) -> None:
        self._spawn([_binary("redis-server", "/usr/bin/redis-server"), "--bind", HOST,
                     "--port", str(self.redis_port), "--dir", str(self.workdir),
                     "--appendonly", "yes", "--appendfsync", "everysec", "--save", ""],
                    "redis")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((HOST, self.redis_port), timeout=1) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("redis-server did not answer")

    def _nginx(self) -> None:
        template = "\n".join(line for line in
                             (ROOT / "deploy" / "nginx-site.conf").read_text().splitlines()
                             if not line.lstrip().startswith("#"))

        def site(name: str, listen: int, ports: list[int]) -> str:
            upstreams = "\n".join(f"    server {HOST}:{p};" for p in ports)
            return (template.replace("{name}", name).replace("{upstreams}", upstreams)
                    .replace("{listen}", f"{HOST}:{listen}").replace("{server_name}", HOST)
                    .replace("{static}", str(ROOT / "survey" / "static")))

        sites = [site("qabilet", self.nginx_port, self.node_ports)]
        sites += [site(f"node{i}", port, [self.node_ports[i]])
                  for i, port in enumerate(self.direct_ports)]
        user = "user root;\n" if os.geteuid() == 0 else ""
        temp = self.workdir / "nginx-temp"
        temp.mkdir(exist_ok=True)
        config = self.workdir / "nginx.conf"
        config.write_text(
            f"{user}worker_processes 1;\npid {self.workdir}/nginx.pid;\n"
            f"error_log {self.workdir}/nginx-error.log warn;\n"
            "events { worker_connections 4096; }\n"
            "http {\n  include /etc/nginx/mime.types;\n  access_log off;\n"
            f"  client_body_temp_path {temp}/body;\n  proxy_temp_path {temp}/proxy;\n"
            f"  fastcgi_temp_path {temp}/fastcgi;\n  uwsgi_temp_path {temp}/uwsgi;\n"
            f"  scgi_temp_path {temp}/scgi;\n" + "\n".join(sites) + "\n}\n")
        self._spawn([_binary("nginx", "/usr/sbin/nginx"), "-p", str(self.workdir), "-c",
                     str(config), "-g", "daemon off;"], "nginx")

    def _wait(self, url: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        logs = "\n".join(f"--- {p.name}\n{p.read_text()[-2000:]}"
                         for p in self.workdir.glob("*.log"))
        raise SystemExit(f"{url} did not answer within {seconds:.0f} s\n{logs}")

    # --- stopping --------------------------------------------------------------------------
    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                try:
                    os.killpg(process.pid, process.stop_signal)  # type: ignore[attr-defined]
                except ProcessLookupError:
                    continue
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()
        data = self.workdir / "pg"
        if (data / "postmaster.pid").exists():
            subprocess.run([*self.as_owner, _pg_bin("pg_ctl"), "-D", str(data), "-m",
                            "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(self.workdir, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["up"])
    parser.add_argument("--nodes", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers per node")
    args = parser.parse_args()
    with Stack(nodes=args.nodes, workers=args.workers) as stack:
        print(f"nginx: {stack.url}  nodes: {' '.join(stack.node_urls)}  "
              f"database: {stack.database_url}  redis: {stack.redis_url}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()


if __name__ == "__main__":
    main()
