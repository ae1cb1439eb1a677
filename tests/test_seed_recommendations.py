"""Every recommendation in the five source articles, checked against the engine.

Each case below is one recommendation: the article it comes from (file name, as cited in
``rules.yaml``), the article's own words, the answers that recommendation speaks of (every
other criterion is left unanswered, i.e. "not_sure"), and the framework the article
recommends. A case checks the pick and that the reasons cite that article and that rule, so
deleting a rule fails its case even when other rules still produce the same pick.

The combined scenarios at the end check that the weights make sense where the sources pull
in different directions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pytest

from scaffolder.decide.engine import Recommendation, recommend
from scaffolder.decide.model import RuleSet
from scaffolder.decide.rules import load_rules

RULES: RuleSet = load_rules()

S000 = "000_4590a461a83960d6.txt"  # OfflinePixel, FastAPI vs Flask for Microservices
S001 = "001_bbc170c897d45564.txt"  # Maciej Marzęta, Modern Async API vs Micro Framework
S002 = "002_78d8ad2a843e4934.txt"  # Bluebird Blog, Which Should You Use?
S003 = "003_4bcb5b7ac0931e75.txt"  # Drish Infotech, Which Python Framework in 2026?
S004 = "004_dd1a9b48fd97940a.txt"  # Lead Web Praxis, FastAPI or Flask


@dataclass(frozen=True)
class Case:
    """One source recommendation: who says it, in their words, for which answers."""

    rule_id: str
    source: str
    quote: str
    answers: Mapping[str, str]
    pick: str


CASES: tuple[Case, ...] = (
    # --- 000 OfflinePixel: verdict, "Recommendations:" list, in-depth analysis, FAQ
    Case(
        "offlinepixel-microservices-verdict",
        S000,
        "FastAPI is generally better for modern microservices",
        {"architecture": "microservices"},
        "fastapi",
    ),
    Case(
        "offlinepixel-simpler-services-verdict",
        S000,
        "Flask remains excellent for simpler services",
        {"project_size": "small"},
        "flask",
    ),
    Case(
        "offlinepixel-async-microservices",
        S000,
        "High-performance microservices with async I/O → FastAPI is superior",
        {"architecture": "microservices", "async_io": "yes"},
        "fastapi",
    ),
    Case(
        "offlinepixel-simple-low-traffic",
        S000,
        "Simple CRUD services with low traffic → Flask may be sufficient",
        {"traffic": "low"},
        "flask",
    ),
    Case(
        "offlinepixel-openapi-docs",
        S000,
        "Need automatic OpenAPI documentation for API consumers → FastAPI wins",
        {"api_docs": "yes"},
        "fastapi",
    ),
    Case(
        "offlinepixel-existing-flask",
        S000,
        "Existing Flask codebase with working services → Stay with Flask",
        {"existing_codebase": "flask"},
        "flask",
    ),
    Case(
        "offlinepixel-minimalism",
        S000,
        "Team prefers minimalism and explicit dependencies → Flask philosophy",
        {"philosophy": "minimal"},
        "flask",
    ),
    Case(
        "offlinepixel-greenfield-microservices",
        S000,
        "For greenfield microservices, FastAPI is the recommended choice.",
        {"existing_codebase": "none", "architecture": "microservices"},
        "fastapi",
    ),
    Case(
        "offlinepixel-faq-api-only",
        S000,
        "For API-only services, choose FastAPI.",
        {"interface": "api"},
        "fastapi",
    ),
    Case(
        "offlinepixel-faq-server-templates",
        S000,
        "For simple web applications with server-side templates, Flask remains a good choice.",
        {"interface": "html"},
        "flask",
    ),
    # --- 001 Maciej Marzęta: "Choose FastAPI if" / "Choose Flask if" lists, FAQ
    Case(
        "marzeta-new-api-project",
        S001,
        "You're building a new API project from scratch",
        {"existing_codebase": "none", "interface": "api"},
        "fastapi",
    ),
    Case(
        "marzeta-validation-and-docs",
        S001,
        "You want automatic validation and documentation",
        {"api_docs": "yes"},
        "fastapi",
    ),
    Case(
        "marzeta-async-performance",
        S001,
        "Async performance is important for your use case",
        {"async_io": "yes"},
        "fastapi",
    ),
    Case(
        "marzeta-type-hints",
        S001,
        "Your team uses or wants to adopt Python type hints",
        {"type_hints": "yes"},
        "fastapi",
    ),
    Case(
        "marzeta-less-boilerplate",
        S001,
        "You want less boilerplate for common API patterns",
        {"philosophy": "batteries"},
        "fastapi",
    ),
    Case(
        "marzeta-existing-flask",
        S001,
        "You have an existing Flask application",
        {"existing_codebase": "flask"},
        "flask",
    ),
    Case(
        "marzeta-flexibility",
        S001,
        "You prefer maximum flexibility and minimal opinions",
        {"philosophy": "minimal"},
        "flask",
    ),
    Case(
        "marzeta-flask-extensions",
        S001,
        "You need specific Flask extensions with no FastAPI equivalent",
        {"flask_extensions": "yes"},
        "flask",
    ),
    Case(
        "marzeta-flask-team",
        S001,
        "Your team is deeply experienced with Flask",
        {"team_experience": "flask"},
        "flask",
    ),
    Case(
        "marzeta-html-templates",
        S001,
        "You're building a simple web app with HTML templates",
        {"interface": "html"},
        "flask",
    ),
    Case(
        "marzeta-faq-beginner-api",
        S001,
        "For API development, start with FastAPI",
        {"team_experience": "beginner", "interface": "api"},
        "fastapi",
    ),
    Case(
        "marzeta-faq-beginner-web",
        S001,
        "Flask's simplicity makes it a good learning tool",
        {"team_experience": "beginner", "interface": "html"},
        "flask",
    ),
    Case(
        "marzeta-faq-new-api-only",
        S001,
        "for new API-only projects, FastAPI has become the preferred choice for many teams",
        {"existing_codebase": "none", "interface": "api"},
        "fastapi",
    ),
    # --- 002 Bluebird Blog: use-case lists, learning-curve FAQ, conclusion
    Case(
        "bluebird-high-performance-apis",
        S002,
        "High-performance APIs that require fast response times and high throughput",
        {"interface": "api", "traffic": "high"},
        "fastapi",
    ),
    Case(
        "bluebird-scalability",
        S002,
        "Projects that demand scalability and handling of large volumes of requests",
        {"traffic": "high"},
        "fastapi",
    ),
    Case(
        "bluebird-type-hints-team",
        S002,
        "Development teams that prioritize type hints, automatic API documentation, and validation",
        {"type_hints": "yes"},
        "fastapi",
    ),
    Case(
        "bluebird-jwt-security",
        S002,
        (
            "Robust security requirements that need support for authentication, "
            "authorization, and JWT tokens"
        ),
        {"auth": "token"},
        "fastapi",
    ),
    Case(
        "bluebird-realtime",
        S002,
        "Real-time applications that require WebSockets and server-side events",
        {"realtime": "yes"},
        "fastapi",
    ),
    Case(
        "bluebird-small-to-medium",
        S002,
        "Small to medium size projects that require a lightweight and flexible framework",
        {"project_size": "medium"},
        "flask",
    ),
    Case(
        "bluebird-unopinionated-team",
        S002,
        (
            "Development teams that prefer a more customizable and unopinionated approach "
            "to web development"
        ),
        {"philosophy": "minimal"},
        "flask",
    ),
    Case(
        "bluebird-simpler-codebase",
        S002,
        "Projects that demand less overhead and simpler codebase",
        {"project_size": "small"},
        "flask",
    ),
    Case(
        "bluebird-third-party-extensions",
        S002,
        "Web applications that require integration with third-party libraries and extensions",
        {"flask_extensions": "yes"},
        "flask",
    ),
    Case(
        "bluebird-prototyping",
        S002,
        (
            "Flask's simplicity and flexibility make it an excellent choice for prototyping"
            " and quick web development."
        ),
        {"prototype": "yes"},
        "flask",
    ),
    Case(
        "bluebird-beginners",
        S002,
        "The lightweight nature of Flask makes it a great choice for beginners",
        {"team_experience": "beginner"},
        "flask",
    ),
    Case(
        "bluebird-conclusion-performance",
        S002,
        "choose FastAPI for projects that require high performance and scalability",
        {"traffic": "high"},
        "fastapi",
    ),
    Case(
        "bluebird-conclusion-simplicity",
        S002,
        (
            "Choose Flask if your project requires simplicity, customization, or "
            "compatibility with various libraries."
        ),
        {"project_size": "small"},
        "flask",
    ),
    Case(
        "bluebird-conclusion-customization",
        S002,
        (
            "Choose Flask if your project requires simplicity, customization, or "
            "compatibility with various libraries."
        ),
        {"philosophy": "minimal"},
        "flask",
    ),
    Case(
        "bluebird-conclusion-libraries",
        S002,
        (
            "Choose Flask if your project requires simplicity, customization, or "
            "compatibility with various libraries."
        ),
        {"flask_extensions": "yes"},
        "flask",
    ),
    # --- 003 Drish Infotech: per-section verdicts, "When to choose" lists, FAQs, final thoughts
    Case(
        "drish-performance-verdict",
        S003,
        "FastAPI wins clearly for performance-critical and high-traffic APIs.",
        {"traffic": "high"},
        "fastapi",
    ),
    Case(
        "drish-low-traffic-verdict",
        S003,
        "Flask is adequate for low-to-medium traffic workloads.",
        {"traffic": "moderate"},
        "flask",
    ),
    Case(
        "drish-validation-verdict",
        S003,
        "FastAPI wins. Built-in validation reduces runtime errors",
        {"philosophy": "batteries"},
        "fastapi",
    ),
    Case(
        "drish-docs-verdict",
        S003,
        "FastAPI wins. Auto-docs improve team collaboration",
        {"api_docs": "yes"},
        "fastapi",
    ),
    Case(
        "drish-async-verdict",
        S003,
        "FastAPI wins for async-heavy applications.",
        {"async_io": "yes"},
        "fastapi",
    ),
    Case(
        "drish-sync-verdict",
        S003,
        "Flask is fine for traditional synchronous flows.",
        {"async_io": "no"},
        "flask",
    ),
    Case(
        "drish-beginner-verdict",
        S003,
        "Flask has a slight edge for absolute beginners.",
        {"team_experience": "beginner"},
        "flask",
    ),
    Case(
        "drish-ecosystem-verdict",
        S003,
        "Flask wins on ecosystem maturity.",
        {"flask_extensions": "yes"},
        "flask",
    ),
    Case(
        "drish-ml-verdict",
        S003,
        "FastAPI is the clear choice for ML and AI-powered backends.",
        {"ml_serving": "yes"},
        "fastapi",
    ),
    Case(
        "drish-microservices-verdict",
        S003,
        "FastAPI is the stronger choice for microservices-first architecture.",
        {"architecture": "microservices"},
        "fastapi",
    ),
    Case(
        "drish-server-rendered-app",
        S003,
        "You\u2019re building a full web application with server-side rendering and HTML templates",
        {"interface": "html"},
        "flask",
    ),
    Case(
        "drish-fast-prototyping",
        S003,
        "You need fast prototyping with zero configuration",
        {"prototype": "yes"},
        "flask",
    ),
    Case(
        "drish-flask-team",
        S003,
        "Your team has deep existing Flask knowledge and a mature extension stack",
        {"team_experience": "flask"},
        "flask",
    ),
    Case(
        "drish-simple-low-traffic-api",
        S003,
        "You\u2019re running a simple, low-traffic API where raw performance isn\u2019t critical",
        {"interface": "api", "traffic": "low"},
        "flask",
    ),
    Case(
        "drish-flask-only-extension",
        S003,
        "You need a specific Flask extension with no FastAPI equivalent",
        {"flask_extensions": "yes"},
        "flask",
    ),
    Case(
        "drish-rest-api-to-scale",
        S003,
        "You\u2019re building a production REST API that needs to scale",
        {"interface": "api", "traffic": "high"},
        "fastapi",
    ),
    Case(
        "drish-async-processing",
        S003,
        "You need async processing for concurrent requests or background jobs",
        {"async_io": "yes"},
        "fastapi",
    ),
    Case(
        "drish-serving-ml-models",
        S003,
        "You\u2019re serving ML or AI models via API endpoints",
        {"ml_serving": "yes"},
        "fastapi",
    ),
    Case(
        "drish-automatic-docs",
        S003,
        "You want automatic documentation without extra tooling",
        {"api_docs": "yes"},
        "fastapi",
    ),
    Case(
        "drish-cloud-microservices",
        S003,
        "You\u2019re building microservices that run on AWS or Azure infrastructure",
        {"architecture": "microservices"},
        "fastapi",
    ),
    Case(
        "drish-js-or-mobile-frontend",
        S003,
        "Your backend will power a React, Angular, Vue.js, or mobile app frontend",
        {"separate_frontend": "yes"},
        "fastapi",
    ),
    Case(
        "drish-faq-mern-style",
        S003,
        "FastAPI is the natural Python equivalent",
        {"separate_frontend": "yes"},
        "fastapi",
    ),
    Case(
        "drish-faq-server-rendered",
        S003,
        "full-stack Python web apps, legacy projects, or server-rendered applications",
        {"interface": "both"},
        "flask",
    ),
    Case(
        "drish-faq-legacy",
        S003,
        "full-stack Python web apps, legacy projects, or server-rendered applications",
        {"existing_codebase": "flask"},
        "flask",
    ),
    Case(
        "drish-faq-new-pure-api",
        S003,
        "For new pure-API work, FastAPI is the stronger investment.",
        {"existing_codebase": "none", "interface": "api"},
        "fastapi",
    ),
    Case(
        "drish-final-new-api",
        S003,
        "For most new API projects today, FastAPI is the smarter long-term choice.",
        {"existing_codebase": "none", "interface": "api"},
        "fastapi",
    ),
    # --- 004 Lead Web Praxis: per-topic remarks, use cases, AI insight, costs, integration
    Case(
        "leadweb-high-performance",
        S004,
        "making it a preferred choice for high-performance applications",
        {"traffic": "high"},
        "fastapi",
    ),
    Case(
        "leadweb-mvps",
        S004,
        (
            "Flask is known for its simple, minimalistic structure that helps developers "
            "quickly build MVPs."
        ),
        {"prototype": "yes"},
        "flask",
    ),
    Case(
        "leadweb-microservices",
        S004,
        "an excellent choice for microservices and cloud-native systems",
        {"architecture": "microservices"},
        "fastapi",
    ),
    Case(
        "leadweb-oauth2",
        S004,
        "FastAPI has built-in OAuth2 support",
        {"auth": "token"},
        "fastapi",
    ),
    Case(
        "leadweb-realtime-dashboards",
        S004,
        (
            "FastAPI heads the list for real-time dashboards, AI-driven platforms, IoT "
            "systems, and complex APIs."
        ),
        {"realtime": "yes"},
        "fastapi",
    ),
    Case(
        "leadweb-ai-platforms",
        S004,
        (
            "FastAPI heads the list for real-time dashboards, AI-driven platforms, IoT "
            "systems, and complex APIs."
        ),
        {"ml_serving": "yes"},
        "fastapi",
    ),
    Case(
        "leadweb-complex-apis",
        S004,
        (
            "FastAPI heads the list for real-time dashboards, AI-driven platforms, IoT "
            "systems, and complex APIs."
        ),
        {"project_size": "large", "interface": "api"},
        "fastapi",
    ),
    Case(
        "leadweb-small-business-simplicity",
        S004,
        (
            "For small business applications, prototyping, REST APIs, and projects "
            "requiring simplicity, Flask fits well."
        ),
        {"project_size": "small"},
        "flask",
    ),
    Case(
        "leadweb-prototyping",
        S004,
        (
            "For small business applications, prototyping, REST APIs, and projects "
            "requiring simplicity, Flask fits well."
        ),
        {"prototype": "yes"},
        "flask",
    ),
    Case(
        "leadweb-ai-inference",
        S004,
        "is more fitting for serving AI models when there are high-frequency inference calls",
        {"ml_serving": "yes"},
        "fastapi",
    ),
    Case(
        "leadweb-small-mvp-cost",
        S004,
        "it can be far more affordable for small MVPs",
        {"prototype": "yes", "project_size": "small"},
        "flask",
    ),
    Case(
        "leadweb-async-libraries",
        S004,
        "FastAPI works better with Kubernetes and asynchronous libraries",
        {"async_io": "yes"},
        "fastapi",
    ),
    Case(
        "leadweb-monolith",
        S004,
        "Flask works better with traditional web servers and monolithic designs",
        {"architecture": "monolith"},
        "flask",
    ),
)


def _explain(rec: Recommendation) -> str:
    lines = [f"pick={rec.framework} scores={rec.scores}"]
    lines += [f"  {r.favors} +{r.weight} {r.rule_id} ({r.source})" for r in rec.reasons]
    return "\n".join(lines)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.rule_id) for c in CASES])
def test_source_recommendation(case: Case) -> None:
    rec = recommend(RULES, case.answers)
    assert rec.framework == case.pick, f"{case.source}: {case.quote!r}\n{_explain(rec)}"
    cited = {r.source for r in rec.reasons_for}
    assert case.source in cited, f"{case.source} not cited\n{_explain(rec)}"
    assert case.rule_id in {r.rule_id for r in rec.reasons_for}, _explain(rec)


@pytest.mark.parametrize("case", [pytest.param(c, id=c.rule_id) for c in CASES])
def test_case_matches_its_rule(case: Case) -> None:
    """The rule a case checks cites the same article with the same words."""
    rule = next((r for r in RULES.rules if r.id == case.rule_id), None)
    assert rule is not None, f"rules.yaml has no rule {case.rule_id!r}"
    assert (rule.source, rule.quote, rule.favors) == (case.source, case.quote, case.pick)


def test_every_rule_has_a_case() -> None:
    """A rule added to rules.yaml needs a case here citing its recommendation."""
    assert {r.id for r in RULES.rules} == {c.rule_id for c in CASES}


def test_every_source_is_cited() -> None:
    assert {s.file for s in RULES.sources} == {r.source for r in RULES.rules}


# --- Combined scenarios: the weights where the sources pull in different directions ---


def _pick(answers: Mapping[str, str]) -> Recommendation:
    return recommend(RULES, answers)


def test_nothing_answered_is_a_tie_won_by_the_first_framework() -> None:
    rec = _pick({})
    assert rec.framework == "fastapi"
    assert set(rec.scores.values()) == {0}
    assert rec.reasons == ()


def test_existing_flask_codebase_outweighs_async_io() -> None:
    """Existing Flask codebase + many concurrent I/O calls -> still Flask.

    000 says "Existing Flask codebase with working services → Stay with Flask" and 001 "Choose
    Flask if: You have an existing Flask application"; both list async performance as a reason
    to pick FastAPI for a *new* service, and 000's migration path is about new services. Async
    I/O alone is a general tendency, not a reason to rewrite working code.
    """
    rec = _pick({"existing_codebase": "flask", "async_io": "yes"})
    assert rec.framework == "flask", _explain(rec)
    assert {S000, S001} <= {r.source for r in rec.reasons_for}


def test_ml_serving_outweighs_a_flask_team() -> None:
    """Serving an ML model, team experienced in Flask -> FastAPI.

    003 calls FastAPI "the clear choice for ML and AI-powered backends" and 004 "more fitting
    for serving AI models"; a Flask-experienced team (001, 003) is a weaker, general reason.
    """
    rec = _pick({"ml_serving": "yes", "team_experience": "flask"})
    assert rec.framework == "fastapi", _explain(rec)
    assert {S003, S004} <= {r.source for r in rec.reasons_for}
    assert {S001, S003} <= {r.source for r in rec.reasons_against}


def test_html_prototype_for_beginners_is_flask() -> None:
    """Server-rendered pages, a quick prototype, a beginner team -> Flask (000-004 agree)."""
    rec = _pick({"interface": "html", "prototype": "yes", "team_experience": "beginner"})
    assert rec.framework == "flask", _explain(rec)
    assert rec.reasons_against == ()


def test_flask_only_extension_outweighs_async_io() -> None:
    """Needing a Flask extension with no FastAPI equivalent (001, 003) is a hard requirement;
    it outweighs the general async advantage (001, 003, 004)."""
    rec = _pick({"flask_extensions": "yes", "async_io": "yes"})
    assert rec.framework == "flask", _explain(rec)


def test_server_rendered_html_outweighs_async_io() -> None:
    """A server-rendered web app (000 FAQ, 001, 003) stays Flask even with concurrent I/O."""
    rec = _pick({"interface": "html", "async_io": "yes"})
    assert rec.framework == "flask", _explain(rec)


def test_beginners_building_an_api_start_with_fastapi() -> None:
    """001's FAQ: "For API development, start with FastAPI" - the specific advice for an API
    beats the general "Flask is easier for beginners" (002, 003)."""
    rec = _pick({"team_experience": "beginner", "interface": "api"})
    assert rec.framework == "fastapi", _explain(rec)
    assert {S002, S003} <= {r.source for r in rec.reasons_against}


def test_greenfield_high_traffic_async_api_is_fastapi_across_sources() -> None:
    """A new, high-traffic API with concurrent I/O: every source's FastAPI case applies."""
    rec = _pick(
        {"existing_codebase": "none", "interface": "api", "traffic": "high", "async_io": "yes"}
    )
    assert rec.framework == "fastapi", _explain(rec)
    assert {S000, S001, S002, S003, S004} == {r.source for r in rec.reasons_for}
    assert rec.reasons_against == ()


def test_small_monolith_prototype_with_minimal_philosophy_is_flask() -> None:
    """Small, simple monolith, built as a quick prototype by a team that likes minimalism:
    the Flask cases of all five sources apply."""
    rec = _pick(
        {
            "project_size": "small",
            "architecture": "monolith",
            "prototype": "yes",
            "philosophy": "minimal",
        }
    )
    assert rec.framework == "flask", _explain(rec)
    assert {S000, S001, S002, S003, S004} == {r.source for r in rec.reasons_for}
