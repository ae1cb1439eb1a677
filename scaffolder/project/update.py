"""``fwpick update`` and ``fwpick check``: keep a generated project in step with its template.

An update rebuilds the pristine render (the template version and answers the project
was made with, both kept inside the installed fwpick and the project), renders the
current template with the new answers, and merges the difference into the user's
files three ways. Every check runs before anything is written; then the whole change
is applied in one journaled step (``journal``), so an update never half-applies.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from scaffolder.decide.answers import Answers
from scaffolder.decide.engine import recommend
from scaffolder.decide.model import NOT_SURE, RuleSet
from scaffolder.errors import EXIT_FAILURE, EXIT_OK, UsageError
from scaffolder.project import envfile, journal
from scaffolder.project.adr import ADR_PATH
from scaffolder.project.migration import MigrationProgress, progress_json, progress_lines
from scaffolder.project.plan import ProjectPlan, build_plan, project_choices
from scaffolder.project.recorded import ANSWERS_FILE, TEMPLATE_KEYS, RecordedProject, read_recorded
from scaffolder.project.template_store import TemplateStore, store_for
from scaffolder.project.treemerge import (
    FileChange,
    Status,
    plan_merge,
    read_owned,
    read_tree,
    where,
)

ENV_FILE = ".env"
LOCK_FILE = "uv.lock"
# Never merged as text: the secret-bearing .env is merged by key, decision records are
# written once and added to, the answers file is fwpick's own, and uv.lock is relocked.
UNMERGED = frozenset({ENV_FILE, "docs/adr/", ANSWERS_FILE, LOCK_FILE})
ENV_BACKUP = ".env.fwpick-backup"


@dataclass(frozen=True)
class UpdateResult:
    changes: list[FileChange]
    new_adr: str | None
    drift: str | None
    notes: list[str] = field(default_factory=list)  # recovery, backups, relock, kept keys
    attention: list[str] = field(default_factory=list)  # .env keys the user must review

    @property
    def conflicts(self) -> list[str]:
        return [c.path for c in self.changes if c.status is Status.CONFLICT]

    @property
    def writes(self) -> list[FileChange]:
        return [c for c in self.changes if c.writes]


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)


def project_dir(path: Path) -> Path:
    if not path.exists():
        raise UsageError(f"{path}: no such directory")
    if not path.is_dir():
        raise UsageError(f"{path} is a file; pass the project's directory")
    return path


def require_git(root: Path) -> Path:
    """The project's git directory; refuse a project outside a git work tree."""
    try:
        inside = _git(root, "rev-parse", "--is-inside-work-tree", "--absolute-git-dir")
    except FileNotFoundError:
        raise UsageError("fwpick update needs git, to keep your changes reviewable") from None
    lines = inside.stdout.split()
    if inside.returncode != 0 or not lines or lines[0] != "true":
        raise UsageError(
            f"{root} is not in a git work tree; fwpick update needs git so that you can "
            "review and undo what it changes"
        )
    return Path(lines[1])


def require_clean_git(root: Path) -> None:
    dirty = _git(root, "status", "--porcelain", "--untracked-files=normal", "--", ".")
    if dirty.stdout.strip():
        files = ", ".join(line[3:] for line in dirty.stdout.splitlines()[:5])
        raise UsageError(f"{root} has uncommitted changes ({files}); commit or stash them first")


def parse_set(pairs: list[str]) -> dict[str, object]:
    changes: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise UsageError(f"--set {pair!r}: expected KEY=VALUE, e.g. --set database=postgres")
        if key in changes:
            raise UsageError(f"--set {key}: given more than once; pass each answer once")
        changes[key] = value.strip()
    return changes


def _version(text: str) -> tuple[int, ...] | None:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return None


def _newer(recorded: str, installed: str) -> bool:
    a, b = _version(recorded), _version(installed)
    return a is not None and b is not None and a > b


