"""The rules file's content as immutable values (no I/O, no validation).

NamedTuples rather than dataclasses: every command builds these, and importing
``dataclasses`` (which pulls in ``inspect``) would cost ``fwpick recommend`` about a
third of its run time.
"""

from __future__ import annotations

from typing import NamedTuple

NOT_SURE = "not_sure"
NOT_SURE_LABEL = "Not sure"


class Choice(NamedTuple):
    id: str
    label: str


class Source(NamedTuple):
    file: str
    title: str
    publisher: str
    url: str = ""

    @property
    def citation(self) -> str:
        """How a person finds the article: its title, publisher and address when known."""
        text = f"\u201c{self.title}\u201d"
        if self.publisher:
            text += f", {self.publisher}"
        return f"{text} <{self.url}>" if self.url else text


class Framework(NamedTuple):
    id: str
    label: str
    summary: str


class Criterion(NamedTuple):
    """A decision question. ``not_sure`` is always among its choices and is neutral."""

    id: str
    question: str
    help: str
    choices: tuple[Choice, ...]
    project_default: str | None = None

    @property
    def choice_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.choices)

    @property
    def shapes_project(self) -> bool:
        return self.project_default is not None

    def label_of(self, choice_id: str) -> str:
        return next((c.label for c in self.choices if c.id == choice_id), choice_id)


class Option(NamedTuple):
    """A project option: it shapes the generated project but never the pick."""

    id: str
    question: str
    help: str
    type: str  # "choice" or "bool"
    default: str | bool
    choices: tuple[Choice, ...] = ()

    @property
    def choice_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.choices)


class Constraint(NamedTuple):
    id: str
    when: dict[str, tuple[str, ...]]
    require: dict[str, tuple[str, ...]]
    why: str


class Rule(NamedTuple):
    id: str
    when: dict[str, tuple[str, ...]]
    favors: str
    weight: int
    why: str
    source: str
    quote: str = ""


class RuleSet(NamedTuple):
    path: str
    format: int
    rules_version: str
    sources: tuple[Source, ...]
    frameworks: tuple[Framework, ...]
    criteria: tuple[Criterion, ...]
    options: tuple[Option, ...]
    constraints: tuple[Constraint, ...]
    rules: tuple[Rule, ...]

    @property
    def framework_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.frameworks)

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    def framework(self, framework_id: str) -> Framework:
        return next(f for f in self.frameworks if f.id == framework_id)

    def source(self, file: str) -> Source:
        return next(s for s in self.sources if s.file == file)
