"""The package works installed from a wheel, away from the repository.

A non-editable install has no source tree around it: the presets, the dashboard's texts and
components, and the documents the dashboard shows must travel as package data. Here the wheel
is built and unpacked into a folder of its own (its dependencies are the test environment's),
and the command line and the dashboard are started from another folder.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict[str, str]:
    """Environment variables that make Python import the package from an unpacked wheel."""
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(work / "dist"), str(ROOT)], check=True, cwd=work)
    wheel = next((work / "dist").glob("supply_cycle-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(work / "site"), str(wheel)], check=True, cwd=work)
    return {**os.environ, "PYTHONPATH": str(work / "site"), "MPLBACKEND": "Agg"}


def python(code: str, env: dict[str, str], cwd: Path) -> str:
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=cwd, text=True,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_command_line_runs_a_preset_from_another_folder(installed, tmp_path):
    where = python("import model; print(model.__file__)", installed, tmp_path)
    assert where.startswith(installed["PYTHONPATH"]), where
    done = subprocess.run([sys.executable, "-m", "model", "run", "classroom", "--weeks", "52",
                           "--out", "run"], env=installed, cwd=tmp_path, text=True,
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert {"outcomes.csv", "timeline.csv"} <= {p.name for p in (tmp_path / "run").iterdir()}
    listed = subprocess.run([sys.executable, "-m", "model", "list"], env=installed,
                            cwd=tmp_path, text=True, capture_output=True, timeout=120).stdout
    assert all(p.stem in listed for p in (ROOT / "scenarios").glob("*.toml"))


def test_the_dashboard_finds_its_texts_when_installed(installed, tmp_path):
    shown = python(
        "from dashboard.texts import DOCS, doc, text\n"
        "from dashboard.components import keys\n"
        "print(DOCS)\n"
        "print(all('has not been written' not in doc(n) for n in "
        "('limits', 'extending', 'related_models', 'credits', 'content_note')))\n"
        "print('Missing text' not in text('evidence'))\n", installed, tmp_path)
    folder, docs_found, texts_found = shown.split("\n")[:3]
    assert folder.startswith(installed["PYTHONPATH"])
    assert docs_found == "True" and texts_found == "True"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_solara_serves_the_installed_dashboard_from_another_folder(installed, tmp_path):
    shutil.copy(ROOT / "app.py", tmp_path / "app.py")
    port = _free_port()
    solara = Path(sys.executable).with_name("solara")
    server = subprocess.Popen([str(solara), "run", "app.py", "--port", str(port), "--production",
                               "--no-open", "--no-check-version"], env=installed, cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        page = None
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                    page = answer.read().decode()
                break
            except OSError:
                assert server.poll() is None, server.stdout.read() if server.stdout else ""
                time.sleep(0.5)
        assert page is not None and "solara" in page.lower()
    finally:
        server.terminate()
        server.wait(timeout=30)
