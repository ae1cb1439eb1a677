"""The pick, the scores, the reasons with sources, what would flip it, and the override."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Static

from scaffolder.decide.engine import Recommendation
from scaffolder.decide.report import is_tie, plural, tie_text
from scaffolder.tui.screens.base import WizardScreen
from scaffolder.tui.state import WizardState
from scaffolder.tui.widgets import MouseButton, ScoreBars, TitleBar, reason_grid


class RecommendationScreen(WizardScreen):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "accept", "Accept"),
        Binding("o", "override", "Other framework"),
        Binding("escape", "back", "Back"),
        Binding("a", "answers", "Answers"),
    ]
    HELP = (
        "The pick for your answers, the reasons on both sides with their sources, and the "
        "single answers that would change it. Enter accepts it; O (or Tab to the buttons) "
        "picks the other framework, recorded as an override. Escape goes back to the "
        "question you came from; A lists your answers so you can change any of them."
    )

    def __init__(self, state: WizardState) -> None:
        super().__init__(state, step="Recommendation")
        self.rec: Recommendation = state.recommendation()

    def compose(self) -> ComposeResult:
        rules = self.state.rules
        rec = self.rec
        pick = rules.framework(rec.framework)
        yield TitleBar(self.sub_title)
        with VerticalScroll(classes="body", id="recommendation"):
            yield Static(
                Content.from_markup("A tie: [b]$label[/] by the tie-break", label=pick.label)
                if is_tie(rec)
                else Content.from_markup("We recommend [b $success]$label[/]", label=pick.label),
                classes="title",
                id="pick",
            )
            yield Static(pick.summary, classes="text", markup=False)
            yield ScoreBars(rules, rec, id="scores")
            yield Static(self._margin_text(rec), classes="text")
            yield Static(Content.from_markup("[b]Why $label[/]", label=pick.label), classes="h2")
            yield self._reasons(for_pick=True)
            yield Static("What speaks against it", classes="h2")
            yield self._reasons(for_pick=False)
            yield Static("What would change the pick", classes="h2")
            yield Static(self._flips(), classes="reasons", id="flips")
            if self._bridge_possible():
                yield Static(
                    "Moving to FastAPI anyway? Choose it, and fwpick offers a FastAPI project "
                    "that serves your Flask app while you port it route by route.",
                    classes="text h2-gap",
                    id="bridge-hint",
                )
        with Horizontal(classes="buttons"):
            yield MouseButton(f"Use {pick.label}", id="accept", variant="primary")
            for other in rules.frameworks:
                if other.id != rec.framework:
                    yield MouseButton(
                        f"Use {other.label} instead",
                        id=f"override-{other.id}",
                        classes="override",
                    )
        yield Footer()

    def on_mount(self) -> None:
        # The body takes focus so the arrow keys scroll the reasons.
        self.query_one("#recommendation").focus()
        chosen = self.state.chosen_framework()
        if chosen != self.rec.framework:
            self.notify(f"You chose {self.state.rules.framework(chosen).label} last time.")

    def _bridge_possible(self) -> bool:
        """A Flask codebase the rules keep on Flask: the bridge is the other way forward."""
        from scaffolder.project.bridge import ANSWER, CRITERION, FRAMEWORK

        known = {f.id for f in self.state.rules.frameworks}
        return (
            self.state.criteria.get(CRITERION) == ANSWER
            and self.rec.framework != FRAMEWORK
            and FRAMEWORK in known
        )

    def _margin_text(self, rec: Recommendation) -> Content:
        if is_tie(rec):
            return Content.styled(tie_text(self.state.rules, rec), "$warning")
        unanswered = sum(1 for v in rec.answers.values() if v == "not_sure")
        note = f"; {plural(unanswered, 'question')} answered 'Not sure'" if unanswered else ""
        return Content(f"Ahead by {plural(rec.margin, 'point')}{note}.")

    def _reasons(self, *, for_pick: bool) -> Static:
        rules = self.state.rules
        reasons = self.rec.reasons_for if for_pick else self.rec.reasons_against
        widget_id = "reasons-for" if for_pick else "reasons-against"
        if not reasons:
            text = "No answer speaks for it yet." if for_pick else "Nothing you answered."
            return Static(Content.styled(text, "$text-muted"), classes="reasons", id=widget_id)
        grid = reason_grid(rules, reasons, with_source=True, name_side=not for_pick)
        return Static(grid, classes="reasons", id=widget_id)

    def _flips(self) -> Content:
        rules = self.state.rules
        if not self.rec.flips:
            return Content.styled("No single changed answer would change it.", "$text-muted")
        lines = []
        for flip in self.rec.flips:
            criterion = rules.criterion(flip.criterion)
            lines.append(
                Content.from_markup(
                    "$question [b]$new[/] (not $old) → [b]$framework[/] by $margin",
                    question=criterion.question,
                    new=criterion.label_of(flip.new_answer),
                    old=criterion.label_of(flip.answer),
                    framework=rules.framework(flip.framework).label,
                    margin=plural(flip.margin, "point"),
                )
            )
        return Content("\n").join(lines)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button_id = event.button.id or ""
        if button_id == "accept":
            self.action_accept()
        elif button_id.startswith("override-"):
            self.done(button_id.removeprefix("override-"))

    def action_accept(self) -> None:
        self.done(self.rec.framework)

    def action_override(self) -> None:
        """Choose the runner-up (with more frameworks, the buttons offer each one)."""
        others = sorted(
            (f for f in self.rec.scores if f != self.rec.framework),
            key=lambda f: -self.rec.scores[f],
        )
        self.done(others[0])
