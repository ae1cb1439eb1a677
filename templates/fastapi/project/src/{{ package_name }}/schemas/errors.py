"""The JSON body of error responses (FastAPI's shape: `{"detail": "..."}`)."""

from __future__ import annotations

from pydantic import BaseModel


class Detail(BaseModel):
    detail: str
