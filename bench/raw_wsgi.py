"""The raw WSGI app that `bench/production.py` measures the portal against: it answers each
path with the status, headers and body the portal gave for it, captured in the JSON file that
RAW_RESPONSES names, and does nothing else. `gunicorn bench.raw_wsgi:application`."""

import json
import os

with open(os.environ["RAW_RESPONSES"], encoding="utf-8") as captured:
    RESPONSES = {
        path: (status, [tuple(header) for header in headers], body.encode("latin-1"))
        for path, (status, headers, body) in json.load(captured).items()
    }
NOT_FOUND = ("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "0")], b"")


def application(environ, start_response):
    status, headers, body = RESPONSES.get(environ["PATH_INFO"], NOT_FOUND)
    start_response(status, headers)
    return [body]
