"""What every wizard step shares: the state, Escape = back, help, the answers list."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, ClassVar, cast

from textual import work
from textual.binding import Binding, BindingType
from textual.screen import Screen

from scaffolder.tui.state import Jump, Nav, WizardState

if TYPE_CHECKING:
    from scaffolder.tui.app import FwpickApp


class WizardScreen(Screen[object]):
    """A wizard step. It ends with an answer, ``Nav.NEXT``, ``Nav.BACK`` or a ``Jump``.

    The app waits on :attr:`result` and then *replaces* this screen with the next one,
    so nothing underneath flashes between steps.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("f2", "answers", "Answers"),
    ]
    # One paragraph for the help screen: what this step is for and how to use it.
    HELP = ""
    # Whether the answers list may jump away from this step.
    CAN_JUMP = True

    def __init__(self, state: WizardState, *, step: str = "") -> None:
        super().__init__()
        self.state = state
        self.sub_title = step
        self.result: asyncio.Future[object] | None = None

    @property
    def wizard(self) -> FwpickApp:
        # Screens only ever run inside FwpickApp; a runtime import here would make the
        # app and its screens import each other.
        return cast("FwpickApp", self.app)

    def done(self, result: object) -> None:
        """End this step with ``result``; the app shows the next step in its place."""
        if self.result is not None and not self.result.done():
            self.result.set_result(result)

    def action_back(self) -> None:
        self.done(Nav.BACK)

    def action_answers(self) -> None:
        if self.CAN_JUMP:
            self.pick_question()

    @work(exclusive=True, group="answers")
    async def pick_question(self) -> None:
        from scaffolder.tui.screens.answers import AnswersScreen

        number = await self.app.push_screen_wait(AnswersScreen(self.state))
        if isinstance(number, int):
            self.done(Jump(number))
