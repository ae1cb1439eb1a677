"""Health and readiness responses."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class Health(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: Literal["ok", "unavailable"]
    # One entry per dependency: "ok" or a short reason.
    checks: dict[str, str]
