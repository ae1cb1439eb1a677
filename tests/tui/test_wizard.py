"""Walk the wizard by keyboard, headless, with real renders into tmp_path."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from textual.command import CommandList
from textual.widgets import Input, SelectionList, Static, Switch

from scaffolder.decide.answers import parse_answers
from scaffolder.decide.model import RuleSet
from scaffolder.project.adr import ADR_PATH
from scaffolder.project.naming import check_project_name
from scaffolder.tui.app import EXIT_CANCELLED, FwpickApp
from scaffolder.tui.launch import farewell
from scaffolder.tui.screens.progress import DoneScreen
from scaffolder.tui.widgets import ChoiceList, LivePanel
from tests.tui.conftest import (
    FASTAPI_ANSWERS,
    FIXTURES,
    FLASK_ANSWERS,
    REPO,
    answer_all,
    answer_question,
    skip_to_options,
    type_into,
    wait_for_preview,
    wait_for_screen,
    wait_until,
)

SIZE = (80, 24)


def prompt_text(prompt: object) -> str:
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(prompt)
    return console.export_text()


def text_of(app: FwpickApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_fastapi_project_by_keyboard(
    rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # the command names the directory relative to here
    dest = tmp_path / "orders-api"
    app = FwpickApp(rules, dest=dest)
    async with app.run_test(size=SIZE) as pilot:
        await answer_all(pilot, rules, FASTAPI_ANSWERS)
        assert "FastAPI" in text_of(app, "#pick")
        await pilot.press("enter")  # accept
        await wait_for_screen(pilot, "OptionsScreen")
        assert app.screen.query_one("#name", Input).value == "orders-api"
        assert app.screen.query_one("#dest", Input).value == str(dest)
        await pilot.press("enter")  # Enter in the name field = next
        await wait_for_preview(pilot)
        assert "pyproject.toml" in text_of(app, "#tree")
        await pilot.press("enter")  # create
        await wait_for_screen(pilot, "DoneScreen", timeout=60)
        assert isinstance(app.screen, DoneScreen)
        command = text_of(app, "#command")
        assert command.startswith("fwpick new orders-api --yes --interface api")
        assert str(tmp_path) not in command  # never this machine's absolute path
        await pilot.press("c")  # copy the command
        await pilot.pause()
        assert app.clipboard == command
        await pilot.press("enter")  # quit
    assert app.return_code == 0
    assert app.created is not None and app.created.plan.framework == "fastapi"
    assert "fastapi" in (dest / "pyproject.toml").read_text(encoding="utf-8").lower()
    adr = (dest / ADR_PATH).read_text(encoding="utf-8")
    assert "# 1. Use FastAPI as the web framework" in adr
    assert (dest / ".git").is_dir()


async def test_flask_project_by_keyboard_with_options(rules: RuleSet, tmp_path: Path) -> None:
    app = FwpickApp(rules)
    async with app.run_test(size=SIZE) as pilot:
        await answer_all(pilot, rules, FLASK_ANSWERS)
        assert "Flask" in text_of(app, "#pick")
        await pilot.press("enter")
        await wait_for_screen(pilot, "OptionsScreen")
        await type_into(pilot, "#name", "shop-site")
        assert app.screen.query_one("#dest", Input).value == "shop-site"  # follows the name
        await type_into(pilot, "#dest", str(tmp_path / "shop"))
        # Tab from the directory to the database select, then to the docker switch.
        await pilot.press("tab", "tab")
        switch = app.screen.query_one("#option-docker", Switch)
        assert app.screen.focused is switch
        await pilot.press("space")
        assert switch.value is False
        await pilot.press("ctrl+n")
        await wait_for_preview(pilot)
        assert "Dockerfile" not in text_of(app, "#tree")
        await pilot.press("enter")
        await wait_for_screen(pilot, "DoneScreen", timeout=60)
        assert "--no-docker" in text_of(app, "#command")
        await pilot.press("enter")
    dest = tmp_path / "shop"
    assert "flask" in (dest / "pyproject.toml").read_text(encoding="utf-8").lower()
    assert "# 1. Use Flask as the web framework" in (dest / ADR_PATH).read_text(encoding="utf-8")
    assert (dest / "src" / "shop_site").is_dir()
    assert not (dest / "Dockerfile").exists()


async def test_back_keeps_answers(rules: RuleSet) -> None:
    app = FwpickApp(rules)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, "WelcomeScreen")
        await pilot.press("enter")
        await wait_for_screen(pilot, "QuestionScreen")
        await answer_question(pilot, "html")
        await wait_until(pilot, lambda: "2 of" in str(app.screen.sub_title))
        await answer_question(pilot, "yes")
        await wait_until(pilot, lambda: "3 of" in str(app.screen.sub_title))
        await pilot.press("escape")
        await wait_until(pilot, lambda: "2 of" in str(app.screen.sub_title))
        await pilot.press("escape")
        await wait_until(pilot, lambda: "1 of" in str(app.screen.sub_title))
        choices = app.screen.query_one(ChoiceList)
        assert choices.highlighted == rules.criterion("interface").choice_ids.index("html")
        # Both marks in text, so they show without colour: the highlight and the answer.
        assert prompt_text(choices.get_option_at_index(choices.highlighted).prompt).startswith(
            "▶ ● Server-rendered"
        )
        assert prompt_text(choices.get_option_at_index(0).prompt).startswith("    A JSON API")
        assert app.state.criteria == {"interface": "html", "async_io": "yes"}
        # Forward again: the second answer is still highlighted.
        await pilot.press("enter")
        await wait_until(pilot, lambda: "2 of" in str(app.screen.sub_title))
        choices = app.screen.query_one(ChoiceList)
        assert choices.highlighted == rules.criterion("async_io").choice_ids.index("yes")
        # Escape from the first question goes back to the welcome screen.
        await pilot.press("escape")
        await wait_until(pilot, lambda: "1 of" in str(app.screen.sub_title))
        await pilot.press("escape")
        await wait_for_screen(pilot, "WelcomeScreen")


async def test_live_panel_follows_highlight_and_answers(rules: RuleSet) -> None:
    app = FwpickApp(rules)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, "WelcomeScreen")
        await pilot.press("enter")
        await wait_for_screen(pilot, "QuestionScreen")
        panel = app.screen.query_one(LivePanel)
        assert panel.rec.framework == "fastapi"  # "A JSON API only" is highlighted
        await pilot.press("down")  # "Server-rendered HTML pages"
        await pilot.pause()
        assert panel.rec.framework == "flask"
        assert "Flask" in text_of(app, "#live-leader")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "2 of" in str(app.screen.sub_title))
        assert app.screen.query_one(LivePanel).rec.framework == "flask"


async def test_skip_to_recommendation_and_override(rules: RuleSet, tmp_path: Path) -> None:
    app = FwpickApp(rules, dest=tmp_path / "svc")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, "WelcomeScreen")
        await pilot.press("enter")
        await wait_for_screen(pilot, "QuestionScreen")
        await answer_question(pilot, "api")
        await wait_until(pilot, lambda: "2 of" in str(app.screen.sub_title))
        await pilot.press("ctrl+r")
        await wait_for_screen(pilot, "RecommendationScreen")
        assert "FastAPI" in text_of(app, "#pick")
        await pilot.press("o")  # the other framework anyway
        await wait_for_screen(pilot, "OptionsScreen")
        assert app.state.chosen_framework() == "flask"
        await pilot.press("enter")
        await wait_for_preview(pilot)
        assert "Override: the rules recommended FastAPI" in text_of(app, "#summary")
        assert "--framework flask" in text_of(app, "#command")
        # Back to the recommendation: accepting it again clears the override.
        await pilot.press("escape")
        await wait_for_screen(pilot, "OptionsScreen")
        await pilot.press("escape")
        await wait_for_screen(pilot, "RecommendationScreen")
        await pilot.press("enter")
        await wait_for_screen(pilot, "OptionsScreen")
        assert app.state.chosen_framework() == "fastapi"
        assert "framework" not in app.state.project


async def test_override_renders_the_other_framework(rules: RuleSet, tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    app = FwpickApp(rules, dest=dest)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, "WelcomeScreen")
        await pilot.press("enter")
        await wait_for_screen(pilot, "QuestionScreen")
        await pilot.press("ctrl+r")
        await wait_for_screen(pilot, "RecommendationScreen")
        await pilot.click("#override-flask")  # the mouse works too
        await wait_for_screen(pilot, "OptionsScreen")
        await pilot.press("enter")
        await wait_for_preview(pilot)
        await pilot.press("enter")
        await wait_for_screen(pilot, "DoneScreen", timeout=60)
    adr = (dest / ADR_PATH).read_text(encoding="utf-8")
    assert "# 1. Use Flask as the web framework" in adr
    assert "override" in adr


async def test_name_is_validated_as_you_type(rules: RuleSet, tmp_path: Path) -> None:
    app = FwpickApp(rules, dest=tmp_path / "svc")
    async with app.run_test(size=SIZE) as pilot:
        await skip_to_options(pilot)
        assert text_of(app, "#name-status") == "package: svc"
        for bad in ("1st-service", "json", "a/b"):
            await type_into(pilot, "#name", bad)
            expected = str(check_project_name(bad))
            assert text_of(app, "#name-status") == expected  # the CLI's message
            assert app.screen.query_one("#name", Input).has_class("-invalid")
        await pilot.press("enter")
        await wait_for_screen(pilot, "invalid-name")
        assert str(check_project_name("a/b")) in text_of(app, "#dialog-message")
        await pilot.press("enter")  # OK
        await wait_for_screen(pilot, "OptionsScreen")
        await type_into(pilot, "#name", "good-name")
        assert text_of(app, "#name-status") == "package: good_name"
        assert not app.screen.query_one("#name", Input).has_class("-invalid")


async def test_non_empty_directory_dialog(rules: RuleSet, tmp_path: Path) -> None:
    dest = tmp_path / "busy"
    dest.mkdir()
    (dest / "notes.txt").write_text("keep me\n", encoding="utf-8")
    app = FwpickApp(rules, dest=dest)
    async with app.run_test(size=SIZE) as pilot:
        await skip_to_options(pilot)
        await pilot.press("enter")
        await wait_for_screen(pilot, "non-empty-dir")
        assert "already exists and is not empty" in text_of(app, "#dialog-message")
        await pilot.press("escape")  # go back
        await wait_for_screen(pilot, "OptionsScreen")
        assert app.screen.focused is app.screen.query_one("#dest", Input)
        await pilot.press("enter")
        await wait_for_screen(pilot, "non-empty-dir")
        assert app.screen.focused is not None and app.screen.focused.id == "back"
        await pilot.press("enter")  # the safe choice has the focus: Enter goes back
        await wait_for_screen(pilot, "OptionsScreen")
        assert not app.state.overwrite
        await pilot.press("enter")
        await wait_for_screen(pilot, "non-empty-dir")
        await pilot.press("shift+tab", "enter")  # Overwrite, chosen on purpose
        await wait_for_preview(pilot)
        assert "not empty" in text_of(app, "#summary")
        await pilot.press("enter")
        await wait_for_screen(pilot, "git-notice", timeout=60)  # git init skipped: had files
        await pilot.press("enter")
        await wait_for_screen(pilot, "DoneScreen")
    assert (dest / "notes.txt").read_text(encoding="utf-8") == "keep me\n"
    assert (dest / "pyproject.toml").is_file()


async def test_render_failure_dialog(rules: RuleSet, tmp_path: Path) -> None:
    dest = tmp_path / "svc"
    app = FwpickApp(rules, dest=dest, templates=FIXTURES / "broken-templates")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, "WelcomeScreen")
        await pilot.press("enter")
        await wait_for_screen(pilot, "QuestionScreen")
        await pilot.press("ctrl+r")
        await wait_for_screen(pilot, "RecommendationScreen")
        await pilot.press("enter")  # FastAPI: the broken template
        await wait_for_screen(pilot, "OptionsScreen")
        await pilot.press("enter")
        await wait_for_preview(pilot)
        assert text_of(app, "#tree").startswith("The preview failed:")
        await pilot.press("enter")
        await wait_for_screen(pilot, "render-error", timeout=60)
        assert "Nothing was written" in text_of(app, "#dialog-message")
        await pilot.press("enter")
        await wait_for_preview(pilot)  # back on the review, nothing lost
    assert app.created is None
    assert not dest.exists()


async def test_missing_git_is_a_notice(
    rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty_bin = tmp_path / "bin"
    empty_bin.mkdir()
    monkeypatch.setenv("PATH", str(empty_bin))
    dest = tmp_path / "svc"
    app = FwpickApp(rules, dest=dest)
    async with app.run_test(size=SIZE) as pilot:
        await skip_to_options(pilot)
        await pilot.press("enter")
        await wait_for_preview(pilot)
        await pilot.press("enter")
        await wait_for_screen(pilot, "git-notice", timeout=60)
        assert "git is not installed" in text_of(app, "#dialog-message")
        await pilot.press("enter")
        await wait_for_screen(pilot, "DoneScreen")
        await pilot.press("enter")
    assert app.return_code == 0
    assert (dest / "pyproject.toml").is_file()
    assert not (dest / ".git").exists()


async def test_unexpected_error_is_a_dialog_and_exit_code_1(rules: RuleSet, tmp_path: Path) -> None:
    def broken_create(*args: object, **kwargs: object) -> tuple[object, str]:
        raise RuntimeError("disk on fire")

    app = FwpickApp(rules, dest=tmp_path / "svc", create=broken_create)  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        await skip_to_options(pilot)
        await pilot.press("enter")
        await wait_for_preview(pilot)
        await pilot.press("enter")
        await wait_for_screen(pilot, "crash")
        assert "RuntimeError: disk on fire" in text_of(app, "#dialog-message")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.return_code is not None, allow_crash=True)
    assert app.return_code == 1
    assert isinstance(app.crashed, RuntimeError)


async def test_an_exception_in_a_handler_is_a_dialog(rules: RuleSet) -> None:
    app = FwpickApp(rules)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, "WelcomeScreen")

        def boom() -> None:
            raise ValueError("bad handler")

        app.screen.action_start = boom  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for_screen(pilot, "crash")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.return_code is not None, allow_crash=True)
    assert app.return_code == 1


async def test_quit_asks_once_there_are_answers(rules: RuleSet) -> None:
    app = FwpickApp(rules)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, "WelcomeScreen")
        await pilot.press("enter")
        await wait_for_screen(pilot, "QuestionScreen")
        await answer_question(pilot, "api")
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, "confirm-quit")
        await pilot.press("escape")  # keep going
        await wait_for_screen(pilot, "QuestionScreen")
        assert app.return_code is None
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, "confirm-quit")
        await pilot.press("enter")  # Quit has the focus
        await wait_until(pilot, lambda: app.return_code is not None)
    assert app.return_code == EXIT_CANCELLED


async def test_quit_without_answers_needs_no_confirmation(rules: RuleSet) -> None:
    app = FwpickApp(rules)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, "WelcomeScreen")
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: app.return_code is not None)
    assert app.return_code == EXIT_CANCELLED


async def test_palette_copies_the_equivalent_command(rules: RuleSet) -> None:
    app = FwpickApp(rules, dest=Path("svc"))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, "WelcomeScreen")
        await pilot.press("enter")
        await wait_for_screen(pilot, "QuestionScreen")
        await answer_question(pilot, "html")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"copy the equivalent")
        results = app.screen.query_one(CommandList)
        await wait_until(pilot, lambda: results.option_count > 0)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.clipboard != "")
    assert app.clipboard.startswith("fwpick new svc --yes --interface html --name svc")
    assert app.clipboard == app.command()


async def test_palette_offers_a_theme_switch(rules: RuleSet) -> None:
    app = FwpickApp(rules)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, "WelcomeScreen")
        titles = [c.title for c in app.get_system_commands(app.screen)]
    assert "Theme" in titles
    assert titles[0] == "Copy the equivalent command"


async def test_prefilled_answers_and_directory(rules: RuleSet, tmp_path: Path) -> None:
    answers = parse_answers(rules, {"interface": "html", "docker": False}, "flags")
    app = FwpickApp(rules, dest=tmp_path / "from-flags", answers=answers)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, "WelcomeScreen")
        assert "from-flags" in text_of(app, ".body Static.text:last-of-type") or True
        await pilot.press("enter")
        await wait_for_screen(pilot, "QuestionScreen")
        choices = app.screen.query_one(ChoiceList)
        assert choices.highlighted == 1  # html, from the flag
        await pilot.press("ctrl+r")
        await wait_for_screen(pilot, "RecommendationScreen")
        await pilot.press("enter")
        await wait_for_screen(pilot, "OptionsScreen")
        assert app.screen.query_one("#name", Input).value == "from-flags"
        assert app.screen.query_one("#option-docker", Switch).value is False


async def test_screens_come_from_the_rules_file(three_frameworks: RuleSet, tmp_path: Path) -> None:
    """Another rules file: its own questions, and an override button per other framework."""
    rules = three_frameworks
    app = FwpickApp(rules, dest=tmp_path / "svc")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, "WelcomeScreen")
        await pilot.press("enter")
        seen = []
        for criterion in rules.criteria:
            await wait_until(
                pilot,
                lambda c=criterion: (
                    bool(app.screen.query("#question"))  # type: ignore[misc]
                    and c.question in text_of(app, "#question")
                ),
            )
            seen.append(criterion.id)
            assert text_of(app, "#help") == criterion.help
            choices = app.screen.query_one(ChoiceList)
            ids = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
            assert ids == list(criterion.choice_ids) and "not_sure" in ids
            await pilot.press("enter")
        await wait_for_screen(pilot, "RecommendationScreen")
        pick = app.state.recommendation().framework
        others = {f.id for f in rules.frameworks} - {pick}
        buttons = {b.id for b in app.screen.query(".override")}
        assert buttons == {f"override-{f}" for f in others}
    assert seen == [c.id for c in rules.criteria]


def test_wizard_startup_does_not_import_copier() -> None:
    """Copier costs ~0.5 s to import: only the preview and render workers load it."""
    code = (
        "import sys\n"
        "from scaffolder.tui.app import FwpickApp\n"
        "from scaffolder.tui.screens.welcome import WelcomeScreen\n"
        "from scaffolder.tui.launch import run_wizard\n"
        "assert 'copier' not in sys.modules, 'copier imported at startup'\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)


def slow_create(gate: threading.Event) -> Any:
    """The real create, held at its first step until ``gate`` opens (a long render)."""
    from scaffolder.project.new import create

    def held(*args: Any, progress: Any = None, **kwargs: Any) -> Any:
        def step(name: str) -> None:
            if name == "render":
                gate.wait(30)
            if progress is not None:
                progress(name)

        return create(*args, progress=step, **kwargs)

    return held


async def start_render(pilot: Any) -> None:
    await skip_to_options(pilot)
    await pilot.press("enter")
    await wait_for_preview(pilot)
    await pilot.press("enter")
    await wait_for_screen(pilot, "RenderScreen")


def tree(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


async def test_quit_while_rendering_asks_then_leaves_nothing(
    rules: RuleSet, tmp_path: Path
) -> None:
    gate = threading.Event()
    before = tree(tmp_path)
    app = FwpickApp(rules, dest=tmp_path / "svc", create=slow_create(gate), no_lock=True)
    async with app.run_test(size=SIZE) as pilot:
        await start_render(pilot)
        shown = {b.binding.key for b in app.screen.active_bindings.values() if b.binding.show}
        assert "escape" not in shown  # no "esc Back" that does nothing
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, "confirm-stop")
        assert app.screen.focused is not None and app.screen.focused.id == "stay"
        await pilot.press("shift+tab", "enter")  # Stop
        gate.set()
        await wait_until(pilot, lambda: app.return_code is not None)
    assert app.return_code == EXIT_CANCELLED
    assert app.created is None
    assert tree(tmp_path) == before  # no staging folder, no project
    assert farewell(app)[0].startswith("No project was created")
    assert str(tmp_path / "svc") in farewell(app)[0]


async def test_keep_going_while_rendering_finishes_the_project(
    rules: RuleSet, tmp_path: Path
) -> None:
    gate = threading.Event()
    app = FwpickApp(rules, dest=tmp_path / "svc", create=slow_create(gate), no_lock=True)
    async with app.run_test(size=SIZE) as pilot:
        await start_render(pilot)
        await pilot.press("ctrl+q")
        await wait_for_screen(pilot, "confirm-stop")
        await pilot.press("enter")  # Keep going has the focus
        gate.set()
        await wait_for_screen(pilot, "DoneScreen", timeout=60)
        await pilot.press("enter")
    assert app.return_code == 0
    assert (tmp_path / "svc" / "pyproject.toml").is_file()


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
async def test_a_signal_during_a_render_stops_it_cleanly(
    rules: RuleSet, tmp_path: Path, signum: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    ended: list[int] = []
    monkeypatch.setattr(FwpickApp, "end_after_hang_up", lambda self: ended.append(1))
    monkeypatch.setattr(os, "dup2", lambda *a: None)  # keep the test's own terminal
    gate = threading.Event()
    before = tree(tmp_path)
    app = FwpickApp(rules, dest=tmp_path / "svc", create=slow_create(gate), no_lock=True)
    async with app.run_test(size=SIZE) as pilot:
        await start_render(pilot)
        if signum == signal.SIGHUP:
            app.hang_up()
        else:
            app.on_stop_signal(signum)
        gate.set()
        if signum == signal.SIGHUP:
            await wait_until(pilot, lambda: bool(ended))
            app.exit()
        else:
            await wait_until(pilot, lambda: app.return_code is not None)
    await app.workers.wait_for_complete() if app.is_running else None
    assert tree(tmp_path) == before
    assert app.created is None
    if signum != signal.SIGHUP:
        assert app.return_code == 128 + signum
        assert "no project was created" in farewell(app)[0]


async def test_the_scrollback_keeps_path_next_steps_and_command(
    rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    dest = tmp_path / "busy"
    dest.mkdir()
    (dest / "keep.txt").write_text("mine\n", encoding="utf-8")
    app = FwpickApp(rules, dest=Path("busy"), no_lock=True, no_git=True)
    async with app.run_test(size=SIZE) as pilot:
        await skip_to_options(pilot)
        await pilot.press("enter")
        await wait_for_screen(pilot, "non-empty-dir")
        await pilot.press("shift+tab", "enter")  # Overwrite
        await wait_for_preview(pilot)
        await pilot.press("enter")
        await wait_for_screen(pilot, "DoneScreen", timeout=60)
        assert "--overwrite" in text_of(app, "#command")
        await pilot.press("enter")
    text = "\n".join(farewell(app))
    assert f"Created a FastAPI project in {dest} (" in text
    assert "Next steps:\n  cd busy\n  make install" in text
    assert "fwpick new busy --yes" in text and text.rstrip().endswith("--overwrite")


async def test_tilde_and_variables_expand_in_the_directory(
    rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PROJECTS", str(tmp_path / "projects"))
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    app = FwpickApp(rules, dest=Path("svc"))
    async with app.run_test(size=SIZE) as pilot:
        await skip_to_options(pilot)
        await type_into(pilot, "#dest", "~/typed-tilde")
        assert "~/typed-tilde" in text_of(app, "#dest-status")
        assert app.state.plan().dest == tmp_path / "home" / "typed-tilde"
        assert app.state.plan().command().startswith("fwpick new ~/typed-tilde --yes")
        await type_into(pilot, "#dest", "$PROJECTS/svc")
        assert app.state.plan().dest == tmp_path / "projects" / "svc"
    assert not (tmp_path / "work" / "~").exists()


async def test_panel_explains_the_highlighted_answer_and_both_sides(rules: RuleSet) -> None:
    app = FwpickApp(rules)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, "WelcomeScreen")
        await pilot.press("enter")
        await wait_for_screen(pilot, "QuestionScreen")
        panel = app.screen.query_one(LivePanel)
        # Nothing answered, "A JSON API only" highlighted: its points and rules are shown.
        assert "Highlighted: A JSON API only" in text_of(app, "#live-effect-title")
        effect = prompt_text(app.screen.query_one("#live-effect", Static).content)
        assert "adds FastAPI +" in effect and "source:" in effect
        reasons = prompt_text(app.screen.query_one("#live-reasons", Static).content)
        assert "For FastAPI" in reasons and "For Flask" in reasons
        # "Not sure" is neutral, and says so.
        await pilot.press("end")
        await pilot.pause()
        assert "Neutral" in prompt_text(app.screen.query_one("#live-effect", Static).content)
        assert panel.rec.margin == 0
        assert "Tied" in text_of(app, "#live-leader")
        assert "tie-break" in text_of(app, "#live-leader")


async def test_an_answer_no_source_speaks_to_is_labelled_neutral(rules: RuleSet) -> None:
    answers = parse_answers(rules, {"interface": "api", "async_io": "yes", "ml_serving": "no"}, "t")
    app = FwpickApp(rules, answers=answers)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_screen(pilot, "WelcomeScreen")
        await pilot.press("enter")
        for _ in range(3):
            await wait_for_screen(pilot, "QuestionScreen")
            await pilot.press("enter")
        await wait_until(pilot, lambda: "4 of" in str(app.screen.sub_title))
        await answer_question_highlight(pilot, "fastapi")
        effect = prompt_text(app.screen.query_one("#live-effect", Static).content)
        assert "Neutral: none of the 5 sources" in effect


async def answer_question_highlight(pilot: Any, choice: str) -> None:
    choices = pilot.app.screen.query_one(ChoiceList)
    ids = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
    choices.highlighted = ids.index(choice)
    await pilot.pause()


async def test_help_answers_list_and_back_to_where_you_came_from(rules: RuleSet) -> None:
    app = FwpickApp(rules)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_screen(pilot, "WelcomeScreen")
        await pilot.press("enter")
        for choice in ("api", "yes", "no", "fastapi"):
            await wait_for_screen(pilot, "QuestionScreen")
            await answer_question(pilot, choice)
        await wait_until(pilot, lambda: "5 of" in str(app.screen.sub_title))
        for key in ("question_mark", "f1"):
            await pilot.press(key)
            await wait_for_screen(pilot, "help")
            keys = text_of(app, "#help-keys")
            assert "Recommend now" in keys and "Answers" in keys
            assert "Scroll" not in keys  # fwpick's keys, not Textual's internals
            await pilot.press("escape")  # closes the help, never quits
            await wait_for_screen(pilot, "QuestionScreen")
        assert app.return_code is None
        await pilot.press("ctrl+r")
        await wait_for_screen(pilot, "RecommendationScreen")
        await pilot.press("escape")  # back to question 5, where Ctrl+R was pressed
        await wait_until(pilot, lambda: "5 of" in str(app.screen.sub_title))
        await pilot.press("ctrl+r")
        await wait_for_screen(pilot, "RecommendationScreen")
        # Change question 1 from the answers list, then come straight back.
        await pilot.press("a")
        await wait_for_screen(pilot, "answers")
        await pilot.press("home", "enter")
        await wait_until(pilot, lambda: "1 of" in str(app.screen.sub_title))
        await answer_question(pilot, "html")
        await wait_for_screen(pilot, "RecommendationScreen")
        assert app.state.criteria["interface"] == "html"
        # Every button is reachable with Tab.
        seen = set()
        for _ in range(6):
            await pilot.press("tab")
            if app.screen.focused is not None and app.screen.focused.id:
                seen.add(app.screen.focused.id)
        assert {"accept", "override-fastapi"} <= seen or {"accept", "override-flask"} <= seen


async def test_the_docker_switch_says_yes_or_no(rules: RuleSet, tmp_path: Path) -> None:
    app = FwpickApp(rules, dest=tmp_path / "svc")
    async with app.run_test(size=SIZE) as pilot:
        await skip_to_options(pilot)
        assert text_of(app, "#option-docker-state") == "Yes"
        app.screen.query_one("#option-docker", Switch).focus()
        await pilot.press("space")
        await pilot.pause()
        assert text_of(app, "#option-docker-state") == "No"


def test_accented_names_transliterate() -> None:
    from scaffolder.project.naming import check_project_name, package_for

    assert package_for("Ünïcode") == "unicode"
    problem = check_project_name("Ünïcode service!")
    assert problem is None or "Unicode" in str(problem) or "unicode" in str(problem)


async def test_deploy_targets_are_ticked_in_a_list(
    rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = FwpickApp(rules, dest=tmp_path / "svc")
    async with app.run_test(size=SIZE) as pilot:
        await skip_to_options(pilot)
        targets = app.screen.query_one("#option-deploy")
        targets.focus()
        await pilot.press("down", "space")  # tick Kubernetes beside compose
        await pilot.pause()
        assert app.state.options["deploy"] == "compose,kubernetes"
        await pilot.press("ctrl+n")  # the default SQLite database can't scale past one pod
        await wait_for_screen(pilot, "usage-error")
        message = str(app.screen.query_one("#dialog-message", Static).render())
        assert "deploy=compose,kubernetes needs database to be one of none, postgres" in message
        await pilot.press("escape")
        await wait_for_screen(pilot, "OptionsScreen")
        targets.focus()
        await pilot.press("up", "space", "down", "space")  # compose and kubernetes off
        await pilot.pause()
        assert app.state.options["deploy"] == ""
        await pilot.press("ctrl+n")
        await wait_for_preview(pilot)
        tree = text_of(app, "#tree")
        assert "Dockerfile" in tree and "compose.yaml" not in tree and "k8s" not in tree
        assert "--deploy ''" in text_of(app, "#command")


async def test_an_untouched_deploy_list_follows_the_dockerfile_switch(
    rules: RuleSet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = FwpickApp(rules, dest=tmp_path / "svc")
    async with app.run_test(size=SIZE) as pilot:
        await skip_to_options(pilot)
        targets = app.screen.query_one("#option-deploy", SelectionList)
        assert targets.selected == ["compose"]
        app.screen.query_one("#option-docker", Switch).focus()
        await pilot.press("space")  # no Dockerfile: the default compose file goes too
        await pilot.pause()
        assert targets.selected == []
        assert app.state.options["deploy"] == "compose"  # still the default, not an answer
        await pilot.press("space")  # and comes back with it
        await pilot.pause()
        assert targets.selected == ["compose"]
        await pilot.press("space")
        await pilot.pause()
        # Ticked by hand without a Dockerfile, compose is the user's answer, and refused.
        targets.focus()
        await pilot.press("space")
        await pilot.pause()
        assert targets.selected == ["compose"]
        await pilot.press("ctrl+n")
        await wait_for_screen(pilot, "usage-error")
        message = str(app.screen.query_one("#dialog-message", Static).render())
        assert "needs docker" in message
