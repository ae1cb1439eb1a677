"""The FastAPI baseline: a bare hello-world app with only ``/healthz``.

Served exactly like the generated app (``uvicorn bare_fastapi:app``) so the ratio shows
what the generated project's middleware and settings cost, not the server's.
"""

from fastapi import FastAPI

app = FastAPI()


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}
