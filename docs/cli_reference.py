"""Print the README's CLI reference from the real ``--help`` output.

Run ``python docs/cli_reference.py`` and paste its output between the README's
``cli-reference`` markers; ``tests/test_readme.py`` fails when they drift apart.
"""

from __future__ import annotations

import contextlib
import io
import os

from scaffolder.cli import main

COMMANDS: list[list[str]] = [[], ["recommend"], ["new"], ["update"], ["check"], ["schema"]]


def help_text(command: list[str]) -> str:
    os.environ["COLUMNS"] = "100"  # argparse wraps to the terminal width
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
        main([*command, "--help"])
    return out.getvalue().rstrip()


def reference() -> str:
    parts = []
    for command in COMMANDS:
        title = " ".join(["fwpick", *command])
        parts.append(f"### `{title}`\n\n```text\n{help_text(command)}\n```")
    return "\n\n".join(parts)


if __name__ == "__main__":
    print(reference())
