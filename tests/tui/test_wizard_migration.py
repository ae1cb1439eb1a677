"""The wizard offers the bridge to a Flask codebase moving to FastAPI, and checks as you type.

The first test walks the whole way by keyboard and renders a real bridge: the new project's
environment is installed from its lock and the Flask app is imported there.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from textual.widgets import Input, Static, Switch

from scaffolder.decide.model import RuleSet
from scaffolder.tui.app import FwpickApp
from scaffolder.tui.screens.progress import DoneScreen
from tests.support.legacy_flask import write_legacy_shop
from tests.tui.conftest import (
    FASTAPI_ANSWERS,
    FLASK_ANSWERS,
    answer_all,
    type_into,
    wait_for_preview,
    wait_for_screen,
    wait_until,
)

SIZE = (100, 40)
# The Flask team's answers, which keep the pick on Flask (the rules favour a working codebase).
FLASK_CODEBASE = {**FLASK_ANSWERS, "interface": "api"}


def text_of(app: FwpickApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def invalid(app: FwpickApp, selector: str) -> bool:
    return app.screen.query_one(selector, Input).has_class("-invalid")


async def test_overriding_to_fastapi_offers_the_bridge_and_renders_it(
    rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_legacy_shop(tmp_path / "legacy")
    (tmp_path / "notes").mkdir()  # a folder, but no Python project
    monkeypatch.chdir(tmp_path)
    dest = tmp_path / "shop-api"
    app = FwpickApp(rules, dest=dest)
    async with app.run_test(size=SIZE) as pilot:
        await answer_all(pilot, rules, FLASK_CODEBASE)
        assert "Flask" in text_of(app, "#pick")
        assert "serves your Flask app" in text_of(app, "#bridge-hint")
        await pilot.press("o")  # FastAPI instead
        await wait_for_screen(pilot, "MigrationScreen")
        assert "gradual migration" in text_of(app, "#quote")
        assert "OfflinePixel" in text_of(app, "#quote")
        folder = app.screen.query_one("#legacy-folder", Input)
        assert folder.disabled  # off until the user asks for the bridge
        await pilot.press("space")  # the switch has the focus
        await wait_until(pilot, lambda: not folder.disabled and folder.has_focus)

        # Each keystroke is checked with the CLI's checks.
        await type_into(pilot, "#legacy-folder", "nowhere")
        assert invalid(app, "#legacy-folder")
        assert "no such directory" in text_of(app, "#legacy-status")
        await type_into(pilot, "#legacy-folder", "notes")
        assert "not an installable Python project" in text_of(app, "#legacy-status")
        await pilot.press("enter")  # Next with a bad folder: a dialog, and nothing moves on
        await wait_for_screen(pilot, "bad-legacy")
        await pilot.press("enter")
        await wait_for_screen(pilot, "MigrationScreen")
        await type_into(pilot, "#legacy-folder", "legacy")
        assert not invalid(app, "#legacy-folder")
        assert "legacy-shop, a Flask project" in text_of(app, "#legacy-status")
        assert "fwpick looks in shop for app" in text_of(app, "#flask-app-status")
        await type_into(pilot, "#flask-app", "shop:")
        assert invalid(app, "#flask-app")
        assert "expected MODULE:ATTR" in text_of(app, "#flask-app-status")
        await type_into(pilot, "#flask-app", "shop:create_app")
        assert not invalid(app, "#flask-app")
        await pilot.press("enter")

        await wait_for_screen(pilot, "OptionsScreen")
        await pilot.press("enter")
        await wait_for_preview(pilot)
        assert "migration.md" in text_of(app, "#tree")
        assert "legacy.py" in text_of(app, "#tree")
        command = text_of(app, "#command")
        assert "--migrate-from legacy --flask-app shop:create_app" in command
        assert "--framework fastapi" in command
        await pilot.press("enter")  # create: lock, install, import the app, plan
        await wait_for_screen(pilot, "DoneScreen", timeout=300)
        assert isinstance(app.screen, DoneScreen)
        await pilot.press("enter")
    assert app.return_code == 0
    answers = yaml.safe_load((dest / ".copier-answers.yml").read_text())
    assert answers["migrate_from"] == "../legacy"
    assert answers["flask_app"] == "shop:create_app()"  # a factory, as found on import
    plan = (dest / "docs" / "migration.md").read_text()
    assert "/login" in plan and "/api/status" in plan


async def test_the_bridge_is_only_offered_to_a_flask_codebase_moving_to_fastapi(
    rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_legacy_shop(tmp_path / "legacy")
    monkeypatch.chdir(tmp_path)
    app = FwpickApp(rules, dest=tmp_path / "svc")
    async with app.run_test(size=SIZE) as pilot:
        # Keeping Flask: straight from the recommendation to the options.
        await answer_all(pilot, rules, FLASK_CODEBASE)
        await pilot.press("enter")
        await wait_for_screen(pilot, "OptionsScreen")
        await pilot.press("escape")
        await wait_for_screen(pilot, "RecommendationScreen")
        # FastAPI after all: the bridge is offered; switched on, it goes into the plan.
        await pilot.press("o")
        await wait_for_screen(pilot, "MigrationScreen")
        await pilot.press("space")
        await type_into(pilot, "#legacy-folder", "legacy")
        await pilot.press("enter")
        await wait_for_screen(pilot, "OptionsScreen")
        assert app.state.project["migrate_from"] == "legacy"
        # Back twice and choose Flask: no offer, and the bridge is dropped from the plan.
        await pilot.press("escape")
        await wait_for_screen(pilot, "MigrationScreen")
        assert app.screen.query_one("#bridge", Switch).value  # kept on the way back
        await pilot.press("escape")
        await wait_for_screen(pilot, "RecommendationScreen")
        await pilot.press("enter")
        await wait_for_screen(pilot, "OptionsScreen")
        assert "migrate_from" not in app.state.project
        assert app.state.plan().legacy is None

    # A new codebase that picks FastAPI is never asked.
    fresh = FwpickApp(rules, dest=tmp_path / "api")
    async with fresh.run_test(size=SIZE) as pilot:
        await answer_all(pilot, rules, FASTAPI_ANSWERS)
        assert not fresh.screen.query("#bridge-hint")
        await pilot.press("enter")
        await wait_for_screen(pilot, "OptionsScreen")


async def test_the_bridge_needs_the_lock_step(
    rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_legacy_shop(tmp_path / "legacy")
    monkeypatch.chdir(tmp_path)
    app = FwpickApp(rules, dest=tmp_path / "svc", no_lock=True)
    async with app.run_test(size=SIZE) as pilot:
        await answer_all(pilot, rules, FLASK_CODEBASE)
        await pilot.press("o")
        await wait_for_screen(pilot, "MigrationScreen")
        await pilot.press("space")
        await type_into(pilot, "#legacy-folder", "legacy")
        await pilot.press("enter")
        await wait_for_screen(pilot, "bad-legacy")
        assert "drop --no-lock" in str(app.screen.query_one("#dialog-message", Static).render())
