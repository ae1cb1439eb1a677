"""Load a rules file, validate it, and turn it into a :class:`RuleSet`.

Validation has two layers: a JSON Schema for shape, then cross-reference checks
(a rule naming an unknown criterion, choice, framework or source). Every error
names the file, the place in it (path and line) and what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from scaffolder.decide import rules_cache
from scaffolder.decide.model import (
    MULTI_SEPARATOR,
    NOT_SURE,
    NOT_SURE_LABEL,
    Choice,
    Constraint,
    Criterion,
    Framework,
    Option,
    Rule,
    RuleSet,
    Source,
    multi_values,
)
from scaffolder.errors import RulesError
from scaffolder.resources import bundled_rules_path

PathPart = str | int


def load_rules(path: str | Path | None = None) -> RuleSet:
    """Read and validate a rules file (the bundled one when ``path`` is None)."""
    file = Path(path) if path is not None else bundled_rules_path()
    shown = str(path) if path is not None else "rules.yaml"
    try:
        raw_bytes = file.read_bytes()
    except FileNotFoundError:
        raise RulesError(shown, None, "no such file") from None
    except OSError as exc:
        raise RulesError(shown, None, f"cannot read it ({exc.strerror})") from None
    data = rules_cache.get(raw_bytes)
    if data is None:
        data = _parse_and_validate(raw_bytes, shown)
        rules_cache.put(raw_bytes, data)
    return _build(data, shown)


def _parse_and_validate(raw_bytes: bytes, shown: str) -> dict[str, Any]:
    import yaml  # deferred: a cached rules file needs no YAML parser

    try:
        text = raw_bytes.decode("utf-8")
    except UnicodeDecodeError:
        raise RulesError(shown, None, "is not UTF-8 text") from None
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else None
        problem = getattr(exc, "problem", None) or "malformed YAML"
        raise RulesError(shown, where, f"malformed YAML: {problem}") from None
    _check_schema(data, text, shown)
    _check_references(data, text, shown)
    assert isinstance(data, dict)
    return data


def _check_schema(data: object, text: str, shown: str) -> None:
    import fastjsonschema

    from scaffolder.decide.rules_schema import RULES_SCHEMA

    validate: Callable[[object], object] = fastjsonschema.compile(RULES_SCHEMA)
    try:
        validate(data)
    except fastjsonschema.JsonSchemaValueException as exc:
        parts: list[PathPart] = [
            int(p) if isinstance(p, str) and p.isdigit() else p for p in (exc.path or [])[1:]
        ]
        problem = exc.message.removeprefix(exc.name or "").strip() if exc.name else exc.message
        problem = _plain(problem)
        if isinstance(exc.value, bool):
            problem += " (quote it: YAML reads a bare yes/no/on/off as true/false)"
        if not isinstance(data, dict):
            problem = "must be a mapping with format, rules_version, sources, frameworks, ..."
        raise RulesError(shown, _location(text, parts), problem) from None


def _check_references(data: dict[str, Any], text: str, shown: str) -> None:
    def fail(parts: Sequence[PathPart], problem: str) -> None:
        raise RulesError(shown, _location(text, parts), problem)

    def unique(section: str, items: Iterable[Mapping[str, Any]], key: str = "id") -> None:
        seen: set[str] = set()
        for i, item in enumerate(items):
            if item[key] in seen:
                fail([section, i, key], f"duplicate {key} {item[key]!r}")
            seen.add(item[key])

    for section in ("frameworks", "criteria", "options", "constraints", "rules"):
        unique(section, data.get(section, []))
    unique("sources", data["sources"], "file")

    frameworks = [f["id"] for f in data["frameworks"]]
    sources = [s["file"] for s in data["sources"]]
    criteria = {c["id"]: [ch["id"] for ch in c["choices"]] for c in data["criteria"]}
    options: dict[str, list[str]] = {}
    for i, opt in enumerate(data.get("options", [])):
        if opt["id"] in criteria:
            fail(["options", i, "id"], f"{opt['id']!r} is already a criterion")
        if opt.get("type", "choice") == "bool":
            if not isinstance(opt["default"], bool):
                fail(["options", i, "default"], "must be true or false for a bool option")
            options[opt["id"]] = ["true", "false"]
            continue
        if "choices" not in opt:
            fail(["options", i], f"a {opt.get('type', 'choice')} option needs choices")
        ids = [ch["id"] for ch in opt["choices"]]
        if opt.get("type") == "multi":
            defaults = _multi_default(opt["default"])
            if defaults is None or not set(defaults) <= set(ids):
                fail(["options", i, "default"], f"must list some of {_names(ids)}")
        elif opt["default"] not in ids:
            fail(["options", i, "default"], f"must be one of {_names(ids)}")
        options[opt["id"]] = ids

    for i, crit in enumerate(data["criteria"]):
        unique_choices = [ch["id"] for ch in crit["choices"]]
        if len(set(unique_choices)) != len(unique_choices):
            fail(["criteria", i, "choices"], "choice ids must be unique")
        default = crit.get("project_default")
        if default is not None and default not in unique_choices:
            fail(["criteria", i, "project_default"], f"must be one of {_names(unique_choices)}")

    def check_condition(
        parts: list[PathPart],
        cond: Mapping[str, list[str]],
        known: Mapping[str, list[str]],
        what: str,
    ) -> None:
        for key, wanted in cond.items():
            if key not in known:
                fail([*parts, key], f"unknown {what} {key!r}; known: {_names(known)}")
            for j, choice in enumerate(wanted):
                if choice not in known[key]:
                    fail(
                        [*parts, key, j],
                        f"unknown choice {choice!r} for {key}; valid: {_names(known[key])}",
                    )

    everything = {**criteria, **options}
    for i, con in enumerate(data.get("constraints", [])):
        check_condition(["constraints", i, "when"], con["when"], everything, "criterion or option")
        check_condition(
            ["constraints", i, "require"], con["require"], everything, "criterion or option"
        )

    for i, rule in enumerate(data["rules"]):
        check_condition(["rules", i, "when"], rule["when"], criteria, "criterion")
        if rule["favors"] not in frameworks:
            fail(["rules", i, "favors"], f"unknown framework; known: {_names(frameworks)}")
        if rule["source"] not in sources:
            fail(["rules", i, "source"], f"unknown source; listed sources: {_names(sources)}")


_REWRITES = (
    (re.compile(r"^must contain \[(.*)\] properties$"), r"is missing \1"),
    (re.compile(r"^must not contain \{(.*)\} properties$"), r"has unknown keys \1"),
    (re.compile(r"^must be same as const definition: (.*)$"), r"must be \1"),
    (re.compile(r"^must be smaller than or equal to (.*)$"), r"must be at most \1"),
    (re.compile(r"^must be bigger than or equal to (.*)$"), r"must be at least \1"),
)


def _plain(problem: str) -> str:
    """fastjsonschema's messages, reworded for people editing YAML."""
    for pattern, replacement in _REWRITES:
        problem = pattern.sub(replacement, problem)
    return problem