@dataclass(frozen=True)
class Project:
    """A generated project's record, validated against the rules and templates in use."""

    recorded: RecordedProject
    answers: Answers
    store: TemplateStore


def load_project(rules: RuleSet, root: Path, templates: Path | None) -> Project:
    """What ``check`` and ``update`` both read and validate, with the same errors."""
    recorded = read_recorded(project_dir(root))
    answers = recorded.to_answers(rules)
    try:
        build_plan(rules, answers, root)
    except UsageError as exc:
        raise UsageError(f"{recorded.origin}: {exc}") from None
    store = store_for(recorded.framework, templates)
    newer = [
        f"{what} {mine}, newer than this fwpick's {theirs}"
        for what, mine, theirs in (
            ("template version", recorded.template_version, store.version),
            ("rules version", recorded.rules_version, rules.rules_version),
        )
        if _newer(mine, theirs)
    ]
    if newer:
        raise UsageError(
            f"{recorded.origin}: the project was made by a newer fwpick ({'; '.join(newer)}); "
            "upgrade fwpick (or pass the --rules/--templates it was made with)"
        )
    store.template(recorded.framework, recorded.template_version)  # refuses unknown versions
    return Project(recorded, answers, store)


def _before(rules: RuleSet, old: Answers, key: str) -> str:
    if key in old.criteria:
        return old.criteria[key]
    if key in old.options:
        value = old.options[key]
        return ("yes" if value else "no") if isinstance(value, bool) else str(value)
    if key in old.project:
        return old.project[key]
    option = next((o for o in rules.options if o.id == key), None)
    if option is not None:
        default = option.default
        return ("yes" if default else "no") if isinstance(default, bool) else str(default)
    return "not_sure"


def _changed(rules: RuleSet, old: Answers, given: Answers) -> dict[str, str]:
    """Only the answers that really change, with their new values as text."""
    out = {}
    for kind in (given.criteria, given.options, given.project):
        for key, value in kind.items():
            text = ("yes" if value else "no") if isinstance(value, bool) else str(value)
            if text != _before(rules, old, key):
                out[key] = text
    return out


def _data(rules: RuleSet, recorded: RecordedProject) -> dict[str, object]:
    """The data the project was rendered with: unanswered criteria become their defaults."""
    data = {k: v for k, v in recorded.answers.items() if k not in envfile.MARKERS}
    for key, value in project_choices(rules, recorded.criteria).items():
        if data.get(key, NOT_SURE) == NOT_SURE:
            data[key] = value
    return data


def _next_adr(root: Path) -> tuple[int, Path]:
    numbers = [
        int(m.group(1))
        for p in (root / "docs" / "adr").glob("*.md")
        if (m := re.match(r"(\d{4})-", p.name))
    ]
    number = max(numbers, default=0) + 1
    return number, root / "docs" / "adr"


def change_record(
    rules: RuleSet, old: Answers, new_plan: ProjectPlan, changed: dict[str, str], number: int
) -> str:
    """A short ADR for answers changed after generation."""

    def shown(key: str, value: str) -> str:
        # A migration path is shown as recorded: relative to the project, never this machine's.
        if key == "migrate_from" and value:
            return os.path.relpath(value, new_plan.dest.resolve())
        return value

    rows = [
        f"| {key} | {shown(key, _before(rules, old, key))} | {shown(key, value)} |"
        for key, value in changed.items()
    ]
    rec = new_plan.recommendation
    pick = rules.framework(rec.framework).label
    used = rules.framework(new_plan.framework).label
    verdict = (
        f"With the new answers the rules still recommend {pick}."
        if rec.framework == new_plan.framework
        else f"With the new answers the rules would recommend {pick}, but the project stays on "
        f"{used}: changing framework means a new project (see `fwpick new --dry-run`)."
    )
    return "\n".join(
        [
            f"# {number}. Change project answers: {', '.join(changed)}",
            "",
            f"Date: {date.today().isoformat()}",
            "",
            "Status: accepted",
            "",
            "## Context",
            "",
            "The answers below changed after the project was generated, with "
            f"`fwpick update --set`. The first decision record, `{ADR_PATH}`, still explains the "
            "choice of framework.",
            "",
            "| Answer | Before | After |",
            "| --- | --- | --- |",
            *rows,
            "",
            "## Decision",
            "",
            f"Apply the template's files for the new answers. {verdict}",
            "",
            "## Consequences",
            "",
            "- Files for the new choice were added; files only the old choice needed were removed "
            "unless you had edited them.",
            "- Reproduce the project as it is now with:",
            "",
            "```sh",
            new_plan.command(),
            "```",
            "",
        ]
    )


