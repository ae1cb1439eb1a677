"""Run a generated project's CI definition here, step by step, before it is ever pushed.

GitHub Actions jobs and GitLab CI jobs become plain shell steps run in order, in a fresh
clone of the project, with the job's environment. What a CI service provides is stood in
for: ``actions/checkout`` is the clone, ``setup-uv`` and ``setup-python`` put uv and the
matrix's Python first on PATH, a GitLab ``python:X`` image is a fresh virtualenv of that
Python, and a PostgreSQL service is a fresh database on the local server, reached with the
service's own user and password. Steps that need a container engine are skipped, by name.
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.support.project_env import base_env, require_interpreter, uv_only_dir

CONTAINER_WORDS = ("docker ", "podman ", "buildah ")


@dataclass
class Step:
    name: str
    script: str
    env: dict[str, str] = field(default_factory=dict)


@dataclass
class Job:
    name: str
    python: str | None  # the Python the job runs on, if it names one
    steps: list[Step]
    env: dict[str, str]
    postgres: dict[str, str] | None  # the service's user, password, db and host aliases
    venv_python: bool = False  # GitLab's python image: pip installs into that Python


@dataclass
class Outcome:
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


_EXPR = re.compile(r"\$\{\{\s*([^}]*?)\s*\}\}")


def github_jobs(workflow: Path) -> list[Job]:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    jobs = []
    for job_id, job in data["jobs"].items():
        matrix = job.get("strategy", {}).get("matrix", {})
        axes = {k: v for k, v in matrix.items() if isinstance(v, list)}
        combos = [
            dict(zip(axes, values, strict=True)) for values in itertools.product(*axes.values())
        ] or [{}]
        for combo in combos:
            subst = {f"matrix.{k}": str(v) for k, v in combo.items()}
            python = None
            steps = []
            for i, raw in enumerate(job["steps"]):
                uses = raw.get("uses", "")
                wanted = raw.get("with", {}).get("python-version")
                if wanted and ("setup-python" in uses or "setup-uv" in uses):
                    python = _expand(str(wanted), subst)
                if "run" not in raw:
                    continue
                steps.append(
                    Step(
                        name=raw.get("name", f"step {i}"),
                        script=_expand(raw["run"], subst),
                        env={k: _expand(str(v), subst) for k, v in raw.get("env", {}).items()},
                    )
                )
            env = {k: _expand(str(v), subst) for k, v in job.get("env", {}).items()}
            service = job.get("services", {}).get("postgres")
            postgres = None
            if service:
                senv = service.get("env", {})
                postgres = {
                    "user": senv["POSTGRES_USER"],
                    "password": senv["POSTGRES_PASSWORD"],
                    "db": senv.get("POSTGRES_DB", senv["POSTGRES_USER"]),
                    "hosts": "localhost,127.0.0.1,postgres",
                }
            suffix = f" ({', '.join(f'{k}={v}' for k, v in combo.items())})" if combo else ""
            jobs.append(Job(f"{job.get('name', job_id)}{suffix}", python, steps, env, postgres))
    return jobs


def gitlab_jobs(config: Path) -> list[Job]:
    data = yaml.safe_load(config.read_text(encoding="utf-8"))
    top_vars = {k: str(v) for k, v in (data.get("variables") or {}).items()}
    jobs = []
    for name, job in data.items():
        if not isinstance(job, dict) or "script" not in job:
            continue
        for combo in _gitlab_matrix(job):
            suffix = f" ({', '.join(f'{k}={v}' for k, v in combo.items())})" if combo else ""
            jobs.append(_gitlab_job(f"{name}{suffix}", job, {**top_vars, **combo}))
    return jobs


def _gitlab_matrix(job: Mapping[str, Any]) -> list[dict[str, str]]:
    """The variable sets of ``parallel: matrix`` (one empty set without a matrix)."""
    parallel = job.get("parallel")
    entries = parallel.get("matrix") if isinstance(parallel, dict) else None
    if not entries:
        return [{}]
    combos = []
    for entry in entries:
        axes = {k: v if isinstance(v, list) else [v] for k, v in entry.items()}
        for values in itertools.product(*axes.values()):
            combos.append({k: str(v) for k, v in zip(axes, values, strict=True)})
    return combos


def _gitlab_job(name: str, job: Mapping[str, Any], inherited: Mapping[str, str]) -> Job:
    variables = {**inherited, **{k: str(v) for k, v in (job.get("variables") or {}).items()}}
    image = re.sub(
        r"\$\{?(\w+)\}?", lambda m: variables.get(m.group(1), m.group(0)), str(job.get("image", ""))
    )
    match = re.match(r"python:(\d+\.\d+)", image)
    python = match.group(1) if match else None
    lines = [str(line) for line in (*job.get("before_script", []), *job["script"])]
    # GitLab runs a job's lines in one shell, so an `export` carries to the next line.
    steps = [
        Step(name=line.split("\n")[0][:60], script=line)
        for line in lines
        if needs_container_engine(Step("", line))
    ]
    shell = "\n".join(line for line in lines if not needs_container_engine(Step("", line)))
    steps.append(Step(name=f"{name}: script", script=shell))
    postgres = None
    for service in job.get("services", []):
        svc = service if isinstance(service, dict) else {"name": service}
        if str(svc["name"]).startswith("postgres"):
            postgres = {
                "user": variables["POSTGRES_USER"],
                "password": variables["POSTGRES_PASSWORD"],
                "db": variables.get("POSTGRES_DB", variables["POSTGRES_USER"]),
                "hosts": f"{svc.get('alias', 'postgres')},localhost,127.0.0.1",
            }
    return Job(name, python, steps, variables, postgres, venv_python=True)


def _expand(text: str, subst: Mapping[str, str]) -> str:
    def one(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in subst:
            raise AssertionError(f"the runner can't evaluate ${{{{ {key} }}}}")
        return subst[key]

    return _EXPR.sub(one, text)


def needs_container_engine(step: Step) -> bool:
    return any(word in step.script for word in CONTAINER_WORDS)


def run_job(job: Job, project: Path, workdir: Path, admin_url: str | None) -> Outcome:
    """Run every step of ``job`` in a fresh clone of ``project``; fail on the first error."""
    clone = workdir / "clone"
    subprocess.run(["git", "clone", "-q", str(project), str(clone)], check=True)
    outcome = Outcome()
    env = base_env()
    path = env["PATH"]
    # Without setup-python, uv picks the project's .python-version, as it would on a runner.
    python = job.python or (clone / ".python-version").read_text().strip()
    if python:
        interpreter = require_interpreter(python)
        env["UV_PYTHON"] = interpreter
        if job.venv_python:
            image = workdir / "image-python"
            subprocess.run([interpreter, "-m", "venv", str(image)], check=True)
            path = f"{image / 'bin'}{os.pathsep}{path}"
        else:
            path = f"{Path(interpreter).parent}{os.pathsep}{path}"
    env["PATH"] = (
        f"{path}{os.pathsep}{uv_only_dir()}"
        if job.venv_python
        else (f"{uv_only_dir()}{os.pathsep}{path}")
    )
    env.update({"CI": "true", "GITHUB_ACTIONS": "true", "CI_PROJECT_DIR": str(clone)})
    with PostgresService(job.postgres, admin_url) as rewrite:
        job_env = {k: rewrite(v) for k, v in job.env.items()}
        for step in job.steps:
            if needs_container_engine(step):
                outcome.skipped.append(step.name)
                continue
            step_env = {**env, **job_env, **{k: rewrite(v) for k, v in step.env.items()}}
            proc = subprocess.run(
                ["bash", "-e", "-o", "pipefail", "-c", rewrite(step.script)],
                cwd=clone,
                env=step_env,
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
            )
            if proc.returncode != 0:
                raise AssertionError(
                    f"{job.name}: step {step.name!r} exited {proc.returncode}\n"
                    f"--- stdout ---\n{proc.stdout[-5000:]}\n--- stderr ---\n{proc.stderr[-5000:]}"
                )
            outcome.ran.append(step.name)
    return outcome


class _Rewrite:
    """Point a service's connection strings at a fresh database on the local server."""

    def __init__(self, service: Mapping[str, str] | None, database: str | None) -> None:
        self.pairs: list[tuple[str, str]] = []
        if service and database:
            user, password, db = service["user"], service["password"], service["db"]
            for host in service["hosts"].split(","):
                self.pairs.append(
                    (
                        f"{user}:{password}@{host}:5432/{db}",
                        f"{user}:{password}@127.0.0.1:5432/{database}",
                    )
                )

    def __call__(self, text: str) -> str:
        for old, new in self.pairs:
            text = text.replace(old, new)
        return text


