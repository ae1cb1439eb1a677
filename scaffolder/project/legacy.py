"""Find and check the Flask project a FastAPI bridge migrates from, without running its code.

What can be known from the files (the folder, its packaging, its name, which modules to
search for the app) is checked here, before anything is rendered; importing the app is
left to ``legacy_routes``, in the new project's own environment.
"""

from __future__ import annotations

import ast
import configparser
import contextlib
import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from scaffolder.errors import UsageError

PACKAGING_FILES = ("pyproject.toml", "setup.py")
# Modules ``flask`` looks in when it is given no app: wsgi.py, then app.py.
FLASK_DEFAULT_MODULES = ("wsgi", "app")
_SPEC = re.compile(
    r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(:[A-Za-z_][A-Za-z0-9_]*(\(\))?)?$"
)
_NOT_PACKAGES = frozenset({"tests", "test", "docs", "build", "dist", "migrations", "scripts"})
_SCAN_LIMIT = 400  # Python files read to spot a Flask import; enough for any real project


@dataclass(frozen=True)
class LegacyProject:
    root: Path  # the folder with pyproject.toml or setup.py, resolved
    distribution: str  # the name other projects depend on it by
    modules: tuple[str, ...]  # where to look for the app, in order
    flask_app_hint: str  # FLASK_APP from the environment or the project's .flaskenv/.env


def find_legacy_project(text: str, *, base: Path | None = None) -> LegacyProject:
    """The Flask project at ``text`` (relative to ``base``, default the working directory)."""
    given = Path(text).expanduser()
    path = (base / given if base is not None and not given.is_absolute() else given).resolve()
    flag = f"--migrate-from {text}"
    if not path.exists():
        raise UsageError(f"{flag}: no such directory")
    if not path.is_dir():
        raise UsageError(f"{flag}: not a directory; pass the Flask project's folder")
    package = path.name if (path / "__init__.py").is_file() else None
    root = _packaging_root(path) if package else path
    if root is None or not any((root / name).is_file() for name in PACKAGING_FILES):
        raise UsageError(
            f"{flag}: not an installable Python project (no pyproject.toml or setup.py"
            f"{' in it or above it' if package else ''}); the new project depends on it by path"
        )
    if not _uses_flask(root):
        raise UsageError(f"{flag}: not a Flask project (it neither depends on nor imports flask)")
    distribution = distribution_name(root)
    modules = (package,) if package else _candidate_modules(root)
    return LegacyProject(root, distribution, modules, _flask_app_hint(root))


def _packaging_root(package: Path) -> Path | None:
    for parent in package.parents:
        if any((parent / name).is_file() for name in PACKAGING_FILES):
            return parent
        if (parent / ".git").exists():
            return None
    return None


def distribution_name(root: Path) -> str:
    """The project's name from pyproject.toml, setup.cfg or a literal ``setup(name=...)``."""
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise UsageError(f"{pyproject}: cannot read it ({exc})") from None
        name = data.get("project", {}).get("name") or (
            data.get("tool", {}).get("poetry", {}).get("name")
        )
        if isinstance(name, str) and name:
            return name
    setup_cfg = root / "setup.cfg"
    if setup_cfg.is_file():
        parser = configparser.ConfigParser()
        with contextlib.suppress(configparser.Error, UnicodeDecodeError):
            parser.read(setup_cfg, encoding="utf-8")
        if parser.get("metadata", "name", fallback=""):
            return parser.get("metadata", "name")
    setup_py = root / "setup.py"
    if setup_py.is_file():
        name = _setup_py_name(setup_py)
        if name:
            return name
    raise UsageError(
        f"--migrate-from {root}: cannot read the project's name (give it [project] name in "
        "pyproject.toml, or a literal setup(name=...))"
    )


def _setup_py_name(path: Path) -> str | None:
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, SyntaxError):
        return None
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", "")) == "setup"
        ):
            for keyword in node.keywords:
                if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                    return str(keyword.value.value)
    return None


def _python_files(root: Path) -> list[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if not d.startswith(".")
            and d not in ("node_modules", "__pycache__")
            and "venv" not in d
        )
        found += [Path(dirpath, f) for f in sorted(filenames) if f.endswith(".py")]
        if len(found) >= _SCAN_LIMIT:
            break
    return found[:_SCAN_LIMIT]


def _uses_flask(root: Path) -> bool:
    declared = re.compile(r"""["']\s*flask\b""", re.IGNORECASE)
    for name in (*PACKAGING_FILES, "setup.cfg", "requirements.txt"):
        path = root / name
        if path.is_file() and declared.search(path.read_text(encoding="utf-8", errors="replace")):
            return True
        if name == "requirements.txt" and path.is_file():
            lines = path.read_text(encoding="utf-8", errors="replace").lower().splitlines()
            if any(re.match(r"\s*flask\b", line) for line in lines):
                return True
    imports = re.compile(r"^\s*(from|import)\s+flask\b", re.MULTILINE)
    return any(
        imports.search(p.read_text(encoding="utf-8", errors="replace")) for p in _python_files(root)
    )


def _candidate_modules(root: Path) -> tuple[str, ...]:
    """Flask's default modules, then the project's top-level packages (src/ layout first)."""
    packages = [
        p.parent.name
        for folder in (root / "src", root)
        for p in sorted(folder.glob("*/__init__.py"))
        if p.parent.name.isidentifier() and p.parent.name not in _NOT_PACKAGES
    ]
    found = [m for m in FLASK_DEFAULT_MODULES if (root / f"{m}.py").is_file()]
    for package in packages:
        found += [
            f"{package}.{m}"
            for m in FLASK_DEFAULT_MODULES
            if (root / "src" / package / f"{m}.py").is_file()
            or (root / package / f"{m}.py").is_file()
        ]
    return tuple(dict.fromkeys([*packages, *found]))


def _flask_app_hint(root: Path) -> str:
    """``FLASK_APP`` as ``flask`` would read it: the environment, then .flaskenv, then .env."""
    value = os.environ.get("FLASK_APP", "")
    for name in (".flaskenv", ".env"):
        if value:
            break
        path = root / name
        if path.is_file():
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                key, sep, rest = line.strip().removeprefix("export ").partition("=")
                if sep and key.strip() == "FLASK_APP":
                    value = rest.strip().strip("'\"")
    return module_spec(value) if value else ""


def module_spec(value: str) -> str:
    """``FLASK_APP`` may name a file (``src/shop/app.py``); make it a module spec."""
    target, sep, attr = value.partition(":")
    if target.endswith(".py") or "/" in target:
        target = target.removesuffix(".py").replace("/", ".").removeprefix("src.")
    return f"{target}{sep}{attr}"


def check_flask_app(spec: str) -> str:
    if not _SPEC.match(spec):
        raise UsageError(
            f"--flask-app {spec}: expected MODULE:ATTR (an app object or a factory without "
            "arguments), e.g. shop:create_app"
        )
    return spec


def source_path(root: Path, dest: Path) -> str:
    """Where the new project finds the Flask project: relative to it, when there is a way."""
    target = dest.expanduser().resolve()
    if root == target or root.is_relative_to(target):
        raise UsageError(
            f"--migrate-from {root}: the Flask project can't live inside the new project"
        )
    if target.is_relative_to(root):
        raise UsageError(
            f"--migrate-from {root}: the new project can't be created inside the Flask project"
        )
    try:
        return Path(os.path.relpath(root, target)).as_posix()
    except ValueError:  # another drive: only an absolute path reaches it
        return root.as_posix()
