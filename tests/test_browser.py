"""The served dashboard in a real browser (Debian's Chromium), with no internet.

A fixture starts `solara run app.py` on a free port and stops it afterwards. Internet access is
cut for both sides: the server gets a dead HTTP(S) proxy (so it cannot fetch a missing asset
from a CDN) and the browser contexts a dead proxy too (only the local server answers), and the
first test checks that every request the page made went to the local server.
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from dashboard.layout import TITLE
from serving import DEAD_PROXY, ROOT, dashboard_offline, offline_env

from model import EventKind, RelationshipModel, load

pytestmark = pytest.mark.browser

LOAD_TIMEOUT = 60_000


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with dashboard_offline(tmp_path_factory, offline_env(SOLARA_ASSETS_PROXY="True")) as url:
        yield url


@pytest.fixture()
def offline(browser):
    """A factory of pages in fresh browser contexts (fresh sessions) with no internet."""
    contexts = []

    def new_page(width: int = 1400, height: int = 1000, touch: bool = False):
        context = browser.new_context(viewport={"width": width, "height": height},
                                      accept_downloads=True, has_touch=touch,
                                      proxy={"server": DEAD_PROXY, "bypass": "127.0.0.1"})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        return page

    yield new_page
    for context in contexts:
        context.close()


def open_dashboard(page, url: str, projector: bool = False):
    page.goto(url)
    page.get_by_text("Week 0 of 520").wait_for(timeout=LOAD_TIMEOUT)
    page.add_style_tag(content=".solara-content-main{animation-duration:0s !important}")
    if projector:
        page.get_by_role("switch", name="Projector mode").check(force=True)
        page.locator(".app.projector").wait_for()
    return page


def week(page) -> int:
    return int(page.locator(".week-counter").inner_text().split()[1])


def shown(page):
    return page.locator(".page:not(.hidden-page)")


def choose(page, select: str, option: str) -> None:
    """Pick an option of a list (a Vuetify select) by its label, as a mouse user does."""
    shown(page).locator(f".v-select:has(label:text-is('{select}'))").first.click()
    page.locator(".menuable__content__active").get_by_role(
        "option", name=option, exact=True).click()


def font_px(locator) -> float:
    return float(locator.evaluate("e => parseFloat(getComputedStyle(e).fontSize)"))


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    size = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= size["height"] \
        and box["x"] >= 0 and box["x"] + box["width"] <= size["width"] + 1


def set_boundary_to_max(page, who: str = "Ana (spouse)") -> None:
    """Move a partner's boundary slider with the keyboard (End = its declared maximum)."""
    panel = page.locator(".param-panel").filter(has_text=who)
    slider = panel.get_by_role("slider", name=re.compile("^boundary"))
    slider.focus()
    page.keyboard.press("End")
    panel.get_by_text("boundary: 1").wait_for()
    panel.get_by_text("(1 changed)").wait_for()


def test_served_page_renders_with_no_internet_and_no_failed_request(served, offline, tmp_path):
    page = offline()
    requests, failures = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: r.status >= 400 and failures.append((r.status, r.url)))
    started = time.monotonic()
    open_dashboard(page, served)
    page.wait_for_function("() => [...document.querySelectorAll('.chart img')]"
                           ".filter(i => i.naturalWidth > 300).length >= 6")
    print(f"\nfirst charts drawn {time.monotonic() - started:.2f} s after navigation")
    page.get_by_role("heading", name=TITLE).wait_for()
    page.get_by_text("diagnoses no one", exact=False).first.wait_for()
    assert shown(page).locator(".chart img").count() == 6
    time.sleep(1.0)  # late requests (fonts, Markdown extensions) would come now
    assert not failures, failures
    local = (served, "blob:" + served, "data:")
    outside = [u for u in requests if not u.startswith(local)]
    assert not outside, outside
    assert page.get_by_text("runs on Solara").count() == 0


