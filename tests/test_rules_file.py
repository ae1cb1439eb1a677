"""Loading and validating rules files: the bundled one and broken ones."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scaffolder.decide.model import NOT_SURE, RuleSet
from scaffolder.decide.rules import load_rules
from scaffolder.errors import RulesError

from .conftest import FIXTURES

CONTRACT = {
    "interface": ["api", "html", "both"],
    "async_io": ["yes", "no"],
    "ml_serving": ["yes", "no"],
    "team_experience": ["flask", "fastapi", "mixed", "beginner"],
    "existing_codebase": ["none", "flask", "fastapi"],
    "traffic": ["low", "moderate", "high"],
    "realtime": ["yes", "no"],
    "api_docs": ["yes", "no"],
    "architecture": ["monolith", "microservices"],
    "flask_extensions": ["yes", "no"],
    "prototype": ["yes", "no"],
    "auth": ["none", "session", "token"],
}
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_bundled_rules_keep_the_public_contract(bundled_rules: RuleSet) -> None:
    for criterion_id, choices in CONTRACT.items():
        criterion = bundled_rules.criterion(criterion_id)
        assert list(criterion.choice_ids) == [*choices, NOT_SURE]
        assert criterion.question and criterion.help


def test_every_rule_cites_a_source_document(bundled_rules: RuleSet) -> None:
    files = {s.file for s in bundled_rules.sources}
    assert files == {
        "000_4590a461a83960d6.txt",
        "001_bbc170c897d45564.txt",
        "002_78d8ad2a843e4934.txt",
        "003_4bcb5b7ac0931e75.txt",
        "004_dd1a9b48fd97940a.txt",
    }
    for rule in bundled_rules.rules:
        assert rule.source in files
        assert rule.why.strip()


@pytest.mark.skipif(not SEEDS.is_dir(), reason="source documents not beside the project")
def test_quotes_appear_in_their_source(bundled_rules: RuleSet) -> None:
    def squash(text: str) -> str:
        curly = {"\u2019": "'", "\u201c": '"', "\u201d": '"'}
        for fancy, plain in curly.items():
            text = text.replace(fancy, plain)
        return " ".join(text.split()).lower()

    texts = {p.name: squash(p.read_text(encoding="utf-8")) for p in SEEDS.glob("*.txt")}
    for rule in bundled_rules.rules:
        if rule.quote:
            assert squash(rule.quote) in texts[rule.source], rule.id


def _broken(tmp_path: Path, edit: object) -> Path:
    data = yaml.safe_load((FIXTURES / "three-frameworks.yaml").read_text())
    assert callable(edit)
    edit(data)
    path = tmp_path / "org-rules.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.mark.parametrize(
    ("edit", "where", "what"),
    [
        (
            lambda d: d["rules"][1]["when"].update({"colour": ["red"]}),
            "rules[1].when.colour",
            "unknown criterion 'colour'",
        ),
        (
            lambda d: d["rules"][0]["when"].update({"interface": ["grpc"]}),
            "rules[0].when.interface[0]",
            "unknown choice 'grpc' for interface; valid: api, html",
        ),
        (
            lambda d: d["rules"][2].update({"favors": "django"}),
            "rules[2].favors",
            "unknown framework; known: fastapi, flask, litestar",
        ),
        (lambda d: d["rules"][0].pop("source"), "rules[0]", "source"),
        (
            lambda d: d["rules"][0].update({"source": "blog.txt"}),
            "rules[0].source",
            "unknown source; listed sources: handbook.md",
        ),
        (lambda d: d["rules"][0].update({"weight": 9}), "rules[0].weight", "5"),
        (lambda d: d["rules"][0].update({"weight": "heavy"}), "rules[0].weight", "integer"),
        (lambda d: d["rules"][0].update({"weight": 0}), "rules[0].weight", "1"),
        (
            lambda d: d["criteria"][1]["choices"][0].update({"id": True}),
            "criteria[1].choices[0].id",
            "quote it",
        ),
        (lambda d: d["rules"].append(dict(d["rules"][0])), "rules[4].id", "duplicate id"),
        (
            lambda d: d["constraints"][0]["require"].update({"database": ["mongo"]}),
            "constraints[0].require.database[0]",
            "unknown choice 'mongo'",
        ),
        (
            lambda d: d["options"][0].update({"default": "mysql"}),
            "options[0].default",
            "must be one of none, sqlite",
        ),
        (lambda d: d.update({"format": 2}), "format", "must be"),
    ],
)
def test_broken_rules_name_file_place_and_problem(
    tmp_path: Path, edit: object, where: str, what: str
) -> None:
    path = _broken(tmp_path, edit)
    with pytest.raises(RulesError) as caught:
        load_rules(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {where} (line ")
    assert what in message
    line = int(message.split("(line ", 1)[1].split(")", 1)[0])
    assert 1 <= line <= len(path.read_text().splitlines())


def test_error_line_points_at_the_bad_value(tmp_path: Path) -> None:
    text = (FIXTURES / "three-frameworks.yaml").read_text()
    text = text.replace("weight: 3\n", "weight: 30\n")
    path = tmp_path / "rules.yaml"
    path.write_text(text)
    with pytest.raises(RulesError) as caught:
        load_rules(path)
    line = int(str(caught.value).split("(line ", 1)[1].split(")", 1)[0])
    assert path.read_text().splitlines()[line - 1].strip() == "weight: 30"


@pytest.mark.parametrize(
    ("content", "what"),
    [
        ("rules: [unclosed\n", "malformed YAML"),
        ("- just\n- a list\n", "must be a mapping"),
        ("", "must be a mapping"),
    ],
)
def test_unreadable_rules_files(tmp_path: Path, content: str, what: str) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(content)
    with pytest.raises(RulesError, match=what):
        load_rules(path)


def test_missing_rules_file(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="no such file"):
        load_rules(tmp_path / "nope.yaml")


def test_cached_load_equals_fresh_load() -> None:
    first = load_rules(FIXTURES / "three-frameworks.yaml")
    second = load_rules(FIXTURES / "three-frameworks.yaml")  # served from the cache
    assert first == second


def test_a_third_framework_needs_no_code(three_frameworks: RuleSet) -> None:
    assert three_frameworks.framework_ids == ("fastapi", "flask", "litestar")
