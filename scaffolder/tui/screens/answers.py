"""The answers so far, one line per question: Enter jumps to that question."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from scaffolder.decide.model import NOT_SURE
from scaffolder.tui.state import WizardState


class AnswersScreen(ModalScreen[int | None]):
    """Dismisses with the chosen question's number (1-based), or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("f2", "close", "Close", show=False),
    ]

    def __init__(self, state: WizardState) -> None:
        super().__init__(id="answers", classes="dialog -info")
        self.state = state

    def compose(self) -> ComposeResult:
        rules = self.state.rules
        width = len(str(len(rules.criteria)))
        options = []
        for number, criterion in enumerate(rules.criteria, start=1):
            answer = self.state.criteria.get(criterion.id)
            shown = "—" if answer is None else criterion.label_of(answer)
            if answer == NOT_SURE:
                shown = "Not sure"
            options.append(
                Option(f"{number:>{width}}. {criterion.question}  → {shown}", id=str(number))
            )
        with Vertical(id="dialog-box") as box:
            box.border_title = "Your answers: Enter goes to a question"
            yield OptionList(*options, id="answers-list")
            yield Static("Enter: change this answer · Esc: close", classes="help")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(event.option.id or "0"))

    def action_close(self) -> None:
        self.dismiss(None)
