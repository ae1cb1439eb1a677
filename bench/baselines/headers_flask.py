"""The Flask baseline with the generated app's response headers and nothing else.

The bare app (``bare_flask``) plus one WSGI wrapper that adds to every response what the
generated app adds to a JSON one served over HTTP: a fresh ``X-Request-ID`` and three
security headers. Against the bare app it shows what sending those headers costs alone (the
server writes every header), a floor under the generated app's ratio.
"""

import os

from flask import Flask

SECURITY_HEADERS = [
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
]


def with_headers(app):
    def wrapped(environ, start_response):
        request_id = ("X-Request-ID", os.urandom(16).hex())

        def start(status, headers, exc_info=None):
            headers.extend([request_id, *SECURITY_HEADERS])
            return start_response(status, headers, exc_info)

        return app(environ, start)

    return wrapped


def create_app() -> Flask:
    app = Flask(__name__)
    app.wsgi_app = with_headers(app.wsgi_app)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
