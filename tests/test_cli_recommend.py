"""``fwpick recommend`` and ``fwpick schema`` as a user runs them: a real subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from .conftest import FIXTURES, REPO
from .support.cli import fwpick

ALL_TWELVE = [
    "--interface",
    "api",
    "--async-io",
    "yes",
    "--ml-serving",
    "no",
    "--team-experience",
    "mixed",
    "--existing-codebase",
    "none",
    "--traffic",
    "high",
    "--realtime",
    "no",
    "--api-docs",
    "yes",
    "--architecture",
    "microservices",
    "--flask-extensions",
    "no",
    "--prototype",
    "no",
    "--auth",
    "token",
]


def test_text_output_gives_pick_reasons_sources_and_flips() -> None:
    out = fwpick("recommend", "--ml-serving", "yes", "--team-experience", "flask")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Recommendation: FastAPI")
    assert "margin" in out.stdout
    assert "Strongest reasons for FastAPI:" in out.stdout
    assert "Strongest reasons against:" in out.stdout
    # Sources are named as a person can find them: title and publisher, not a file id.
    flat = " ".join(out.stdout.split())  # the text wraps to the terminal
    assert "Which Python Framework Should You Choose in 2026?\u201d, Drish Infotech" in flat
    assert "003_4bcb5b7ac0931e75.txt" not in out.stdout
    assert "What would change the pick" in out.stdout or "No single changed answer" in out.stdout


def test_json_output_has_the_documented_keys() -> None:
    out = fwpick("recommend", "--json", *ALL_TWELVE)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["framework"] == "fastapi"
    assert set(result["scores"]) == {"fastapi", "flask"}
    assert result["reasons"]
    for reason in result["reasons"]:
        assert {"criterion", "answer", "favors", "weight", "why", "source"} <= set(reason)
        assert reason["source"].endswith(".txt")  # --json keeps the file id
        assert reason["source_title"] and reason["source_publisher"]
    assert result["tie"] is False
    assert isinstance(result["flips"], list)


def test_flags_override_the_answers_file(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yml"
    answers.write_text("interface: html\nexisting_codebase: flask\nasync_io: yes\n")
    from_file = json.loads(fwpick("recommend", "--json", "--answers", str(answers)).stdout)
    assert from_file["answers"]["interface"] == "html"
    assert from_file["answers"]["async_io"] == "yes"  # a bare YAML yes counts as "yes"
    assert from_file["answers"]["traffic"] == "not_sure"
    overridden = json.loads(
        fwpick("recommend", "--json", "--answers", str(answers), "--interface", "api").stdout
    )
    assert overridden["answers"]["interface"] == "api"
    assert overridden["answers"]["existing_codebase"] == "flask"


def test_same_answers_same_output() -> None:
    runs = {fwpick("recommend", "--json", *ALL_TWELVE).stdout for _ in range(3)}
    assert len(runs) == 1


def test_org_rules_file_changes_the_flags() -> None:
    rules = str(FIXTURES / "three-frameworks.yaml")
    out = fwpick("recommend", "--rules", rules, "--house-style", "yes", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["framework"] == "litestar"
    assert "--house-style" in fwpick("recommend", "--rules", rules, "--help").stdout
    assert fwpick("recommend", "--rules", rules, "--traffic", "high").returncode == 2


@pytest.mark.parametrize(
    ("args", "file_text", "expected"),
    [
        (["--colour", "red"], None, "valid flags: "),
        (["--traffic", "huge"], None, "choose from 'low', 'moderate', 'high', 'not_sure'"),
        ([], "traffic: huge\n", "choose from low, moderate, high, not_sure"),
        ([], "colour: red\n", "valid: interface, async_io"),
        ([], "interface: [api\n", "malformed YAML at line"),
        ([], "- interface\n- api\n", "must be a mapping"),
        (["--answers", "does-not-exist.yml"], None, "no such answers file"),
        (["--rules", "does-not-exist.yaml"], None, "does-not-exist.yaml: no such file"),
    ],
)
def test_bad_input_is_one_line_exit_2_nothing_on_stdout(
    tmp_path: Path, args: list[str], file_text: str | None, expected: str
) -> None:
    if file_text is not None:
        answers = tmp_path / "answers.yml"
        answers.write_text(file_text)
        args = [*args, "--answers", str(answers)]
    out = fwpick("recommend", *args, cwd=tmp_path)
    assert out.returncode == 2
    assert out.stdout == ""
    assert expected in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert "Traceback" not in out.stderr


def test_schema_validates_answers_files() -> None:
    out = fwpick("schema")
    assert out.returncode == 0, out.stderr
    schema = json.loads(out.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    validator.validate(
        {
            "interface": "api",
            "database": "postgres",
            "docker": False,
            "name": "svc",
            "framework": "flask",
        }
    )
    assert list(validator.iter_errors({"interface": "grpc"}))
    assert list(validator.iter_errors({"colour": "red"}))
    assert schema["properties"]["traffic"]["enum"] == ["low", "moderate", "high", "not_sure"]


def test_version_and_help() -> None:
    version = fwpick("--version")
    assert version.returncode == 0
    assert version.stdout.strip() == "fwpick 0.1.0"
    for command in ([], ["recommend"], ["new"], ["update"], ["check"], ["schema"]):
        out = fwpick(*command, "--help")
        assert out.returncode == 0, (command, out.stderr)
        assert out.stdout.startswith("usage: fwpick")


def test_wizard_without_a_terminal_exits_2_with_usage() -> None:
    out = fwpick()
    assert out.returncode == 2
    assert "fwpick recommend" in out.stderr
    assert out.stdout == ""


@pytest.mark.parametrize(
    "args", [["--help"], ["--version"], ["recommend", "--json", *ALL_TWELVE], ["schema"]]
)
def test_fast_commands_import_neither_textual_nor_copier(args: list[str]) -> None:
    probe = (
        "import sys, runpy\n"
        f"sys.argv = ['fwpick', *{args!r}]\n"
        "try:\n    runpy.run_module('scaffolder', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'copier'))\n"
        "sys.stderr.write('HEAVY=' + ','.join(heavy))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=60,
    )
    assert "HEAVY=" in out.stderr
    assert out.stderr.rsplit("HEAVY=", 1)[1] == ""


def test_text_wraps_to_the_terminal_and_lists_unanswered_as_flags() -> None:
    out = fwpick("recommend", "--ml-serving", "yes", env={"COLUMNS": "60"})
    assert out.returncode == 0, out.stderr
    assert max(len(line) for line in out.stdout.splitlines()) <= 60
    unanswered = out.stdout.split("Not answered", 1)[1]
    assert "--async-io" in unanswered and "--team-experience" in unanswered
    assert "async_io" not in unanswered
    wide = fwpick("recommend", "--ml-serving", "yes", env={"COLUMNS": "200"})
    assert max(len(line) for line in wide.stdout.splitlines()) <= 120


def test_a_tie_is_shown_as_a_tie_with_the_tie_break() -> None:
    out = fwpick("recommend")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Recommendation: a tie, broken in favour of FastAPI")
    assert "the rules file lists it first" in out.stdout
    data = json.loads(fwpick("recommend", "--json").stdout)
    assert data["tie"] is True and data["margin"] == 0


def test_a_change_that_only_makes_a_tie_is_not_a_flip() -> None:
    from scaffolder.decide.engine import recommend
    from scaffolder.decide.rules import load_rules

    rules = load_rules()
    answers = {"team_experience": "flask"}
    assert recommend(rules, {"team_experience": "fastapi"}).margin == 0  # a 0-0 tie
    flips = recommend(rules, answers).flips
    assert ("team_experience", "fastapi") not in {(f.criterion, f.new_answer) for f in flips}
    assert all(f.margin > 0 for f in flips)
    out = fwpick("recommend", "--team-experience", "flask")
    assert "--team-experience fastapi" not in out.stdout


@pytest.mark.parametrize(
    ("env", "reason"),
    [
        ({"TERM": "xterm"}, None),
        ({"TERM": "xterm", "CI": "false"}, None),
        ({"TERM": "xterm", "CI": "0"}, None),
        ({"TERM": "xterm", "CI": ""}, None),
        ({"TERM": "xterm", "CI": "True"}, "CI is set"),
        ({"TERM": "xterm", "CI": "1"}, "CI is set"),
        ({"TERM": "xterm", "CI": "YES"}, "CI is set"),
        ({"TERM": "dumb"}, "TERM=dumb"),
    ],
)
def test_only_a_truthy_ci_or_a_dumb_terminal_stops_the_wizard(
    env: dict[str, str], reason: str | None
) -> None:
    from scaffolder.terminal import not_interactive_reason

    class Tty:
        def isatty(self) -> bool:
            return True

    streams = (Tty(), Tty())
    got = not_interactive_reason(env, streams)  # type: ignore[arg-type]
    assert got is None if reason is None else reason in (got or "")
    # --interactive forces the wizard wherever there is a terminal...
    assert not_interactive_reason(env, streams, force=True) is None  # type: ignore[arg-type]


def test_interactive_needs_a_terminal_and_says_so() -> None:
    for args in (["--interactive"], ["new", "svc", "--interactive"]):
        out = fwpick(*args)
        assert out.returncode == 2, args
        assert "no interactive terminal" in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1


def test_dumb_terminal_message_is_accurate() -> None:
    from scaffolder.terminal import not_interactive_reason

    class Tty:
        def isatty(self) -> bool:
            return True

    reason = not_interactive_reason({"TERM": "dumb"}, (Tty(), Tty()))  # type: ignore[arg-type]
    assert reason is not None
    assert "cannot draw the wizard" in reason and "CI" not in reason
