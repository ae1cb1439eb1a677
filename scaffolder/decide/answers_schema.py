"""A JSON Schema for answers files, generated from the rules, for editors to validate."""

from __future__ import annotations

from typing import Any

from scaffolder.decide.answers import PROJECT_FIELDS
from scaffolder.decide.model import RuleSet, multi_values

_PROJECT_DESCRIPTIONS = {
    "name": "The project's name (defaults to the directory's name).",
    "package": "The Python import package (derived from the name).",
    "description": "A one-line description of the project.",
    "author": "The project's author.",
    "framework": "Override the recommended framework.",
    "migrate_from": "A Flask project the new FastAPI project serves while it is ported "
    "(relative to where fwpick runs, or to the project once recorded).",
    "flask_app": "The Flask app as MODULE:ATTR (an app object or a factory); found as "
    "flask finds it when left out.",
}


def answers_schema(rules: RuleSet) -> dict[str, Any]:
    properties: dict[str, Any] = {}
    for criterion in rules.criteria:
        properties[criterion.id] = {
            "title": criterion.question,
            "description": criterion.help,
            "enum": list(criterion.choice_ids),
        }
    for option in rules.options:
        if option.type == "bool":
            properties[option.id] = {
                "title": option.question,
                "description": option.help,
                "type": "boolean",
                "default": option.default,
            }
        elif option.type == "multi":
            properties[option.id] = {
                "title": option.question,
                "description": option.help,
                # A list, or the same comma-separated ("compose,kubernetes").
                "type": ["array", "string"],
                "items": {"enum": list(option.choice_ids)},
                "uniqueItems": True,
                "default": list(multi_values(option.default)),
            }
        else:
            properties[option.id] = {
                "title": option.question,
                "description": option.help,
                "enum": list(option.choice_ids),
                "default": option.default,
            }
    for name in PROJECT_FIELDS:
        properties[name] = {"description": _PROJECT_DESCRIPTIONS[name], "type": "string"}
    properties["framework"]["enum"] = list(rules.framework_ids)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "fwpick answers file",
        "description": f"Answers for fwpick (rules version {rules.rules_version}).",
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
