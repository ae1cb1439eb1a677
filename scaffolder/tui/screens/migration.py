"""The middle road for a Flask codebase moving to FastAPI: serve the old app while porting it.

Shown only when the answers say the work extends a Flask application and FastAPI is the
framework, picked or chosen. The folder and the app are checked as they are typed, with
the same checks as ``--migrate-from`` and ``--flask-app``.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Footer, Input, Label, Static, Switch

from scaffolder.errors import UsageError
from scaffolder.project.bridge import require_lock
from scaffolder.project.legacy import FLASK_DEFAULT_MODULES
from scaffolder.project.migration_plan import QUOTE, quote_source
from scaffolder.tui.screens.base import WizardScreen
from scaffolder.tui.screens.dialogs import MessageDialog
from scaffolder.tui.screens.options import FieldInput, home_short, yes_no
from scaffolder.tui.state import Nav, WizardState, check_legacy_folder, flask_app_problem
from scaffolder.tui.widgets import MouseButton, TitleBar

# What ``flask`` looks for when it is not told the app, as fwpick does.
NAMES = "app, application, create_app or make_app"


class LegacyFolder(Validator):
    def validate(self, value: str) -> ValidationResult:
        found = check_legacy_folder(value)
        return self.failure(found) if isinstance(found, str) else self.success()


class FlaskApp(Validator):
    def validate(self, value: str) -> ValidationResult:
        problem = flask_app_problem(value)
        return self.success() if problem is None else self.failure(problem)


class MigrationScreen(WizardScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+n", "next", "Next"),
        Binding("escape", "back", "Back"),
    ]
    HELP = (
        "Your answers say the work extends a Flask application, and the framework is "
        "FastAPI. Switch the bridge on and the new FastAPI project serves the existing Flask "
        "app unchanged: new endpoints are written in FastAPI while every old route keeps "
        "working, and docs/migration.md lists the routes left to port. Type the Flask "
        "project's folder (it is checked as you type) and, if fwpick should not look for the "
        "app itself, name it as MODULE:ATTR. Leave the switch off for a fresh project."
    )

    def __init__(self, state: WizardState) -> None:
        super().__init__(state, step="Migration from Flask")
        self.folder = state.project.get("migrate_from", "")
        self.flask_app = state.project.get("flask_app", "")

    def compose(self) -> ComposeResult:
        on_now = bool(self.state.migrate_from)
        yield TitleBar(self.sub_title)
        with VerticalScroll(classes="body", id="migration"):
            yield Static("Keep your Flask app running while you port it", classes="title")
            yield Static(
                "fwpick can make a FastAPI project that mounts your existing Flask "
                "application: FastAPI's routes come first and every other request goes to "
                "Flask unchanged, so you port one route at a time and remove the mount when "
                "none is left. fwpick check counts the routes still to port.",
                classes="text",
            )
            source = quote_source(self.state.rules)
            yield Static(
                Content.from_markup(
                    "[i]\u201c$quote\u201d[/] [$text-muted]\u2014 $citation[/]",
                    quote=QUOTE.removesuffix("."),
                    citation=source.citation,
                ),
                classes="text",
                id="quote",
            )
            yield Label("Serve the existing Flask app from the new project?", classes="field-label")
            yield Horizontal(
                Switch(on_now, id="bridge"),
                Static(yes_no(on_now), id="bridge-state", classes="switch-state"),
                classes="switch-row",
            )
            yield Label("Flask project folder", classes="field-label")
            yield FieldInput(
                self.folder,
                id="legacy-folder",
                placeholder="e.g. ../shop",
                validators=[LegacyFolder()],
                validate_on=["changed", "submitted"],
                disabled=not on_now,
            )
            yield Static(id="legacy-status", classes="status")
            yield Label("Flask app (optional)", classes="field-label")
            yield FieldInput(
                self.flask_app,
                id="flask-app",
                placeholder="MODULE:ATTR, e.g. shop:create_app",
                validators=[FlaskApp()],
                validate_on=["changed", "submitted"],
                disabled=not on_now,
            )
            yield Static(id="flask-app-status", classes="status")
        with Horizontal(classes="buttons"):
            yield MouseButton("Back", id="back")
            yield MouseButton("Next", id="next", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.show_status()
        if self.bridge_on:
            self.query_one("#legacy-folder", Input).focus()
        else:
            self.query_one("#bridge", Switch).focus()

    @property
    def bridge_on(self) -> bool:
        return self.query_one("#bridge", Switch).value

    def show_status(self) -> None:
        """What fwpick makes of the folder and the app, or what is wrong with them."""
        folder = self.query_one("#legacy-status", Static)
        app = self.query_one("#flask-app-status", Static)
        if not self.bridge_on:
            folder.set_class(False, "-invalid")
            app.set_class(False, "-invalid")
            fresh = "A fresh FastAPI project, without a mount."
            folder.update(Content.styled(fresh, "$text-muted"))
            app.update("")
            return
        found = check_legacy_folder(self.folder)
        folder.set_class(isinstance(found, str) and bool(self.folder.strip()), "-invalid")
        if isinstance(found, str):
            folder.update(Content(found))
        else:
            folder.update(
                Content.from_markup(
                    "→ [b]$name[/], a Flask project in $where",
                    name=found.distribution,
                    where=home_short(found.root),
                )
            )
        problem = flask_app_problem(self.flask_app)
        app.set_class(problem is not None, "-invalid")
        if problem is not None:
            app.update(Content(problem))
        elif self.flask_app.strip():
            app.update(Content.from_markup("→ [b]$spec[/]", spec=self.flask_app.strip()))
        elif isinstance(found, str):
            app.update(Content(f"Left empty, fwpick uses FLASK_APP or looks for {NAMES}."))
        elif found.flask_app_hint:
            app.update(Content(f"Left empty, fwpick uses FLASK_APP={found.flask_app_hint}."))
        else:
            modules = ", ".join(found.modules or FLASK_DEFAULT_MODULES)
            app.update(Content(f"Left empty, fwpick looks in {modules} for {NAMES}."))

    @on(Switch.Changed, "#bridge")
    def bridge_switched(self, event: Switch.Changed) -> None:
        self.query_one("#bridge-state", Static).update(yes_no(event.value))
        for field in ("#legacy-folder", "#flask-app"):
            self.query_one(field, Input).disabled = not event.value
        self.show_status()
        if event.value:
            self.query_one("#legacy-folder", Input).focus()

    @on(Input.Changed, "#legacy-folder")
    def folder_changed(self, event: Input.Changed) -> None:
        self.folder = event.value
        self.show_status()

    @on(Input.Changed, "#flask-app")
    def app_changed(self, event: Input.Changed) -> None:
        self.flask_app = event.value
        self.show_status()

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "back":
            self.action_back()
        elif event.button.id == "next":
            self.action_next()

    def action_next(self) -> None:
        self.check_and_continue()

    @work(exclusive=True, group="migration-next")
    async def check_and_continue(self) -> None:
        """Each problem is a dialog; the render itself imports the app and may refuse it."""
        if not self.bridge_on:
            self.state.set_migration("", "")
            self.done(Nav.NEXT)
            return
        found = check_legacy_folder(self.folder)
        problem = found if isinstance(found, str) else flask_app_problem(self.flask_app)
        if problem is None and self.wizard.no_lock:
            try:
                require_lock(lock=False)
            except UsageError as exc:
                problem = str(exc)
        if problem is not None:
            await self.app.push_screen_wait(
                MessageDialog("Can't serve this Flask project", problem, id="bad-legacy")
            )
            self.query_one("#legacy-folder", Input).focus()
            return
        self.state.set_migration(self.folder, self.flask_app)
        self.done(Nav.NEXT)
