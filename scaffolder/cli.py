"""The ``fwpick`` command line: flags generated from the rules, dispatch and exit codes.

Heavy libraries (Textual, Copier) are imported only by the commands that need them,
so ``--help``, ``recommend`` and ``schema`` start fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from scaffolder import __version__
from scaffolder.decide.answers import PROJECT_FIELDS, Answers, parse_answers, read_answers_file
from scaffolder.decide.model import RuleSet
from scaffolder.errors import EXIT_USAGE, FwpickError

COMMANDS = {
    "recommend": "Recommend a framework for your answers, with reasons.",
    "new": "Create a project in DIR (opens the wizard in a terminal unless --yes).",
    "update": "Bring a generated project up to the installed templates, or change its answers.",
    "check": "Exit non-zero when newer templates or rules exist for a generated project.",
    "schema": "Print a JSON Schema for answers files.",
}


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors: exit code 2 and nothing on stdout."""

    def error(self, message: str) -> NoReturn:
        if message.startswith("unrecognized arguments"):
            message += self._flag_hint(message)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")

    def _flag_hint(self, message: str) -> str:
        import difflib

        flags = sorted({s for a in self._actions for s in a.option_strings if s.startswith("--")})
        unknown = message.split(":", 1)[1].split()
        close = difflib.get_close_matches(unknown[0].split("=")[0], flags, n=1) if unknown else []
        hint = f" (did you mean {close[0]}?)" if close else ""
        return f"{hint}; valid flags: {', '.join(flags)}"


