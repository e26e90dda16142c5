"""Serving the dashboard for browser tests: a free port, an environment cut off from the
internet, and a server that is ready before the test starts and gone after it.

One copy for every browser suite (test_browser, test_class_browser, test_privacy,
test_install), so that how a test server starts, waits and stops cannot drift between them.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOLARA = str(Path(sys.executable).with_name("solara"))
DEAD_PROXY = "http://127.0.0.1:9"
"""Nothing listens on port 9 (discard): any request that would leave the machine fails."""
READY_WITHIN = 90
"""Seconds a server may take to answer /readyz on a busy two-core machine."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def offline_env(unset: tuple[str, ...] = (), **extra: str) -> dict[str, str]:
    """This process's environment with a dead proxy for every outside request and no
    telemetry; VS Code's variables are dropped, since Solara would then load the page's
    scripts from a public CDN."""
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False", "MPLBACKEND": "Agg",
           "PYTHONUNBUFFERED": "1", "HTTP_PROXY": DEAD_PROXY, "HTTPS_PROXY": DEAD_PROXY,
           "http_proxy": DEAD_PROXY, "https_proxy": DEAD_PROXY,
           "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost", **extra}
    for name in ("VSCODE_PID", "VSCODE_CWD", *unset):
        env.pop(name, None)
    return env


def solara_app(port: int) -> list[str]:
    """The repository's own command: `solara run app.py`, in production mode, with no
    browser opened and no version check."""
    return [SOLARA, "run", "app.py", "--host", "127.0.0.1", "--port", str(port),
            "--production", "--no-open", "--no-check-version"]


@contextlib.contextmanager
def serving(command: list[str], url: str, log: Path, env: dict[str, str]) -> Iterator[None]:
    """Run `command` from the repository root until the block ends, once `url` answers."""
    with open(log, "wb") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                                  cwd=ROOT, start_new_session=True)
        try:
            wait_ready(server, url, log)
            yield
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@contextlib.contextmanager
def dashboard_offline(tmp_path_factory, env: dict[str, str]) -> Iterator[str]:
    """The app served by `solara run` on a free port with `env`, for a whole test module; yields
    its address. One server per module: starting one costs seconds, a page costs little."""
    port = free_port()
    log = tmp_path_factory.mktemp("solara") / "server.log"
    url = f"http://127.0.0.1:{port}/"
    with serving(solara_app(port), url, log, env):
        yield url


def wait_ready(server: subprocess.Popen, url: str, log: Path) -> None:
    deadline = time.monotonic() + READY_WITHIN
    while True:
        if server.poll() is not None:
            pytest.fail(f"the server exited with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url + "readyz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"the server did not start within {READY_WITHIN} s:\n"
                        f"{log.read_text()}")
        time.sleep(0.2)
