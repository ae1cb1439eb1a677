"""``fwpick update`` and ``fwpick check``: keep a generated project in step with its template.

An update rebuilds the pristine render (the template version and answers the project
was made with, both kept inside the installed fwpick and the project), renders the
current template with the new answers, and merges the difference into the user's
files three ways.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from scaffolder.decide.answers import Answers
from scaffolder.decide.engine import recommend
from scaffolder.decide.model import RuleSet
from scaffolder.errors import EXIT_FAILURE, EXIT_OK, UsageError
from scaffolder.project.adr import ADR_PATH
from scaffolder.project.plan import ProjectPlan, build_plan
from scaffolder.project.recorded import ANSWERS_FILE, TEMPLATE_KEYS, RecordedProject, read_recorded
from scaffolder.project.template_store import TemplateStore, store_for
from scaffolder.project.treemerge import FileChange, Status, apply_changes, plan_merge, read_tree

# Never merged: the secret-bearing .env belongs to the user, decision records are
# written once and added to, and the answers file is fwpick's own.
UNMERGED = frozenset({".env", "docs/adr/", ANSWERS_FILE})
SECRETS = ("secret_key", "db_password")
ENV_FILE = ".env"


@dataclass(frozen=True)
class UpdateResult:
    changes: list[FileChange]
    new_adr: str | None
    drift: str | None

    @property
    def conflicts(self) -> list[str]:
        return [c.path for c in self.changes if c.status is Status.CONFLICT]


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)


def require_clean_git(root: Path) -> None:
    try:
        inside = _git(root, "rev-parse", "--is-inside-work-tree")
    except FileNotFoundError:
        raise UsageError("fwpick update needs git, to keep your changes reviewable") from None
    if inside.returncode != 0 or inside.stdout.strip() != "true":
        raise UsageError(
            f"{root} is not in a git work tree; fwpick update needs git so that you can "
            "review and undo what it changes"
        )
    dirty = _git(root, "status", "--porcelain", "--untracked-files=normal", "--", ".")
    if dirty.stdout.strip():
        files = ", ".join(line[3:] for line in dirty.stdout.splitlines()[:5])
        raise UsageError(f"{root} has uncommitted changes ({files}); commit or stash them first")


def parse_set(pairs: list[str]) -> dict[str, object]:
    changes: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--set {pair!r}: expected KEY=VALUE, e.g. --set database=postgres")
        changes[key.strip()] = value.strip()
    return changes


def _render(template: Path, data: dict[str, object], out: Path) -> dict[str, bytes]:
    from scaffolder.project.render import copier_render

    copier_render(template, out, data)
    return read_tree(out, UNMERGED)


def merge_env(ours: str, base: str, theirs: str) -> str:
    """Merge the user's ``.env`` by key, like files: new settings are added, settings and
    values the user never changed follow the template, and the user's own values (secrets
    above all) stay."""

    def values(text: str) -> dict[str, str]:
        pairs = (
            line.split("=", 1)
            for line in text.splitlines()
            if "=" in line and not line.lstrip().startswith("#")
        )
        return {k.strip(): v for k, v in pairs}

    mine, old, new = values(ours), values(base), values(theirs)
    lines = []
    for line in ours.splitlines():
        is_setting = "=" in line and not line.lstrip().startswith("#")
        key = line.split("=", 1)[0].strip() if is_setting else None
        untouched = key is not None and mine[key] == old.get(key)
        if untouched and key not in new:
            continue  # only the old answers needed it
        if untouched and key in new and new[key] != mine[key]:
            line = f"{key}={new[key]}"
        lines.append(line)
    added = [f"{k}={v}" for k, v in new.items() if k not in mine]
    if added:
        lines += ["", "# Added by fwpick update", *added]
    return "\n".join(lines) + "\n"


def _data(recorded: RecordedProject) -> dict[str, object]:
    return {k: v for k, v in recorded.answers.items() if k not in SECRETS}


def _next_adr(root: Path) -> tuple[int, Path]:
    numbers = [
        int(m.group(1))
        for p in (root / "docs" / "adr").glob("*.md")
        if (m := re.match(r"(\d{4})-", p.name))
    ]
    number = max(numbers, default=0) + 1
    return number, root / "docs" / "adr"


def change_record(
    rules: RuleSet, old: Answers, new_plan: ProjectPlan, changed: dict[str, object], number: int
) -> str:
    """A short ADR for answers changed after generation."""
    before = {**old.criteria, **{k: str(v) for k, v in old.options.items()}}
    rows = [f"| {key} | {before.get(key, 'not set')} | {value} |" for key, value in changed.items()]
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


def run_update(
    rules: RuleSet,
    root: Path,
    *,
    set_pairs: list[str],
    dry_run: bool,
    templates: Path | None,
) -> UpdateResult:
    from scaffolder.decide.answers import parse_answers

    require_clean_git(root)
    recorded = read_recorded(root)
    old = recorded.to_answers(rules)
    changed = parse_set(set_pairs)
    if "framework" in changed and changed["framework"] != recorded.framework:
        raise UsageError(
            f"--set framework: the project is built on {recorded.framework}; changing framework "
            "means a new project (fwpick new)"
        )
    # Template keys that are rules options under another name (python_version -> python).
    renamed = {v: k for k, v in TEMPLATE_KEYS.items()}
    changed = {renamed.get(k, k): v for k, v in changed.items()}
    new_answers = old.merged(parse_answers(rules, changed, "--set"))
    plan = build_plan(rules, new_answers, root, rules_path=None)
    store = store_for(recorded.framework, templates)
    old_template = store.template(recorded.framework, recorded.template_version)
    new_template = store.template(recorded.framework)
    new_data = plan.template_data(rules, store.version)
    # Keep the recorded decision: an update changes answers, not the framework in use.
    new_data["decision"] = {**recorded.answers["decision"], "criteria": dict(plan.criteria)}
    from scaffolder.project.render import with_secrets

    with tempfile.TemporaryDirectory(prefix="fwpick-update-") as tmp:
        base_dir, theirs_dir = Path(tmp) / "base", Path(tmp) / "theirs"
        # Secrets live only in .env, which is merged by key below; fresh ones serve new keys.
        base = _render(old_template, with_secrets(_data(recorded)), base_dir)
        theirs = _render(new_template, with_secrets(new_data), theirs_dir)
        new_answers_file = (theirs_dir / ANSWERS_FILE).read_bytes()
        env_change = _env_change(root, base_dir, theirs_dir)
    ours = read_tree(root, UNMERGED)
    changes = plan_merge(base, ours, theirs)
    if env_change is not None:
        changes.append(env_change)
    drift = _drift(rules, recorded)
    new_adr = None
    if changed:
        number, folder = _next_adr(root)
        slug = "-".join(re.sub(r"[^a-z0-9]+", "-", k.lower()) for k in changed)[:60]
        new_adr = (folder / f"{number:04d}-change-{slug}.md").relative_to(root).as_posix()
        changes.append(
            FileChange(
                new_adr, Status.NEW, change_record(rules, old, plan, changed, number).encode()
            )
        )
    changes.append(
        FileChange(ANSWERS_FILE, Status.UPDATED, new_answers_file)
        if (root / ANSWERS_FILE).read_bytes() != new_answers_file
        else FileChange(ANSWERS_FILE, Status.UNCHANGED)
    )
    if not dry_run:
        apply_changes(root, changes)
    return UpdateResult(changes=changes, new_adr=new_adr, drift=drift)


def _env_change(root: Path, base_dir: Path, theirs_dir: Path) -> FileChange | None:
    def text(path: Path) -> str:
        return path.read_text(encoding="utf-8") if path.is_file() else ""

    ours, theirs = text(root / ENV_FILE), text(theirs_dir / ENV_FILE)
    if not theirs:
        return None
    merged = merge_env(ours, text(base_dir / ENV_FILE), theirs) if ours else theirs
    if merged == ours:
        return None
    return FileChange(ENV_FILE, Status.UPDATED if ours else Status.NEW, merged.encode())


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
    lines = []
    shown = [c for c in result.changes if c.status is not Status.UNCHANGED]
    for change in shown:
        lines.append(f"  {change.status.value:<9} {change.path}")
    if not shown:
        lines.append("  Nothing to change: the project matches its template.")
    kept = [c.path for c in result.changes if c.status is Status.KEPT]
    if kept:
        lines.append(
            "\nNo longer part of the template, but kept because you edited them: " + ", ".join(kept)
        )
    if result.drift:
        lines.append(f"\nDecision drift: {result.drift}.")
    if dry_run:
        lines.append("\nNothing was written (--dry-run).")
    elif result.conflicts:
        lines.append(
            "\nConflicts (resolve the markers, then commit): " + ", ".join(result.conflicts)
        )
    return "\n".join(lines)


def update_json(result: UpdateResult, *, dry_run: bool) -> dict[str, Any]:
    return {
        "dry_run": dry_run,
        "files": [{"path": c.path, "status": c.status.value} for c in result.changes],
        "conflicts": result.conflicts,
        "decision_record": result.new_adr,
        "drift": result.drift,
    }


def update_exit_code(result: UpdateResult) -> int:
    return EXIT_FAILURE if result.conflicts else EXIT_OK


@dataclass(frozen=True)
class CheckResult:
    template_version: str
    current_template_version: str
    rules_version: str
    current_rules_version: str
    framework: str
    recommended_then: str
    recommended_now: str

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
    recorded = read_recorded(root)
    store: TemplateStore = store_for(recorded.framework, templates)
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
        },
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
    lines.append("up to date" if result.current else "run 'fwpick update' to catch up")
    return "\n".join(lines)