def _top_parser() -> Parser:
    commands = "\n".join(f"  {name:<10} {text}" for name, text in COMMANDS.items())
    parser = Parser(
        prog="fwpick",
        usage="fwpick [--version] [--rules FILE] [--interactive] [COMMAND ...]",
        description="Pick FastAPI or Flask with reasons, and scaffold a production-ready project.",
        epilog=f"commands:\n{commands}\n\nWith no command, fwpick opens the wizard in a "
        "terminal.\nRun 'fwpick COMMAND --help' for a command's flags.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"fwpick {__version__}")
    parser.add_argument(
        "--rules", metavar="FILE", help="use this rules file instead of the bundled one"
    )
    add_interactive_flag(parser)
    parser.add_argument(
        "command", nargs="?", choices=list(COMMANDS), metavar="COMMAND", help=argparse.SUPPRESS
    )
    parser.add_argument("args", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    return parser


def add_interactive_flag(parser: argparse.ArgumentParser | argparse._ArgumentGroup) -> None:
    parser.add_argument(
        "--interactive",
        action="store_true",
        help="open the wizard even when CI is set or TERM is dumb (a terminal is still needed)",
    )


def add_rules_flag(parser: argparse.ArgumentParser, default: str | None) -> None:
    parser.add_argument(
        "--rules",
        metavar="FILE",
        default=default,
        help="use this rules file instead of the bundled one (validated the same way)",
    )


def add_criteria_flags(parser: argparse.ArgumentParser, rules: RuleSet) -> None:
    group = parser.add_argument_group(
        "decision criteria (from the rules file; unanswered = not_sure)"
    )
    for criterion in rules.criteria:
        group.add_argument(
            f"--{criterion.id.replace('_', '-')}",
            dest=f"criterion:{criterion.id}",
            choices=criterion.choice_ids,
            metavar="{" + ",".join(criterion.choice_ids) + "}",
            help=criterion.question,
        )
    parser.add_argument(
        "--answers",
        metavar="FILE",
        help="a YAML mapping of question to answer; flags override it",
    )


def add_option_flags(parser: argparse.ArgumentParser, rules: RuleSet) -> None:
    group = parser.add_argument_group("project options")
    group.add_argument("--name", help="the project's name (default: DIR's name)")
    group.add_argument("--package", help="the Python package (default: derived from the name)")
    group.add_argument("--description", help="a one-line description")
    group.add_argument("--author", help="the project's author")
    group.add_argument(
        "--framework",
        choices=rules.framework_ids,
        help="use this framework whatever the recommendation (recorded as an override)",
    )
    for option in rules.options:
        flag = f"--{option.id.replace('_', '-')}"
        if option.type == "bool":
            group.add_argument(
                flag,
                dest=f"option:{option.id}",
                action=argparse.BooleanOptionalAction,
                help=f"{option.question} (default: {'yes' if option.default else 'no'})",
            )
        elif option.type == "multi":
            names = ",".join(option.choice_ids)
            group.add_argument(
                flag,
                dest=f"option:{option.id}",
                metavar=f"{{{names}}}[,...]",
                help=f"{option.question} Any of them, comma-separated, or none "
                f"(default: {option.default or 'none'})",
            )
        else:
            group.add_argument(
                flag,
                dest=f"option:{option.id}",
                choices=option.choice_ids,
                metavar="{" + ",".join(option.choice_ids) + "}",
                help=f"{option.question} (default: {option.default})",
            )


def collect_answers(rules: RuleSet, ns: argparse.Namespace) -> Answers:
    """Answers from ``--answers FILE`` overridden by the flags the user typed."""
    from_file = Answers.none()
    if ns.answers:
        from_file = parse_answers(rules, read_answers_file(ns.answers), ns.answers)
    typed: dict[str, object] = {}
    for dest, value in vars(ns).items():
        if value is None:
            continue
        if dest.startswith(("criterion:", "option:")):
            typed[dest.split(":", 1)[1]] = value
        elif dest in PROJECT_FIELDS:
            typed[dest] = value
    return from_file.merged(parse_answers(rules, typed, "flags"))


def _load_rules(path: str | None) -> RuleSet:
    from scaffolder.decide.rules import load_rules

    return load_rules(path)


def _prescan_rules(args: Sequence[str], default: str | None) -> str | None:
    """Find --rules before building a parser, because the flags come from that file."""
    for i, arg in enumerate(args):
        if arg == "--rules" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--rules="):
            return arg.split("=", 1)[1]
    return default


def cmd_recommend(args: Sequence[str], rules_default: str | None) -> int:
    from scaffolder.decide.engine import recommend
    from scaffolder.decide.report import format_recommendation, recommendation_to_json

    rules = _load_rules(_prescan_rules(args, rules_default))
    parser = Parser(
        prog="fwpick recommend",
        usage="fwpick recommend [criteria flags] [--answers FILE] [--rules FILE] [--json]",
        description="Recommend a framework for your answers, with the reasons, their sources "
        "and what would change the pick. Never prompts.",
    )
    add_rules_flag(parser, rules_default)
    add_criteria_flags(parser, rules)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    ns = parser.parse_args(args)
    answers = collect_answers(rules, ns)
    rec = recommend(rules, answers.criteria)
    if ns.json:
        print(json.dumps(recommendation_to_json(rules, rec), indent=2))
    else:
        from scaffolder.terminal import text_width

        print(format_recommendation(rules, rec, width=text_width()))
    return 0


def cmd_schema(args: Sequence[str], rules_default: str | None) -> int:
    from scaffolder.decide.answers_schema import answers_schema

    parser = Parser(
        prog="fwpick schema",
        description="Print a JSON Schema for answers files, generated from the rules file.",
    )
    add_rules_flag(parser, rules_default)
    ns = parser.parse_args(args)
    print(json.dumps(answers_schema(_load_rules(ns.rules)), indent=2))
    return 0


def new_parser(rules: RuleSet, rules_default: str | None) -> Parser:
    parser = Parser(
        prog="fwpick new",
        usage="fwpick new DIR [criteria flags] [project options] [--migrate-from PATH "
        "[--flask-app MODULE:ATTR]] [--yes] [--dry-run] [--json] [--no-git] [--no-lock] "
        "[--overwrite]",
        description="Create a project in DIR. In a terminal, without --yes, this opens the "
        "wizard with DIR filled in; otherwise it never prompts.",
    )
    parser.add_argument("dir", metavar="DIR", help="where to create the project")
    add_rules_flag(parser, rules_default)
    add_criteria_flags(parser, rules)
    add_option_flags(parser, rules)
    parser.add_argument(
        "--templates",
        metavar="DIR",
        help="a folder of your own templates, one per framework id (e.g. DIR/fastapi/); "
        "frameworks it lacks use the bundled templates",
    )
    migration = parser.add_argument_group("gradual migration from Flask (FastAPI only)")
    migration.add_argument(
        "--migrate-from",
        metavar="PATH",
        help="a Flask project (a folder with pyproject.toml or setup.py, or its package) that "
        "the new FastAPI project serves for every route it does not answer yet",
    )
    migration.add_argument(
        "--flask-app",
        metavar="MODULE:ATTR",
        help="the Flask app or its factory (default: found as flask finds it: FLASK_APP, "
        "then app, application, create_app, make_app)",
    )
    mode = parser.add_argument_group("mode")
    mode.add_argument(
        "--yes",
        "-y",
        action="store_true",
        help="never prompt: unanswered criteria count as not sure, options take their defaults",
    )
    add_interactive_flag(mode)
    mode.add_argument(
        "--dry-run",
        action="store_true",
        help="print the decision and the files that would be written; write nothing",
    )
    mode.add_argument("--json", action="store_true", help="print a JSON result on stdout")
    mode.add_argument("--no-git", action="store_true", help="skip git init and the first commit")
    mode.add_argument(
        "--no-lock",
        action="store_true",
        help="skip 'uv lock' (the project then has no uv.lock until you run it)",
    )
    mode.add_argument(
        "--overwrite",
        action="store_true",
        help="write into a non-empty DIR (never deletes or changes other files)",
    )
    return parser


def cmd_new(args: Sequence[str], rules_default: str | None) -> int:
    from scaffolder.cli_new import run_new

    rules = _load_rules(_prescan_rules(args, rules_default))
    ns = new_parser(rules, rules_default).parse_args(args)
    return run_new(rules, ns, collect_answers(rules, ns), list(args))


def _project_parser(prog: str, usage: str, description: str, rules_default: str | None) -> Parser:
    """The flags ``update`` and ``check`` share: the project, --json, --rules, --templates."""
    parser = Parser(prog=prog, usage=usage, description=description)
    parser.add_argument(
        "dir",
        metavar="DIR",
        nargs="?",
        default=".",
        help="the project (default: the current directory)",
    )
    parser.add_argument("--json", action="store_true", help="print a JSON result")
    add_rules_flag(parser, rules_default)
    parser.add_argument(
        "--templates",
        metavar="DIR",
        help="the organisation template folder the project was made from, if any",
    )
    return parser


def cmd_update(args: Sequence[str], rules_default: str | None) -> int:
    from pathlib import Path

    from scaffolder.project.journal import Interrupted
    from scaffolder.project.update import format_update, run_update, update_exit_code, update_json

    parser = _project_parser(
        "fwpick update",
        "fwpick update [DIR] [--set KEY=VALUE ...] [--dry-run] [--json]",
        "Merge the installed templates into a project fwpick generated, keeping your edits "
        "(three-way, offline). --set changes an answer (any option or criterion) the same "
        "way. Needs a clean git tree; applies all changes or none, one update at a time. "
        "Exits 1 when files are left with conflicts or .env keys need a look, 2 when it "
        "refuses (nothing is written then).",
        rules_default,
    )
    parser.add_argument(
        "--set",
        dest="set_pairs",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        help="change an answer, e.g. --set database=postgres",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="show what each file would become; write nothing"
    )
    ns = parser.parse_args(args)
    try:
        _say_recovered(ns.dir)
        result = run_update(
            _load_rules(ns.rules),
            Path(ns.dir),
            set_pairs=ns.set_pairs,
            dry_run=ns.dry_run,
            templates=Path(ns.templates) if ns.templates else None,
        )
    except Interrupted as exc:
        sys.stderr.write(f"fwpick: {exc}\n")
        return exc.exit_code
    if ns.json:
        print(json.dumps(update_json(result, dry_run=ns.dry_run), indent=2))
    else:
        print(format_update(result, dry_run=ns.dry_run))
    return update_exit_code(result)


def _say_recovered(directory: str) -> None:
    """Settle an update a crash interrupted before reading the project; say what was done."""
    from pathlib import Path

    from scaffolder.project.update import recover_interrupted

    message = recover_interrupted(Path(directory))
    if message:
        sys.stderr.write(f"fwpick: {message}\n")


def cmd_check(args: Sequence[str], rules_default: str | None) -> int:
    from pathlib import Path

    from scaffolder.project.update import check_json, format_check, run_check

    ns = _project_parser(
        "fwpick check",
        "fwpick check [DIR] [--json]",
        "Compare a generated project with the installed templates and rules. Exits 0 when "
        "it is current, 1 when newer templates or rules exist, 2 when the project's record is "
        "invalid or was made by a newer fwpick; reports decision drift (the current rules "
        "would pick another framework).",
        rules_default,
    ).parse_args(args)
    rules = _load_rules(ns.rules)
    _say_recovered(ns.dir)
    result = run_check(rules, Path(ns.dir), Path(ns.templates) if ns.templates else None)
    print(check_json(result) if ns.json else format_check(rules, result))
    return 0 if result.current else 1


def cmd_wizard(rules_path: str | None, *, force: bool = False) -> int:
    from scaffolder.terminal import not_interactive_reason

    reason = not_interactive_reason(force=force)
    if reason is not None:
        sys.stderr.write(
            f"fwpick: error: the wizard can't start: {reason}. Without it, use "
            "'fwpick recommend --interface api' or 'fwpick new DIR --yes --interface api' "
            "(see 'fwpick --help').\n"
        )
        return EXIT_USAGE
    from scaffolder.tui.launch import run_wizard

    return run_wizard(_load_rules(rules_path), rules_path=rules_path)


HANDLERS: dict[str, Any] = {
    "recommend": cmd_recommend,
    "new": cmd_new,
    "update": cmd_update,
    "check": cmd_check,
    "schema": cmd_schema,
}


def _stop_on_signals() -> None:
    """SIGTERM and SIGHUP end fwpick like Ctrl-C does: through ``finally`` blocks and a
    message, never mid-write. Commands that write install their own handlers."""
    import signal

    from scaffolder.project.interrupt import Interrupted

    def stop(signum: int, _frame: object) -> None:
        raise Interrupted(signum)

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)


def main(argv: Sequence[str] | None = None) -> int:
    from scaffolder.project.interrupt import Interrupted

    args = list(sys.argv[1:] if argv is None else argv)
    if argv is None:
        _stop_on_signals()
    top = _top_parser()
    try:
        ns = top.parse_args(args)
        if ns.command is None:
            if ns.args:
                top.error(f"unknown command {ns.args[0]!r} (choose from {', '.join(COMMANDS)})")
            return cmd_wizard(ns.rules, force=ns.interactive)
        return int(HANDLERS[ns.command](ns.args, ns.rules))
    except Interrupted as exc:
        _say(f"fwpick: {exc}; nothing was written.")
        return exc.exit_code
    except FwpickError as exc:
        _say(f"fwpick: error: {exc}")
        return exc.exit_code
    except KeyboardInterrupt:
        _say("fwpick: interrupted (Ctrl-C); nothing was written.")
        return 130
    except BrokenPipeError:
        return 0


def _say(line: str) -> None:
    import contextlib

    with contextlib.suppress(OSError):  # the terminal may be gone
        sys.stderr.write(line + "\n")
