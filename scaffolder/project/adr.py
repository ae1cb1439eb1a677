"""Write the decision record (an ADR) that explains the generated project's framework."""

from __future__ import annotations

from datetime import date

from scaffolder.decide.engine import Reason
from scaffolder.decide.model import NOT_SURE, RuleSet
from scaffolder.decide.report import is_tie, tie_text
from scaffolder.project.plan import ProjectPlan

ADR_PATH = "docs/adr/0001-web-framework.md"


def _escape(text: str) -> str:
    """Keep user text literal in Markdown (no accidental emphasis, links or HTML)."""
    return "".join(f"\\{ch}" if ch in "\\`*_[]<>#|" else ch for ch in text).replace("\n", " ")


def decision_record(rules: RuleSet, plan: ProjectPlan, *, today: date | None = None) -> str:
    rec = plan.recommendation
    chosen = rules.framework(plan.framework).label
    recommended = rules.framework(rec.framework).label
    day = (today or date.today()).isoformat()
    lines = [
        f"# 1. Use {chosen} as the web framework",
        "",
        f"Date: {day}",
        "",
        "Status: accepted",
        "",
        "## Context",
        "",
        f"{_escape(plan.name)} needed a Python web framework. fwpick weighed the answers below "
        f"against its rules (version {rules.rules_version}), which come from published "
        "comparisons of FastAPI and Flask.",
        "",
        "| Question | Answer |",
        "| --- | --- |",
    ]
    for criterion in rules.criteria:
        answer = rec.answers[criterion.id]
        shown = "not sure" if answer == NOT_SURE else criterion.label_of(answer)
        lines.append(f"| {_escape(criterion.question)} | {_escape(shown)} |")
    scores = ", ".join(f"{rules.framework(f).label} {s}" for f, s in rec.scores.items())
    lines += ["", "## Decision", ""]
    if plan.overridden:
        lines.append(
            f"We use **{chosen}**. This is an **override**: the rules recommended "
            f"{recommended} (scores: {scores}; margin {rec.margin})."
        )
    else:
        lines.append(
            f"We use **{chosen}**, as the rules recommended (scores: {scores}; "
            f"margin {rec.margin})."
        )
    if is_tie(rec):
        lines += ["", _escape(tie_text(rules, rec))]
    if plan.legacy is not None:
        from scaffolder.project.migration_plan import adr_lines

        lines += adr_lines(rules, plan)
    lines += ["", f"### Reasons for {chosen}", ""]
    for_chosen = [r for r in rec.reasons if r.favors == plan.framework]
    against = [r for r in rec.reasons if r.favors != plan.framework]
    lines += _reason_lines(rules, for_chosen) or ["- None of the answers spoke for it."]
    lines += ["", "### Reasons against", ""]
    lines += _reason_lines(rules, against) or ["- None of the answers spoke against it."]
    if rec.flips:
        lines += ["", "### What would have changed the pick", ""]
        for flip in rec.flips:
            criterion = rules.criterion(flip.criterion)
            lines.append(
                f"- {_escape(criterion.question)} {_escape(criterion.label_of(flip.new_answer))}"
                f" → {rules.framework(flip.framework).label}"
            )
    lines += ["", "## Consequences", ""]
    lines += _consequences(rules, plan)
    lines += [
        "",
        "## Reproduce",
        "",
        "This command recreates the project with the same answers (with new secrets):",
        "",
        "```sh",
        plan.command(),
        "```",
        "",
    ]
    return "\n".join(lines)


def _reason_lines(rules: RuleSet, reasons: list[Reason]) -> list[str]:
    lines = []
    for reason in reasons:
        source = rules.source(reason.source)
        because = "; ".join(
            f"{rules.criterion(k).question} {rules.criterion(k).label_of(v)}"
            for k, v in reason.conditions
        )
        title = f"[{_escape(source.title)}]({source.url})" if source.url else _escape(source.title)
        publisher = f", {_escape(source.publisher)}" if source.publisher else ""
        lines.append(
            f"- {_escape(reason.why)} (+{reason.weight}; because: {_escape(because)}) — "
            f"source: *{title}*{publisher} (`{reason.source}`)"
        )
    return lines


def _consequences(rules: RuleSet, plan: ProjectPlan) -> list[str]:
    label = rules.framework(plan.framework).label
    lines = [
        f"- The service is built on {label}; the project layout, tests, CI and Docker files "
        "follow its conventions.",
        "- The reasons against stay true: revisit this record if those needs grow.",
        "- `fwpick check` reports when newer rules would pick differently for these answers.",
    ]
    if plan.overridden:
        lines.append(
            "- Because this overrides the recommendation, the team accepts the trade-offs "
            'listed under "Reasons against".'
        )
    return lines
