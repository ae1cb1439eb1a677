"""The Flask baseline: a bare hello-world app with only ``/healthz``.

Served exactly like the generated app (``gunicorn 'bare_flask:create_app()'``, same config
file, workers and threads) so the ratio shows what the generated project itself costs.
"""

from flask import Flask


def create_app() -> Flask:
    app = Flask(__name__)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
