"""Helpers for driving the wizard headless with Pilot."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from scaffolder.decide.model import RuleSet
from scaffolder.tui.app import FwpickApp
from scaffolder.tui.widgets import ChoiceList

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"

# Answers that make each framework the clear pick with the bundled rules.
FASTAPI_ANSWERS: dict[str, str] = {
    "interface": "api",
    "async_io": "yes",
    "ml_serving": "no",
    "api_docs": "yes",
    "type_hints": "yes",
}
FLASK_ANSWERS: dict[str, str] = {
    "interface": "html",
    "async_io": "no",
    "ml_serving": "no",
    "team_experience": "flask",
    "existing_codebase": "flask",
    "prototype": "yes",
}


async def wait_until(
    pilot: Pilot[Any],
    predicate: Callable[[], bool],
    timeout: float = 30.0,
    *,
    allow_crash: bool = False,
) -> None:
    """Let the app run until ``predicate`` holds: no blind sleeps, a clear failure."""
    deadline = time.monotonic() + timeout
    while not predicate():
        crashed = getattr(pilot.app, "crashed", None)
        if crashed is not None and not allow_crash:
            raise AssertionError(f"the wizard crashed: {crashed!r}") from crashed
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting; screen is {pilot.app.screen!r}")
        await pilot.pause(0.02)


def screen_name(app: FwpickApp) -> str:
    return type(app.screen).__name__


async def wait_for_screen(pilot: Pilot[Any], name: str, timeout: float = 30.0) -> None:
    app = pilot.app
    assert isinstance(app, FwpickApp)
    await wait_until(
        pilot,
        lambda: screen_name(app) == name or app.screen.id == name,
        timeout,
        allow_crash=name == "crash",
    )
    await pilot.pause()


async def answer_question(pilot: Pilot[Any], choice: str) -> None:
    """Move the highlight to ``choice`` with the arrow keys and press Enter."""
    choices = pilot.app.screen.query_one(ChoiceList)
    ids = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
    target = ids.index(choice)
    if target == len(ids) - 1:
        keys = ["end"]  # "Not sure" is always last
    else:
        moves = target - (choices.highlighted or 0)
        keys = ["down"] * moves if moves > 0 else ["up"] * -moves
    await pilot.press(*keys, "enter")
    await pilot.pause()


async def answer_all(pilot: Pilot[Any], rules: RuleSet, answers: Mapping[str, str]) -> None:
    """From the welcome screen, answer every question (unlisted ones: Not sure)."""
    await wait_for_screen(pilot, "WelcomeScreen")
    await pilot.press("enter")
    for criterion in rules.criteria:
        await wait_for_screen(pilot, "QuestionScreen")
        await answer_question(pilot, answers.get(criterion.id, "not_sure"))
    await wait_for_screen(pilot, "RecommendationScreen")


async def skip_to_options(pilot: Pilot[Any]) -> None:
    """Welcome, then Ctrl+R (recommend now), accept: the quickest way to the options."""
    await wait_for_screen(pilot, "WelcomeScreen")
    await pilot.press("enter")
    await wait_for_screen(pilot, "QuestionScreen")
    await pilot.press("ctrl+r")
    await wait_for_screen(pilot, "RecommendationScreen")
    await pilot.press("enter")
    await wait_for_screen(pilot, "OptionsScreen")


async def type_into(pilot: Pilot[Any], selector: str, text: str) -> None:
    """Replace an input's text by keyboard: focus it, clear it, type."""
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    await pilot.pause()
    await pilot.press("end", *["backspace"] * len(field.value), *text)
    await pilot.pause()


async def wait_for_preview(pilot: Pilot[Any]) -> None:
    await wait_for_screen(pilot, "ReviewScreen")
    tree = pilot.app.screen.query_one("#tree")
    await wait_until(pilot, lambda: not tree.loading)


@pytest.fixture
def rules(bundled_rules: RuleSet) -> RuleSet:
    return bundled_rules
