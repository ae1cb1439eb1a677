"""What every wizard step shares: the state, Escape = back, a header and a footer."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.binding import Binding, BindingType
from textual.screen import Screen

from scaffolder.tui.state import Nav, WizardState

if TYPE_CHECKING:
    from scaffolder.tui.app import FwpickApp


class WizardScreen(Screen[object]):
    """A wizard step. It dismisses with an answer, ``Nav.NEXT`` or ``Nav.BACK``."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]

    def __init__(self, state: WizardState, *, step: str = "") -> None:
        super().__init__()
        self.state = state
        self.sub_title = step

    @property
    def wizard(self) -> FwpickApp:
        # Screens only ever run inside FwpickApp; a runtime import here would make the
        # app and its screens import each other.
        return cast("FwpickApp", self.app)

    def action_back(self) -> None:
        self.dismiss(Nav.BACK)
