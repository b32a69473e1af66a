"""Gunicorn settings for the production image (docker-compose.yml's web service).

Each value can be changed from the environment without rebuilding the image.
PDFs are rendered by the Celery worker, never in a web request, so a short timeout is safe.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Four workers per CPU plus one, capped so a large host does not open more PostgreSQL connections
# than a small portal needs. gunicorn's own advice is two per CPU plus one, but a worker here spends a
# third of its time waiting for PostgreSQL and Redis, or for a public page another worker is making
# (compact_portal/pagecache.py), and serves nobody meanwhile. With five on two cores, a 3 ms page
# queued behind the 200 ms ones; with nine, the kernel shares the cores between more of them: at
# 120 requests a second, median 26 -> 7 ms and p95 130 -> 67 ms; at 160, 66 -> 22 ms and
# 210 -> 130 ms (make load, 5 December 2026; docs/benchmarks.md).
workers = int(os.environ.get("GUNICORN_WORKERS", min(multiprocessing.cpu_count() * 4 + 1, 16)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# A worker is replaced after this many requests (a guard against a slow leak). Each new worker loads
# the portal again and compiles its templates on its first pages: about a second of CPU. At 1,000,
# five workers serving 110 requests a second were replaced every 9 s between them, a tenth of a
# core under load (make load, 5 December 2026); at 10,000, every 90 s.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "1000"))
# Heartbeat files in memory, not on the container's overlay filesystem.
worker_tmp_dir = "/dev/shm"  # noqa: S108
accesslog = "-"
# Apache's combined log, as gunicorn writes by default, with the milliseconds the worker spent on
# the request at the end: make load reads them to tell the time a page took in a worker from the
# time it waited for one (benchmarks/load/driver.py, ``server_times``).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)s'
# The secrets some addresses carry (an invitation, a calendar feed, a password reset, the council
# sign-in's callback) are not written (compact_portal/redaction.py).
logger_class = "compact_portal.accesslog.AccessLogger"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The TLS-terminating proxy in front sets X-Forwarded-Proto; trust it only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")


def post_worker_init(worker):
    """Each worker, once it has loaded the portal: its start-up objects frozen out of the garbage
    collector's walks (compact_portal/startup.py)."""
    from compact_portal.startup import web_worker_ready

    web_worker_ready()
