"""Export the README screenshot: the recommendation screen, as SVG (and PNG if possible).

    python -m scaffolder.tui.screenshot [docs/images]

The PNG needs ``rsvg-convert`` (Debian: librsvg2-bin); without it only the SVG is written.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import sys
from pathlib import Path

from scaffolder.decide.answers import parse_answers
from scaffolder.decide.rules import load_rules
from scaffolder.tui.app import FwpickApp

SIZE = (100, 32)
ANSWERS = {"interface": "api", "async_io": "yes", "api_docs": "yes", "team_experience": "flask"}


async def export(out_dir: Path) -> Path:
    rules = load_rules()
    app = FwpickApp(
        rules, dest=Path("orders-api"), answers=parse_answers(rules, ANSWERS, "screenshot")
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # welcome -> first question
        await pilot.pause()
        await pilot.press("ctrl+r")  # recommend now
        while type(app.screen).__name__ != "RecommendationScreen":
            await pilot.pause(0.05)
        await pilot.pause()
        return Path(app.save_screenshot("wizard.svg", str(out_dir)))


def main() -> int:
    out_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/images")
    out_dir.mkdir(parents=True, exist_ok=True)
    svg = asyncio.run(export(out_dir))
    print(svg)
    converter = shutil.which("rsvg-convert")
    if converter is not None:
        png = svg.with_suffix(".png")
        subprocess.run([converter, "-w", "1400", str(svg), "-o", str(png)], check=True)
        print(png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
