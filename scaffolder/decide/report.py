"""Present a recommendation: plain text for people, a JSON object for scripts."""

from __future__ import annotations

from typing import Any

from scaffolder.decide.engine import Flip, Reason, Recommendation
from scaffolder.decide.model import NOT_SURE, RuleSet


def flag_for(criterion: str, answer: str) -> str:
    return f"--{criterion.replace('_', '-')} {answer}"


def reason_to_json(rules: RuleSet, reason: Reason) -> dict[str, Any]:
    return {
        "rule": reason.rule_id,
        "criterion": reason.criterion,
        "answer": reason.answer,
        "conditions": dict(reason.conditions),
        "favors": reason.favors,
        "weight": reason.weight,
        "why": reason.why,
        "source": reason.source,
        "source_title": rules.source(reason.source).title,
        "quote": reason.quote,
    }


def flip_to_json(flip: Flip) -> dict[str, Any]:
    return {
        "criterion": flip.criterion,
        "from": flip.answer,
        "to": flip.new_answer,
        "framework": flip.framework,
        "margin": flip.margin,
        "flag": flag_for(flip.criterion, flip.new_answer),
    }


def recommendation_to_json(rules: RuleSet, rec: Recommendation) -> dict[str, Any]:
    return {
        "framework": rec.framework,
        "label": rules.framework(rec.framework).label,
        "scores": rec.scores,
        "margin": rec.margin,
        "answers": rec.answers,
        "reasons": [reason_to_json(rules, r) for r in rec.reasons],
        "flips": [flip_to_json(f) for f in rec.flips],
        "rules_version": rules.rules_version,
    }


def _reason_line(rules: RuleSet, reason: Reason) -> str:
    conditions = ", ".join(f"{k} = {rules.criterion(k).label_of(v)}" for k, v in reason.conditions)
    return f"  +{reason.weight}  {reason.why}\n       because {conditions}  [{reason.source}]"


def format_recommendation(rules: RuleSet, rec: Recommendation, *, top: int = 5) -> str:
    label = rules.framework(rec.framework).label
    others = sorted(
        ((f, s) for f, s in rec.scores.items() if f != rec.framework), key=lambda fs: -fs[1]
    )
    versus = ", ".join(f"{rules.framework(f).label} {s}" for f, s in others)
    lines = [
        f"Recommendation: {label}",
        f"  score {rec.scores[rec.framework]} vs {versus}; margin {rec.margin}",
    ]
    if rec.margin == 0:
        lines.append("  (a tie: the rules list this framework first)")
    lines.append("")
    if rec.reasons_for:
        lines.append(f"Strongest reasons for {label}:")
        lines += [_reason_line(rules, r) for r in rec.reasons_for[:top]]
    else:
        lines.append(f"No answer so far speaks for {label}.")
    lines.append("")
    if rec.reasons_against:
        lines.append("Strongest reasons against:")
        lines += [
            _reason_line(rules, r).replace("  +", f"  {rules.framework(r.favors).label} +", 1)
            for r in rec.reasons_against[:top]
        ]
    else:
        lines.append("Nothing you answered speaks against it.")
    lines.append("")
    if rec.flips:
        lines.append("What would change the pick (one answer at a time):")
        for flip in rec.flips:
            lines.append(
                f"  {flag_for(flip.criterion, flip.new_answer):<32} -> "
                f"{rules.framework(flip.framework).label} (margin {flip.margin})"
            )
    else:
        lines.append("No single changed answer would change the pick.")
    unanswered = [k for k, v in rec.answers.items() if v == NOT_SURE]
    if unanswered:
        lines += ["", "Not answered (counted as not sure): " + ", ".join(unanswered)]
    return "\n".join(lines)
