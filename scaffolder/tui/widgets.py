"""Widgets shared by several screens: score bars, the live panel and the choice list."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, OptionList, Static
from textual.widgets.button import ButtonVariant

from scaffolder.decide.engine import Reason, Recommendation
from scaffolder.decide.model import RuleSet

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


def reason_line(rules: RuleSet, reason: Reason, *, with_source: bool) -> Content:
    """A reason as ``+weight why``, optionally followed by where it comes from."""
    text = Content.from_markup(
        "[$success]+$weight[/] $why", weight=str(reason.weight), why=reason.why
    )
    if not with_source:
        return text
    source = rules.source(reason.source)
    return Content.assemble(
        text,
        "\n   ",
        Content.from_markup(
            "[$text-muted]source: $title ($file)[/]", title=source.title, file=source.file
        ),
    )


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
        self.update(score_bars(self.rules, rec))


class LivePanel(Vertical):
    """The recommendation so far, updated as the user answers or moves the highlight."""

    def __init__(self, rules: RuleSet, rec: Recommendation) -> None:
        super().__init__(id="live-panel")
        self.rules = rules
        self.rec = rec
        self.border_title = "Recommendation so far"

    def compose(self) -> ComposeResult:
        yield Static(id="live-leader")
        yield ScoreBars(self.rules, self.rec, id="live-bars")
        yield Static(id="live-reasons")

    def on_mount(self) -> None:
        self.show(self.rec)

    def show(self, rec: Recommendation) -> None:
        self.rec = rec
        label = self.rules.framework(rec.framework).label
        leader = (
            Content.from_markup("Tied: [b]$label[/] by default", label=label)
            if rec.margin == 0
            else Content.from_markup(
                "Leader: [b $success]$label[/] (+$margin)", label=label, margin=str(rec.margin)
            )
        )
        self.query_one("#live-leader", Static).update(leader)
        self.query_one("#live-bars", ScoreBars).show(rec)
        top = rec.reasons_for[:3]
        reasons = (
            Content("\n").join(reason_line(self.rules, r, with_source=False) for r in top)
            if top
            else Content.styled("No reasons yet: answer a question.", "$text-muted")
        )
        self.query_one("#live-reasons", Static).update(reasons)


class ChoiceList(OptionList):
    """An option list whose Enter binding shows in the footer (Enter = answer and go on)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Answer")]


class MouseButton(Button, can_focus=False):
    """A button for the mouse; the keyboard uses the screen's bindings, shown in the footer.

    Keeping buttons out of the focus chain means Enter always means the screen's
    "forward" action and the footer can say what it does. Compact: one line at 80x24.
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