@contextlib.contextmanager
def _temp_files_in(folder: Path) -> Iterator[None]:
    """Keep every temporary file of this run (Copier's too) in the workspace, not /tmp."""
    saved = tempfile.tempdir
    tempfile.tempdir = str(folder)
    try:
        yield
    finally:
        tempfile.tempdir = saved


def recover_interrupted(root: Path) -> str | None:
    """Finish or roll back an update that a crash or kill stopped midway; say which.

    ``update`` and ``check`` run this first, so neither ever reads a half-switched project.
    """
    root = project_dir(root)
    git_dir = _git_dir(root)
    if git_dir is None or not (git_dir / "fwpick").is_dir():
        return None
    with journal.project_lock(root, git_dir), journal.interruptible() as signals:
        signals.holding = True  # a recovery always runs to its end
        message = journal.recover(root, journal.workspace_for(root, git_dir))
        signals.holding = False
    return message


def _git_dir(root: Path) -> Path | None:
    try:
        found = _git(root, "rev-parse", "--absolute-git-dir")
    except FileNotFoundError:
        return None
    return Path(found.stdout.strip()) if found.returncode == 0 else None


def run_update(
    rules: RuleSet,
    root: Path,
    *,
    set_pairs: list[str],
    dry_run: bool,
    templates: Path | None,
) -> UpdateResult:
    given = parse_set(set_pairs)
    root = project_dir(root)
    git_dir = require_git(root)
    with journal.project_lock(root, git_dir), journal.interruptible() as signals:
        work = journal.workspace_for(root, git_dir)
        notes = [n for n in [journal.recover(root, work)] if n]  # when one slipped in between
        try:
            require_clean_git(root)
            project = load_project(rules, root, templates)
            with _temp_files_in(work.scratch("tmp")):
                result = _update(rules, root, project, given, work, dry_run, notes, signals)
        finally:
            signals.holding = True  # a second signal must not stop the clean-up
            if work.area.exists():
                journal.recover(root, work)
            if not signals.committed:
                signals.holding = False
    return result


