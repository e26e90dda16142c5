"""The package works installed from a wheel, away from the repository.

A non-editable install has no source tree around it: the presets, the example sweeps, the
dashboard's app, texts and components, its help-services example and the documents it shows
must travel as package data. Here the wheel is built and unpacked into a folder of its own (its
dependencies are the test environment's), and the command line and the dashboard are started
from another folder. One test installs the wheel into a fresh virtual environment with its core
dependencies only, from the package index, as a researcher without the dashboard would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tomllib
import urllib.request
import zipfile
from pathlib import Path

import pytest
from serving import free_port

ROOT = Path(__file__).resolve().parent.parent
LEFT_OUT = (".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache",
            ".hypothesis", "results", "out")


VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
    "version"]
EXTRA_LINE = 'supply-cycle dashboard needs the "dashboard" extra, which is not installed: ' \
    'pip install "supply-cycle[dashboard]"'
LECTURER = """placeholder = false
[[service]]
name = "Riverside Student Wellbeing"
what = "Counsellors for any student."
contact = "0800 111 222"
"""


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The package's wheel, built from a copy of the repository."""
    work = tmp_path_factory.mktemp("wheel")
    # Built from a copy: setuptools leaves a build/ folder beside the sources, and a stale one
    # would carry deleted modules into the next wheel.
    source = work / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*LEFT_OUT))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(work / "dist"), str(source)], check=True, cwd=work)
    return next((work / "dist").glob("supply_cycle-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel) -> dict[str, str]:
    """Environment variables that make Python import the package from an unpacked wheel (its
    console script is in PYTHONPATH/bin)."""
    site = wheel.parent.parent / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(site), str(wheel)], check=True, cwd=wheel.parent)
    return {**os.environ, "PYTHONPATH": str(site), "MPLBACKEND": "Agg"}


def script(env: dict[str, str]) -> str:
    """The `supply-cycle` console script pip wrote for the unpacked wheel."""
    return str(Path(env["PYTHONPATH"]) / "bin" / "supply-cycle")


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


def test_solara_serves_the_installed_dashboard_from_another_folder(installed, tmp_path):
    shutil.copy(ROOT / "app.py", tmp_path / "app.py")
    port = free_port()
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


