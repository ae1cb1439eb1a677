"""Validate project and package names; suggest a fix where one exists.

The wizard and the CLI both call these, so they show the same messages.
"""

from __future__ import annotations

import keyword
import re
import sys
from dataclasses import dataclass

MAX_LENGTH = 100
# Longer import names push generated imports past the line length the templates are
# formatted for, so a long project name maps to a shortened package.
MAX_PACKAGE_LENGTH = 30
# Packages a generated project imports or holds itself: a project package with one of
# these names would shadow it.
RESERVED = frozenset(
    {
        "tests",
        "migrations",
        "fastapi",
        "starlette",
        "pydantic",
        "pydantic_settings",
        "sqlalchemy",
        "alembic",
        "uvicorn",
        "uvicorn_worker",
        "prometheus_client",
        "flask",
        "flask_sqlalchemy",
        "flask_migrate",
        "flask_wtf",
        "flask_login",
        "werkzeug",
        "jinja2",
        "gunicorn",
        "jwt",
        "pytest",
    }
)
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class NameProblem:
    message: str
    suggestion: str | None = None

    def __str__(self) -> str:
        if self.suggestion:
            return f"{self.message}; try {self.suggestion!r}"
        return self.message


def ascii_fold(text: str) -> str:
    """Accented letters as their plain ASCII letter ("Ünïcode" -> "Unicode"), so a
    suggestion keeps the word instead of dropping the letters."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def package_for(name: str) -> str:
    """The import package a project name maps to (PEP 8: lowercase, underscores)."""
    package = re.sub(r"[^a-z0-9]+", "_", ascii_fold(name).lower())
    return package[:MAX_PACKAGE_LENGTH].strip("_")


def _slug(name: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_fold(name).strip()).strip("-._")
    slug = re.sub(r"^[^A-Za-z]+", "", slug)
    return slug[:MAX_LENGTH].rstrip("-._")


def check_project_name(name: str) -> NameProblem | None:
    if not name.strip():
        return NameProblem("the name is empty")
    if "/" in name or "\\" in name or ".." in name:
        suggestion = _slug(name.replace("..", "-").replace("/", "-").replace("\\", "-")) or None
        return NameProblem("the name may not contain a path separator or '..'", suggestion)
    if len(name) > MAX_LENGTH:
        return NameProblem(
            f"the name is {len(name)} characters long; at most {MAX_LENGTH} are allowed",
            _slug(name) or None,
        )
    if not _NAME.match(name):
        return NameProblem(
            "the name must start with a letter and use only letters, digits, '-', '_' and '.'",
            _slug(name) or None,
        )
    package_problem = check_package_name(package_for(name))
    if package_problem is not None:
        suggestion = f"{name}-app" if package_problem.suggestion else None
        return NameProblem(
            f"the name gives the package {package_for(name)!r}, but {package_problem.message}",
            suggestion,
        )
    return None


def check_package_name(package: str) -> NameProblem | None:
    if not package:
        return NameProblem("the package name is empty")
    if len(package) > MAX_PACKAGE_LENGTH:
        return NameProblem(
            f"the package name is {len(package)} characters long; at most "
            f"{MAX_PACKAGE_LENGTH} are allowed",
            package[:MAX_PACKAGE_LENGTH].strip("_"),
        )
    if not package.isidentifier() or not package.isascii():
        return NameProblem(
            "a package name must be a Python identifier (lowercase letters, digits, '_')",
            package_for(_slug(package)) or None,
        )
    if keyword.iskeyword(package) or keyword.issoftkeyword(package):
        return NameProblem(f"{package!r} is a Python keyword", f"{package}_app")
    if package in RESERVED:
        return NameProblem(f"{package!r} would shadow a package the project uses", f"{package}_app")
    if package in sys.stdlib_module_names:
        return NameProblem(
            f"{package!r} would shadow the standard library module", f"{package}_app"
        )
    if package != package.lower():
        return NameProblem("a package name should be lowercase (PEP 8)", package.lower())
    return None
