"""The wizard's floor: a bare Textual app with a header, one line of text and a footer.

Started under the same tmux harness as ``fwpick``, it shows how much of the wizard's
launch time is Python plus Textual itself (imports, driver set-up, first compositor frame).
"""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Welcome to a bare Textual app")
        yield Footer()


if __name__ == "__main__":
    Bare().run()
