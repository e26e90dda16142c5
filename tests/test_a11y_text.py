"""The dashboard in words: chart descriptions and tables, the story, names a screen reader hears.

Expected values are read from the model itself (the same preset, seed and settings), so the
tests follow the model when its dynamics change. The browser tests at the end check the same
attributes where a screen reader reads them: in the served page's accessibility tree.
"""

from __future__ import annotations

import re
import time

import ipyvuetify as v
import pytest
import solara

from dashboard.describe import table_weeks
from dashboard.layout import HEADINGS, Page
from dashboard.pages.compare import Compare, contrast
from dashboard.pages.boundaries import Boundaries
from dashboard.pages.explore_live import LIVE
from dashboard.settings import Settings
from dashboard.sweep import OUTCOMES, common_seeds, sweep_setting, sweep_values
from dashboard.tables import event_lines
from model import RelationshipModel, load
from model.parameters import GROUPS
from model.plots.palette import BAND_LABELS, band_array

from test_browser import LOAD_TIMEOUT, offline, open_dashboard, served, shown  # noqa: F401

SEED = load("classroom").seed
WEEK = 12


def number(value: float) -> str:
    """A value rounded as the page shows it (two decimals), written here independently."""
    return f"{float(value):.2f}"


def button(rc, label: str):
    found = [b for b in rc.find(v.Btn).widgets if label in b.children]
    assert len(found) == 1, f"expected one {label!r} button, found {len(found)}"
    return found[0]


def pictures(rc) -> dict[str, str]:
    """Each chart's alt text, by the id of the caption that describes it."""
    return {w.described_by.removesuffix("-caption"): w.description
            for w in rc.find(v.VuetifyTemplate).widgets if hasattr(w, "described_by")}


def html_text(rc) -> str:
    return " ".join(w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets)


