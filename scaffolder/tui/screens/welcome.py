"""The first screen: what fwpick does and how to drive it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from scaffolder.tui.screens.base import WizardScreen
from scaffolder.tui.widgets import TitleBar


class WelcomeScreen(WizardScreen, inherit_bindings=False):
    CAN_JUMP = False
    HELP = (
        "fwpick asks about your project, recommends FastAPI or Flask with the reasons and "
        "their sources, then creates the project. Enter starts; Escape or Ctrl+Q quits."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "start", "Start"),
        Binding("escape", "app.quit", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        rules = self.state.rules
        labels = " or ".join(f.label for f in rules.frameworks)
        yield TitleBar(self.sub_title)
        with VerticalScroll(classes="body"):
            yield Static(
                Content.from_markup("Pick [b]$labels[/], with reasons", labels=labels),
                classes="title",
            )
            yield Static(
                Content.from_markup(
                    "fwpick asks [b]$count questions[/] about your project, recommends a "
                    "framework with the reasons and their sources, then creates a ready-to-run "
                    "project with Copier.\n\n"
                    "Answer [b]Not sure[/] whenever you don't know: it counts for neither side. "
                    "The live panel shows how each answer moves the pick.",
                    count=str(len(rules.criteria)),
                ),
                classes="text",
            )
            yield Static(
                Content.from_markup(
                    "[b]Enter[/] goes forward, [b]Escape[/] goes back (your answers are kept), "
                    "[b]?[/] or [b]F1[/] explains the step you are on, [b]F2[/] lists your "
                    "answers, [b]Ctrl+P[/] opens the command palette, [b]Ctrl+Q[/] quits.\n\n"
                    "The project goes to [b]$dest[/] (you can change it later).",
                    dest=self.state.dest,
                ),
                classes="text",
            )
            yield Static(
                Content.from_markup(
                    "[$text-muted]Rules version $version · $sources published comparisons[/]",
                    version=rules.rules_version,
                    sources=str(len(rules.sources)),
                ),
                classes="text",
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(".body").focus()

    def action_start(self) -> None:
        self.wizard.run_steps()