def _update(
    rules: RuleSet,
    root: Path,
    project: Project,
    given_raw: dict[str, object],
    work: journal.Workspace,
    dry_run: bool,
    notes: list[str],
    signals: Any,
) -> UpdateResult:
    from scaffolder.decide.answers import parse_answers
    from scaffolder.project.render import copier_render, with_secrets

    recorded, old = project.recorded, project.answers
    if "framework" in given_raw and given_raw["framework"] != recorded.framework:
        raise UsageError(
            f"--set framework: the project is built on {recorded.framework}; changing framework "
            "means a new project (fwpick new)"
        )
    if "migrate_from" in given_raw and not given_raw["migrate_from"]:
        given_raw = {"flask_app": "", **given_raw}  # no Flask app left to name
    if given_raw.get("migrate_from"):
        # Typed relative to where fwpick runs, like --migrate-from.
        given_raw = {
            **given_raw,
            "migrate_from": str(Path(str(given_raw["migrate_from"])).resolve()),
        }
    # Template keys that are rules options under another name (python_version -> python).
    renamed = {v: k for k, v in TEMPLATE_KEYS.items()}
    given = parse_answers(rules, {renamed.get(k, k): v for k, v in given_raw.items()}, "--set")
    changed = _changed(rules, old, given)
    if "package" in changed:
        raise UsageError(
            f"--set package: fwpick update does not rename the import package (your modules "
            f"in src/{old.project['package']}/ would be left behind); rename it by hand "
            "(git mv, imports, package_name in .copier-answers.yml) and commit"
        )
    new_answers = old.merged(given)
    plan = build_plan(rules, new_answers, root, rules_path=None)
    store = project.store
    old_template = store.template(recorded.framework, recorded.template_version)
    new_template = store.template(recorded.framework)
    new_data = plan.template_data(rules, store.version)
    # Keep the recorded decision: an update changes answers, not the framework in use.
    new_data["decision"] = {**recorded.answers["decision"], "criteria": dict(plan.criteria)}

    base_dir, theirs_dir = work.area / "base", work.area / "theirs"
    # The old render gets marker secrets, so .env values that differ from it only by the
    # project's own secrets still count as untouched; the new one reuses those secrets.
    copier_render(old_template, base_dir, {**_data(rules, recorded), **envfile.MARKERS})
    base = read_tree(base_dir, UNMERGED)
    ours_env = _read_env(root)
    base_env = _text(base_dir / ENV_FILE)
    secrets = envfile.project_secrets(ours_env or b"", base_env)
    copier_render(new_template, theirs_dir, {**with_secrets(new_data), **secrets})
    theirs = read_tree(theirs_dir, UNMERGED)
    ours, odd = read_owned(root, {*base, *theirs})
    for rel, problem in odd.items():
        if base.get(rel) != theirs.get(rel):
            raise UsageError(problem)
        ours[rel] = theirs[rel]  # the template leaves it alone, and so do we
    changes = plan_merge(base, ours, theirs, work.scratch("merge"))

    attention: list[str] = []
    theirs_env = _text(theirs_dir / ENV_FILE)
    if theirs_env:
        if ours_env is None:
            changes.append(FileChange(ENV_FILE, Status.NEW, theirs_env.encode()))
        else:
            merged = envfile.merge(ours_env, base_env, theirs_env)
            attention = merged.attention
            if merged.content != ours_env:
                changes.append(FileChange(ENV_FILE, Status.UPDATED, merged.content))

    changes += _answers_change(root, theirs_dir, notes)
    if changes_pyproject(changes):
        from scaffolder.project.lockfile import relock

        python = plan.options.get("python")
        lock_change, note = relock(
            root, changes, work.scratch("lock"), python if isinstance(python, str) else None
        )
        changes += [lock_change] if lock_change else []
        notes += [note] if note else []

    new_adr = None
    if changed:
        number, folder = _next_adr(root)
        slug = "-".join(re.sub(r"[^a-z0-9]+", "-", k.lower()) for k in changed)[:60]
        new_adr = (folder / f"{number:04d}-change-{slug}.md").relative_to(root).as_posix()
        record = change_record(rules, old, plan, changed, number)
        changes.append(FileChange(new_adr, Status.NEW, record.encode()))

    for change in changes:
        refused = where(root, change.path) if change.writes else None
        if refused is not None:
            raise UsageError(refused)
    result = UpdateResult(changes, new_adr, _drift(rules, recorded), notes, attention)
    if dry_run or not result.writes:
        return result
    journal.fault_point("planned")
    if any(c.path == ENV_FILE for c in result.writes) and ours_env is not None:
        notes.append(f"your previous .env is saved in {_backup_env(root, ours_env)}")
    ops = [
        journal.Op(c.path, c.content, _mode(root / c.path, theirs_dir / c.path))
        for c in result.writes
    ]
    journal.apply(root, work, ops, signals)
    return result


def changes_pyproject(changes: list[FileChange]) -> bool:
    return any(c.path == "pyproject.toml" and c.content is not None for c in changes)


