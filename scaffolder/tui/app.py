"""The wizard application: one worker walks the steps, each step is a screen.

Everything the app needs is injected (rules, prefilled answers, destination and
the function that writes the project), so tests can run it headless and swap parts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
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
from scaffolder.tui.screens.dialogs import confirm_quit, unexpected_error
from scaffolder.tui.state import Nav, WizardState

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

    # The wizard -----------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        # The welcome screen is the base of the stack, so the first paint needs no
        # worker and no screen switch; its Start begins the walk through the steps.
        from scaffolder.tui.screens.welcome import WelcomeScreen

        return WelcomeScreen(self.state)

    @work(exit_on_error=False, group="wizard", exclusive=True)
    async def run_steps(self) -> None:
        """Walk the steps; Escape dismisses with Nav.BACK and the loop steps back.

        Going back from the first question ends the walk on the welcome screen.
        """
        state = self.state
        criteria = state.rules.criteria
        # 0 = welcome, 1..n = questions, then recommendation, options, review + render.
        n = len(criteria)
        recommendation, options, created = n + 1, n + 2, n + 4
        step = 1
        while step < created:
            if step == 0:
                return
            if step <= len(criteria):
                result = await self.push_screen_wait(self._question(step))
                if isinstance(result, str):
                    state.criteria[criteria[step - 1].id] = result
                elif result is Nav.SKIP:
                    step = recommendation
                    continue
            elif step == recommendation:
                result = await self.push_screen_wait(self._recommendation())
                if isinstance(result, str):
                    state.choose_framework(result)
            elif step == options:
                result = await self.push_screen_wait(self._options())
            else:
                result = await self._review_and_create()
                if result is not Nav.BACK:
                    break
            step = max(0, step - 1) if result is Nav.BACK else step + 1
        self.push_screen(self._done())

    def _question(self, step: int) -> Screen[object]:
        from scaffolder.tui.screens.question import QuestionScreen

        return QuestionScreen(self.state, self.state.rules.criteria[step - 1], step)

    def _recommendation(self) -> Screen[object]:
        from scaffolder.tui.screens.recommendation import RecommendationScreen

        return RecommendationScreen(self.state)

    def _options(self) -> Screen[object]:
        from scaffolder.tui.screens.options import OptionsScreen

        return OptionsScreen(self.state)

    async def _review_and_create(self) -> object:
        """Review, then render; a failed render comes back to the review."""
        from scaffolder.tui.screens.progress import Created, RenderScreen
        from scaffolder.tui.screens.review import ReviewScreen

        while True:
            plan = self.state.plan()
            result = await self.push_screen_wait(ReviewScreen(self.state, plan))
            if result is Nav.BACK:
                return Nav.BACK
            outcome = await self.push_screen_wait(RenderScreen(self.state, plan))
            if isinstance(outcome, Created):
                self.created = outcome
                return outcome

    def _done(self) -> Screen[object]:
        from scaffolder.tui.screens.progress import DoneScreen

        assert self.created is not None
        return DoneScreen(self.state, self.created)

    # Commands ---------------------------------------------------------------------

    def command(self) -> str | None:
        """The equivalent ``fwpick new ...`` command, once the answers make a valid plan."""
        if self.created is not None:
            return self.created.plan.command()
        plan = self.state.try_plan()
        return plan.command() if plan is not None else None

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
        yield from super().get_system_commands(screen)

    def action_finish(self) -> None:
        self.exit(return_code=0)

    async def action_quit(self) -> None:
        if self.created is not None:
            self.exit(return_code=0)
        elif not self.state.has_answers:
            self.exit(return_code=EXIT_CANCELLED)
        elif self.screen.id != "confirm-quit":
            self.push_screen(confirm_quit(), self._quit_confirmed)

    def _quit_confirmed(self, choice: str | None) -> None:
        if choice == "quit":
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
