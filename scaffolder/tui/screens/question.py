"""One screen per criterion of the rules file: generated, never written by hand."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from scaffolder.decide.model import Criterion
from scaffolder.tui.screens.base import WizardScreen
from scaffolder.tui.state import Nav, WizardState
from scaffolder.tui.widgets import ChoiceList, LivePanel, TitleBar

MARK = "●"  # the current answer, kept when the user comes back
POINTER = "▶"  # the highlight, in text too: without colour it must still show


def choice_prompt(label: str, *, current: bool, highlighted: bool) -> Table:
    """``▶ ● label``; a wrapped label keeps its indent (a grid, not a string)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    marks = f"{POINTER if highlighted else ' '} {MARK if current else ' '}"
    grid.add_row(marks, label)
    return grid


class QuestionScreen(WizardScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+r", "skip", "Recommend now"),
        Binding("a", "answers", "Answers"),
    ]
    HELP = (
        "Choose the answer that fits with the arrow keys and press Enter. The panel on the "
        "right shows what the highlighted answer adds to each framework's score and the "
        "rules behind it. Escape goes back; A lists every answer so you can jump to any "
        "question; Ctrl+R recommends now (unanswered questions count as not sure)."
    )

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
                            choice_prompt(
                                choice.label, current=choice.id == current, highlighted=False
                            ),
                            id=choice.id,
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
            self.query_one(LivePanel).show(self.state.recommendation(trial), trial)
        self._mark(event.option_index)
        # The pane scrolls with the highlight, so it is never off-screen.
        choices = self.query_one("#choices", ChoiceList)
        pane = self.query_one("#question-pane", VerticalScroll)
        line = choices.region.y - pane.region.y + pane.scroll_offset.y + event.option_index
        pane.scroll_to_region(Region(0, line, 1, 1), animate=False, immediate=True)

    def _mark(self, highlighted: int) -> None:
        choices = self.query_one("#choices", ChoiceList)
        current = self.state.criteria.get(self.criterion.id)
        for index, choice in enumerate(self.criterion.choices):
            choices.replace_option_prompt_at_index(
                index,
                choice_prompt(
                    choice.label, current=choice.id == current, highlighted=index == highlighted
                ),
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.done(event.option.id)

    def action_skip(self) -> None:
        """Go straight to the recommendation; unanswered questions count as not sure."""
        self.done(Nav.SKIP)
