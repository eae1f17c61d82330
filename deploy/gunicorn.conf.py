"""gunicorn settings of the production recipe (README, "Production"): threaded workers behind
nginx, which keeps its upstream connections alive and buffers slow clients.

    gunicorn -c deploy/gunicorn.conf.py 'survey:create_app()'

WEB_CONCURRENCY worker processes (default 3) × QABILET_THREADS threads (default 4), bound to
QABILET_BIND (default 127.0.0.1:8000). More than one worker process needs REDIS_URL: without
it the cache and the login limits live in each process, which would disagree. An access log
only when QABILET_ACCESS_LOG names one ("-": standard output), with invitation tokens redacted."""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # one request, one core (README, Production)

bind = os.environ.get("QABILET_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "gthread"
threads = int(os.environ.get("QABILET_THREADS", "4"))
keepalive = 30  # nginx keeps idle upstream connections open; do not close them under it
backlog = 2048
reuse_port = True  # one listening socket per worker: the kernel spreads connections evenly
forwarded_allow_ips = "127.0.0.1"
loglevel = os.environ.get("QABILET_LOG_LEVEL", "warning")
logger_class = "survey.security.RedactingGunicornLogger"
accesslog = os.environ.get("QABILET_ACCESS_LOG") or None
control_socket_disable = True  # several nodes on one machine would share ~/.gunicorn


def on_starting(server):
    if server.cfg.workers > 1 and not os.environ.get("REDIS_URL"):
        raise SystemExit(
            "REDIS_URL is not set: the cache and the login limits would live in each "
            "worker process separately. Set REDIS_URL, or run a single worker (WEB_CONCURRENCY=1).")
