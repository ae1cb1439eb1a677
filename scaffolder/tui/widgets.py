"""Widgets shared by several screens: score bars, the live panel and the choice list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Button, OptionList, Static
from textual.widgets.button import ButtonVariant

from scaffolder.decide.engine import Reason, Recommendation
from scaffolder.decide.model import RuleSet
from scaffolder.decide.report import is_tie, neutral_text, plural

FULL = "█"
EMPTY = "░"


def score_bars(rules: RuleSet, rec: Recommendation, width: int = 20) -> Content:
    """One line per framework: label, a bar scaled to the highest score, the score."""
    top = max([*rec.scores.values(), 1])
    label_width = max(len(f.label) for f in rules.frameworks)
    lines: list[Content] = []
    for framework in rules.frameworks:
        points = rec.scores[framework.id]
        filled = round(width * points / top) if points > 0 else 0
        style = "$success" if framework.id == rec.framework else "$foreground-muted"
        lines.append(
            Content.assemble(
                (framework.label.ljust(label_width), "bold" if style == "$success" else ""),
                " ",
                (FULL * filled, style),
                (EMPTY * (width - filled), "$foreground-muted 30%"),
                f" {points:>3}",
            )
        )
    return Content("\n").join(lines)


def reason_grid(
    rules: RuleSet, reasons: Sequence[Reason], *, with_source: bool, name_side: bool = False
) -> Table:
    """Reasons as ``+weight  why``: wrapped lines keep their indent (a two-column grid)."""
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for reason in reasons:
        side = f" {rules.framework(reason.favors).label}" if name_side else ""
        text = Text(reason.why)
        if with_source:
            text.append(f"\nsource: {rules.source(reason.source).citation}", style="dim")
        grid.add_row(Text(f"+{reason.weight}{side}", style="bold"), text)
    return grid


def answer_effect(
    rules: RuleSet, rec: Recommendation, criterion: str
) -> tuple[dict[str, int], tuple[Reason, ...]]:
    """What answering ``criterion`` as in ``rec`` adds to each score, and the rules why."""
    involved = tuple(r for r in rec.reasons if criterion in dict(r.conditions))
    delta = dict.fromkeys(rules.framework_ids, 0)
    for reason in involved:
        delta[reason.favors] += reason.weight
    return delta, involved


class TitleBar(Static):
    """One line naming the step; lighter than Textual's Header, which matters at startup."""

    def __init__(self, step: str | None) -> None:
        text = Content.from_markup("[b]fwpick[/]")
        if step:
            text = Content.assemble(text, " — ", step)
        super().__init__(text, id="title-bar")


class ScoreBars(Static):
    """The scores as horizontal bars; the leader's bar in the success colour."""

    def __init__(self, rules: RuleSet, rec: Recommendation, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="score-bars")
        self.rules = rules
        self.show(rec)

    def show(self, rec: Recommendation) -> None:
        self.rec = rec
        # The bars fill the width there is: label, a space, the bar, " 123".
        label_width = max(len(f.label) for f in self.rules.frameworks)
        room = self.size.width - label_width - 5 if self.size.width else 20
        self.update(score_bars(self.rules, rec, width=max(3, min(room, 40))))

    def on_resize(self) -> None:
        self.show(self.rec)


class LivePanel(VerticalScroll, can_focus=False):
    """The recommendation so far, updated as the user answers or moves the highlight.

    It explains itself: what the highlighted answer adds and the rules behind it (or
    that it is neutral), then the strongest reasons on each side.
    """

    def __init__(self, rules: RuleSet, rec: Recommendation) -> None:
        super().__init__(id="live-panel")
        self.rules = rules
        self.rec = rec
        self.trial: tuple[str, str] | None = None
        self.border_title = "Recommendation so far"

    def compose(self) -> ComposeResult:
        yield Static(id="live-leader")
        yield ScoreBars(self.rules, self.rec, id="live-bars")
        yield Static(id="live-effect-title", classes="h3")
        yield Static(id="live-effect")
        yield Static(id="live-reasons")

    def on_mount(self) -> None:
        self.show(self.rec, self.trial)

    def show(self, rec: Recommendation, trial: tuple[str, str] | None = None) -> None:
        """Show ``rec``; ``trial`` is the highlighted (criterion, answer) it assumes."""
        self.rec, self.trial = rec, trial
        rules = self.rules
        label = rules.framework(rec.framework).label
        if is_tie(rec):
            top = rec.scores[rec.framework]
            leader = Content.from_markup(
                "[b]Tied[/] at $top: [b]$label[/] by the tie-break (listed first in the rules)",
                top=str(top),
                label=label,
            )
        else:
            leader = Content.from_markup(
                "Leader: [b $success]$label[/] (ahead by $points)",
                label=label,
                points=plural(rec.margin, "point"),
            )
        self.query_one("#live-leader", Static).update(leader)
        self.query_one("#live-bars", ScoreBars).show(rec)
        self._show_effect(rec, trial)
        sides: list[RenderableType] = []
        for framework in rules.frameworks:
            reasons = [r for r in rec.reasons if r.favors == framework.id][:3]
            sides.append(Text(f"For {framework.label}", style="bold"))
            if reasons:
                sides.append(reason_grid(rules, reasons, with_source=False))
            else:
                sides.append(Text("  nothing yet", style="dim"))
        self.query_one("#live-reasons", Static).update(Group(*sides))

    def _show_effect(self, rec: Recommendation, trial: tuple[str, str] | None) -> None:
        title = self.query_one("#live-effect-title", Static)
        body = self.query_one("#live-effect", Static)
        if trial is None:
            title.update("")
            body.update("")
            return
        criterion, answer = trial
        delta, involved = answer_effect(self.rules, rec, criterion)
        shown = self.rules.criterion(criterion).label_of(answer)
        title.update(Content.from_markup("Highlighted: [b]$a[/]", a=shown))
        if not involved:
            body.update(Text(neutral_text(self.rules, criterion, answer), style="italic"))
            return
        change = ", ".join(f"{self.rules.framework(f).label} +{d}" for f, d in delta.items() if d)
        body.update(
            Group(
                Text(f"adds {change}", style="bold"),
                reason_grid(self.rules, involved, with_source=True, name_side=True),
            )
        )


class ChoiceList(OptionList):
    """An option list whose Enter binding shows in the footer (Enter = answer and go on)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Answer")]


class MouseButton(Button):
    """A compact button (one line at 80x24) that Tab reaches like any other control.

    The screen's own keys (shown in the footer) do the same jobs, so Enter keeps
    meaning "forward" until the user tabs onto a button.
    """

    def __init__(
        self,
        label: str,
        *,
        id: str,
        variant: ButtonVariant = "default",
        classes: str | None = None,
    ) -> None:
        super().__init__(label, variant, id=id, classes=classes, compact=True)
