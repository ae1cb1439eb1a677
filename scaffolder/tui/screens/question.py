"""One screen per criterion of the rules file: generated, never written by hand."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from scaffolder.decide.model import Criterion
from scaffolder.tui.screens.base import WizardScreen
from scaffolder.tui.state import Nav, WizardState
from scaffolder.tui.widgets import ChoiceList, LivePanel, TitleBar

MARK = "● "  # the current answer, kept when the user comes back


class QuestionScreen(WizardScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+r", "skip", "Recommend now"),
    ]

    def __init__(self, state: WizardState, criterion: Criterion, number: int) -> None:
        total = len(state.rules.criteria)
        super().__init__(state, step=f"Question {number} of {total}")
        self.criterion = criterion
        self.number = number

    def compose(self) -> ComposeResult:
        criterion = self.criterion
        current = self.state.criteria.get(criterion.id)
        yield TitleBar(self.sub_title)
        with Horizontal(classes="body"):
            with VerticalScroll(id="question-pane"):
                yield Static(
                    Content.from_markup(
                        "[$text-muted]$number/$total[/] [b]$question[/]",
                        number=str(self.number),
                        total=str(len(self.state.rules.criteria)),
                        question=criterion.question,
                    ),
                    classes="title",
                    id="question",
                )
                yield Static(criterion.help, classes="help", id="help", markup=False)
                yield ChoiceList(
                    *[
                        Option(
                            (MARK if choice.id == current else "  ") + choice.label, id=choice.id
                        )
                        for choice in criterion.choices
                    ],
                    id="choices",
                )
            yield LivePanel(self.state.rules, self.state.recommendation())
        yield Footer()

    def on_mount(self) -> None:
        choices = self.query_one("#choices", ChoiceList)
        current = self.state.criteria.get(self.criterion.id)
        ids = self.criterion.choice_ids
        # Coming back highlights the kept answer; a first visit starts at the top.
        choices.highlighted = ids.index(current) if current in ids else 0
        choices.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # Preview: the panel shows the pick as if the highlighted choice were the answer.
        if event.option.id is not None:
            trial = (self.criterion.id, event.option.id)
            self.query_one(LivePanel).show(self.state.recommendation(trial))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.dismiss(event.option.id)

    def action_skip(self) -> None:
        """Go straight to the recommendation; unanswered questions count as not sure."""
        self.dismiss(Nav.SKIP)
