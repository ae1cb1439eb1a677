"""Gunicorn settings: ``gunicorn 'PACKAGE:create_app()'`` reads this file automatically.

Every value can be overridden with an environment variable (``GUNICORN_*``) or a flag.
"""

import multiprocessing
import os
from pathlib import Path

# The package lives in src/; this lets gunicorn import it without installing the project.
pythonpath = str(Path(__file__).resolve().parent / "src")


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


# All interfaces: inside a container the port is only reachable where it is published.
bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{_int('PORT', 8000)}"
# Threads share a process, so a worker waiting on I/O does not block the others (never eventlet).
worker_class = "gthread"
workers = _int("GUNICORN_WORKERS", min(2 * multiprocessing.cpu_count() + 1, 8))
threads = _int("GUNICORN_THREADS", 4)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 20)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so a slow leak cannot grow forever; jitter avoids all at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)
accesslog = "-"
# The path without its query string (which may carry tokens), and the response's request id.
access_log_format = '%(h)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s" %({x-request-id}o)s'
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL") or "info"
# Headers such as X-Forwarded-For are trusted only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1"