def wait_until(condition, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def classroom_at(week: int) -> RelationshipModel:
    model = RelationshipModel("classroom", rng=SEED)
    for _ in range(week):
        model.step()
    return model


# --- Explore: six live charts -------------------------------------------------------------------
def test_each_live_chart_names_this_weeks_values_and_follows_the_week(kernel):
    model = classroom_at(WEEK)
    now = model.timeline()
    now = now[now["step"] == WEEK].sort_values("partner")
    heads = model.supply_timeline()
    heads = heads[heads["step"] == WEEK]
    box, rc = solara.render(Page(), handle_error=False)
    for _ in range(WEEK):
        button(rc, "Step one week").click()
    said = pictures(rc)
    assert set(said) == {f"chart-{kind}" for kind, _ in LIVE}  # the six charts of Explore
    for text in said.values():
        assert f"week {WEEK} of 520" in text, text
    expected = {"wellbeing": ["wellbeing"], "bond": ["commitment", "trauma_bond"],
                "harm": ["harm", "perceived_harm"], "inner": ["illusion", "empathy"]}
    for kind, columns in expected.items():
        for _, row in now.iterrows():
            for column in columns:
                assert f"{number(row[column])}" in said[f"chart-{kind}"].split(row["name"])[1], \
                    (kind, row["name"], column, said[f"chart-{kind}"])
    for name, band, partner in zip(now["name"], band_array(now), model.partners, strict=True):
        assert f"{name} {BAND_LABELS[band]}" in said["chart-phases"]
        assert f"rescue hope {number(partner.rescue)}" in said["chart-inner"].split(name)[1]
    for _, row in heads.iterrows():
        assert (f"{row['name']}: supply {number(row['supply'])}" in said["chart-supply"]
                and f"need {number(row['need'])}" in said["chart-supply"])
    button(rc, "Step one week").click()
    assert all(f"week {WEEK + 1} of 520" in text for text in pictures(rc).values())
    rc.close()


def test_a_live_charts_table_opens_from_its_toggle_with_this_weeks_row(kernel):
    model = classroom_at(WEEK)
    now = model.timeline()
    now = now[now["step"] == WEEK].sort_values("partner")
    box, rc = solara.render(Page(), handle_error=False)
    for _ in range(WEEK):
        button(rc, "Step one week").click()
    toggles = [b for b in rc.find(v.Btn).widgets if "Show as table" in b.children]
    assert len(toggles) == len(LIVE)
    toggle = next(b for b in toggles if b.attributes["aria-controls"] == "chart-wellbeing-table")
    assert toggle.attributes["aria-expanded"] == "false"
    toggle.click()
    assert toggle.attributes["aria-expanded"] == "true"
    (table,) = [w for w in rc.find(solara.widgets.HTML).widgets
                if w.attributes.get("id") == "chart-wellbeing-table"]
    assert "wellbeing, by week</caption>" in table.unsafe_innerHTML
    last_row = table.unsafe_innerHTML.split("<tr>")[-1]
    assert last_row.startswith(f"<td>{WEEK}</td>")
    for value in now["wellbeing"]:
        assert f"<td>{number(value)}</td>" in last_row
    assert table_weeks(WEEK)[-1] == WEEK and len(table_weeks(520)) <= 27
    rc.close()


# --- the story, the status line, the predictions -------------------------------------------------
def test_the_story_keeps_its_first_line_after_a_whole_classroom_run(kernel):
    model = RelationshipModel("classroom", rng=SEED).run()
    first = next(e for e in model.events if e.important)
    lines = event_lines(model.events, limit=len(model.events))
    box, rc = solara.render(Page(), handle_error=False)
    button(rc, "Run to the end").click()
    (log,) = [w for w in rc.find(solara.widgets.HTML).widgets
              if "event-log-box" in w.attributes.get("class", "")]
    assert f"week {first.week}: {first.text}" in log.unsafe_innerHTML
    assert log.unsafe_innerHTML.count("<li>") == len(lines) > 40  # more than the old cap
    assert log.attributes["role"] == "log" and log.attributes["tabindex"] == "0"
    assert log.attributes["aria-label"].startswith(f"What happened: {len(lines)} lines")
    rc.close()


def test_the_status_region_announces_a_pause_and_the_end_not_every_frame(kernel):
    box, rc = solara.render(Page(), handle_error=False)

    def status() -> str:
        (region,) = [w for w in rc.find(solara.widgets.HTML).widgets
                     if "run-status" in w.attributes.get("class", "")]
        assert region.attributes["role"] == "status"
        return region.unsafe_innerHTML

    assert status() == ""
    button(rc, "Step one week").click()
    assert status() == "Paused at week 1."
    button(rc, "Run to the end").click()
    assert status().startswith("The run has ended after 520 weeks.")
    text = " ".join(str(w.children) for w in rc.find(v.Html, class_="caption").widgets)
    assert "The run has ended" in text and "locked while the run is under way" not in text
    rc.close()


# --- names a screen reader hears ----------------------------------------------------------------
def test_the_page_tabs_mark_the_current_page(kernel):
    box, rc = solara.render(Page(), handle_error=False)

    def current() -> list[str]:
        return [b.children[0] for b in rc.find(v.Btn, class_="nav-button").widgets
                if (b.attributes or {}).get("aria-current") == "page"]

    assert current() == ["Explore"]
    button(rc, "Compare").click()
    assert current() == ["Compare"]
    rc.close()


def test_the_boundary_sliders_are_named_with_their_partner(kernel):
    box, rc = solara.render(Page(), handle_error=False)
    names = [s.attributes["aria-label"] for s in rc.find(v.Slider).widgets
             if s.label.startswith("boundary:") and ", run " not in s.attributes["aria-label"]]
    partners = [p["name"] for p in load("classroom").partners]
    assert len(names) == len(partners) == len(set(names)), names
    for name, partner in zip(names, partners, strict=True):
        assert partner in name and name.startswith("boundary: "), name
    more = next(b for b in rc.find(v.Btn).widgets if any("more (" in str(c) for c in b.children))
    assert more.attributes["aria-expanded"] == "false"
    more.click()
    assert more.attributes["aria-expanded"] == "true"
    rc.close()


# --- Compare: two charts, no stale result ---------------------------------------------------------
def test_compare_describes_both_runs_and_puts_an_old_result_away(kernel):
    settings = Settings().with_value("world.weeks", 60)
    boundary = GROUPS["partner"]["boundary"]
    a, b = contrast(boundary, 0.1)
    box, rc = solara.render(Compare(settings), handle_error=False)
    button(rc, "Run both").click()
    wait_until(lambda: "Differences (B - A)" in html_text(rc))
    said = pictures(rc)
    assert set(said) == {"compare-A", "compare-B"}
    for side, value in (("A", a), ("B", b)):
        model = RelationshipModel(scenario=settings.with_value(
            "partners.0.boundary", value).scenario(), rng=settings.seed).run()
        end = model.timeline()
        end = end[end["step"] == end["step"].max()]
        for _, row in end.iterrows():
            assert f"{row['name']} {number(row['wellbeing'])}" in said[f"compare-{side}"]
    rc.find(v.Select, label="which setting").widget.v_model = "no contact"
    assert "Differences (B - A)" not in html_text(rc)
    assert pictures(rc) == {}
    (old,) = rc.find(v.Alert, class_="stale-result").widgets
    assert "press Run both" in str(old.children).replace("Press", "press")
    rc.close()


# --- Boundaries: five charts and a table -------------------------------------------------------
def test_the_sweep_is_described_per_chart_and_shown_as_a_table(kernel):
    settings = Settings().with_value("world.weeks", 60)
    box, rc = solara.render(Boundaries(settings), handle_error=False)
    rc.find(v.Slider, label="seeds per value (N): 8").widget.v_model = 2
    rc.find(v.Slider, label="values: 5").widget.v_model = 2
    button(rc, "Run the sweep").click()
    wait_until(lambda: "Sweep finished" in html_text(rc))
    said = pictures(rc)
    assert set(said) == {f"sweep-{outcome}" for outcome in OUTCOMES}
    boundary = GROUPS["partner"]["boundary"]
    span = boundary.high - boundary.low
    values = sweep_values(boundary.low + 0.1 * span, boundary.high - 0.1 * span, 2, boundary)
    runs = sweep_setting(settings.scenario(), "partners.0.boundary", values,
                         common_seeds(settings.seed, 2), workers=1)
    means = runs.groupby("value")[list(OUTCOMES)].mean()
    (table,) = [w for w in rc.find(solara.widgets.HTML).widgets
                if "sweep-table" in w.attributes.get("class", "")]
    assert "<caption>" in table.unsafe_innerHTML
    for outcome in OUTCOMES:
        low, high = (number(means.at[value, outcome]) if means.at[value, outcome] == means.at[
            value, outcome] else "not known" for value in (values[0], values[-1]))
        assert f"mean {low} at {values[0]:g}" in said[f"sweep-{outcome}"]
        assert f"{high} at {values[-1]:g}" in said[f"sweep-{outcome}"]
        if low != "not known":  # a mean no run has (no one healed in the window) has no cell
            assert f"<td>{low} (" in table.unsafe_innerHTML
        assert ": Ana" in said[f"sweep-{outcome}"]  # whose outcome it is
    rc.close()


def test_a_sweep_of_the_agents_setting_says_whose_outcomes_it_shows(kernel):
    settings = Settings().with_value("world.weeks", 40)
    box, rc = solara.render(Boundaries(settings), handle_error=False)
    rc.find(v.Select, label="whose setting").widget.v_model = "Alex (narcissist)"
    rc.find(v.Slider, label="seeds per value (N): 8").widget.v_model = 2
    rc.find(v.Slider, label="values: 5").widget.v_model = 2
    button(rc, "Run the sweep").click()
    wait_until(lambda: "Sweep finished" in html_text(rc))
    captions = [str(w.children) for w in rc.find(v.Html, class_="caption").widgets]
    assert any("each partner the agent approached (the mean over them)" in c for c in captions)
    assert all("mean of all approached" in text for text in pictures(rc).values())
    rc.close()


# --- in the browser: what a screen reader is given ---------------------------------------------
HEADING_LEVELS = """() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')]
    .filter(h => !h.closest('.hidden-page')).map(h => Number(h.tagName[1]))"""


@pytest.mark.browser
def test_a_screen_reader_gets_language_tabs_headings_and_chart_names(served, offline):  # noqa: F811
    page = open_dashboard(offline(1366, 900), served)
    assert page.evaluate("document.documentElement.lang") == "en"
    for _ in range(5):
        page.get_by_role("button", name="Step one week").click()
    page.get_by_text("Week 5 of 520").wait_for()
    pictures = shown(page).get_by_role("img", name=re.compile("week 5 of 520"))
    pictures.first.wait_for()
    assert pictures.count() == len(LIVE)
    wellbeing = shown(page).locator(".chart-wellbeing img")
    assert wellbeing.get_attribute("alt").startswith("Each partner's wellbeing, week 5 of 520")
    caption = page.locator(f"#{wellbeing.get_attribute('aria-describedby')}")
    assert caption.inner_text().startswith("Watch wellbeing rise")
    toggle = shown(page).locator("[aria-controls=chart-wellbeing-table]")
    assert toggle.text_content().strip() == "Show as table"
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.focus()
    page.keyboard.press("Enter")
    page.locator("#chart-wellbeing-table table caption").wait_for()
    assert toggle.get_attribute("aria-expanded") == "true"
    for name in ("Explore", "Compare", "Boundaries", "Learn"):
        page.get_by_role("button", name=name, exact=True).click()
        shown(page).get_by_role("heading", level=2, name=HEADINGS[name]).wait_for(
            state="attached", timeout=LOAD_TIMEOUT)
        current = page.locator(".nav-button[aria-current=page]")
        assert current.count() == 1 and current.text_content().strip() == name
        sections = ["Glossary", "Content note and help"] if name == "Learn" else [None]
        for section in sections:  # the Learn sections whose documents open with an h1
            if section:
                shown(page).get_by_role("button", name=section, exact=True).click()
                page.wait_for_timeout(1000)
            levels = page.evaluate(HEADING_LEVELS)
            assert levels[:2] == [1, 2] and levels.count(1) == 1, (name, section, levels)
            assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), \
                (name, section, levels)


def test_the_who_is_with_whom_chart_says_who_is_with_whom(kernel):
    # A town (community preset): the picture draws at most a few people; the words name every
    # agent's partners this week and how many people are with no one.
    from dashboard.chart_parts import ChartStyle
    from dashboard.components.network import NetworkChart
    from dashboard.frames import Frame

    week = 60
    model = RelationshipModel("community", rng=1)
    model.run(week)
    timeline, supply = model.timeline(), model.supply_timeline()
    frame = Frame(week=week, weeks=week, running=False, timeline=timeline, supply=supply,
                  events=tuple(model.events), outcomes=None,
                  names=tuple(p.name for p in model.partners))
    box, rc = solara.render(NetworkChart(frame, ChartStyle(), "n.png"), handle_error=False)
    said = pictures(rc)["chart-network"]
    now = timeline[timeline["step"] == week]
    alone = int((now["narcissist"] < 0).sum())
    assert 0 < alone < len(now) and f"{alone} of {len(now)} people are with no one" in said
    for head in model.narcissists:
        mine = now[now["narcissist"] == head.index]
        part = said.split(f"{head.name} with ")[1].split(";")[0]
        assert part == "no one" if mine.empty else \
            all(name in part for name in mine["name"]), (head.name, part)
    rc.close()
