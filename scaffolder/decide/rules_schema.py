"""The JSON Schema that a rules file must satisfy before fwpick reads it."""

from __future__ import annotations

from typing import Any

_ID = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}
_CHOICE_ID = {"type": "string", "pattern": "^[a-z0-9][a-z0-9_.-]*$", "not": {"const": "not_sure"}}
_TEXT = {"type": "string", "minLength": 1}
_CHOICES = {
    "type": "array",
    "minItems": 2,
    "items": {
        "type": "object",
        "required": ["id", "label"],
        "additionalProperties": False,
        "properties": {"id": _CHOICE_ID, "label": _TEXT},
    },
}
_CONDITION = {
    "type": "object",
    "minProperties": 1,
    "propertyNames": _ID,
    "additionalProperties": {"type": "array", "minItems": 1, "items": _CHOICE_ID},
}

RULES_SCHEMA: dict[str, Any] = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "fwpick rules file",
    "type": "object",
    "required": ["format", "rules_version", "sources", "frameworks", "criteria", "rules"],
    "additionalProperties": False,
    "properties": {
        "format": {"const": 1},
        "rules_version": _TEXT,
        "sources": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["file", "title"],
                "additionalProperties": False,
                "properties": {
                    "file": _TEXT,
                    "title": _TEXT,
                    "publisher": {"type": "string"},
                    # The article's public address, where one is known.
                    "url": {"type": "string", "pattern": "^https?://[^\\s]+$"},
                },
            },
        },
        "frameworks": {
            "type": "array",
            "minItems": 2,
            "items": {
                "type": "object",
                "required": ["id", "label"],
                "additionalProperties": False,
                "properties": {"id": _ID, "label": _TEXT, "summary": {"type": "string"}},
            },
        },
        "criteria": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "question", "help", "choices"],
                "additionalProperties": False,
                "properties": {
                    "id": _ID,
                    "question": _TEXT,
                    "help": _TEXT,
                    "choices": _CHOICES,
                    "project_default": _CHOICE_ID,
                },
            },
        },
        "options": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "question", "help", "default"],
                "additionalProperties": False,
                "properties": {
                    "id": _ID,
                    "question": _TEXT,
                    "help": _TEXT,
                    # multi: any number of the choices; its default lists them, e.g.
                    # "compose,kubernetes" or [compose, kubernetes].
                    "type": {"enum": ["choice", "bool", "multi"]},
                    "choices": _CHOICES,
                    "default": {
                        "type": ["string", "boolean", "array"],
                        "items": {"type": "string"},
                    },
                    # The running interpreter's "3.N", when it is one of the choices.
                    "default_from": {"enum": ["running_python"]},
                },
            },
        },
        "constraints": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "when", "require", "why"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
                    "when": _CONDITION,
                    "require": _CONDITION,
                    "why": _TEXT,
                },
            },
        },
        "rules": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["id", "when", "favors", "weight", "why", "source"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
                    "when": _CONDITION,
                    "favors": _ID,
                    "weight": {"type": "integer", "minimum": 1, "maximum": 5},
                    "why": _TEXT,
                    "source": _TEXT,
                    "quote": {"type": "string"},
                },
            },
        },
    },
}
