"""Apply a set of file changes to a project all at once, or not at all.

New contents are written and fsynced beside the project first (``staged/``), then a
journal naming every path is written, and only then are the files switched over by
renames, each original moved aside (``saved/``). A ``done`` marker is the commit point.
Whatever stops the process (a signal, a crash, a power cut), the next run finds the
journal and either rolls the project back to exactly what it was (no ``done``) or
finishes the clean-up (``done``). Renames only stay atomic on one file system, so the
work area lives in the project's git directory, or beside the project.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from scaffolder.errors import UsageError

JOURNAL = "journal.json"
DONE = "done"
# Tests stop real updates at named points with this; unset in normal use.
FAULT_ENV = "FWPICK_UPDATE_FAULT"


@dataclass(frozen=True)
class Op:
    """Write ``content`` to ``path`` (relative to the project), or remove it when None."""

    path: str
    content: bytes | None
    mode: int | None = None


class Interrupted(KeyboardInterrupt):
    """A stop signal arrived before the commit point: nothing was changed.

    A KeyboardInterrupt, so no ``except Exception`` (Copier's, a template's) swallows it.
    """

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.exit_code = 128 + signum
        super().__init__(
            f"stopped by {signal.Signals(signum).name} before anything was written; "
            "the project is unchanged"
        )


STOP_SIGNALS = tuple(
    getattr(signal, n) for n in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, n)
)


def fault_point(name: str) -> None:
    """Send this process the signal a test asked for, when it reaches ``name``."""
    spec = os.environ.get(FAULT_ENV)
    if not spec:
        return
    point, _, sig = spec.rpartition("@")
    if point == name:
        os.kill(os.getpid(), getattr(signal, f"SIG{sig}"))


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_atomic(path: Path, content: bytes, mode: int | None = None) -> None:
    """Temp file beside ``path``, fsync, rename: a reader sees the old bytes or the new."""
    tmp = path.with_name(f"{path.name}.fwpick-tmp")  # .env.* stays git-ignored
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600 if mode is None else mode)
    try:
        os.write(fd, content)
        if mode is not None:
            os.fchmod(fd, mode)
        os.fsync(fd)
    finally:
        os.close(fd)
    Path(tmp).replace(path)
    _fsync_dir(path.parent)


class _Signals:
    """Stop signals as exceptions, held back while files are being switched."""

    def __init__(self) -> None:
        self.holding = False
        self.pending: int | None = None
        self.committed = False

    def handler(self, signum: int, frame: FrameType | None) -> None:
        if self.committed:
            return  # the update is complete: let it report, not claim an interruption
        if self.holding:
            self.pending = signum
            return
        raise Interrupted(signum)


@contextlib.contextmanager
def interruptible() -> Iterator[_Signals]:
    state = _Signals()
    if threading.current_thread() is not threading.main_thread():
        yield state
        return
    old = {s: signal.signal(s, state.handler) for s in STOP_SIGNALS}
    try:
        yield state
    finally:
        if not state.committed:
            for signum, previous in old.items():
                signal.signal(signum, previous)
        # After the commit point signals stay ignored: the command only reports now.


@dataclass(frozen=True)
class Workspace:
    """Where an update stages its work: on the project's file system, never in /tmp."""

    area: Path  # renders, merges and the transaction; removed after every run

    @property
    def txn(self) -> Path:
        return self.area / "txn"

    def scratch(self, name: str) -> Path:
        path = self.area / name
        path.mkdir(parents=True, exist_ok=True)
        return path


def workspace_for(root: Path, git_dir: Path) -> Workspace:
    """The git directory when it shares the project's file system, else beside the project."""
    git_dir.joinpath("fwpick").mkdir(parents=True, exist_ok=True)
    if git_dir.stat().st_dev == root.stat().st_dev:
        return Workspace(git_dir / "fwpick" / "update")
    return Workspace(root.parent / f".{root.name}.fwpick-update")


@contextlib.contextmanager
def project_lock(root: Path, git_dir: Path) -> Iterator[None]:
    """One update at a time per project: a second one is refused, not queued."""
    import fcntl

    lock_path = git_dir / "fwpick" / "lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(
                f"{root}: another fwpick update is running on this project; wait for it "
                "to finish, then run this one again"
            ) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock


