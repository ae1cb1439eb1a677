"""Render a template straight through Copier's API, and list what it wrote."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import copier


def render_template(template: Path, dest: Path, data: Mapping[str, object]) -> Path:
    # A subfolder of the repository is not a git repository root, so Copier copies the
    # working tree as it is (uncommitted edits included) instead of the latest tag.
    from scaffolder.decide.model import multi_values
    from scaffolder.decide.rules import load_rules

    answers = dict(data)
    for option in load_rules().options:
        value = answers.get(option.id)
        if option.type == "multi" and isinstance(value, str):
            # Cases spell a multi option as fwpick's flag does; Copier takes a list.
            answers[option.id] = list(multi_values(value))
    copier.run_copy(str(template), str(dest), data=answers, defaults=True, quiet=True)
    return dest


def files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            yield path


def rel(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in files(root)}
