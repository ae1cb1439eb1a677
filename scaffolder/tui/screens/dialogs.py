"""Modal dialogs: every error the user can meet is one of these, never a traceback."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static
from textual.widgets.button import ButtonVariant

# (id, label, variant); the focused button is the first unless told, Escape means the last.
ButtonSpec = tuple[str, str, ButtonVariant]

OK: Sequence[ButtonSpec] = (("ok", "OK", "primary"),)


class MessageDialog(ModalScreen[str]):
    """A titled message with buttons; dismisses with the pressed button's id."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Close")]

    def __init__(
        self,
        title: str,
        message: str | Content,
        buttons: Sequence[ButtonSpec] = OK,
        *,
        kind: str = "error",
        id: str | None = None,
        focus: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=f"dialog -{kind}")
        self.title_text = title
        self.message = message
        self.buttons = list(buttons)
        self.focus_id = focus or self.buttons[0][0]

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog-box") as box:
            box.border_title = self.title_text
            with VerticalScroll(id="dialog-body"):
                yield Static(self.message, id="dialog-message", markup=False)
            with Horizontal(id="dialog-buttons"):
                for button_id, label, variant in self.buttons:
                    yield Button(label, id=button_id, variant=variant)

    def on_mount(self) -> None:
        self.query_one(f"#{self.focus_id}", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id or "")

    def action_cancel(self) -> None:
        self.dismiss(self.buttons[-1][0])


def confirm_quit() -> MessageDialog:
    return MessageDialog(
        "Quit fwpick?",
        "Your answers will be lost and no project will be created.",
        (("quit", "Quit", "error"), ("stay", "Keep going", "primary")),
        kind="warning",
        id="confirm-quit",
    )


def non_empty_directory(message: str) -> MessageDialog:
    return MessageDialog(
        "Directory not empty",
        message.replace("pass --overwrite", "choose Overwrite"),
        (("overwrite", "Overwrite", "warning"), ("back", "Go back", "primary")),
        kind="warning",
        id="non-empty-dir",
        focus="back",  # the safe choice: Enter never writes into someone's folder
    )


def confirm_stop(dest: str) -> MessageDialog:
    return MessageDialog(
        "Stop creating the project?",
        f"fwpick is writing the project. Stop now and nothing is left in {dest}; if the "
        "project is already being moved into place, it is finished first.",
        (("stop", "Stop", "error"), ("stay", "Keep going", "primary")),
        kind="warning",
        id="confirm-stop",
        focus="stay",
    )


def unexpected_error(error: BaseException) -> MessageDialog:
    return MessageDialog(
        "Unexpected error",
        "fwpick hit a problem it did not expect and has to close.\n\n"
        f"{type(error).__name__}: {error}",
        (("quit", "Quit", "error"),),
        id="crash",
    )
