"""The served dashboard in a real browser (Debian's Chromium), with no internet.

A fixture starts `solara run app.py` on a free port and stops it afterwards. Internet access is
cut for both sides: the server gets a dead HTTP(S) proxy (so it cannot fetch a missing asset
from a CDN) and the browser contexts a dead proxy too (only the local server answers), and the
first test checks that every request the page made went to the local server.
"""

from __future__ import annotations

import csv
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SOLARA = str(Path(sys.executable).with_name("solara"))
DEAD_PROXY = "http://127.0.0.1:9"
"""Nothing listens on port 9 (discard): any request that would leave the machine fails."""
LOAD_TIMEOUT = 60_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("solara") / "server.log"
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
           "SOLARA_ASSETS_PROXY": "True", "MPLBACKEND": "Agg", "PYTHONUNBUFFERED": "1",
           "HTTP_PROXY": DEAD_PROXY, "HTTPS_PROXY": DEAD_PROXY, "http_proxy": DEAD_PROXY,
           "https_proxy": DEAD_PROXY, "NO_PROXY": "127.0.0.1,localhost",
           "no_proxy": "127.0.0.1,localhost"}
    for name in ("VSCODE_PID", "VSCODE_CWD"):
        env.pop(name, None)
    command = [SOLARA, "run", "app.py", "--host", "127.0.0.1", "--port", str(port),
               "--production", "--no-open", "--no-check-version"]
    url = f"http://127.0.0.1:{port}/"
    with open(log, "wb") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                                  cwd=ROOT, start_new_session=True)
        try:
            deadline = time.monotonic() + 90
            while True:
                if server.poll() is not None:
                    pytest.fail(f"solara exited with {server.returncode}:\n{log.read_text()}")
                try:
                    with urllib.request.urlopen(url + "readyz", timeout=2) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"solara did not start within 90 s:\n{log.read_text()}")
                time.sleep(0.2)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@pytest.fixture()
def offline(browser):
    """A factory of pages in fresh browser contexts (fresh sessions) with no internet."""
    contexts = []

    def new_page():
        context = browser.new_context(viewport={"width": 1400, "height": 1000},
                                      accept_downloads=True,
                                      proxy={"server": DEAD_PROXY, "bypass": "127.0.0.1"})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        return page

    yield new_page
    for context in contexts:
        context.close()


def open_dashboard(page, url: str):
    page.goto(url)
    page.get_by_text("Week 0 of 520").wait_for(timeout=LOAD_TIMEOUT)
    page.add_style_tag(content=".solara-content-main{animation-duration:0s !important}")
    return page


def week(page) -> int:
    return int(page.locator(".week-counter").inner_text().split()[1])


def set_boundary_to_max(page, who: str = "Ana (spouse)") -> None:
    """Move a partner's boundary slider with the keyboard (End = its declared maximum)."""
    panel = page.locator(".param-panel").filter(has_text=who)
    slider = panel.get_by_role("slider", name=re.compile("^boundary"))
    slider.focus()
    page.keyboard.press("End")
    panel.get_by_text("boundary: 1").wait_for()
    panel.get_by_text("(1 changed)").wait_for()


def test_served_page_renders_with_no_internet(served, offline, tmp_path):
    page = offline()
    requests, failures = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: r.status >= 400 and "katex" not in r.url
            and failures.append((r.status, r.url)))
    open_dashboard(page, served)
    page.get_by_role("heading", name="Boundaries and the idealize-devalue-discard cycle").wait_for()
    page.get_by_text("diagnoses no one", exact=False).first.wait_for()
    charts = page.locator(".page:not(.hidden-page) .chart img")
    assert charts.count() == 4
    page.wait_for_function("() => [...document.querySelectorAll('.chart img')]"
                           ".filter(i => i.naturalWidth > 300).length >= 4")
    page.screenshot(path=tmp_path / "explore.png")
    assert not failures, failures
    local = (served, "blob:" + served, "data:")
    outside = [u for u in requests if not u.startswith(local)]
    assert not outside, outside


def test_boundary_change_and_play_change_charts_and_story(served, offline):
    page = open_dashboard(offline(), served)
    set_boundary_to_max(page)
    phases = page.locator(".chart-phases img")
    before, story = phases.screenshot(), page.locator(".event-log").inner_text()
    play = page.get_by_role("button", name="Play")
    play.focus()
    page.keyboard.press("Enter")  # the controls work from the keyboard
    page.get_by_role("button", name="Pause").wait_for()
    time.sleep(1.0)
    start_week, start = week(page), time.monotonic()
    time.sleep(4.0)
    rate = (week(page) - start_week) / (time.monotonic() - start)
    page.get_by_role("button", name="Pause").click()
    print(f"\nbrowser playback at speed 10: {rate:.1f} weeks per second")
    assert rate >= 8.0, f"playback fell behind: {rate:.1f} weeks per second at speed 10"
    time.sleep(0.5)
    assert phases.screenshot() != before
    assert page.locator(".event-log").inner_text() != story


def test_boundaries_sweep_shows_progress_cancels_and_runs_to_the_end(served, offline):
    page = open_dashboard(offline(), served)
    page.get_by_role("button", name="Boundaries").click()
    shown = page.locator(".page:not(.hidden-page)")
    shown.get_by_role("button", name="Run the sweep").click()
    page.get_by_text("Running in the background").wait_for()
    assert shown.get_by_role("progressbar").count() >= 1
    shown.get_by_role("button", name="Cancel").click()
    page.get_by_text("Sweep cancelled.").wait_for()
    for name in ("seeds per value", "boundary values"):
        slider = shown.get_by_role("slider", name=re.compile(f"^{name}"))
        slider.focus()
        page.keyboard.press("Home")
    shown.get_by_text("4 runs of classroom").wait_for()
    shown.get_by_role("button", name="Run the sweep").click()
    page.get_by_text("Sweep finished").wait_for(timeout=120_000)
    assert shown.locator(".chart img").count() == 5


def test_exported_scenario_runs_unchanged_from_the_command_line(served, offline, tmp_path):
    page = open_dashboard(offline(), served)
    set_boundary_to_max(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Scenario (TOML)").click()
    scenario = tmp_path / download.value.suggested_filename
    download.value.save_as(scenario)
    page.get_by_role("button", name="Run to the end").click()
    page.get_by_text("Week 520 of 520 (finished)").wait_for()
    with page.expect_download() as picture:
        page.get_by_role("button", name="PNG: phases").click()
    assert Path(picture.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    on_page = page.locator(".table-box").get_by_role("row", name=re.compile(r"^Ana ")).inner_text()
    done = subprocess.run([sys.executable, "-m", "model", "run", str(scenario), "--seed", "42",
                           "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "out" / "outcomes.csv", newline="") as table:
        ana = next(row for row in csv.DictReader(table) if row["name"] == "Ana")
    assert float(ana["boundary"]) == 1.0
    assert f"{float(ana['harm']):.2f}" in on_page.split()


def test_two_sessions_stay_independent(served, offline):
    first = open_dashboard(offline(), served)
    set_boundary_to_max(first)
    for _ in range(3):
        first.get_by_role("button", name="Step one week").click()
    first.get_by_text("Week 3 of 520").wait_for()
    second = open_dashboard(offline(), served)
    ana = second.locator(".param-panel").filter(has_text="Ana (spouse)")
    ana.get_by_text("boundary: 0.1").wait_for()
    assert ana.get_by_text("(1 changed)").count() == 0
    second.get_by_role("button", name="Step one week").click()
    second.get_by_text("Week 1 of 520").wait_for()
    assert week(first) == 3