def _psql(admin_url: str, sql: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["psql", admin_url, "-qc", sql], capture_output=True, text=True, check=False
    )


class PostgresService:
    def __init__(self, service: Mapping[str, str] | None, admin_url: str | None) -> None:
        self.service = service
        self.admin_url = admin_url
        self.database: str | None = None

    def __enter__(self) -> _Rewrite:
        if self.service is None:
            return _Rewrite(None, None)
        if self.admin_url is None:
            raise AssertionError("the workflow needs PostgreSQL: set FWPICK_TEST_POSTGRES_URL")
        user, password = self.service["user"], self.service["password"]
        # Another test may create the same service role at the same moment: either wins.
        _psql(self.admin_url, f"CREATE ROLE \"{user}\" LOGIN PASSWORD '{password}'")
        self.database = f"ci_{uuid.uuid4().hex[:12]}"
        made = _psql(self.admin_url, f'CREATE DATABASE "{self.database}" OWNER "{user}"')
        assert made.returncode == 0, made.stderr
        return _Rewrite(self.service, self.database)

    def __exit__(self, *exc: object) -> None:
        if self.database and self.admin_url:
            _psql(self.admin_url, f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


def all_jobs(project: Path) -> Iterator[tuple[str, Job]]:
    for workflow in sorted((project / ".github" / "workflows").glob("*.yml")):
        for job in github_jobs(workflow):
            yield workflow.name, job
    gitlab = project / ".gitlab-ci.yml"
    if gitlab.exists():
        for job in gitlab_jobs(gitlab):
            yield gitlab.name, job