def _names(items: Iterable[str]) -> str:
    return ", ".join(items)


def _location(text: str, parts: Sequence[PathPart]) -> str:
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in parts).lstrip(".")
    line = _line_of(text, parts)
    if not path:
        return f"line {line}" if line else "top level"
    return f"{path} (line {line})" if line else path


def _line_of(text: str, parts: Sequence[PathPart]) -> int | None:
    """The 1-based line of the YAML node at ``parts``, or of its nearest ancestor."""
    import yaml

    try:
        node: Any = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    line = node.start_mark.line + 1 if node is not None else None
    for part in parts:
        child = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == part), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if part < len(node.value) else None
        if child is None:
            break
        node, line = child, child.start_mark.line + 1
    return line


def _multi_default(default: object) -> list[str] | None:
    """A multi option's default as a list, from a list or comma-separated text."""
    if isinstance(default, list) and all(isinstance(v, str) for v in default):
        return default
    if isinstance(default, str):
        return list(multi_values(default))
    return None


def _option_default(option: Mapping[str, Any]) -> str | bool:
    """An option's default; ``default_from: running_python`` picks this interpreter's version.

    The version is clamped to the choices, so a project made here installs here whenever
    the templates support this Python at all.
    """
    if option.get("type") == "multi":
        chosen = set(_multi_default(option["default"]) or ())
        return MULTI_SEPARATOR.join(c["id"] for c in option["choices"] if c["id"] in chosen)
    default: str | bool = option["default"]
    if option.get("default_from") != "running_python":
        return default
    import sys

    versions = {
        version: str(c["id"])
        for c in option.get("choices", [])
        if (version := _as_version(str(c["id"]))) is not None
    }
    if not versions:
        return default
    clamped = min(max(sys.version_info[:2], min(versions)), max(versions))
    return versions.get(clamped, default)


def _as_version(text: str) -> tuple[int, int] | None:
    major, _, minor = text.partition(".")
    return (int(major), int(minor)) if major.isdigit() and minor.isdigit() else None


def _choices(raw: Iterable[Mapping[str, str]]) -> tuple[Choice, ...]:
    return tuple(Choice(id=c["id"], label=c["label"]) for c in raw)


def _condition(raw: Mapping[str, list[str]]) -> dict[str, tuple[str, ...]]:
    return {k: tuple(v) for k, v in raw.items()}


def _build(data: Mapping[str, Any], shown: str) -> RuleSet:
    return RuleSet(
        path=shown,
        format=data["format"],
        rules_version=str(data["rules_version"]),
        sources=tuple(
            Source(
                file=s["file"],
                title=s["title"],
                publisher=s.get("publisher", ""),
                url=s.get("url", ""),
            )
            for s in data["sources"]
        ),
        frameworks=tuple(
            Framework(id=f["id"], label=f["label"], summary=f.get("summary", ""))
            for f in data["frameworks"]
        ),
        criteria=tuple(
            Criterion(
                id=c["id"],
                question=c["question"],
                help=c["help"],
                choices=(*_choices(c["choices"]), Choice(NOT_SURE, NOT_SURE_LABEL)),
                project_default=c.get("project_default"),
            )
            for c in data["criteria"]
        ),
        options=tuple(
            Option(
                id=o["id"],
                question=o["question"],
                help=o["help"],
                type=o.get("type", "choice"),
                default=_option_default(o),
                choices=_choices(o.get("choices", [])),
            )
            for o in data.get("options", [])
        ),
        constraints=tuple(
            Constraint(
                id=c["id"],
                when=_condition(c["when"]),
                require=_condition(c["require"]),
                why=c["why"],
            )
            for c in data.get("constraints", [])
        ),
        rules=tuple(
            Rule(
                id=r["id"],
                when=_condition(r["when"]),
                favors=r["favors"],
                weight=r["weight"],
                why=r["why"],
                source=r["source"],
                quote=r.get("quote", ""),
            )
            for r in data["rules"]
        ),
    )