# --- what the wheel holds, and the lecturer's dashboard from it --------------------------------
def test_the_wheel_holds_the_app_the_help_services_example_and_the_sweeps(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(f"supply_cycle-{VERSION}.dist-info/METADATA").decode()
    assert {"dashboard/app.py", "dashboard/__main__.py", "dashboard/privacy.py",
            "dashboard/help_services.toml"} <= names
    sweeps = {f"model/sweeps/{p.name}" for p in (ROOT / "sweeps").glob("*.toml")}
    assert sweeps and sweeps <= names
    # nothing at the top of site-packages that a user's own file of that name would meet
    assert {n.split("/")[0] for n in names} == {"model", "dashboard", "scenarios",
                                                f"supply_cycle-{VERSION}.dist-info"}
    # the dashboard and Dask stacks are extras, never core dependencies
    extras = [line for line in metadata.splitlines() if line.startswith("Requires-Dist:")
              and any(n in line for n in ("solara", "dask", "ipyvue", "altair", "ipykernel"))]
    assert extras and all("extra ==" in line for line in extras), extras


def decoys(folder: Path) -> None:
    """A user's own `model.py` and `dashboard.py`, which would end a run of either at once."""
    for name in ("model", "dashboard"):
        (folder / f"{name}.py").write_text(f"print('the user\\'s own {name}.py')\n"
                                           "raise SystemExit(0)\n", encoding="utf-8")


def test_an_example_sweep_is_named_from_another_folder(installed, tmp_path):
    decoys(tmp_path)
    done = subprocess.run([script(installed), "sweep", "boundary", "--weeks", "4", "--reps", "1",
                           "--workers", "1", "--quiet", "--out", "results"], env=installed,
                          cwd=tmp_path, text=True, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "Sweep done: 33 runs" in done.stdout and "Next: supply-cycle plot" in done.stdout
    assert (tmp_path / "results" / "results.parquet").is_file()


def test_the_lecturers_help_file_comes_before_the_packaged_example(installed, tmp_path):
    code = ("from dashboard import help_services as h\n"
            "print(h.path())\nprint(h.short_line(h.current()))\n")
    where, line = python(code, installed, tmp_path).split("\n")[:2]
    assert where.startswith(installed["PYTHONPATH"]) and "Emergency services" in line

    (tmp_path / "help_services.toml").write_text(LECTURER.replace("Riverside", "Folder"),
                                                 encoding="utf-8")
    assert "Folder Student Wellbeing" in python(code, installed, tmp_path)

    own = tmp_path / "course" / "services.toml"
    own.parent.mkdir()
    own.write_text(LECTURER, encoding="utf-8")
    chosen = {**installed, "SUPPLY_CYCLE_HELP_SERVICES": str(own)}
    where, line = python(code, chosen, tmp_path).split("\n")[:2]
    assert where == str(own) and "Riverside Student Wellbeing" in line


def wait_for_page(server: subprocess.Popen, port: int, log: Path, seconds: float = 120) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as answer:
                assert answer.status == 200
                return answer.read().decode()
        except OSError:
            assert server.poll() is None, log.read_text(encoding="utf-8")
            time.sleep(0.5)
    raise AssertionError(f"no page within {seconds} s:\n{log.read_text(encoding='utf-8')}")


def test_supply_cycle_dashboard_serves_the_page_from_another_folder(installed, tmp_path):
    decoys(tmp_path)
    (tmp_path / "services.toml").write_text(LECTURER, encoding="utf-8")
    port = free_port()
    log = tmp_path / "server.log"
    with open(log, "w", encoding="utf-8") as out:
        server = subprocess.Popen([script(installed), "dashboard", "--port", str(port),
                                   "--help-services", "services.toml"], env=installed,
                                  cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT, text=True)
    try:
        page = wait_for_page(server, port, log)
        assert "solara" in page.lower()
    finally:
        server.terminate()  # the command became the server (exec): nothing is left behind
        server.wait(timeout=30)
    said = log.read_text(encoding="utf-8")
    assert f"Help services: {tmp_path / 'services.toml'} (1 service)" in said, said
    assert "the user's own" not in said


@pytest.mark.browser
def test_the_page_shows_the_lecturers_services_given_by_option(installed, tmp_path, browser):
    (tmp_path / "services.toml").write_text(LECTURER, encoding="utf-8")
    port = free_port()
    log = tmp_path / "server.log"
    with open(log, "w", encoding="utf-8") as out:
        server = subprocess.Popen([script(installed), "dashboard", "--port", str(port),
                                   "--help-services", str(tmp_path / "services.toml")],
                                  env=installed, cwd=tmp_path, stdout=out,
                                  stderr=subprocess.STDOUT, text=True)
    context = browser.new_context()
    try:
        wait_for_page(server, port, log)
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{port}/")
        page.get_by_text("Riverside Student Wellbeing").first.wait_for(timeout=90_000)
        assert page.get_by_text("0800 111 222").count() >= 1
    finally:
        context.close()
        server.terminate()
        server.wait(timeout=30)


# --- a fresh environment with the core dependencies only -----------------------------------
def index_reachable() -> bool:
    index = os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple/")
    try:
        with urllib.request.urlopen(index, timeout=15):
            return True
    except OSError:
        return False


def test_a_fresh_environment_without_extras_runs_the_command_line(wheel, tmp_path):
    """A researcher's install: the wheel and its core dependencies from the package index, in
    a new virtual environment outside the repository (pip's cache makes a second time quick)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["MPLBACKEND"] = "Agg"
    venv = tmp_path / "venv"
    start = time.monotonic()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=env, timeout=300)
    done = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q",
                           str(wheel)], env=env, cwd=tmp_path, text=True, capture_output=True,
                          timeout=1800)
    if done.returncode != 0:
        if not index_reachable():
            pytest.skip("the package index is unreachable, so the core dependencies cannot be "
                        "installed into a fresh environment")
        pytest.fail(f"pip install of the wheel failed:\n{done.stderr[-4000:]}")
    print(f"\nfresh environment with the core dependencies: {time.monotonic() - start:.0f} s")

    def cli(*args: str, cwd: Path = tmp_path) -> subprocess.CompletedProcess:
        return subprocess.run([str(venv / "bin" / "supply-cycle"), *args], env=env, cwd=cwd,
                              text=True, capture_output=True, timeout=300)

    assert cli("--version").stdout.strip() == f"supply-cycle {VERSION}"
    folder = tmp_path / "mesa-project"  # a Mesa user's folder with their own model.py
    folder.mkdir()
    decoys(folder)
    listed = cli("list", cwd=folder)
    assert listed.returncode == 0 and "the user's own" not in listed.stdout
    assert all(p.stem in listed.stdout for p in (ROOT / "scenarios").glob("*.toml"))
    run = cli("run", "classroom", "--weeks", "52")
    assert run.returncode == 0 and "The story of the run" in run.stdout, run.stderr

    no_solara = subprocess.run([str(venv / "bin" / "python"), "-c", "import solara"], env=env,
                               text=True, capture_output=True, timeout=60)
    assert no_solara.returncode != 0 and "No module named 'solara'" in no_solara.stderr
    dashboard = cli("dashboard")
    assert (dashboard.returncode, dashboard.stdout) == (2, "")
    assert dashboard.stderr == f"error: {EXTRA_LINE}\n"
    cluster = cli("sweep", "boundary", "--reps", "1", "--weeks", "4", "--scheduler",
                  "tcp://127.0.0.1:8786", "--out", "cluster")
    assert cluster.returncode == 2 and cluster.stderr.count("\n") == 1
    assert 'pip install "supply-cycle[dask]"' in cluster.stderr
    assert not (tmp_path / "cluster").exists()
