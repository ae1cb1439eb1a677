"""Where the bundled rules file and templates live.

A wheel carries them in ``scaffolder/data/``; a source checkout keeps them at the
repository root, next to the package.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_root() -> Path:
    installed = _PACKAGE / "data"
    return installed if (installed / "rules.yaml").is_file() else _PACKAGE.parent


def bundled_rules_path() -> Path:
    return data_root() / "rules.yaml"


def templates_root() -> Path:
    return data_root() / "templates"
