"""Snapshots of the main screens at 60x20, 80x24 and 160x50.

Deterministic by construction: a fixed relative destination (no tmp path on screen),
no dates, cursor blink off, and every worker finished before the shot.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from scaffolder.decide.answers import parse_answers
from scaffolder.decide.model import RuleSet
from scaffolder.tui.app import FwpickApp
from tests.support.legacy_flask import write_legacy_shop
from tests.tui.conftest import (
    FASTAPI_ANSWERS,
    wait_for_preview,
    wait_for_screen,
)

SIZES = [
    pytest.param((60, 20), id="60x20"),
    pytest.param((80, 24), id="80x24"),
    pytest.param((160, 50), id="160x50"),
]
RunBefore = Callable[[Pilot[Any]], Awaitable[None]]


@pytest.fixture(autouse=True)
def _fixed_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The destination is relative ("my-service") and home is here, so the absolute
    # directory shows as "~/my-service": nothing machine-specific.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))


def make_app(rules: RuleSet) -> FwpickApp:
    # The Python option defaults to the running interpreter: pin it, so shots match anywhere.
    answers = parse_answers(rules, {**FASTAPI_ANSWERS, "python": "3.12"}, "test")
    return FwpickApp(rules, dest=Path("my-service"), answers=answers)


async def steady(pilot: Pilot[Any]) -> None:
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


async def to_welcome(pilot: Pilot[Any]) -> None:
    await wait_for_screen(pilot, "WelcomeScreen")


async def to_question(pilot: Pilot[Any]) -> None:
    await to_welcome(pilot)
    await pilot.press("enter")
    await wait_for_screen(pilot, "QuestionScreen")


async def to_recommendation(pilot: Pilot[Any]) -> None:
    await to_question(pilot)
    await pilot.press("ctrl+r")
    await wait_for_screen(pilot, "RecommendationScreen")


async def to_options(pilot: Pilot[Any]) -> None:
    await to_recommendation(pilot)
    await pilot.press("enter")
    await wait_for_screen(pilot, "OptionsScreen")


async def to_review(pilot: Pilot[Any]) -> None:
    await to_options(pilot)
    await pilot.press("enter")
    await wait_for_preview(pilot)


def shoot(snap_compare: Any, rules: RuleSet, size: tuple[int, int], to: RunBefore) -> bool:
    async def run_before(pilot: Pilot[Any]) -> None:
        await to(pilot)
        await steady(pilot)

    return bool(snap_compare(make_app(rules), run_before=run_before, terminal_size=size))


@pytest.mark.parametrize("size", SIZES)
def test_welcome(snap_compare: Any, rules: RuleSet, size: tuple[int, int]) -> None:
    assert shoot(snap_compare, rules, size, to_welcome)


@pytest.mark.parametrize("size", SIZES)
def test_question(snap_compare: Any, rules: RuleSet, size: tuple[int, int]) -> None:
    assert shoot(snap_compare, rules, size, to_question)


@pytest.mark.parametrize("size", SIZES)
def test_recommendation(snap_compare: Any, rules: RuleSet, size: tuple[int, int]) -> None:
    assert shoot(snap_compare, rules, size, to_recommendation)


@pytest.mark.parametrize("size", SIZES)
def test_options(snap_compare: Any, rules: RuleSet, size: tuple[int, int]) -> None:
    assert shoot(snap_compare, rules, size, to_options)


@pytest.mark.parametrize("size", SIZES)
def test_review(snap_compare: Any, rules: RuleSet, size: tuple[int, int]) -> None:
    assert shoot(snap_compare, rules, size, to_review)


@pytest.mark.parametrize("size", SIZES)
def test_migration(
    snap_compare: Any, rules: RuleSet, size: tuple[int, int], tmp_path: Path
) -> None:
    # A Flask codebase moving to FastAPI, with the folder typed: it shows as "~/legacy".
    write_legacy_shop(tmp_path / "legacy")
    answers = parse_answers(
        rules,
        {**FASTAPI_ANSWERS, "existing_codebase": "flask", "framework": "fastapi"},
        "test",
    )
    app = FwpickApp(rules, dest=Path("my-service"), answers=answers)

    async def run_before(pilot: Pilot[Any]) -> None:
        await to_recommendation(pilot)
        await pilot.press("enter")
        await wait_for_screen(pilot, "MigrationScreen")
        await pilot.press("space")
        await pilot.press(*"legacy")
        await steady(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=size)
