"""gunicorn's settings for the portal, read from the project's directory: `gunicorn portal.wsgi`.

Sync workers, as many as the machine serves well (2 per core, plus one) unless WEB_CONCURRENCY
says otherwise; each worker is replaced after MAX_REQUESTS requests, so memory cannot creep.
No access log: the proxy in front keeps one, with the status tokens redacted (README)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
timeout = 30
graceful_timeout = 30
max_requests = 1000
max_requests_jitter = 100
# gunicorn 27 otherwise shares one control socket between every instance on the host.
control_socket_disable = True
accesslog = None
