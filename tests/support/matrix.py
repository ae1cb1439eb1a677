"""A covering set of template option combinations.

Every choice of every option appears at least once, and every pair of choices across
the feature options (database, auth, interface, ml_serving, realtime) appears in some
case, skipping combinations the rules forbid. Built greedily and deterministically.

The production options (observability, deploy) are then laid over those same cases so
that each of their choices meets every choice of database, auth and interface, without
adding cases: each case costs about a minute of CPU.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Mapping, Sequence

Case = dict[str, str | bool]

FEATURES: dict[str, tuple[str, ...]] = {
    "database": ("none", "sqlite", "postgres"),
    "auth": ("none", "session", "token"),
    "interface": ("api", "html", "both"),
    "ml_serving": ("no", "yes"),
    "realtime": ("no", "yes"),
}
# Options laid over the feature cases, each choice paired with every choice of PAIRED_WITH.
PRODUCTION: dict[str, tuple[str | bool, ...]] = {
    "observability": ("prometheus", "none", "otel"),
    # Deployment targets, any number of them ("" for none: a project without an image).
    "deploy": ("compose", "compose,kubernetes", ""),
}
PAIRED_WITH = ("database", "auth", "interface")
# Options that only need each value once; cycled through the cases.
OTHERS: dict[str, tuple[str | bool, ...]] = {
    "python_version": ("3.12", "3.11", "3.13"),
    "ci": ("github", "gitlab", "none"),
    "api_docs": ("yes", "no"),
    "async_io": ("no", "yes"),
}


def allowed(case: Mapping[str, object]) -> bool:
    """Whether the rules file's constraints allow this (possibly partial) combination.

    Read from ``rules.yaml``, so the matrix never keeps a second copy of the rules; a
    constraint only counts when the case decides every answer it mentions.
    """
    from scaffolder.decide.rules import load_rules

    for constraint in load_rules().constraints:
        keys = {*constraint.when, *constraint.require}
        if not keys <= set(case):
            continue
        values = {k: v for k, v in case.items() if isinstance(v, (str, bool))}
        if constraint.applies(values) and constraint.unmet(values) is not None:
            return False
    return True


def pairwise_cases(
    factors: Mapping[str, Sequence[str]] = FEATURES,
    is_allowed: Callable[[Mapping[str, object]], bool] = allowed,
) -> list[Case]:
    names = list(factors)
    uncovered = {
        ((a, va), (b, vb))
        for a, b in itertools.combinations(names, 2)
        for va in factors[a]
        for vb in factors[b]
        if is_allowed({a: va, b: vb})
    }
    full = [
        dict(zip(names, values, strict=True))
        for values in itertools.product(*(factors[n] for n in names))
    ]
    candidates = [c for c in full if is_allowed(c)]
    cases: list[Case] = []
    while uncovered:
        best = max(candidates, key=lambda c: sum(1 for p in uncovered if _covers(c, p)))
        cases.append(dict(best))
        uncovered = {p for p in uncovered if not _covers(best, p)}
    return cases


def _covers(case: Mapping[str, object], pair: tuple[tuple[str, str], tuple[str, str]]) -> bool:
    return all(case[k] == v for k, v in pair)


def overlay(cases: Sequence[Case], name: str, values: Sequence[str | bool]) -> list[str | bool]:
    """A value of ``name`` for each case, so that every value meets every choice of the
    PAIRED_WITH options somewhere (depth-first, first solution: deterministic)."""
    needed = {
        (v, k, case[k])
        for v in values
        for case in cases
        for k in PAIRED_WITH
        if allowed({name: _text(v), k: case[k]})
    }
    chosen: list[str | bool] = []

    def search(index: int, missing: frozenset[tuple[object, str, object]]) -> bool:
        if not missing:
            chosen.extend(values[0] for _ in range(len(cases) - index))
            return True
        # Each remaining case covers at most one pair per PAIRED_WITH option.
        if index == len(cases) or len(missing) > (len(cases) - index) * len(PAIRED_WITH):
            return False
        for value in values:
            if not allowed({**cases[index], name: _text(value)}):
                continue
            chosen.append(value)
            covered = {(value, k, cases[index][k]) for k in PAIRED_WITH}
            if search(index + 1, missing - covered):
                return True
            chosen.pop()
        return False

    if not search(0, frozenset(needed)):
        raise AssertionError(f"{name}: the cases are too few to pair every choice")
    return chosen


def _text(value: str | bool) -> str:
    # Constraints name bool options' values as "true" and "false".
    return ("true" if value else "false") if isinstance(value, bool) else value


@functools.cache
def _covering() -> tuple[tuple[tuple[str, str | bool], ...], ...]:
    cases = pairwise_cases()
    for name, values in PRODUCTION.items():
        for case, value in zip(cases, overlay(cases, name, values), strict=True):
            case[name] = value
    for i, case in enumerate(cases):
        for name, values in OTHERS.items():
            case[name] = values[i % len(values)]
        # Compose and the manifests run the Dockerfile's image; with neither, there is none.
        case["docker"] = bool(case["deploy"])
    return tuple(tuple(case.items()) for case in cases)


def covering_cases() -> list[Case]:
    return [dict(case) for case in _covering()]


def case_id(case: Mapping[str, object]) -> str:
    shown = (*FEATURES, *PRODUCTION, "python_version")
    return "-".join(f"{k}={v}" for k, v in case.items() if k in shown)
