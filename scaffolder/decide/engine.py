"""The decision engine: answers in, a recommendation with its reasons out.

Pure and deterministic: no I/O, and nothing here knows which frameworks exist;
they come from the rule set.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from scaffolder.decide.model import NOT_SURE, Rule, RuleSet


class Reason(NamedTuple):
    """A matched rule, as the user sees it."""

    rule_id: str
    criterion: str
    answer: str
    favors: str
    weight: int
    why: str
    source: str
    quote: str
    conditions: tuple[tuple[str, str], ...]


class Flip(NamedTuple):
    """One changed answer that would change the pick."""

    criterion: str
    answer: str
    new_answer: str
    framework: str
    margin: int


class Recommendation(NamedTuple):
    framework: str
    scores: dict[str, int]
    margin: int
    answers: dict[str, str]
    reasons: tuple[Reason, ...]
    flips: tuple[Flip, ...]

    @property
    def reasons_for(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.favors == self.framework)

    @property
    def reasons_against(self) -> tuple[Reason, ...]:
        return tuple(r for r in self.reasons if r.favors != self.framework)


def complete_answers(rules: RuleSet, answers: Mapping[str, str]) -> dict[str, str]:
    """Every criterion in file order, unanswered ones as ``not_sure``."""
    return {c.id: answers.get(c.id, NOT_SURE) for c in rules.criteria}


def _matches(rule: Rule, answers: Mapping[str, str]) -> bool:
    return all(answers.get(k, NOT_SURE) in wanted for k, wanted in rule.when.items())


def _pick(rules: RuleSet, scores: Mapping[str, int]) -> str:
    return max(rules.framework_ids, key=lambda f: scores[f])  # max keeps the first on ties


def score(rules: RuleSet, answers: Mapping[str, str]) -> tuple[str, dict[str, int], int]:
    """The pick, every framework's score and the margin over the runner-up.

    A tie goes to the framework listed first in the rules file.
    """
    scores = dict.fromkeys(rules.framework_ids, 0)
    for rule in rules.rules:
        if _matches(rule, answers):
            scores[rule.favors] += rule.weight
    pick = _pick(rules, scores)
    runner_up = max((s for f, s in scores.items() if f != pick), default=0)
    return pick, scores, scores[pick] - runner_up


def recommend(rules: RuleSet, answers: Mapping[str, str]) -> Recommendation:
    """Recommend a framework for validated answers (see :mod:`scaffolder.decide.answers`)."""
    full = complete_answers(rules, answers)
    pick, scores, margin = score(rules, full)
    matched = [r for r in rules.rules if _matches(r, full)]
    order = {r.id: i for i, r in enumerate(rules.rules)}
    matched.sort(key=lambda r: (-r.weight, order[r.id]))
    reasons = tuple(
        Reason(
            rule_id=r.id,
            criterion=next(iter(r.when)),
            answer=full[next(iter(r.when))],
            favors=r.favors,
            weight=r.weight,
            why=r.why,
            source=r.source,
            quote=r.quote,
            conditions=tuple((k, full[k]) for k in r.when),
        )
        for r in matched
    )
    return Recommendation(
        framework=pick,
        scores=scores,
        margin=margin,
        answers=full,
        reasons=reasons,
        flips=_flips(rules, full, pick),
    )


def _flips(rules: RuleSet, answers: Mapping[str, str], pick: str) -> tuple[Flip, ...]:
    # Changing one answer only moves the rules that mention it, so each alternative is
    # scored from the current scores instead of from scratch.
    _, base, _ = score(rules, answers)
    flips: list[Flip] = []
    for criterion in rules.criteria:
        current = answers[criterion.id]
        mentioning = [r for r in rules.rules if criterion.id in r.when]
        without = dict(base)
        for rule in mentioning:
            if _matches(rule, answers):
                without[rule.favors] -= rule.weight
        for choice in criterion.choice_ids:
            if choice == current:
                continue
            changed = {**answers, criterion.id: choice}
            scores = dict(without)
            for rule in mentioning:
                if _matches(rule, changed):
                    scores[rule.favors] += rule.weight
            new_pick = _pick(rules, scores)
            runner_up = max((s for f, s in scores.items() if f != new_pick), default=0)
            # A change that only makes a tie is not a flip: the tie-break, not the answer,
            # would pick the other framework.
            if new_pick != pick and scores[new_pick] > runner_up:
                flips.append(
                    Flip(criterion.id, current, choice, new_pick, scores[new_pick] - runner_up)
                )
    return tuple(flips)
