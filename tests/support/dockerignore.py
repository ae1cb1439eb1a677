"""Which files a ``docker build`` would send, by the rules of ``.dockerignore``.

The rules differ from ``.gitignore``'s: every pattern is anchored at the context root
(``*.db`` matches only top-level files; ``**/*.db`` matches at any depth), a pattern that
matches a directory excludes everything below it, ``!`` re-includes, and the last
matching line wins.
"""

from __future__ import annotations

import os
import posixpath
import re
from pathlib import Path


def compile_pattern(pattern: str) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**", i):
            i += 2
            if pattern.startswith("/", i):  # "**/" also matches no directory at all
                i += 1
                out.append("(?:.*/)?")
            else:
                out.append(".*")
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                body = pattern[i + 1 : end].replace("\\", "\\\\")
                out.append(f"[{'^' + body[1:] if body.startswith('^') else body}]")
                i = end
        elif char == "\\" and i + 1 < len(pattern):
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(char))
        i += 1
    return re.compile("".join(out) + r"\Z")


def read_patterns(context: Path) -> list[tuple[bool, re.Pattern[str]]]:
    """(excludes, regex) for each line; a later line overrides an earlier one."""
    ignore = context / ".dockerignore"
    if not ignore.exists():
        return []
    patterns = []
    for raw in ignore.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        negate = line.startswith("!")
        line = posixpath.normpath(line.removeprefix("!").strip()).lstrip("/")
        patterns.append((not negate, compile_pattern(line)))
    return patterns


def excluded(path: str, patterns: list[tuple[bool, re.Pattern[str]]]) -> bool:
    parts = path.split("/")
    prefixes = ["/".join(parts[: n + 1]) for n in range(len(parts))]
    result = False
    for excludes, regex in patterns:
        if any(regex.match(prefix) for prefix in prefixes):
            result = excludes
    return result


def build_context(context: Path) -> list[str]:
    """Every file (relative, with ``/``) that would be sent to the builder."""
    patterns = read_patterns(context)
    sent = []
    for dirpath, dirnames, filenames in os.walk(context):
        dirnames.sort()
        for name in sorted(filenames):
            rel = Path(dirpath, name).relative_to(context).as_posix()
            if not excluded(rel, patterns):
                sent.append(rel)
    return sent
