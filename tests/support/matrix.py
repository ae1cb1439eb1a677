"""A covering set of template option combinations.

Every choice of every option appears at least once, and every pair of choices across
the feature options (database, auth, interface, ml_serving, realtime) appears in some
case, skipping combinations the rules forbid. Built greedily and deterministically.
"""

from __future__ import annotations

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
# Options that only need each value once; cycled through the cases.
OTHERS: dict[str, tuple[str | bool, ...]] = {
    "python_version": ("3.12", "3.11", "3.13"),
    "docker": (True, False),
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
        if all(case[k] in want for k, want in constraint.when.items()) and not all(
            case[k] in want for k, want in constraint.require.items()
        ):
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


def covering_cases() -> list[Case]:
    cases = pairwise_cases()
    for i, case in enumerate(cases):
        for name, values in OTHERS.items():
            case[name] = values[i % len(values)]
    return cases


def case_id(case: Mapping[str, object]) -> str:
    return "-".join(
        f"{k}={v}" for k, v in case.items() if k in FEATURES or k in ("python_version",)
    )
