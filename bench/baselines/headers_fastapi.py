"""The FastAPI baseline with the generated app's response headers and nothing else.

The bare app (``bare_fastapi``) plus one pure ASGI middleware that adds to every response
what the generated app adds to a JSON one served over HTTP: a fresh ``X-Request-ID`` and
three security headers. Against the bare app it shows what sending those headers costs
alone (the server writes and checks every header), a floor under the generated app's ratio.
"""

import os

from fastapi import FastAPI

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
]


class ResponseHeaders:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        request_id = (b"x-request-id", os.urandom(16).hex().encode())

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), request_id, *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


app = FastAPI()
app.add_middleware(ResponseHeaders)


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}
