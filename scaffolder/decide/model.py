"""The rules file's content as immutable values (no I/O, no validation).

NamedTuples rather than dataclasses: every command builds these, and importing
``dataclasses`` (which pulls in ``inspect``) would cost ``fwpick recommend`` about a
third of its run time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from collections.abc import Mapping

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
    type: str  # "choice", "bool" or "multi" (any number of the choices)
    default: str | bool  # a multi option's choices are comma-separated: "compose,kubernetes"
    choices: tuple[Choice, ...] = ()

    @property
    def choice_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.choices)


MULTI_SEPARATOR = ","


def multi_values(value: str | bool) -> tuple[str, ...]:
    """The choices a multi option's value names ("" names none)."""
    return tuple(v for v in str(value).split(MULTI_SEPARATOR) if v)


def answer_text(value: str | bool) -> str:
    """An answer as rules and flags spell it: a bool is true or false."""
    return ("true" if value else "false") if isinstance(value, bool) else value


def answer_values(value: str | bool) -> tuple[str, ...]:
    """The choice ids an answer names: one, or a multi option's each (choice ids have no
    commas, so splitting a single choice changes nothing)."""
    return multi_values(answer_text(value))


class Constraint(NamedTuple):
    id: str
    when: dict[str, tuple[str, ...]]
    require: dict[str, tuple[str, ...]]
    why: str

    def applies(self, values: Mapping[str, str | bool]) -> bool:
        """Every ``when`` answer names one of its listed choices (a multi option: any)."""
        return all(
            any(v in want for v in answer_values(values.get(key, NOT_SURE)))
            for key, want in self.when.items()
        )

    def unmet(self, values: Mapping[str, str | bool]) -> str | None:
        """The first required answer that names a choice outside its list, if any."""
        for key, allowed in self.require.items():
            if not all(v in allowed for v in answer_values(values.get(key, NOT_SURE))):
                return key
        return None


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

    def option(self, option_id: str) -> Option:
        return next(o for o in self.options if o.id == option_id)

    def framework(self, framework_id: str) -> Framework:
        return next(f for f in self.frameworks if f.id == framework_id)

    def source(self, file: str) -> Source:
        return next(s for s in self.sources if s.file == file)
