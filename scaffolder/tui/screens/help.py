"""Help for the current step: what it is for, and fwpick's keys (not Textual's internals)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

GENERAL = (
    "Answer 'Not sure' whenever you don't know: it counts for neither framework. Nothing "
    "is written until you press Create project on the Review step."
)


def key_lines(screen: Screen[object]) -> list[tuple[str, str]]:
    """The keys that matter on ``screen``: the bindings fwpick shows in its footer."""
    seen: dict[str, str] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.show and binding.description and active.enabled:
            seen.setdefault(binding.description, screen.app.get_key_display(binding))
    pairs = [(keys, what) for what, keys in seen.items()]
    pairs += [("? or F1", "This help"), ("Ctrl+P", "Commands (copy the command, theme)")]
    return pairs


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("question_mark", "close", "Close", show=False),
        Binding("f1", "close", "Close", show=False),
        Binding("q", "close", "Close", show=False),
    ]

    def __init__(self, title: str, text: str, keys: list[tuple[str, str]]) -> None:
        super().__init__(id="help", classes="dialog -info")
        self.title_text = title
        self.text = text
        self.keys = keys

    def compose(self) -> ComposeResult:
        width = max(len(k) for k, _ in self.keys)
        keys = Content("\n").join(
            Content.from_markup("[b]$k[/]  $w", k=k.ljust(width), w=w) for k, w in self.keys
        )
        with Vertical(id="dialog-box") as box:
            box.border_title = self.title_text
            with VerticalScroll(id="dialog-body"):
                yield Static(self.text, classes="text", markup=False)
                yield Static(GENERAL, classes="text help", markup=False)
                yield Static("Keys", classes="h2")
                yield Static(keys, id="help-keys")
            yield Static("Esc closes this help", classes="help")

    def action_close(self) -> None:
        self.dismiss(None)
