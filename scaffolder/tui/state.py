"""What the user has picked so far, and how it turns into core objects.

No Textual here: the screens edit this object, and every check goes through the
same core functions as the command line (parse_answers, build_plan, naming).
"""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass, field
from pathlib import Path

from scaffolder.decide.answers import Answers, parse_answers
from scaffolder.decide.engine import Recommendation, recommend
from scaffolder.decide.model import RuleSet
from scaffolder.errors import FwpickError, UsageError
from scaffolder.project.bridge import ANSWER, CRITERION, FRAMEWORK
from scaffolder.project.legacy import LegacyProject, check_flask_app, find_legacy_project
from scaffolder.project.naming import check_project_name
from scaffolder.project.plan import ProjectPlan, build_plan, project_choices, resolve_options

DEFAULT_NAME = "my-service"
ORIGIN = "the wizard"


def expand_path(text: str) -> Path:
    """``~`` and ``$VARS`` expanded (the shell does this for the command line's DIR)."""
    return Path(os.path.expandvars(text.strip())).expanduser()


class Nav(enum.Enum):
    """How a wizard screen was left, besides with an answer."""

    BACK = "back"
    NEXT = "next"
    SKIP = "skip"  # jump from a question straight to the recommendation


@dataclass(frozen=True)
class Jump:
    """Leave the current step for question ``number`` (1-based), then come back."""

    number: int


@dataclass
class WizardState:
    rules: RuleSet
    rules_path: str | None = None
    criteria: dict[str, str] = field(default_factory=dict)
    options: dict[str, str | bool] = field(default_factory=dict)
    # Options the user set, even to their default: answers, which the other answers must
    # satisfy, not defaults that yield to them.
    chosen_options: set[str] = field(default_factory=set)
    project: dict[str, str] = field(default_factory=dict)
    dest: str = ""
    overwrite: bool = False

    @classmethod
    def from_answers(
        cls,
        rules: RuleSet,
        answers: Answers | None,
        dest: Path | None,
        rules_path: str | None = None,
    ) -> WizardState:
        answers = answers or Answers.none()
        project = dict(answers.project)
        if "name" not in project:
            project["name"] = dest.resolve().name if dest is not None else DEFAULT_NAME
        return cls(
            rules=rules,
            rules_path=rules_path,
            criteria=dict(answers.criteria),
            options={o.id: answers.options.get(o.id, o.default) for o in rules.options},
            chosen_options=set(answers.options),
            project=project,
            dest=str(dest) if dest is not None else project["name"],
        )

    @property
    def has_answers(self) -> bool:
        """Whether quitting would lose something the user did."""
        return bool(self.criteria)

    @property
    def name(self) -> str:
        return self.project.get("name", "")

    def answers(self) -> Answers:
        """The picks, validated exactly like flags or an answers file.

        Options still at their default, and not set by the user, are left out, as when a
        flag is not typed: a default then yields to the other answers (no docker, so no
        compose file).
        """
        defaults = {o.id: o.default for o in self.rules.options}
        changed = {
            k: v
            for k, v in self.options.items()
            if v != defaults.get(k) or k in self.chosen_options
        }
        raw: dict[str, object] = {**self.criteria, **changed, **self.project}
        return parse_answers(self.rules, raw, ORIGIN)

    def set_option(self, option_id: str, value: str | bool) -> None:
        self.options[option_id] = value
        self.chosen_options.add(option_id)

    def fitted_options(self) -> dict[str, str | bool]:
        """The options as the plan will use them: defaults fitted to the other answers."""
        try:
            answers = self.answers()
        except FwpickError:
            return dict(self.options)
        choices = project_choices(self.rules, self.recommendation().answers)
        return resolve_options(self.rules, answers, choices)

    def recommendation(self, trial: tuple[str, str] | None = None) -> Recommendation:
        """The pick for the answers so far; ``trial`` adds one not-yet-confirmed answer."""
        criteria = dict(self.criteria)
        if trial is not None:
            criteria[trial[0]] = trial[1]
        return recommend(self.rules, criteria)

    def chosen_framework(self) -> str:
        return self.project.get("framework") or self.recommendation().framework

    def choose_framework(self, framework: str) -> None:
        """Record the framework; only a choice against the recommendation is an override."""
        if framework == self.recommendation().framework:
            self.project.pop("framework", None)
        else:
            self.project["framework"] = framework

    @property
    def offers_migration(self) -> bool:
        """An existing Flask codebase moving to FastAPI: the bridge can serve it meanwhile."""
        criteria = {c.id for c in self.rules.criteria}
        return (
            CRITERION in criteria
            and self.criteria.get(CRITERION) == ANSWER
            and self.chosen_framework() == FRAMEWORK
        )

    @property
    def migrate_from(self) -> str:
        return self.project.get("migrate_from", "")

    def set_migration(self, folder: str, flask_app: str) -> None:
        """Serve the Flask project in ``folder`` from the new one ("" for a fresh project)."""
        self.project.pop("migrate_from", None)
        self.project.pop("flask_app", None)
        if folder.strip():
            self.project["migrate_from"] = str(expand_path(folder))
            if flask_app.strip():
                self.project["flask_app"] = flask_app.strip()

    def name_problem(self) -> str | None:
        problem = check_project_name(self.name)
        return None if problem is None else str(problem)

    @property
    def dest_path(self) -> Path:
        """The directory as typed, with ``~`` and ``$VARS`` expanded as a shell would."""
        return expand_path(self.dest)

    def plan(self) -> ProjectPlan:
        """Raises UsageError with the CLI's message when something is invalid."""
        return build_plan(self.rules, self.answers(), self.dest_path, rules_path=self.rules_path)

    def try_plan(self) -> ProjectPlan | None:
        try:
            return self.plan()
        except FwpickError:
            return None


def _without_flag(error: UsageError, flag: str) -> str:
    """The CLI's message for a flag, told about a field instead (the field names itself)."""
    text = str(error)
    head, sep, rest = text.partition(": ")
    return rest if sep and head.startswith(flag) else text


def check_legacy_folder(text: str) -> LegacyProject | str:
    """The Flask project typed as ``text``, or what is wrong with it (the CLI's checks)."""
    if not text.strip():
        return "Enter the folder of the Flask project"
    try:
        return find_legacy_project(str(expand_path(text)))
    except UsageError as exc:
        return _without_flag(exc, "--migrate-from")


def flask_app_problem(spec: str) -> str | None:
    """What is wrong with a MODULE:ATTR typed for the Flask app; "" means search for it."""
    if not spec.strip():
        return None
    try:
        check_flask_app(spec.strip())
    except UsageError as exc:
        return _without_flag(exc, "--flask-app")
    return None
