"""The Kubernetes manifests both templates render with ``--deploy kubernetes``.

Every resource file validates offline against the Kubernetes schemas (strict: no unknown
fields), the pods are locked down, and each kustomization builds (with ``kubectl kustomize``
when kubectl is installed) into resources that validate too.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from tests.support.generated import REPO
from tests.support.rendered import render_template

KUBERNETES_VERSION = "1.37.0"
# The templates whose observability option serves /metrics.
SERVES_METRICS = ("flask", "fastapi")
TEMPLATES = {"fastapi": REPO / "templates" / "fastapi", "flask": REPO / "templates" / "flask"}
PACKAGE = "kube_case_service"
NAME = "kube-case-service"
CASES = [
    pytest.param(fw, db, obs, id=f"{fw}-{db}-{obs}")
    for fw in ("flask", "fastapi")
    for db, obs in (("postgres", "otel"), ("none", "prometheus"), ("postgres", "none"))
]


def render(tmp_path: Path, framework: str, database: str, observability: str) -> Path:
    data = {
        "project_name": "Kube Case Service",
        "database": database,
        "observability": observability,
        # Kubernetes alone once (the other cases add compose beside it).
        "deploy": "kubernetes" if observability == "otel" else "compose,kubernetes",
        "docker": True,
        "auth": "token" if database != "none" else "none",
        "interface": "api",
        "secret_key": "s" * 43,
        "db_password": "real-password-never-in-manifests",
    }
    return render_template(TEMPLATES[framework], tmp_path / framework, data)


def documents(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]


def validate(resource: dict[str, Any], where: str) -> None:
    try:
        kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)
    except kubernetes_validate.ValidationError as err:
        pytest.fail(f"{where}: {err.message} at {list(err.path)}")


def pod_specs(resources: list[dict[str, Any]]) -> list[tuple[str, dict[str, Any]]]:
    return [
        (r["kind"], r["spec"]["template"]["spec"])
        for r in resources
        if r["kind"] in ("Deployment", "Job")
    ]


@pytest.mark.parametrize(("framework", "database", "observability"), CASES)
def test_manifests_validate_and_lock_the_pods_down(
    tmp_path: Path, framework: str, database: str, observability: str
) -> None:
    project = render(tmp_path, framework, database, observability)
    # Compose is a separate target: left out when only Kubernetes is chosen.
    assert (project / "compose.yaml").exists() == (observability != "otel")
    k8s = project / "deploy" / "k8s"
    base = k8s / "base"
    kustomization = yaml.safe_load((base / "kustomization.yaml").read_text(encoding="utf-8"))
    listed = kustomization["resources"]
    assert sorted(listed) == sorted(
        p.name for p in base.glob("*.yaml") if p.name != "kustomization.yaml"
    )
    resources = []
    for name in listed:
        for resource in documents(base / name):
            validate(resource, name)
            resources.append(resource)
    kinds = sorted(r["kind"] for r in resources)
    expected = ["ConfigMap", "Deployment", "HorizontalPodAutoscaler", "Secret", "Service"]
    assert kinds == sorted(expected + (["Job"] if database != "none" else []))

    deployment = next(r for r in resources if r["kind"] == "Deployment")
    web = deployment["spec"]["template"]["spec"]["containers"][0]
    probes = {
        kind: " ".join(web[kind]["exec"]["command"]) for kind in ("livenessProbe", "readinessProbe")
    }
    assert "/healthz" in probes["livenessProbe"]
    assert "/readyz" in probes["readinessProbe"]
    assert web["resources"]["requests"] and web["resources"]["limits"]["memory"]
    for kind, pod in pod_specs(resources):
        assert pod["securityContext"]["runAsNonRoot"] is True, kind
        assert pod["automountServiceAccountToken"] is False, kind
        for container in pod.get("initContainers", []) + pod["containers"]:
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, (kind, container["name"])
            assert context["allowPrivilegeEscalation"] is False, (kind, container["name"])
            assert context["capabilities"]["drop"] == ["ALL"]
    if database != "none":
        job = next(r for r in resources if r["kind"] == "Job")
        assert "upgrade" in job["spec"]["template"]["spec"]["containers"][0]["command"]
        # The new pods wait for the migration before they start.
        init = deployment["spec"]["template"]["spec"]["initContainers"][0]
        assert "check" in init["command"]
    hpa = next(r for r in resources if r["kind"] == "HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    # Pods are scraped where the app serves /metrics.
    assert (observability != "none" and framework in SERVES_METRICS) == (
        deployment["spec"]["template"]["metadata"].get("annotations", {}).get("prometheus.io/path")
        == "/metrics"
    )

    # No real secret anywhere in the manifests: only placeholders the app refuses.
    secret = next(r for r in resources if r["kind"] == "Secret")
    assert secret["stringData"]["SECRET_KEY"] == "changethis"
    for path in k8s.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            assert "s" * 43 not in text and "real-password" not in text, path
    assert "deploy/k8s/overlays/production/secret.env" in (project / ".gitignore").read_text()

    built = build(k8s / "overlays" / "production", tmp_path)
    if built is not None:
        for resource in built:
            validate(resource, f"overlays/production {resource['kind']}")
        assert {r["metadata"].get("namespace") for r in built} == {NAME}
        images = {
            c["image"]
            for _, pod in pod_specs(built)
            for c in pod.get("initContainers", []) + pod["containers"]
        }
        assert images == {f"registry.example.com/{NAME}:0.1.0"}
        built_secret = next(r for r in built if r["kind"] == "Secret")
        assert "changethis" not in str(built_secret)


def build(overlay: Path, tmp_path: Path) -> list[dict[str, Any]] | None:
    """``kubectl kustomize`` of the overlay, with a filled-in secret.env; None without kubectl."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        return None
    example = (overlay / "secret.env.example").read_text(encoding="utf-8")
    filled = [
        f"{line.split('=', 1)[0]}=from-the-operator"
        if "=" in line and not line.startswith("#")
        else line
        for line in example.splitlines()
    ]
    (overlay / "secret.env").write_text("\n".join(filled) + "\n", encoding="utf-8")
    out = subprocess.run(
        [kubectl, "kustomize", str(overlay)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    return [d for d in yaml.safe_load_all(out.stdout) if d]
