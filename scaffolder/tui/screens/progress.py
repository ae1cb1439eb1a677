"""Writing the project (in a thread, with a progress bar) and the summary afterwards."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from scaffolder.errors import FwpickError
from scaffolder.project.adr import ADR_PATH
from scaffolder.project.plan import ProjectPlan
from scaffolder.tui.screens.base import WizardScreen
from scaffolder.tui.screens.dialogs import MessageDialog
from scaffolder.tui.state import Nav, WizardState
from scaffolder.tui.widgets import MouseButton, TitleBar

# The steps scaffolder.project.new.create reports, in order, with what the user sees.
STEPS = {
    "render": "Rendering the template",
    "lock": "Locking dependencies (uv lock)",
    "git": "Creating the git repository",
    "move": "Moving the project into place",
    "done": "Done",
}


@dataclass(frozen=True)
class Created:
    plan: ProjectPlan
    files: list[str]
    git_done: bool
    git_message: str


class RenderScreen(WizardScreen):
    """No Back here: the render is atomic, so the only way out is success or a dialog."""

    BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(self, state: WizardState, plan: ProjectPlan) -> None:
        super().__init__(state, step="Creating")
        self.plan = plan

    def compose(self) -> ComposeResult:
        label = self.state.rules.framework(self.plan.framework).label
        yield TitleBar(self.sub_title)
        with VerticalScroll(classes="body"):
            yield Static(
                Content.from_markup(
                    "Creating a [b]$label[/] project in [b]$dest[/]",
                    label=label,
                    dest=str(self.plan.dest),
                ),
                classes="title",
            )
            yield ProgressBar(total=len(STEPS), show_eta=False, id="progress")
            yield Static("Starting", id="step")
        yield Footer()

    def on_mount(self) -> None:
        self.write()

    def action_back(self) -> None:
        """Escape does nothing while files are being written."""

    def _step(self, step: str) -> None:
        self.query_one("#step", Static).update(STEPS.get(step, step))
        self.query_one(ProgressBar).advance(1)

    def _progress(self, step: str) -> None:
        # Called from the worker thread: hand the update to the UI thread.
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._step, step)

    @work(thread=True, exclusive=True, exit_on_error=False, group="render")
    def write(self) -> Created:
        result, git_message = self.wizard.create(
            self.state.rules,
            self.plan,
            no_git=self.wizard.no_git,
            overwrite=self.state.overwrite,
            templates=self.wizard.templates,
            progress=self._progress,
            lock=not self.wizard.no_lock,
        )
        return Created(self.plan, result.files, result.git_done, git_message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state is WorkerState.SUCCESS and worker.group == "render":
            self.finish(worker.result)
        elif event.state is WorkerState.ERROR and worker.error is not None:
            if isinstance(worker.error, FwpickError) and worker.group == "render":
                self.failed(worker.error)
            else:
                self.wizard.crash(worker.error)

    @work(exit_on_error=False, group="after-render")
    async def finish(self, created: object) -> None:
        assert isinstance(created, Created)
        if not created.git_done and not self.wizard.no_git:
            # The project exists; git is a notice, not a failure.
            await self.app.push_screen_wait(
                MessageDialog(
                    "Project created without git",
                    f"{created.git_message}.\n\nThe project itself was created.",
                    kind="warning",
                    id="git-notice",
                )
            )
        self.dismiss(created)

    @work(exit_on_error=False, group="after-render")
    async def failed(self, error: FwpickError) -> None:
        await self.app.push_screen_wait(
            MessageDialog(
                "The project could not be created",
                f"{error}\n\nNothing was written to {self.plan.dest}.",
                (("back", "Back to review", "primary"),),
                id="render-error",
            )
        )
        self.dismiss(Nav.BACK)


class DoneScreen(WizardScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "app.finish", "Quit"),
        Binding("c", "app.copy_command", "Copy command"),
        Binding("escape", "app.finish", "Quit", show=False),
    ]

    def __init__(self, state: WizardState, created: Created) -> None:
        super().__init__(state, step="Done")
        self.created = created

    def compose(self) -> ComposeResult:
        created, plan = self.created, self.created.plan
        rules = self.state.rules
        label = rules.framework(plan.framework).label
        steps = [f"cd {shlex.quote(str(plan.dest))}"]
        if "Makefile" in created.files:
            steps.append("make install && make check")
        yield TitleBar(self.sub_title)
        with VerticalScroll(classes="body", id="done"):
            yield Static(
                Content.from_markup(
                    "Created a [b $success]$label[/] project in [b]$dest[/] ($n files)",
                    label=label,
                    dest=str(plan.dest),
                    n=str(len(created.files)),
                ),
                classes="title",
            )
            yield Static(created.git_message, classes="text", markup=False)
            yield Static(
                Content.from_markup("Why $label: see [b]$adr[/]", label=label, adr=ADR_PATH),
                classes="text",
            )
            yield Static("Next steps", classes="h2")
            yield Static("\n".join(steps), classes="command", markup=False)
            yield Static("To create it again without the wizard", classes="h2")
            yield Static(plan.command(), id="command", classes="command", markup=False)
        with Horizontal(classes="buttons"):
            yield MouseButton("Copy command", id="copy")
            yield MouseButton("Quit", id="quit", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#done").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "copy":
            self.wizard.action_copy_command()
        else:
            self.wizard.action_finish()
