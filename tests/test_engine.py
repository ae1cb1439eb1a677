"""The decision engine: table tests and properties over every answer combination."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scaffolder.decide.engine import recommend, score
from scaffolder.decide.model import NOT_SURE, RuleSet
from scaffolder.decide.rules import load_rules

BUNDLED = load_rules()


@pytest.mark.parametrize(
    ("answers", "framework", "scores", "margin"),
    [
        ({}, "fastapi", {"fastapi": 0, "flask": 0, "litestar": 0}, 0),  # tie: first listed
        ({"interface": "api"}, "fastapi", {"fastapi": 2, "flask": 0, "litestar": 0}, 2),
        ({"interface": "html"}, "flask", {"fastapi": 0, "flask": 2, "litestar": 0}, 2),
        ({"house_style": "yes"}, "litestar", {"fastapi": 0, "flask": 0, "litestar": 3}, 3),
        # the two-criterion rule adds its weight only when both answers match
        (
            {"house_style": "yes", "interface": "api"},
            "litestar",
            {"fastapi": 2, "flask": 0, "litestar": 4},
            2,
        ),
        (
            {"house_style": "yes", "interface": "html"},
            "litestar",
            {"fastapi": 0, "flask": 2, "litestar": 3},
            1,
        ),
        (
            {"house_style": "no", "interface": "html"},
            "flask",
            {"fastapi": 0, "flask": 2, "litestar": 0},
            2,
        ),
    ],
)
def test_scores_table(
    three_frameworks: RuleSet,
    answers: dict[str, str],
    framework: str,
    scores: dict[str, int],
    margin: int,
) -> None:
    rec = recommend(three_frameworks, answers)
    assert (rec.framework, rec.scores, rec.margin) == (framework, scores, margin)


def test_reasons_are_sorted_and_split(three_frameworks: RuleSet) -> None:
    rec = recommend(three_frameworks, {"house_style": "yes", "interface": "api"})
    assert [r.rule_id for r in rec.reasons] == [
        "house-litestar",
        "api-fastapi",
        "house-api-litestar",
    ]
    assert [r.rule_id for r in rec.reasons_for] == ["house-litestar", "house-api-litestar"]
    assert [r.rule_id for r in rec.reasons_against] == ["api-fastapi"]
    combined = rec.reasons[2]
    assert combined.conditions == (("house_style", "yes"), ("interface", "api"))
    assert (combined.criterion, combined.answer, combined.source) == (
        "house_style",
        "yes",
        "handbook.md",
    )


def test_flips_list_each_single_change(three_frameworks: RuleSet) -> None:
    rec = recommend(three_frameworks, {"house_style": "yes", "interface": "html"})
    flips = {(f.criterion, f.new_answer): (f.framework, f.margin) for f in rec.flips}
    # interface=api would keep litestar ahead, so it is not a flip
    assert flips == {("house_style", "no"): ("flask", 2), ("house_style", NOT_SURE): ("flask", 2)}
    for (criterion, answer), (framework, _) in flips.items():
        assert (
            recommend(
                three_frameworks, {"house_style": "yes", "interface": "html", criterion: answer}
            ).framework
            == framework
        )


def _answers(rules: RuleSet) -> st.SearchStrategy[dict[str, str]]:
    return st.fixed_dictionaries({c.id: st.sampled_from(c.choice_ids) for c in rules.criteria})


@settings(max_examples=300, deadline=None)
@given(answers=_answers(BUNDLED))
def test_every_combination_gives_a_valid_result(answers: dict[str, str]) -> None:
    rec = recommend(BUNDLED, answers)
    assert rec.framework in BUNDLED.framework_ids
    assert set(rec.scores) == set(BUNDLED.framework_ids)
    assert rec.scores[rec.framework] == max(rec.scores.values())
    assert rec.margin >= 0
    assert sum(r.weight for r in rec.reasons_for) == rec.scores[rec.framework]
    for reason in rec.reasons:
        assert all(answers[k] == v for k, v in reason.conditions)
    for flip in rec.flips:
        assert (
            recommend(BUNDLED, {**answers, flip.criterion: flip.new_answer}).framework
            == flip.framework
            != rec.framework
        )


@settings(max_examples=100, deadline=None)
@given(answers=_answers(BUNDLED))
def test_results_are_deterministic(answers: dict[str, str]) -> None:
    assert recommend(BUNDLED, answers) == recommend(BUNDLED, dict(reversed(answers.items())))


@settings(max_examples=300, deadline=None)
@given(answers=_answers(BUNDLED), data=st.data())
def test_monotonic_adding_a_favouring_answer_keeps_the_win(
    answers: dict[str, str], data: st.DataObject
) -> None:
    """Answering a not-sure criterion in a way that favours the winner never loses it the win."""
    open_criteria = [k for k, v in answers.items() if v == NOT_SURE]
    if not open_criteria:
        return
    criterion = data.draw(st.sampled_from(open_criteria))
    choice = data.draw(st.sampled_from(BUNDLED.criterion(criterion).choice_ids))
    before, before_scores, _ = score(BUNDLED, answers)
    after_answers = {**answers, criterion: choice}
    after, after_scores, _ = score(BUNDLED, after_answers)
    gain = {f: after_scores[f] - before_scores[f] for f in BUNDLED.framework_ids}
    if all(gain[before] >= gain[f] for f in BUNDLED.framework_ids):
        assert after == before


def test_engine_handles_any_framework_count(three_frameworks: RuleSet) -> None:
    picks = {
        recommend(three_frameworks, {"interface": i, "house_style": h}).framework
        for i in ("api", "html", NOT_SURE)
        for h in ("yes", "no", NOT_SURE)
    }
    assert picks == {"fastapi", "flask", "litestar"}
