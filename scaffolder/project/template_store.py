"""Versioned templates: the current set, and the earlier versions kept for updates.

A store is a folder holding one template per framework id, a ``VERSION`` file and
``history/<version>/<framework>/`` for every earlier version this fwpick can update
from. The bundled templates are one store; ``--templates DIR`` names another. Keeping
old versions inside the installed package is what lets ``fwpick update`` rebuild a
project's pristine render offline, on any machine, without a cache.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scaffolder.errors import UsageError
from scaffolder.resources import templates_root

UNVERSIONED = "0"


@dataclass(frozen=True)
class TemplateStore:
    root: Path

    @property
    def version(self) -> str:
        try:
            return (self.root / "VERSION").read_text(encoding="utf-8").strip() or UNVERSIONED
        except FileNotFoundError:
            return UNVERSIONED

    def history(self) -> list[str]:
        base = self.root / "history"
        return sorted(p.name for p in base.iterdir() if p.is_dir()) if base.is_dir() else []

    def has(self, framework: str, version: str | None = None) -> bool:
        return (self._dir(framework, version) / "copier.yml").is_file()

    def template(self, framework: str, version: str | None = None) -> Path:
        """The template of ``framework`` at ``version`` (the current one when None)."""
        path = self._dir(framework, version)
        if not (path / "copier.yml").is_file():
            known = ", ".join([*self.history(), self.version])
            if version is None or version == self.version:
                raise UsageError(f"no template for {framework!r} in {self.root}")
            raise UsageError(
                f"template version {version!r} of {framework!r} is not in {self.root} "
                f"(this fwpick has versions {known}); install the fwpick that made the project"
            )
        return path

    def _dir(self, framework: str, version: str | None) -> Path:
        if version is None or version == self.version:
            return self.root / framework
        return self.root / "history" / version / framework


def bundled_store() -> TemplateStore:
    return TemplateStore(templates_root())


def store_for(framework: str, extra_root: Path | None) -> TemplateStore:
    """An organisation's store when it has the framework, else the bundled one."""
    if extra_root is not None:
        org = TemplateStore(extra_root)
        if org.has(framework):
            return org
    return bundled_store()