def test_boundary_change_and_play_change_charts_and_story(served, offline):
    page = open_dashboard(offline(), served)
    set_boundary_to_max(page)
    phases = page.locator(".chart-phases img")
    before, story = phases.screenshot(), page.locator(".event-log").inner_text()
    choose(page, "speed (weeks per second)", "10")
    play = page.get_by_role("button", name="Play", exact=True)
    play.focus()
    page.keyboard.press("Enter")  # the controls work from the keyboard
    page.get_by_role("button", name="Pause", exact=True).wait_for()
    time.sleep(1.0)
    start_week, start = week(page), time.monotonic()
    time.sleep(4.0)
    rate = (week(page) - start_week) / (time.monotonic() - start)
    page.get_by_role("button", name="Pause", exact=True).click()
    print(f"\nbrowser playback at speed 10: {rate:.1f} weeks per second")
    assert rate >= 8.0, f"playback fell behind: {rate:.1f} weeks per second at speed 10"
    time.sleep(0.5)
    assert phases.screenshot() != before
    assert page.locator(".event-log").inner_text() != story
    started = time.monotonic()
    page.get_by_role("button", name="Run to the end").click()
    page.get_by_text("Week 520 of 520 (finished)").wait_for()
    page.locator(".outcomes-box table").wait_for()
    print(f"run to the end: {time.monotonic() - started:.2f} s")


@pytest.mark.parametrize("width,height", [(1280, 720), (1366, 768), (1920, 1080)])
def test_projector_mode_keeps_state_and_makes_everything_readable(served, offline, width,
                                                                  height):
    page = open_dashboard(offline(width, height), served)
    choose(page, "Who will be the first to leave of their own accord?", "Dana")
    for _ in range(3):
        page.get_by_role("button", name="Step one week").click()
    page.get_by_text("Week 3 of 520").wait_for()
    small = page.locator(".chart-phases img").evaluate("i => i.naturalWidth")
    page.get_by_role("switch", name="Projector mode").check(force=True)
    page.locator(".app.projector").wait_for()
    assert week(page) == 3  # a presentation switch: nothing is lost
    predict = shown(page).locator(".prediction")
    assert "Dana" in predict.inner_text()
    page.wait_for_function(f"() => document.querySelector('.chart-phases img').naturalWidth"
                           f" > {small}")
    page.get_by_role("button", name="Run to the end").click()
    page.get_by_text("Week 520 of 520 (finished)").wait_for()
    table = shown(page).locator(".outcomes-box .table-box")
    table.wait_for()
    # Every text a student must read is large: tables, story, captions, notices, settings.
    for selector in (".outcomes-box td", ".event-log li", ".chart .caption",
                     ".scenario-notes li", ".preset-description p", ".content-notice p",
                     ".prediction td", ".week-counter", ".v-btn", ".v-label"):
        size = font_px(page.locator(f"{selector} >> visible=true").first)
        assert size >= 20, f"{selector} is {size}px in projector mode at {width}"
    # No label is cut short ("speed (weeks per se...").
    cut = page.evaluate("""[...document.querySelectorAll('.v-label, .v-select__selection')]
        .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
        .map(e => e.innerText)""")
    assert not cut, cut
    # The outcome table is whole: no column behind a scroll bar, the last column on screen.
    assert table.evaluate("t => t.scrollWidth <= t.clientWidth + 1")
    last = table.locator("th").last
    last.scroll_into_view_if_needed()
    assert in_view(page, last), last.bounding_box()
    # Charts are drawn for the projector, one to a row, as wide as they are shown (so their
    # type is not scaled down; tests/test_a11y_layout.py measures it).
    img = shown(page).locator(".chart-phases img")
    page.wait_for_function("() => { const i = document.querySelector('.chart-phases img'); "
                           "return Math.abs(i.naturalWidth - i.clientWidth) <= 9; }")
    natural, on_screen = img.evaluate("i => [i.naturalWidth, i.clientWidth]")
    assert on_screen >= 900 and abs(natural - on_screen) <= 9
    # With a chart in view, Play's bar and the week counter stay on screen.
    shown(page).locator(".chart-supply").scroll_into_view_if_needed()
    assert in_view(page, page.locator(".week-counter"))
    assert in_view(page, page.get_by_role("button", name="Reset", exact=True))
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Compare: A and B side by side, both on screen at once.
    page.get_by_role("button", name="Compare", exact=True).click()
    shown(page).get_by_role("button", name="Run both").click()
    charts = shown(page).locator(".compare-pair .chart img")
    charts.nth(1).wait_for()
    a, b = charts.nth(0).bounding_box(), charts.nth(1).bounding_box()
    assert abs(a["y"] - b["y"]) < 2 and b["x"] >= a["x"] + a["width"] - 1
    assert font_px(shown(page).locator(".differences td").first) >= 20
    for slider in shown(page).get_by_role("slider").all():
        assert slider.evaluate("s => s.closest('.v-slider').clientWidth") >= 150
    page.get_by_role("button", name="Boundaries", exact=True).click()
    shown(page).get_by_role("button", name="Run the sweep").wait_for()  # the page has switched
    for slider in shown(page).get_by_role("slider").all():
        assert slider.evaluate("s => s.closest('.v-slider').clientWidth") >= 150
    page.get_by_role("button", name="Learn", exact=True).click()
    assert font_px(shown(page).locator(".learn-text p").first) >= 20
    page.get_by_role("switch", name="Projector mode").uncheck(force=True)
    page.locator(".app:not(.projector)").wait_for()
    page.get_by_role("button", name="Compare", exact=True).click()
    shown(page).locator(".compare-pair .chart img").nth(1).wait_for()
    assert shown(page).locator(".compare-pair .chart img").count() == 2
    page.get_by_role("button", name="Explore", exact=True).click()
    page.get_by_text("Week 520 of 520 (finished)").wait_for()


