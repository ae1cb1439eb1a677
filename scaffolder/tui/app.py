"""The wizard application: one worker walks the steps, each step is a screen.

Everything the app needs is injected (rules, prefilled answers, destination and
the function that writes the project), so tests can run it headless and swap parts.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from textual import work
from textual.actions import ActionParseResult
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from scaffolder.decide.answers import Answers
from scaffolder.decide.model import RuleSet
from scaffolder.project.interrupt import STOP_SIGNALS, StopSwitch, exit_code_for
from scaffolder.tui.screens.base import WizardScreen
from scaffolder.tui.screens.dialogs import confirm_quit, confirm_stop, unexpected_error
from scaffolder.tui.state import Jump, Nav, WizardState

if TYPE_CHECKING:
    from scaffolder.project.plan import ProjectPlan
    from scaffolder.project.render import RenderResult
    from scaffolder.tui.screens.progress import Created

EXIT_CANCELLED = 130  # like Ctrl-C on the command line: the user stopped, nothing was made


class CreateProject(Protocol):
    """The signature of :func:`scaffolder.project.new.create`."""

    def __call__(
        self,
        rules: RuleSet,
        plan: ProjectPlan,
        *,
        no_git: bool,
        overwrite: bool,
        templates: Path | None = None,
        progress: Callable[[str], None] | None = None,
        lock: bool = True,
    ) -> tuple[RenderResult, str]: ...


def default_create() -> CreateProject:
    from scaffolder.project.new import create

    return create


class FwpickApp(App[None]):
    CSS_PATH = "fwpick.tcss"
    TITLE = "fwpick"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("q", "quit", "Quit", show=False),
    ]

    def __init__(
        self,
        rules: RuleSet,
        *,
        rules_path: str | None = None,
        dest: Path | None = None,
        answers: Answers | None = None,
        create: CreateProject | None = None,
        templates: Path | None = None,
        no_git: bool = False,
        no_lock: bool = False,
    ) -> None:
        super().__init__()
        self.state = WizardState.from_answers(rules, answers, dest, rules_path)
        self.create = create or default_create()
        self.templates = templates
        self.no_git = no_git
        self.no_lock = no_lock
        self.created: Created | None = None
        self.crashed: BaseException | None = None
        # A stop request (a signal, or Quit while rendering) ends a render at its next
        # safe step; ``stopped_by`` is the signal that ended the app, if any.
        self.stop = StopSwitch()
        self.rendering = False
        self.stopped_by: int | None = None
        self.hung_up = False

    # The wizard -----------------------------------------------------------------

    def on_mount(self) -> None:
        if self.is_headless:
            return  # tests call on_stop_signal themselves
        loop = asyncio.get_running_loop()

        def handler(signum: int, _frame: FrameType | None) -> None:
            # Python-level handlers run even while the app's loop is blocked (say, on a
            # terminal that has gone), which is exactly when a hang-up arrives.
            if signum == getattr(signal, "SIGHUP", None):
                self.hang_up()
            else:
                loop.call_soon_threadsafe(self.on_stop_signal, signum)

        for sig in STOP_SIGNALS:
            with contextlib.suppress(ValueError):  # not the main thread
                signal.signal(sig, handler)

    def hang_up(self) -> None:
        """The terminal is gone: nothing can be shown or restored, so once no render is
        running (its clean-up done), end the process at once."""
        self.hung_up = True
        if self.stopped_by is None:
            self.stopped_by = int(signal.SIGHUP)
        with contextlib.suppress(OSError):
            # Reads and writes on a closed terminal fail; /dev/null keeps Textual's
            # threads quiet until the process ends.
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
        if self.rendering:
            self.stop.request(signal.SIGHUP)  # the render ends the process when it is done
            return
        self.end_after_hang_up()

    def end_after_hang_up(self) -> None:
        os._exit(0 if self.created is not None else exit_code_for(signal.SIGHUP))

    def on_stop_signal(self, signum: int) -> None:
        """A closed terminal, a kill or Ctrl-C from outside: stop safely, then exit."""
        if self.stopped_by is None:
            self.stopped_by = signum
        if self.rendering:
            self.stop.request(signum)  # the render screen exits once the render has ended
        elif self.created is not None:
            self.exit(return_code=0)
        else:
            self.exit(return_code=exit_code_for(signum))

    def get_default_screen(self) -> Screen[Any]:
        # The welcome screen is the base of the stack, so the first paint needs no
        # worker and no screen switch; its Start begins the walk through the steps.
        from scaffolder.tui.screens.welcome import WelcomeScreen

        return WelcomeScreen(self.state)

    @work(exit_on_error=False, group="wizard", exclusive=True)
    async def run_steps(self) -> None:
        """Walk the steps. Escape goes back to where the user came from (a history, not
        step - 1); the answers list jumps to a question and returns after it is answered.
        Going back from the first step ends the walk on the welcome screen.
        """
        state = self.state
        criteria = state.rules.criteria
        # 1..n = questions, then the recommendation, the migration (only for a Flask
        # codebase moving to FastAPI), the options, review + render.
        n = len(criteria)
        recommendation, migration, options = n + 1, n + 2, n + 3
        history: list[int] = []
        resume: int | None = None  # where a jump from the answers list returns to
        step = 1
        while True:
            if step <= n:
                result = await self.show(self._question(step))
                if isinstance(result, str):
                    state.criteria[criteria[step - 1].id] = result
            elif step == recommendation:
                result = await self.show(self._recommendation())
                if isinstance(result, str):
                    state.choose_framework(result)
            elif step == migration:
                if not state.offers_migration:
                    state.set_migration("", "")
                    step += 1  # not a step of this walk, so not in the history either
                    continue
                result = await self.show(self._migration())
            elif step == options:
                result = await self.show(self._options())
            else:
                result = await self._review_and_create()
                if result is not Nav.BACK:
                    break
            if result is Nav.BACK:
                if not history:
                    await self.pop_screen()  # back to the welcome screen
                    return
                step = history.pop()
                resume = None if resume == step else resume
                continue
            if isinstance(result, Jump):
                history.append(step)
                resume, step = step, result.number
                continue
            if resume is not None and step <= n:
                # A question reached from the answers list: return where the user was.
                step, resume = history.pop(), None
                continue
            history.append(step)
            step = recommendation if result is Nav.SKIP else step + 1
        await self.show(self._done())

    async def show(self, screen: WizardScreen) -> object:
        """Show a step in place of the current one and wait for its result."""
        screen.result = asyncio.get_running_loop().create_future()
        if isinstance(self.screen, WizardScreen) and len(self.screen_stack) > 1:
            await self.switch_screen(screen)
        else:
            await self.push_screen(screen)
        return await screen.result

    def _question(self, step: int) -> WizardScreen:
        from scaffolder.tui.screens.question import QuestionScreen

        return QuestionScreen(self.state, self.state.rules.criteria[step - 1], step)

    def _recommendation(self) -> WizardScreen:
        from scaffolder.tui.screens.recommendation import RecommendationScreen

        return RecommendationScreen(self.state)

    def _migration(self) -> WizardScreen:
        from scaffolder.tui.screens.migration import MigrationScreen

        return MigrationScreen(self.state)

    def _options(self) -> WizardScreen:
        from scaffolder.tui.screens.options import OptionsScreen

        return OptionsScreen(self.state)

    async def _review_and_create(self) -> object:
        """Review, then render; a failed render comes back to the review."""
        from scaffolder.tui.screens.progress import Created, RenderScreen
        from scaffolder.tui.screens.review import ReviewScreen

        while True:
            plan = self.state.plan()
            result = await self.show(ReviewScreen(self.state, plan))
            if result is Nav.BACK or isinstance(result, Jump):
                return result
            outcome = await self.show(RenderScreen(self.state, plan))
            if isinstance(outcome, Created):
                self.created = outcome
                return outcome

    def _done(self) -> WizardScreen:
        from scaffolder.tui.screens.progress import DoneScreen

        assert self.created is not None
        return DoneScreen(self.state, self.created)

    # Commands ---------------------------------------------------------------------

    def command(self) -> str | None:
        """The equivalent ``fwpick new ...`` command, once the answers make a valid plan."""
        if self.created is not None:
            return self.created.plan.command(overwrite=self.created.overwrite)
        plan = self.state.try_plan()
        return plan.command(overwrite=self.state.overwrite) if plan is not None else None

    def action_copy_command(self) -> None:
        command = self.command()
        if command is None:
            self.notify(
                "Choose a valid project name first.", title="No command yet", severity="warning"
            )
            return
        self.copy_to_clipboard(command)
        self.notify(command, title="Copied the equivalent command", timeout=8)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield SystemCommand(
            "Copy the equivalent command",
            "Copy the 'fwpick new ...' command that creates this project without the wizard",
            self.action_copy_command,
        )
        yield SystemCommand("Help", "What this step is for, and fwpick's keys", self.action_help)
        if isinstance(screen, WizardScreen) and screen.CAN_JUMP:
            yield SystemCommand(
                "Answers", "See every answer and jump to a question", screen.action_answers
            )
        for command in super().get_system_commands(screen):
            # Textual's key panel lists its widgets' internals; fwpick's help replaces it.
            if command.title != "Keys":
                yield command

    def action_help(self) -> None:
        from scaffolder.tui.screens.help import HelpScreen, key_lines

        screen = self.screen
        if not isinstance(screen, WizardScreen):
            return  # a dialog or the help itself is open
        title = f"Help: {screen.sub_title or 'fwpick'}"
        self.push_screen(HelpScreen(title, screen.HELP, key_lines(screen)))

    def action_finish(self) -> None:
        self.exit(return_code=0)

    async def action_quit(self) -> None:
        if self.created is not None:
            self.exit(return_code=0)
        elif self.rendering:
            if self.screen.id != "confirm-stop" and not self.stop.requested:
                dest = str(self.state.dest_path.resolve())
                self.push_screen(confirm_stop(dest), self._stop_confirmed)
        elif not self.state.has_answers:
            self.exit(return_code=EXIT_CANCELLED)
        elif self.screen.id != "confirm-quit":
            self.push_screen(confirm_quit(), self._quit_confirmed)

    def _quit_confirmed(self, choice: str | None) -> None:
        if choice == "quit":
            self.exit(return_code=EXIT_CANCELLED)

    def _stop_confirmed(self, choice: str | None) -> None:
        if choice != "stop":
            return
        if self.created is not None:
            self.exit(return_code=0)  # it finished while the question was open
        elif self.rendering:
            self.stop.request(signal.SIGINT)  # the render screen exits when it has ended
        else:
            self.exit(return_code=EXIT_CANCELLED)

    # Errors -----------------------------------------------------------------------

    def crash(self, error: BaseException) -> None:
        """Show an unexpected error in a dialog, then exit with code 1."""
        if self.crashed is not None:
            return
        self.crashed = error
        self.push_screen(unexpected_error(error), lambda _: self.exit(return_code=1))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            self.crash(event.worker.error)

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Mapping[str, DOMNode] | None = None,
    ) -> bool:
        # Key bindings run actions in the app's own message loop, which an exception
        # would end; catching it here keeps the app alive to show the dialog.
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as error:
            self.crash(error)
            return True

    def _handle_exception(self, error: Exception) -> None:
        # Textual's default prints a traceback and exits; a dialog is kinder. It needs a
        # live app loop: errors before the first screen, in the app's own loop, or while
        # the dialog is up fall back to the default.
        in_app_loop = asyncio.current_task() is getattr(self, "_task", None)
        if self.crashed is not None or in_app_loop or not self.is_running or not self.screen_stack:
            super()._handle_exception(error)
            return
        self.crash(error)
