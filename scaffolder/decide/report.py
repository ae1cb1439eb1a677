"""Present a recommendation: plain text for people, a JSON object for scripts.

The text wraps to a width the caller passes (the command line measures the terminal;
this layer does no I/O).
"""

from __future__ import annotations

import textwrap
from typing import Any

from scaffolder.decide.engine import Flip, Reason, Recommendation
from scaffolder.decide.model import NOT_SURE, RuleSet

DEFAULT_WIDTH = 100
TIE_BREAK = "the rules file lists it first"


def flag_for(criterion: str, answer: str) -> str:
    return f"--{criterion.replace('_', '-')} {answer}"


def flag_name(criterion: str) -> str:
    return f"--{criterion.replace('_', '-')}"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def is_tie(rec: Recommendation) -> bool:
    return rec.margin == 0


def tie_text(rules: RuleSet, rec: Recommendation) -> str:
    """One sentence naming the tied frameworks and the tie-break rule."""
    top = rec.scores[rec.framework]
    tied = [rules.framework(f).label for f, s in rec.scores.items() if s == top]
    label = rules.framework(rec.framework).label
    return (
        f"A tie: {' and '.join(tied)} score {top} each. The tie-break picks {label} "
        f"because {TIE_BREAK}; answer more questions to separate them."
    )


def neutral_text(rules: RuleSet, criterion: str, answer: str) -> str:
    """Why an answer moves no score (no source speaks to it)."""
    shown = rules.criterion(criterion).label_of(answer)
    if answer == NOT_SURE:
        return f"Neutral: '{shown}' counts for neither framework."
    return (
        f"Neutral: none of the {plural(len(rules.sources), 'source')} says '{shown}' favours "
        "either framework, so it scores nothing."
    )


def reason_to_json(rules: RuleSet, reason: Reason) -> dict[str, Any]:
    source = rules.source(reason.source)
    return {
        "rule": reason.rule_id,
        "criterion": reason.criterion,
        "answer": reason.answer,
        "conditions": dict(reason.conditions),
        "favors": reason.favors,
        "weight": reason.weight,
        "why": reason.why,
        "source": reason.source,
        "source_title": source.title,
        "source_publisher": source.publisher,
        "source_url": source.url,
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
        "tie": is_tie(rec),
        "answers": rec.answers,
        "reasons": [reason_to_json(rules, r) for r in rec.reasons],
        "flips": [flip_to_json(f) for f in rec.flips],
        "rules_version": rules.rules_version,
    }


def _wrap(text: str, width: int, first: str, rest: str | None = None) -> list[str]:
    indent = rest if rest is not None else " " * len(first)
    return textwrap.wrap(
        text,
        width=width,
        initial_indent=first,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,
    ) or [first.rstrip()]


def _reason_lines(rules: RuleSet, reason: Reason, width: int, *, against: bool) -> list[str]:
    label = rules.framework(reason.favors).label
    head = f"  +{reason.weight} {label}  " if against else f"  +{reason.weight}  "
    lines = _wrap(reason.why, width, head, " " * 7)
    because = "; ".join(
        f"{rules.criterion(k).question} {rules.criterion(k).label_of(v)}"
        for k, v in reason.conditions
    )
    lines += _wrap(f"because: {because}", width, " " * 7)
    lines += _wrap(f"source: {rules.source(reason.source).citation}", width, " " * 7)
    return lines


def format_recommendation(
    rules: RuleSet, rec: Recommendation, *, top: int = 5, width: int = DEFAULT_WIDTH
) -> str:
    width = max(width, 40)
    label = rules.framework(rec.framework).label
    others = sorted(
        ((f, s) for f, s in rec.scores.items() if f != rec.framework), key=lambda fs: -fs[1]
    )
    versus = ", ".join(f"{rules.framework(f).label} {s}" for f, s in others)
    if is_tie(rec):
        lines = [f"Recommendation: a tie, broken in favour of {label}"]
        lines += _wrap(f"score {rec.scores[rec.framework]} vs {versus}", width, "  ")
        lines += _wrap(tie_text(rules, rec), width, "  ")
    else:
        lines = [f"Recommendation: {label}"]
        lines += _wrap(
            f"score {rec.scores[rec.framework]} vs {versus}; margin {rec.margin} "
            f"(ahead by {plural(rec.margin, 'point')})",
            width,
            "  ",
        )
    lines.append("")
    if rec.reasons_for:
        lines.append(f"Strongest reasons for {label}:")
        for reason in rec.reasons_for[:top]:
            lines += _reason_lines(rules, reason, width, against=False)
    else:
        lines.append(f"No answer so far speaks for {label}.")
    lines.append("")
    if rec.reasons_against:
        lines.append("Strongest reasons against:")
        for reason in rec.reasons_against[:top]:
            lines += _reason_lines(rules, reason, width, against=True)
    else:
        lines.append("Nothing you answered speaks against it.")
    lines.append("")
    if rec.flips:
        lines.append("What would change the pick (one answer at a time):")
        for flip in rec.flips:
            lines += _wrap(
                f"{flag_for(flip.criterion, flip.new_answer)} -> "
                f"{rules.framework(flip.framework).label} by "
                f"{plural(flip.margin, 'point')}",
                width,
                "  ",
                "      ",
            )
    else:
        lines.append("No single changed answer would change the pick.")
    unanswered = [flag_name(k) for k, v in rec.answers.items() if v == NOT_SURE]
    if unanswered:
        lines.append("")
        lines += _wrap(
            "Not answered (counted as not sure, which is neutral): " + ", ".join(unanswered),
            width,
            "",
            "  ",
        )
    return "\n".join(lines)
