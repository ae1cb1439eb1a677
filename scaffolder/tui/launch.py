"""Start the wizard (placeholder until the wizard lands)."""

from __future__ import annotations

from pathlib import Path

from scaffolder.answers import Answers
from scaffolder.model import RuleSet


def run_wizard(
    rules: RuleSet,
    *,
    rules_path: str | None,
    dest: Path | None = None,
    answers: Answers | None = None,
) -> int:
    raise NotImplementedError("the wizard is not built yet")
