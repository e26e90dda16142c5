"""Take the documentation's screenshots of every page (docs/img/dashboard-*.png).

Not a test: run it against a served dashboard when the page changes,

    .venv/bin/solara run app.py --port 8765 --production --no-open --no-check-version &
    .venv/bin/python tests/screenshots.py http://127.0.0.1:8765/

It uses Debian's Chromium, like the browser tests: 1920x1080 in projector mode, and a 390 px
phone. Each page is shown in a state worth seeing (a run paused at an event, a comparison,
a finished sweep).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "docs" / "img"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
SIZES = {"projector-1920": (1920, 1080, True), "phone-390": (390, 844, False)}


def shown(page):
    return page.locator(".page:not(.hidden-page)")


def choose(page, select: str, option: str) -> None:
    shown(page).locator(f".v-select:has(label:text-is('{select}'))").first.click()
    page.locator(".menuable__content__active").get_by_role(
        "option", name=option, exact=True).click()


def pages(page, name: str) -> None:
    shot = lambda which: page.screenshot(path=OUT / f"dashboard-{which}-{name}.png")  # noqa
    choose(page, "pause when", "a devaluation starts")
    choose(page, "speed (weeks per second)", "20")
    page.get_by_role("button", name="Play", exact=True).click()
    page.locator(".stopped-at").wait_for(timeout=60_000)
    time.sleep(1.0)
    shown(page).locator(".chart-phases").scroll_into_view_if_needed()
    time.sleep(0.5)
    shot("explore")
    page.get_by_role("button", name="Run to the end").click()
    page.get_by_text("Week 520 of 520 (finished)").wait_for()
    shown(page).locator(".outcomes-box").scroll_into_view_if_needed()
    time.sleep(1.0)
    shot("explore-outcomes")
    page.get_by_role("button", name="Compare", exact=True).click()
    shown(page).get_by_role("button", name="Run both").click()
    shown(page).locator(".compare-pair .chart img").nth(1).wait_for(timeout=60_000)
    shown(page).locator(".compare-pair").scroll_into_view_if_needed()
    time.sleep(1.0)
    shot("compare")
    page.get_by_role("button", name="Boundaries", exact=True).click()
    shown(page).get_by_role("button", name="Run the sweep").click()
    page.get_by_text("Sweep finished").wait_for(timeout=120_000)
    shown(page).locator(".chart").first.scroll_into_view_if_needed()
    time.sleep(1.0)
    shot("boundaries")
    page.get_by_role("button", name="Learn", exact=True).click()
    page.evaluate("window.scrollTo(0, 0)")
    time.sleep(1.0)
    shot("learn")


def main(url: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, (width, height, projector) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(url)
            page.get_by_text("Week 0 of 520").wait_for(timeout=60_000)
            if projector:
                page.get_by_role("switch", name="Projector mode").check(force=True)
                page.locator(".app.projector").wait_for()
            pages(page, name)
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8765/")