def _mode(*candidates: Path) -> int:
    for path in candidates:
        with contextlib.suppress(OSError):
            return path.stat().st_mode & 0o7777
    return 0o644


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8") if path.is_file() else ""


def _read_env(root: Path) -> bytes | None:
    path = root / ENV_FILE
    if where(root, ENV_FILE) is not None:
        return None if not os.path.lexists(path) else path.read_bytes()
    try:
        return path.read_bytes()
    except OSError:  # missing, or not a file: the checks before writing name it
        return None


def _backup_env(root: Path, content: bytes) -> str:
    """A byte-exact copy of .env, git-ignored beside it, else inside the git directory."""
    ignored = _git(root, "check-ignore", "-q", ENV_BACKUP).returncode == 0
    if ignored and where(root, ENV_BACKUP) is None:
        target = root / ENV_BACKUP
    else:
        git_dir = Path(_git(root, "rev-parse", "--absolute-git-dir").stdout.strip())
        target = git_dir / "fwpick" / "env-backup"
    journal.write_atomic(target, content, 0o600)
    return str(target.relative_to(root)) if target.is_relative_to(root) else str(target)


def _answers_change(root: Path, theirs_dir: Path, notes: list[str]) -> list[FileChange]:
    """The new answers file, keeping keys added by hand (and saying so)."""
    import yaml

    new = (theirs_dir / ANSWERS_FILE).read_bytes()
    old = (root / ANSWERS_FILE).read_bytes()
    mine = yaml.safe_load(old) or {}
    known = yaml.safe_load(new) or {}
    extra = {k: v for k, v in mine.items() if k not in known}
    if extra:
        new += yaml.safe_dump(extra, sort_keys=False).encode()
        notes.append(f"kept keys you added to {ANSWERS_FILE}: {', '.join(map(str, extra))}")
    if new == old:
        return []
    return [FileChange(ANSWERS_FILE, Status.UPDATED, new)]


def _drift(rules: RuleSet, recorded: RecordedProject) -> str | None:
    if not recorded.criteria:
        return None
    now = recommend(rules, recorded.criteria).framework
    if now == recorded.recommended:
        return None
    return (
        f"the current rules (version {rules.rules_version}) would now recommend "
        f"{rules.framework(now).label} for the recorded answers, not "
        f"{rules.framework(recorded.recommended).label}"
    )


def format_update(result: UpdateResult, *, dry_run: bool) -> str:
    lines = [
        f"  {note}" for note in result.notes if note.startswith(("finished", "rolled", "removed"))
    ]
    for change in result.writes:
        lines.append(f"  {change.status.value:<9} {change.path}")
    if not result.writes:
        lines.append("  Nothing to change: the project matches its template.")
    kept = [c.path for c in result.changes if c.status is Status.KEPT]
    if kept:
        lines.append(
            "\nNo longer part of the template, but kept because you edited them: " + ", ".join(kept)
        )
    deleted = [c.path for c in result.changes if c.status is Status.DELETED]
    if deleted:
        lines.append(
            "\nKept deleted (yours): "
            + ", ".join(deleted)
            + ". The template changed them; if you renamed one, apply that change by hand."
        )
    if result.attention:
        lines.append(
            "\nCheck .env: you changed "
            + ", ".join(result.attention)
            + ", and the new answers expect another value (or none); your values were kept."
        )
    lines += [
        f"\n{n[0].upper()}{n[1:]}."
        for n in result.notes
        if not n.startswith(("finished", "rolled", "removed"))
    ]
    if result.drift:
        lines.append(f"\nDecision drift: {result.drift}.")
    if dry_run:
        lines.append("\nNothing was written (--dry-run).")
        if update_exit_code(result):
            lines.append(f"Exit status 1: applying it would leave {_needs_you(result)}.")
    elif result.conflicts:
        lines.append(
            "\nConflicts (resolve the markers, then commit): " + ", ".join(result.conflicts)
        )
    return "\n".join(lines)