def recover(root: Path, work: Workspace) -> str | None:
    """Finish or roll back a transaction a previous run left; say which, or None."""
    message = None
    txn = work.txn
    if (txn / JOURNAL).is_file():
        journal = json.loads((txn / JOURNAL).read_text(encoding="utf-8"))
        if (txn / DONE).exists():
            _prune_dirs(root, [op["path"] for op in journal["ops"] if not op["write"]])
            message = "finished an interrupted update: it had been fully applied before it stopped"
        else:
            _roll_back(root, txn, journal)
            message = "rolled back an interrupted update: the project is as it was before it"
    elif txn.exists() and any(txn.iterdir()):
        message = "removed what an interrupted update left; it had not changed the project"
    if work.area.exists():
        shutil.rmtree(work.area)
    return message


def _roll_back(root: Path, txn: Path, journal: dict[str, object]) -> None:
    ops = journal["ops"]
    assert isinstance(ops, list)
    for index in reversed(range(len(ops))):
        op = ops[index]
        target = root / op["path"]
        staged, saved = txn / "staged" / str(index), txn / "saved" / str(index)
        if op["write"] and not staged.exists() and os.path.lexists(target):
            # The new file had been put in place: back to staged, so a rollback that is
            # itself interrupted can simply run again.
            target.replace(staged)
        if saved.exists():
            saved.replace(target)
        _fsync_dir(target.parent)
    made = journal["dirs"]
    assert isinstance(made, list)
    for rel in reversed(made):
        with contextlib.suppress(OSError):
            (root / rel).rmdir()  # only when still empty


def _new_dirs(root: Path, ops: list[Op]) -> list[str]:
    made: list[str] = []
    for op in ops:
        if op.content is None:
            continue
        for parent in reversed(Path(op.path).parents[:-1]):
            rel = parent.as_posix()
            if rel not in made and not (root / rel).exists():
                made.append(rel)
    return made


def apply(root: Path, work: Workspace, ops: list[Op], signals: _Signals) -> None:
    """Stage, journal and switch ``ops`` into ``root``; the caller ran ``recover`` first."""
    txn = work.txn
    (txn / "staged").mkdir(parents=True)
    (txn / "saved").mkdir()
    for index, op in enumerate(ops):
        if op.content is not None:
            write_atomic(txn / "staged" / str(index), op.content, op.mode)
    fault_point("staged")
    journal = {
        "ops": [{"path": op.path, "write": op.content is not None} for op in ops],
        "dirs": _new_dirs(root, ops),
    }
    write_atomic(txn / JOURNAL, json.dumps(journal).encode())
    fault_point("journal")
    signals.holding = True
    try:
        _switch(root, txn, ops, journal)
    except BaseException:
        _roll_back(root, txn, journal)
        raise
    write_atomic(txn / DONE, b"")
    signals.committed = True
    if threading.current_thread() is threading.main_thread():
        # Done: a stop signal from here on (even during interpreter exit, when Python has
        # reset its handlers) must not turn a finished update into a reported failure.
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    fault_point("done")
    _prune_dirs(root, [op.path for op in ops if op.content is None])
    shutil.rmtree(work.area, ignore_errors=True)


def _switch(root: Path, txn: Path, ops: list[Op], journal: dict[str, object]) -> None:
    made = journal["dirs"]
    assert isinstance(made, list)
    for rel in made:
        (root / rel).mkdir()
    touched = set()
    for index, op in enumerate(ops):
        target = root / op.path
        if os.path.lexists(target):
            target.replace(txn / "saved" / str(index))
        if op.content is not None:
            (txn / "staged" / str(index)).replace(target)
        touched.add(target.parent)
        fault_point(f"switch-{index}")
    for directory in touched:
        _fsync_dir(directory)
    _fsync_dir(txn / "saved")


def _prune_dirs(root: Path, removed: list[str]) -> None:
    for rel in removed:
        parent = (root / rel).parent
        while parent != root and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent
