"""Collect answers from an answers file and flags, and validate them against the rules.

The same checks run whatever the answers came from (a flag, a file or the wizard),
so every path gives the same message.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from scaffolder.decide.model import MULTI_SEPARATOR, NOT_SURE, RuleSet
from scaffolder.errors import UsageError

# Free-text project fields that may sit in an answers file beside criteria and options.
PROJECT_FIELDS: tuple[str, ...] = (
    "name",
    "package",
    "description",
    "author",
    "framework",
    "migrate_from",  # the Flask project a FastAPI bridge serves while it is ported
    "flask_app",
)
# The word for "none of them" in a multi-choice answer ("" says the same).
NONE_CHOSEN = "none"


class Answers(NamedTuple):
    """Answers by kind. Treated as immutable: ``merged`` returns new mappings."""

    criteria: dict[str, str]
    options: dict[str, str | bool]
    project: dict[str, str]

    @classmethod
    def none(cls) -> Answers:
        return cls({}, {}, {})

    def merged(self, other: Answers) -> Answers:
        """These answers overridden by ``other``."""
        return Answers(
            criteria={**self.criteria, **other.criteria},
            options={**self.options, **other.options},
            project={**self.project, **other.project},
        )


def valid_keys(rules: RuleSet) -> list[str]:
    return [c.id for c in rules.criteria] + [o.id for o in rules.options] + list(PROJECT_FIELDS)


def read_answers_file(path: str) -> dict[str, object]:
    """Read a YAML mapping of answers; every failure is a one-line usage error."""
    import yaml

    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such answers file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the answers file ({exc})") from None
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "malformed YAML"
        raise UsageError(f"{path}: malformed YAML{where}: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UsageError(
            f"{path}: an answers file must be a mapping of question to answer "
            f"(e.g. 'interface: api'), not a {type(data).__name__}"
        )
    return {str(k): v for k, v in data.items()}


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"  # YAML 1.1 reads a bare yes/no as a boolean
    if isinstance(value, (str, int, float)):
        return str(value)
    raise TypeError


def parse_answers(rules: RuleSet, raw: Mapping[str, object], origin: str) -> Answers:
    """Validate a mapping of answers. ``origin`` names where they came from, for errors."""
    criteria: dict[str, str] = {}
    options: dict[str, str | bool] = {}
    project: dict[str, str] = {}
    option_by_id = {o.id: o for o in rules.options}
    criterion_ids = {c.id for c in rules.criteria}
    for raw_key, value in raw.items():
        key = raw_key.replace("-", "_")
        option = option_by_id.get(key)
        if option is not None and option.type == "multi":
            options[key] = parse_multi(key, value, option.choice_ids, origin)
            continue
        try:
            text = _scalar(value)
        except TypeError:
            raise UsageError(f"{origin}: {key}: expected a single value, got {value!r}") from None
        if key in criterion_ids:
            criteria[key] = check_choice(key, text, rules.criterion(key).choice_ids, origin)
        elif key in option_by_id:
            option = option_by_id[key]
            if option.type == "bool":
                options[key] = parse_bool(key, value, origin)
            else:
                options[key] = check_choice(key, text, option.choice_ids, origin)
        elif key in PROJECT_FIELDS:
            if key == "framework":
                text = check_choice(key, text, rules.framework_ids, origin)
            project[key] = text
        else:
            raise UsageError(
                f"{origin}: unknown question {raw_key!r}{_did_you_mean(key, valid_keys(rules))}; "
                f"valid: {', '.join(valid_keys(rules))}"
            )
    return Answers(criteria, options, project)


def check_choice(
    key: str, value: str, valid: tuple[str, ...], origin: str, *, choose: str = ""
) -> str:
    """``value`` as one of ``valid``; else a usage error that says how to ``choose``."""
    if value in valid:
        return value
    normalized = value.strip().lower().replace("-", "_").replace(" ", "_")
    if normalized in valid:
        return normalized
    raise UsageError(
        f"{origin}: {key}: invalid choice {value!r}{_did_you_mean(normalized, valid)} "
        f"({choose or 'choose from ' + ', '.join(valid)})"
    )


def parse_multi(key: str, value: object, valid: tuple[str, ...], origin: str) -> str:
    """Any number of choices, as a list or comma-separated; kept in the choices' order.

    ``none`` (or nothing) chooses none of them, unless ``none`` is itself a choice.
    """
    if isinstance(value, (list, tuple)):
        items = [str(v) for v in value]
    elif isinstance(value, str):
        items = value.split(MULTI_SEPARATOR)
    else:
        raise UsageError(f"{origin}: {key}: expected some of {', '.join(valid)}, got {value!r}")
    items = [item.strip() for item in items if item.strip()]
    if NONE_CHOSEN not in valid and NONE_CHOSEN in (item.lower() for item in items):
        if len(items) > 1:
            raise UsageError(f"{origin}: {key}: {NONE_CHOSEN} cannot be combined with a choice")
        return ""
    choose = f"choose any of {', '.join(valid)}, comma-separated, or {NONE_CHOSEN}"
    chosen = {check_choice(key, item, valid, origin, choose=choose) for item in items}
    return MULTI_SEPARATOR.join(v for v in valid if v in chosen)


def parse_bool(key: str, value: object, origin: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("yes", "true", "on", "1"):
        return True
    if text in ("no", "false", "off", "0"):
        return False
    raise UsageError(f"{origin}: {key}: invalid value {value!r} (choose from yes, no)")


def _did_you_mean(value: str, valid: list[str] | tuple[str, ...]) -> str:
    import difflib

    close = difflib.get_close_matches(value, valid, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unanswered(rules: RuleSet, answers: Answers) -> list[str]:
    return [c.id for c in rules.criteria if answers.criteria.get(c.id, NOT_SURE) == NOT_SURE]