def _needs_you(result: UpdateResult) -> str:
    parts = []
    if result.conflicts:
        parts.append("conflicts in " + ", ".join(result.conflicts))
    if result.attention:
        parts.append(".env keys to check: " + ", ".join(result.attention))
    return "; ".join(parts)


def update_json(result: UpdateResult, *, dry_run: bool) -> dict[str, Any]:
    return {
        "dry_run": dry_run,
        "files": [{"path": c.path, "status": c.status.value} for c in result.changes],
        "conflicts": result.conflicts,
        "env_attention": result.attention,
        "decision_record": result.new_adr,
        "drift": result.drift,
        "notes": result.notes,
    }


def update_exit_code(result: UpdateResult) -> int:
    return EXIT_FAILURE if result.conflicts or result.attention else EXIT_OK


@dataclass(frozen=True)
class CheckResult:
    template_version: str
    current_template_version: str
    rules_version: str
    current_rules_version: str
    framework: str
    recommended_then: str
    recommended_now: str
    migration: MigrationProgress | None = None  # a bridge from Flask: the routes left

    @property
    def template_current(self) -> bool:
        return self.template_version == self.current_template_version

    @property
    def rules_current(self) -> bool:
        return self.rules_version == self.current_rules_version

    @property
    def drift(self) -> bool:
        return self.recommended_now != self.recommended_then

    @property
    def current(self) -> bool:
        return self.template_current and self.rules_current


def run_check(rules: RuleSet, root: Path, templates: Path | None) -> CheckResult:
    project = load_project(rules, root, templates)
    recorded, store = project.recorded, project.store
    now = (
        recommend(rules, recorded.criteria).framework if recorded.criteria else recorded.recommended
    )
    return CheckResult(
        template_version=recorded.template_version,
        current_template_version=store.version,
        rules_version=recorded.rules_version,
        current_rules_version=rules.rules_version,
        framework=recorded.framework,
        recommended_then=recorded.recommended,
        recommended_now=now,
        migration=_migration(recorded),
    )


def _migration(recorded: RecordedProject) -> MigrationProgress | None:
    migrate_from = str(recorded.answers.get("migrate_from") or "")
    if not migrate_from:
        return None
    from scaffolder.project.migration import migration_progress

    python = recorded.answers.get("python_version")
    return migration_progress(
        recorded.root,
        str(recorded.answers.get("package_name", "")),
        migrate_from,
        python if isinstance(python, str) else None,
    )


def check_json(result: CheckResult) -> str:
    return json.dumps(
        {
            "current": result.current,
            "template": {
                "project": result.template_version,
                "installed": result.current_template_version,
                "current": result.template_current,
            },
            "rules": {
                "project": result.rules_version,
                "installed": result.current_rules_version,
                "current": result.rules_current,
            },
            "framework": result.framework,
            "decision_drift": {
                "drift": result.drift,
                "recommended_then": result.recommended_then,
                "recommended_now": result.recommended_now,
            },
        }
        | ({"migration": progress_json(result.migration)} if result.migration else {}),
        indent=2,
    )


def format_check(rules: RuleSet, result: CheckResult) -> str:
    def state(ok: bool) -> str:
        return "current" if ok else "newer available"

    lines = [
        f"template: project {result.template_version}, installed "
        f"{result.current_template_version} ({state(result.template_current)})",
        f"rules:    project {result.rules_version}, installed {result.current_rules_version} "
        f"({state(result.rules_current)})",
    ]
    if result.drift:
        lines.append(
            f"decision drift: the current rules would now recommend "
            f"{rules.framework(result.recommended_now).label} for the recorded answers "
            f"(the project uses {rules.framework(result.framework).label})"
        )
    if result.migration is not None:
        lines += progress_lines(result.migration)
    lines.append("up to date" if result.current else "run 'fwpick update' to catch up")
    return "\n".join(lines)
