"""Turn validated answers into a project plan: the pick, the options and the template data.

Pure: no files, no randomness. Secrets are added by the renderer.
"""

from __future__ import annotations

import os
import shlex
from dataclasses import dataclass
from pathlib import Path

from scaffolder import __version__
from scaffolder.decide.answers import Answers
from scaffolder.decide.engine import Recommendation, recommend
from scaffolder.decide.model import (
    MULTI_SEPARATOR,
    NOT_SURE,
    RuleSet,
    answer_text,
    multi_values,
)
from scaffolder.errors import UsageError
from scaffolder.project.legacy import LegacyProject
from scaffolder.project.naming import check_package_name, check_project_name, package_for

DEFAULT_DESCRIPTION = "A web service."


@dataclass(frozen=True)
class ProjectPlan:
    dest: Path
    framework: str
    recommendation: Recommendation
    criteria: dict[str, str]
    options: dict[str, str | bool]
    name: str
    package: str
    description: str
    author: str
    rules_path: str | None = None
    legacy: LegacyProject | None = None  # the Flask project a bridge migrates from
    flask_app: str = ""  # MODULE:ATTR as given (--flask-app or FLASK_APP); "" to search

    @property
    def overridden(self) -> bool:
        return self.framework != self.recommendation.framework

    def template_data(self, rules: RuleSet, template_version: str) -> dict[str, object]:
        """The Copier answers (docs/template-contract.md), without secrets.

        ``decision`` records every criterion, so ``fwpick check`` and ``fwpick update``
        can replay the decision later from the project alone.
        """
        data: dict[str, object] = {
            "project_name": self.name,
            "package_name": self.package,
            "description": self.description,
            "author": self.author,
            "fwpick_version": __version__,
            "rules_version": rules.rules_version,
            "template_version": template_version,
            "decision": {
                "framework": self.framework,
                "recommended": self.recommendation.framework,
                "override": self.overridden,
                "criteria": dict(self.criteria),
            },
        }
        data.update(project_choices(rules, self.criteria))
        types = {o.id: o.type for o in rules.options}
        for key, value in self.options.items():
            # Copier's multiselect questions take a list.
            shown = list(multi_values(value)) if types.get(key) == "multi" else value
            data["python_version" if key == "python" else key] = shown
        if self.legacy is not None:
            from scaffolder.project.bridge import migration_answers

            data.update(migration_answers(self.legacy, self.dest, self.flask_app))
        return data

    def command(self, *, overwrite: bool = False) -> str:
        """The non-interactive command that reproduces this project.

        The directory is written relative to where fwpick runs (or to ``~``), never as
        this machine's absolute path, because the command is recorded in the project.
        """
        args = ["fwpick", "new", _DIR, "--yes"]
        if self.rules_path:
            args += ["--rules", self.rules_path]
        for key, value in self.criteria.items():
            if value != NOT_SURE:
                args += [f"--{key.replace('_', '-')}", value]
        if self.overridden:
            args += ["--framework", self.framework]
        args += ["--name", self.name]
        if self.package != package_for(self.name):
            args += ["--package", self.package]
        if self.description != DEFAULT_DESCRIPTION:
            args += ["--description", self.description]
        if self.author:
            args += ["--author", self.author]
        if self.legacy is not None:
            args += ["--migrate-from", _DIR_LEGACY]
            args += ["--flask-app", self.flask_app] if self.flask_app else []
        for key, option_value in self.options.items():
            flag = f"--{key.replace('_', '-')}"
            if isinstance(option_value, bool):
                args.append(flag if option_value else f"--no-{key.replace('_', '-')}")
            else:
                args += [flag, option_value]  # a multi option: comma-separated, "" for none
        if overwrite:
            args.append("--overwrite")
        text = shlex.join(args).replace(_DIR, command_dir(self.dest), 1)
        if self.legacy is not None:
            text = text.replace(_DIR_LEGACY, command_dir(self.legacy.root), 1)
        return text


_DIR = "@DIR@"  # shlex.join would quote the "~" that command_dir may emit
_DIR_LEGACY = "@LEGACY@"


