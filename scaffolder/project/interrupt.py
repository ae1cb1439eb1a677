"""Stop a render safely when the user or the system asks.

A render stages the project beside its destination and moves it into place at the
end. A stop request (a signal, or Quit in the wizard) is honoured at the next step
*before* the move, which unwinds the staging so nothing is left behind; once the move
has begun the render finishes, so the result is a complete project. Either way the
destination and its parent are never left half-written.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

from scaffolder.errors import FwpickError

Progress = Callable[[str], None]

# A closed terminal (SIGHUP), a polite kill (SIGTERM) and Ctrl-C (SIGINT).
STOP_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGHUP", "SIGTERM", "SIGINT") if hasattr(signal, name)
)
# The step after which the project is in place: from here on a render always finishes.
COMMIT_STEP = "move"


def signal_name(signum: int) -> str:
    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def exit_code_for(signum: int) -> int:
    """The shell's convention: 128 + the signal number (130 for Ctrl-C)."""
    return 128 + signum


class Interrupted(FwpickError):
    """The render stopped before the move: nothing was written."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.exit_code = exit_code_for(signum)
        super().__init__(f"interrupted by {signal_name(signum)}")


class StopSwitch:
    """Remembers a stop request and raises it at the next safe step of a render."""

    def __init__(self) -> None:
        self.signum: int | None = None
        self.committed = False

    @property
    def requested(self) -> bool:
        return self.signum is not None

    def request(self, signum: int = signal.SIGINT) -> None:
        if self.signum is None:
            self.signum = signum

    def guard(self, progress: Progress | None = None) -> Progress:
        """Wrap a progress callback: a pending stop raises before the commit step."""

        def step(name: str) -> None:
            if not self.committed and self.signum is not None:
                raise Interrupted(self.signum)
            if name == COMMIT_STEP:
                self.committed = True
            if progress is not None:
                progress(name)

        return step


@contextmanager
def deferred_signals(switch: StopSwitch) -> Iterator[StopSwitch]:
    """While rendering in the main thread, turn stop signals into stop requests.

    Outside the block the previous handlers apply again; a signal that arrived during
    it stays recorded on ``switch`` for the caller to report.
    """

    def handler(signum: int, _frame: FrameType | None) -> None:
        switch.request(signum)

    previous = {sig: signal.signal(sig, handler) for sig in STOP_SIGNALS}
    try:
        yield switch
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
