from __future__ import annotations

from pathlib import Path

import pytest

from scaffolder.decide.model import RuleSet
from scaffolder.decide.rules import load_rules

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each test starts with an empty rules cache, so caching never hides a validation path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    # uv's package cache is shared, though: locking a new project then costs no downloads.
    monkeypatch.setenv("UV_CACHE_DIR", str(REPO / ".cache" / "uv"))


@pytest.fixture(scope="session")
def bundled_rules() -> RuleSet:
    return load_rules()


@pytest.fixture(scope="session")
def three_frameworks() -> RuleSet:
    return load_rules(FIXTURES / "three-frameworks.yaml")
