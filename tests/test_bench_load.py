"""``bench/load.py`` serves two apps and loads them at the same time with wrk.

The throughput rows rest on this: both servers answer, each wrk run is read back into its
own result, and a server that fails is counted as errors rather than as throughput.
No timing is asserted.
"""

from __future__ import annotations

import shutil
import sys
from contextlib import AbstractContextManager
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[1]
# 200 on /healthz; on any other path, 500 (what a failing app answers).
SERVER = """
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        status = 200 if self.path == "/healthz" else 500
        body = b"ok"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
"""

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")


@pytest.fixture
def load() -> ModuleType:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import load as module

        return module
    finally:
        sys.path.remove(str(REPO / "bench"))


def test_two_servers_are_loaded_together_and_read_back_apart(
    load: ModuleType, tmp_path: Path
) -> None:
    settings = load.LoadSettings(duration=1, connections=4, threads=1, warmup=0)
    with (
        serve(load, tmp_path, "first") as first,
        serve(load, tmp_path, "second") as second,
    ):
        failing = second.removesuffix("/healthz") + "/broken"
        ok, broken = load.wrk_together([first, failing], settings)
    assert ok.requests > 0 and ok.rps > 0
    assert ok.errors == 0
    # Every answer of the failing server is an error, and none leaks into the other result.
    assert broken.requests > 0
    assert broken.errors == broken.requests


def test_wrk_failing_to_run_is_a_bench_error(load: ModuleType) -> None:
    settings = load.LoadSettings(duration=1, connections=1, threads=1, warmup=0)
    with pytest.raises(load.BenchError, match="wrk failed"):
        load.wrk_together(["http://127.0.0.1:1/healthz"], settings)


def serve(load: ModuleType, tmp_path: Path, name: str) -> AbstractContextManager[str]:
    port = load.free_port()
    argv = [sys.executable, "-c", SERVER, str(port)]
    log = tmp_path / f"{name}.log"
    served: AbstractContextManager[str] = load.serving(
        argv, cwd=tmp_path, env={}, port=port, log=log, timeout=30
    )
    return served