def command_dir(dest: Path, cwd: Path | None = None) -> str:
    """``dest`` as a shell word for the command: relative to ``cwd``, or under ``~``."""
    if not dest.is_absolute():
        return shlex.quote(str(dest))
    here = cwd or Path.cwd()
    home = Path.home()
    for base, prefix in ((here, ""), (home, "~/")):
        try:
            rel = dest.relative_to(base)
        except ValueError:
            continue
        text = rel.as_posix()
        return prefix + shlex.quote(text) if text != "." else (prefix.rstrip("/") or ".")
    return shlex.quote(os.path.relpath(dest, here))


def project_choices(rules: RuleSet, criteria: dict[str, str]) -> dict[str, str]:
    """The criteria that shape the project, with "not sure" replaced by the project default."""
    return {
        c.id: (
            criteria.get(c.id, NOT_SURE)
            if criteria.get(c.id, NOT_SURE) != NOT_SURE
            else c.project_default
        )
        for c in rules.criteria
        if c.project_default is not None
    }


def resolve_options(
    rules: RuleSet, answers: Answers, choices: dict[str, str]
) -> dict[str, str | bool]:
    """Every option: the answer given, else its default.

    A multi option left at its default drops the choices the other answers rule out, so a
    default never clashes with what the user chose (--no-docker: no compose file).
    """
    options = {o.id: answers.options.get(o.id, o.default) for o in rules.options}
    for option in rules.options:
        if option.type == "multi" and option.id not in answers.options:
            options[option.id] = MULTI_SEPARATOR.join(
                choice
                for choice in multi_values(options[option.id])
                if _allowed(rules, {**choices, **options, option.id: choice})
            )
    return options


def _allowed(rules: RuleSet, values: dict[str, str | bool]) -> bool:
    return not any(c.applies(values) and c.unmet(values) is not None for c in rules.constraints)


def check_constraints(rules: RuleSet, values: dict[str, str | bool]) -> None:
    """Refuse a combination the rules forbid, naming what would fix it."""

    for constraint in rules.constraints:
        if not constraint.applies(values):
            continue
        key = constraint.unmet(values)
        if key is not None:
            cause = ", ".join(f"{k}={answer_text(values[k])}" for k in constraint.when)
            got = answer_text(values.get(key, NOT_SURE)) or "none"
            allowed = ", ".join(constraint.require[key])
            raise UsageError(
                f"{cause} needs {key} to be one of {allowed}, not {got}: {constraint.why}"
            )


def build_plan(
    rules: RuleSet, answers: Answers, dest: Path, *, rules_path: str | None = None
) -> ProjectPlan:
    """Validate everything a render needs and decide the framework."""
    name = answers.project.get("name") or dest.resolve().name
    problem = check_project_name(name)
    if problem is not None:
        origin = "--name" if "name" in answers.project else f"the directory name {name!r}"
        hint = "" if "name" in answers.project else " (pass --name)"
        raise UsageError(f"{origin}: {problem}{hint}")
    package = answers.project.get("package") or package_for(name)
    package_problem = check_package_name(package)
    if package_problem is not None:
        raise UsageError(f"--package: {package_problem}")
    legacy, criteria = None, answers.criteria
    if answers.project.get("flask_app") and not answers.project.get("migrate_from"):
        raise UsageError("--flask-app names the app to migrate from: pass --migrate-from too")
    if answers.project.get("migrate_from"):
        from scaffolder.project.bridge import migration_criteria

        criteria = migration_criteria(rules, answers.criteria)
    rec = recommend(rules, criteria)
    choices = project_choices(rules, rec.answers)
    options = resolve_options(rules, answers, choices)
    check_constraints(rules, {**choices, **options})
    framework = answers.project.get("framework") or rec.framework
    if answers.project.get("migrate_from"):
        from scaffolder.project.bridge import check_migration

        legacy = check_migration(rules, answers, dest, framework, package)
    return ProjectPlan(
        dest=dest,
        framework=framework,
        recommendation=rec,
        criteria=rec.answers,
        options=options,
        name=name,
        package=package,
        description=answers.project.get("description", DEFAULT_DESCRIPTION),
        author=answers.project.get("author", ""),
        rules_path=rules_path,
        legacy=legacy,
        flask_app=answers.project.get("flask_app", "") if legacy is not None else "",
    )
