"""Writing the project (in a thread, with a progress bar) and the summary afterwards."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Footer, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from scaffolder.decide.model import RuleSet
from scaffolder.errors import FwpickError
from scaffolder.project.adr import ADR_PATH
from scaffolder.project.interrupt import Interrupted
from scaffolder.project.next_steps import created_summary, lock_line, next_steps
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
    lock_message: str = ""
    overwrite: bool = False

    def summary(self, rules: RuleSet) -> str:
        """The lines left in the scrollback: where, why, next steps, the command."""
        return created_summary(
            rules,
            self.plan,
            self.files,
            self.git_message,
            self.lock_message,
            overwrite=self.overwrite,
        )


class RenderScreen(WizardScreen, inherit_bindings=False):
    """No Back here: the render is atomic. Quit asks first, then stops it safely."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("ctrl+q", "app.quit", "Stop")]
    HELP = (
        "fwpick is writing the project into a staging folder next to the destination and "
        "moves it into place at the end. Quitting now asks first; stopping leaves the "
        "destination exactly as it was."
    )
    CAN_JUMP = False

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
                    dest=str(self.plan.dest.resolve()),
                ),
                classes="title",
            )
            yield ProgressBar(total=len(STEPS), show_eta=False, id="progress")
            yield Static("Starting", id="step")
        yield Footer()

    def on_mount(self) -> None:
        self.wizard.rendering = True
        self.write()

    def action_back(self) -> None:
        """There is no going back while files are being written."""

    def _step(self, step: str) -> None:
        self.query_one("#step", Static).update(STEPS.get(step, step))
        self.query_one(ProgressBar).advance(1)

    class Step(Message):
        def __init__(self, step: str) -> None:
            super().__init__()
            self.step = step

    def _progress(self, step: str) -> None:
        # Called from the worker thread. post_message is thread-safe and does not wait
        # for the UI, so a stopping app never holds up the render's clean-up.
        if not get_current_worker().is_cancelled:
            self.post_message(self.Step(step))

    def on_render_screen_step(self, message: Step) -> None:
        self._step(message.step)

    @work(thread=True, exclusive=True, exit_on_error=False, group="render")
    def write(self) -> Created:
        try:
            created = self._create()
        except BaseException:
            # The staging is gone by now; with the terminal closed, nobody waits for more.
            if self.wizard.hung_up:
                self.wizard.end_after_hang_up()
            raise
        if self.wizard.hung_up:
            self.wizard.created = created
            self.wizard.end_after_hang_up()
        return created

    def _create(self) -> Created:
        result, git_message = self.wizard.create(
            self.state.rules,
            self.plan,
            no_git=self.wizard.no_git,
            overwrite=self.state.overwrite,
            templates=self.wizard.templates,
            progress=self.wizard.stop.guard(self._progress),
            lock=not self.wizard.no_lock,
        )
        lock = lock_line(result.lock_done, result.lock_message)
        return Created(
            self.plan,
            result.files,
            result.git_done,
            git_message,
            lock,
            overwrite=self.state.overwrite,
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "render" or event.state not in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
        ):
            if event.state is WorkerState.ERROR and worker.error is not None:
                self.wizard.crash(worker.error)
            return
        wizard = self.wizard
        wizard.rendering = False
        if wizard.hung_up:
            if event.state is WorkerState.SUCCESS:
                wizard.created = worker.result
            wizard.end_after_hang_up()
        if event.state is WorkerState.SUCCESS:
            assert isinstance(worker.result, Created)
            wizard.created = worker.result  # it exists on disk, whatever happens next
            if wizard.stop.requested:
                wizard.exit(return_code=0)  # a stop came too late to undo: it is complete
            else:
                self.finish(worker.result)
        elif isinstance(worker.error, Interrupted):
            wizard.exit(return_code=worker.error.exit_code)
        elif isinstance(worker.error, FwpickError):
            self.failed(worker.error)
        elif worker.error is not None:
            wizard.crash(worker.error)

    @work(exit_on_error=False, group="after-render")
    async def finish(self, created: Created) -> None:
        # A "Stop?" question may still be open: the project exists, so answer it first.
        while self.app.screen is not self:
            await asyncio.sleep(0.05)
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
        self.done(created)

    @work(exit_on_error=False, group="after-render")
    async def failed(self, error: FwpickError) -> None:
        await self.app.push_screen_wait(
            MessageDialog(
                "The project could not be created",
                f"{error}\n\nNothing was written to {self.plan.dest.resolve()}.",
                (("back", "Back to review", "primary"),),
                id="render-error",
            )
        )
        self.done(Nav.BACK)


class DoneScreen(WizardScreen, inherit_bindings=False):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "app.finish", "Quit"),
        Binding("c", "app.copy_command", "Copy command"),
        Binding("escape", "app.finish", "Quit", show=False),
    ]
    HELP = (
        "The project is created. These lines stay in your terminal after fwpick quits: the "
        "project's folder, the next steps and the command that creates it again."
    )
    CAN_JUMP = False

    def __init__(self, state: WizardState, created: Created) -> None:
        super().__init__(state, step="Done")
        self.created = created

    def compose(self) -> ComposeResult:
        created, plan = self.created, self.created.plan
        rules = self.state.rules
        label = rules.framework(plan.framework).label
        steps = next_steps(plan.dest, created.files)
        yield TitleBar(self.sub_title)
        with VerticalScroll(classes="body", id="done"):
            yield Static(
                Content.from_markup(
                    "Created a [b $success]$label[/] project in [b]$dest[/] ($n files)",
                    label=label,
                    dest=str(plan.dest.resolve()),
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
            yield Static(
                plan.command(overwrite=created.overwrite),
                id="command",
                classes="command",
                markup=False,
            )
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
