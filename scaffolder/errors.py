"""fwpick's error types and the exit code each maps to."""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2


class FwpickError(Exception):
    """An error the user can act on: shown as one line, never as a traceback."""

    exit_code = EXIT_FAILURE


class UsageError(FwpickError):
    """Bad input: an unknown flag, choice or file, or an incompatible combination."""

    exit_code = EXIT_USAGE


class RulesError(UsageError):
    """A rules file that cannot be read or does not satisfy the schema."""

    def __init__(self, path: str, location: str | None, problem: str) -> None:
        self.path = path
        self.location = location
        self.problem = problem
        where = f"{path}: {location}" if location else path
        super().__init__(f"{where}: {problem}")


class RenderError(FwpickError):
    """Copier or the file system failed while writing a project."""
