"""The rules file's content as immutable values (no I/O, no validation)."""

from __future__ import annotations

from dataclasses import dataclass, field

NOT_SURE = "not_sure"
NOT_SURE_LABEL = "Not sure"


@dataclass(frozen=True)
class Choice:
    id: str
    label: str


@dataclass(frozen=True)
class Source:
    file: str
    title: str
    publisher: str


@dataclass(frozen=True)
class Framework:
    id: str
    label: str
    summary: str


@dataclass(frozen=True)
class Criterion:
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


@dataclass(frozen=True)
class Option:
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


@dataclass(frozen=True)
class Constraint:
    id: str
    when: dict[str, tuple[str, ...]]
    require: dict[str, tuple[str, ...]]
    why: str


@dataclass(frozen=True)
class Rule:
    id: str
    when: dict[str, tuple[str, ...]]
    favors: str
    weight: int
    why: str
    source: str
    quote: str = ""


@dataclass(frozen=True)
class RuleSet:
    path: str
    format: int
    rules_version: str
    sources: tuple[Source, ...]
    frameworks: tuple[Framework, ...]
    criteria: tuple[Criterion, ...]
    options: tuple[Option, ...]
    constraints: tuple[Constraint, ...]
    rules: tuple[Rule, ...]
    _criteria_by_id: dict[str, Criterion] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_criteria_by_id", {c.id: c for c in self.criteria})

    @property
    def framework_ids(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.frameworks)

    def criterion(self, criterion_id: str) -> Criterion:
        return self._criteria_by_id[criterion_id]

    def framework(self, framework_id: str) -> Framework:
        return next(f for f in self.frameworks if f.id == framework_id)

    def source(self, file: str) -> Source:
        return next(s for s in self.sources if s.file == file)