def test_keyboard_skip_link_shortcuts_and_explanations_on_focus(served, offline):
    page = open_dashboard(offline(1366, 768), served)
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to the run controls")
    assert skip.evaluate("e => e === document.activeElement")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.innerText.trim()").upper() == "PLAY"
    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("ArrowRight")
    page.get_by_text("Week 1 of 520").wait_for()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Pause", exact=True).wait_for()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Play", exact=True).wait_for()
    # A setting's meaning shows when its input has the focus, not only on hover.
    panel = page.locator(".param-panel").filter(has_text="Ana (spouse)")
    meaning = panel.locator(".param-input").filter(
        has=page.get_by_role("slider", name=re.compile("^boundary"))).locator(".param-meaning")
    assert not meaning.is_visible()
    panel.get_by_role("slider", name=re.compile("^boundary")).focus()
    meaning.wait_for(state="visible")
    assert "holds their limits" in meaning.inner_text()


def test_phone_layout_keeps_everything_on_screen(served, offline):
    page = open_dashboard(offline(390, 844, touch=True), served)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert in_view(page, page.get_by_role("button", name="Learn", exact=True))
    play = page.get_by_role("button", name="Play", exact=True)
    assert play.bounding_box()["y"] < 2 * 844, play.bounding_box()
    page.get_by_role("button", name="Run to the end").click()
    page.get_by_text("Week 520 of 520 (finished)").wait_for()
    img = shown(page).locator(".chart-phases img")
    page.wait_for_function("() => document.querySelector('.chart-phases img').naturalWidth"
                           " < 450")  # drawn for the phone: type as large as on a laptop
    assert img.evaluate("i => i.clientWidth") >= 340
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    outside = page.evaluate("""[...document.querySelectorAll('.v-btn, .v-input, table, img')]
        .filter(e => e.offsetParent !== null && !e.closest('.table-box'))
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .map(e => e.className + ' ' + e.innerText.slice(0, 40))""")
    assert not outside, outside  # nothing runs off the screen (clipped, so look at each)
    page.get_by_role("button", name="Compare", exact=True).click()
    shown(page).get_by_role("button", name="Run both").click()
    pair = shown(page).locator(".compare-pair .chart img")
    pair.nth(1).wait_for()
    assert pair.nth(1).evaluate("i => i.naturalWidth") < 450
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_boundaries_sweep_shows_progress_cancels_and_runs_to_the_end(served, offline):
    page = open_dashboard(offline(), served)
    page.get_by_role("button", name="Boundaries", exact=True).click()
    slider = shown(page).get_by_role("slider", name=re.compile("^seeds per value"))
    slider.focus()
    page.keyboard.press("End")  # 250 runs: seconds even on all cores, time enough to cancel
    shown(page).get_by_text("250 runs of classroom").wait_for()
    shown(page).get_by_role("button", name="Run the sweep").click()
    page.get_by_text("Running in the background").wait_for()
    assert shown(page).get_by_role("progressbar").count() >= 1
    shown(page).get_by_role("button", name="Cancel").click()
    page.get_by_text("Sweep cancelled.").wait_for()
    for name in ("seeds per value", "values"):
        slider = shown(page).get_by_role("slider", name=re.compile(f"^{name}"))
        slider.focus()
        page.keyboard.press("Home")
    shown(page).get_by_text("4 runs of classroom").wait_for()
    shown(page).get_by_role("button", name="Run the sweep").click()
    page.get_by_text("Sweep finished").wait_for(timeout=120_000)
    assert shown(page).locator(".chart img").count() == 5


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
    seed = load("classroom").seed
    assert picture.value.suggested_filename == f"classroom-seed{seed}-phases.png"
    assert Path(picture.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with page.expect_download() as timeline:  # the button, made at week 0, gives week 520
        page.get_by_role("button", name="Timeline (CSV)").click()
    with open(timeline.value.path(), newline="") as table:
        assert max(int(row["step"]) for row in csv.DictReader(table)) == 520
    on_page = page.locator(".table-box").get_by_role("row", name=re.compile(r"^Ana ")).inner_text()
    done = subprocess.run([sys.executable, "-m", "model", "run", str(scenario), "--seed", str(seed),
                           "--out", str(tmp_path / "out")], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with open(tmp_path / "out" / "outcomes.csv", newline="") as table:
        ana = next(row for row in csv.DictReader(table) if row["name"] == "Ana")
    assert float(ana["boundary"]) == 1.0
    assert f"{float(ana['harm']):.2f}" in on_page.split()


def test_two_sessions_stay_independent_and_a_link_reopens_settings(served, offline):
    first = open_dashboard(offline(), served)
    set_boundary_to_max(first)
    for _ in range(3):
        first.get_by_role("button", name="Step one week").click()
    first.get_by_text("Week 3 of 520").wait_for()
    link = first.locator(".share-link").get_attribute("href")
    second = open_dashboard(offline(), served)
    ana = second.locator(".param-panel").filter(has_text="Ana (spouse)")
    ana.get_by_text("boundary: 0.1").wait_for()
    assert ana.get_by_text("(1 changed)").count() == 0
    second.get_by_role("button", name="Step one week").click()
    second.get_by_text("Week 1 of 520").wait_for()
    assert week(first) == 3
    third = open_dashboard(offline(), served + link)
    third.locator(".param-panel").filter(has_text="Ana (spouse)").get_by_text(
        "(1 changed)").wait_for()


def test_lesson_plan_runs_end_to_end_in_projector_mode(served, offline):
    """docs/teaching/lesson_plan.md step by step at 1366x768 in projector mode.

    What students are asked to check is read from the model at test time (the same preset
    and seed), so the test follows the model when its dynamics change.
    """
    model = RelationshipModel("classroom", rng=load("classroom").seed).run()
    events, outcomes = model.events, model.outcomes()
    page = open_dashboard(offline(1366, 768), served, projector=True)
    # 0-5 Opening: the content note on the Learn page, and the help line on every page.
    page.get_by_role("button", name="Learn", exact=True).click()
    shown(page).get_by_role("button", name="Content note and help").click()
    shown(page).locator(".learn-text").get_by_text("diagnos", exact=False).first.wait_for()
    assert page.locator(".help-line").first.inner_text().startswith("Help:")
    # 5-10 Meet the model: the preset's description and the captioned charts.
    page.get_by_role("button", name="Explore", exact=True).click()
    shown(page).get_by_text("Classroom: one narcissist agent, four partners",
                            exact=False).wait_for()
    assert shown(page).locator(".chart .caption").count() == 6
    # 10-15 Predict.
    choose(page, "Who will be the first to leave of their own accord?", "Dana")
    choose(page, "Whom will the narcissist agent harm most?", "Ana")
    assert not shown(page).locator(".scenario-notes li").count()  # folded: no spoilers
    # 15-22 Observe: pause when a devaluation starts, at the default teaching speed.
    assert shown(page).locator(".speed-select .v-select__selection").inner_text() == "2"
    choose(page, "pause when", "a devaluation starts")
    page.get_by_role("button", name="Play", exact=True).click()
    first = next(e for e in events if e.kind == EventKind.DEVALUATION)
    stopped = page.locator(".stopped-at")
    stopped.wait_for(timeout=60_000)
    assert stopped.inner_text() == f"Paused at week {first.week} (\u25bc devaluation starts): " \
        f"{first.text}"
    assert week(page) == first.week
    # the story, newest first, shows the week's lines; the devaluation is one of them, marked
    lines = shown(page).locator(".event-log li")
    newest = [lines.nth(i).inner_text() for i in range(min(lines.count(), 6))]
    assert f"\u25bc week {first.week}: {first.text}" in newest, newest
    assert all(f"week {first.week}:" in line  # only lines of the same week come before it
               for line in newest[:newest.index(f"\u25bc week {first.week}: {first.text}")])
    for chart in (".chart-phases", ".chart-bond"):
        shown(page).locator(chart).scroll_into_view_if_needed()
        assert in_view(page, stopped), "the pause line scrolled away"
    choose(page, "pause when", "a partner leaves")
    page.get_by_role("button", name="Play", exact=True).click()
    left = next((e for e in events if e.kind == EventKind.LEFT and e.week > first.week), None)
    if left is not None:
        page.get_by_text(f"Paused at week {left.week} (\u25cf the partner leaves): {left.text}"
                         ).wait_for(timeout=90_000)
    for chart in (".chart-harm", ".chart-inner"):
        assert shown(page).locator(f"{chart} img").evaluate("i => i.naturalWidth") >= 900
    shown(page).get_by_role("button", name="Run to the end").click()
    page.get_by_text("Week 520 of 520 (finished)").wait_for()
    table = shown(page).locator(".outcomes-box .table-box")
    assert table.evaluate("t => t.scrollWidth <= t.clientWidth + 1")
    for name in outcomes["name"]:
        assert table.get_by_role("row", name=re.compile(f"^{name} ")).count() == 1
    harmed = str(outcomes.loc[outcomes["harm"].idxmax(), "name"])
    leaver = next((e.who[-1] for e in events if e.kind == EventKind.LEFT), "nobody leaves")
    result = shown(page).locator(".prediction").filter(has_text="you predicted")
    assert result.get_by_role("row", name=re.compile("harm most")).inner_text().split(
        "\t")[-1].startswith(harmed)
    assert result.get_by_role("row", name=re.compile("first to leave")).inner_text().split(
        "\t")[-1].startswith(leaver)
    for notice in load_notices():
        shown(page).locator(".scenario-notes").get_by_text(notice).wait_for()
    # 28-33 What if: Ana's boundary at 0.2 and 0.8, same seed, side by side.
    page.get_by_role("button", name="Compare", exact=True).click()
    inputs = shown(page).locator(".compare-inputs")
    assert "Ana (spouse)" in inputs.inner_text() and "boundary" in inputs.inner_text()
    assert inputs.get_by_text("boundary: 0.2").count() == 1
    assert inputs.get_by_text("boundary: 0.8").count() == 1
    shown(page).get_by_role("button", name="Run both").click()
    shown(page).get_by_text("is the only difference", exact=False).wait_for(timeout=60_000)
    charts = shown(page).locator(".compare-pair .chart img")
    a, b = charts.nth(0).bounding_box(), charts.nth(1).bounding_box()
    assert abs(a["y"] - b["y"]) < 2 and b["x"] > a["x"] + a["width"] - 2
    differences = shown(page).locator(".differences").inner_text()
    for measure in ("harm", "weeks devalued", "exit week", "weeks from exit to healing"):
        assert measure in differences
    # 33-40 Many runs: Ana's boundary from 0.1 to 0.9, 10 values, 10 seeds each.
    page.get_by_role("button", name="Boundaries", exact=True).click()
    sweep = shown(page)
    sweep.get_by_text("lowest boundary: 0.1").wait_for()
    sweep.get_by_text("highest boundary: 0.9").wait_for()
    sweep.get_by_role("slider", name=re.compile("^values")).focus()
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    sweep.get_by_role("slider", name=re.compile("^seeds per value")).focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    sweep.get_by_text("100 runs of classroom").wait_for()
    started = time.monotonic()
    sweep.get_by_role("button", name="Run the sweep").click()
    page.get_by_text("Sweep finished").wait_for(timeout=120_000)
    print(f"\n10-value sweep (100 runs) in the browser: {time.monotonic() - started:.1f} s")
    assert sweep.locator(".chart img").count() == 5
    for caption in ("harm the narcissist agent does", "Rage episodes"):
        sweep.get_by_text(caption, exact=False).first.wait_for()
    # 40-50 Debrief: the evidence, what the model does not show, and the help.
    page.get_by_role("button", name="Learn", exact=True).click()
    shown(page).get_by_role("button", name="Evidence").click()
    shown(page).get_by_text("Where each setting comes from").wait_for()
    shown(page).get_by_role("button", name="What the model does not show").click()
    shown(page).locator(".learn-text").get_by_text(
        "raise the risk of serious violence", exact=False).first.wait_for()
    assert page.locator(".help-line").first.is_visible()


def load_notices() -> list[str]:
    from model.scenario import load

    return list(load("classroom").notice)
