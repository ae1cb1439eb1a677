"""Review: what will be written where, and the command that does the same without the wizard."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Static
from textual.worker import Worker, WorkerState, get_current_worker

from scaffolder.errors import FwpickError
from scaffolder.project.filetree import file_tree
from scaffolder.project.plan import ProjectPlan
from scaffolder.tui.screens.base import WizardScreen
from scaffolder.tui.screens.options import home_short
from scaffolder.tui.state import Nav, WizardState
from scaffolder.tui.widgets import MouseButton, TitleBar


class ReviewScreen(WizardScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "create", "Create project"),
        Binding("escape", "back", "Back"),
        Binding("a", "answers", "Answers", show=False),
    ]
    HELP = (
        "Everything fwpick will write, and where, before it writes anything. Enter creates "
        "the project; Escape goes back to the options. The command below does the same "
        "without the wizard."
    )

    def __init__(self, state: WizardState, plan: ProjectPlan) -> None:
        super().__init__(state, step="Review")
        self.plan = plan

    def compose(self) -> ComposeResult:
        yield TitleBar(self.sub_title)
        with VerticalScroll(classes="body", id="review"):
            yield Static(self._summary(), classes="text", id="summary")
            yield Static("Files that will be written", classes="h2")
            files = Static(id="tree", markup=False)
            files.loading = True
            yield files
            yield Static("The same without the wizard", classes="h2")
            yield Static(self.plan.command(), id="command", classes="command", markup=False)
        with Horizontal(classes="buttons"):
            yield MouseButton("Back", id="back")
            yield MouseButton("Create project", id="create", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#review").focus()
        self.load_preview()

    def _summary(self) -> Content:
        rules, plan = self.state.rules, self.plan
        label = rules.framework(plan.framework).label
        lines = [
            Content.from_markup(
                "Create a [b]$label[/] project named [b]$name[/] (package [b]$package[/])",
                label=label,
                name=plan.name,
                package=plan.package,
            ),
            Content.from_markup("in [b]$dest[/]", dest=home_short(plan.dest.resolve())),
        ]
        if plan.overridden:
            recommended = rules.framework(plan.recommendation.framework).label
            lines.append(
                Content.styled(f"Override: the rules recommended {recommended}.", "$warning")
            )
        if self.state.overwrite:
            lines.append(
                Content.styled(
                    "The directory is not empty: files the template writes are replaced; "
                    "other files are kept.",
                    "$warning",
                )
            )
        by_id = {o.id: o for o in rules.options}
        for key, value in plan.options.items():
            shown = ("yes" if value else "no") if isinstance(value, bool) else value
            lines.append(
                Content.from_markup("[$text-muted]$q[/] $v", q=by_id[key].question, v=shown)
            )
        return Content("\n").join(lines)

    @work(thread=True, exclusive=True, exit_on_error=False, group="preview")
    def load_preview(self) -> str:
        """Render the template away from the destination (about half a second)."""
        from scaffolder.project.new import preview_files

        plan = self.plan
        try:
            files = preview_files(
                self.state.rules, plan, self.wizard.templates, lock=not self.wizard.no_lock
            )
        except FwpickError as exc:
            text = f"The preview failed: {exc}"
        else:
            existing = {f for f in files if (plan.dest / f).exists()}
            text = file_tree(Path(plan.dest).name or str(plan.dest), files, existing)
            text += f"\n\n{len(files)} files"
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_tree, text)
        return text

    def _show_tree(self, text: str) -> None:
        tree = self.query_one("#tree", Static)
        tree.update(text)
        tree.loading = False

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.wizard.crash(event.worker.error)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "back":
            self.action_back()
        else:
            self.action_create()

    def action_create(self) -> None:
        self.done(Nav.NEXT)
