"""Merge the user's ``.env`` by key, byte-faithfully.

``.env`` holds the project's secrets and is git-ignored, so nothing can restore it: a
merge changes only lines fwpick owns and the user left alone. The old render is made
with marker secrets, so a value that differs from it only by the project's secret
still counts as untouched, and the project's secrets are read back to render the new
values consistently (``POSTGRES_PASSWORD`` and ``DATABASE_URL`` share one password).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Marker secrets for the old render: token_urlsafe characters, so URL-encoding keeps them.
MARKERS = {"secret_key": "FWPICKxSECRETxKEYx7q", "db_password": "FWPICKxDBxPASSWORDx7q"}
_TOKEN = r"[A-Za-z0-9_\-]+"
ADDED_HEADER = "# Added by fwpick update"


@dataclass
class EnvMerge:
    content: bytes
    # Keys the user changed that the new answers want changed or gone: kept, to review.
    attention: list[str] = field(default_factory=list)


def decode(raw: bytes) -> str:
    # surrogateescape keeps any non-UTF-8 byte exactly as it was.
    return raw.decode("utf-8", errors="surrogateescape")


def encode(text: str) -> bytes:
    return text.encode("utf-8", errors="surrogateescape")


def _key(line: str) -> str | None:
    stripped = line.strip()
    if not stripped or stripped.startswith("#") or "=" not in stripped:
        return None
    key = stripped.split("=", 1)[0].strip()
    return key.removeprefix("export ").strip() or None


def parse(text: str) -> dict[str, str]:
    values = {}
    for line in text.splitlines():
        key = _key(line)
        if key is not None:
            values[key] = line.split("=", 1)[1].strip()
    return values


def _pattern(value: str) -> re.Pattern[str]:
    """A base value with marker secrets as wildcards (the same secret each time)."""
    out, seen = "", set()
    for part in re.split(f"({'|'.join(MARKERS.values())})", value):
        name = next((k for k, v in MARKERS.items() if v == part), None)
        if name is None:
            out += re.escape(part)
        elif name in seen:
            out += f"(?P={name})"
        else:
            out += f"(?P<{name}>{_TOKEN})"
            seen.add(name)
    return re.compile(out)


def project_secrets(ours: bytes, base_env: str) -> dict[str, str]:
    """The project's own secrets, read from its ``.env`` where the old render put them."""
    found: dict[str, str] = {}
    mine = parse(decode(ours))
    for key, value in parse(base_env).items():
        if key in mine and (m := _pattern(value).fullmatch(mine[key])):
            found.update({k: v for k, v in m.groupdict().items() if k not in found})
    return found


def merge(ours: bytes, base_env: str, theirs_env: str) -> EnvMerge:
    """New keys are added, keys the user never changed follow the new answers (or go when
    only the old answers needed them), and the user's values and deletions stay."""
    text = decode(ours)
    newline = "\r\n" if "\r\n" in text else "\n"
    base, theirs = parse(base_env), parse(theirs_env)
    mine = parse(text)
    attention: list[str] = []

    def untouched(key: str) -> bool:
        return key in base and _pattern(base[key]).fullmatch(mine[key]) is not None

    lines = []
    for line in text.splitlines():
        key = _key(line)
        if key is None or key not in base:
            lines.append(line)  # comments and the user's own keys
        elif untouched(key):
            if key in theirs:
                same = _pattern(base[key]).fullmatch(theirs[key]) is not None
                lines.append(line if same else f"{key}={theirs[key]}")
            # else: only the old answers needed it
        else:
            wanted_same = key in theirs and _pattern(base[key]).fullmatch(theirs[key])
            if not wanted_same and key not in attention:
                attention.append(key)
            lines.append(line)
    if len(lines) < len(text.splitlines()):
        lines = _without_empty_headers(lines)
    added = [f"{k}={v}" for k, v in theirs.items() if k not in mine and k not in base]
    if added:
        if lines and lines[-1].strip():
            lines.append("")
        lines += [ADDED_HEADER, *added]
    body = newline.join(lines)
    if text.endswith(("\n", "\r")) or added or not text:
        body += newline
    return EnvMerge(encode(body), attention)


def _without_empty_headers(lines: list[str]) -> list[str]:
    """Drop an "Added by fwpick update" header whose keys have all gone again."""
    out: list[str] = []
    for index, line in enumerate(lines):
        if line.strip() == ADDED_HEADER:
            rest = lines[index + 1 :]
            following = next((x for x in rest if x.strip()), "")
            if _key(following) is None:
                if out and not out[-1].strip():
                    out.pop()
                continue
        out.append(line)
    return out
