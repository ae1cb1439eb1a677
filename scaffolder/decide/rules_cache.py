"""A cache of validated rules files, keyed by their content.

Parsing YAML and compiling the schema cost more than everything else
``fwpick recommend`` does, so a file that already passed validation is read back
as JSON. The key includes fwpick's version, because the schema may change with it.
Any cache problem just means a cache miss.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from scaffolder import __version__


def _cache_dir() -> Path | None:
    if os.environ.get("FWPICK_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or (Path.home() / ".cache")
    return Path(base) / "fwpick" / "rules"


def _entry(raw_bytes: bytes) -> Path | None:
    directory = _cache_dir()
    if directory is None:
        return None
    digest = hashlib.sha256(__version__.encode() + b"\0" + raw_bytes).hexdigest()
    return directory / f"{digest}.json"


def get(raw_bytes: bytes) -> dict[str, Any] | None:
    entry = _entry(raw_bytes)
    if entry is None:
        return None
    try:
        data = json.loads(entry.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def put(raw_bytes: bytes, data: dict[str, Any]) -> None:
    entry = _entry(raw_bytes)
    if entry is None:
        return
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # only a cache miss writes

        # Write then rename, so a concurrent reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
        Path(tmp).replace(entry)
    except OSError:
        return
