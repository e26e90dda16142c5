"""Class mode in a real browser: one lecturer page and more than forty phone-sized student pages
at once, in one Chromium, on the served app with no internet.

Everyone joins by typing the room code, answers, and sees the lock and the reveal; a late
joiner answers before the lock; a reload keeps the seat; two students leave; the forty left
run a class experiment of forty replicates, whose exported table equals `supply-cycle sweep`
on the exported sweep file. What happened in the run is read from the model at test time. An
axe audit finds nothing serious on a phone's page or on the projector's.

Most of the time goes to opening 42 pages, each a whole Solara front end in its own context:
about 1.5 to 3 minutes on a two-core machine, depending on what else it runs (`-s` prints the
time of each stage).
"""

from __future__ import annotations

import csv
import io
import math
import time

import pytest
from helpers import cli
from serving import DEAD_PROXY, dashboard_offline, offline_env

from dashboard.classroom.experiment import command_line_summary
from dashboard.classroom.questions import questions_for, what_happened
from dashboard.frames import Run
from dashboard.settings import Settings
from model.experiments import read_results

pytestmark = pytest.mark.browser

STUDENTS = 40
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The app cut off from the internet, with no class-mode setting inherited."""
    env = offline_env(unset=("SUPPLY_CYCLE_CLASS", "SUPPLY_CYCLE_HOST"))
    with dashboard_offline(tmp_path_factory, env) as url:
        yield url


def new_page(browser, contexts, viewport, phone=False):
    context = browser.new_context(viewport=viewport, has_touch=phone, is_mobile=phone,
                                  accept_downloads=not phone,
                                  proxy={"server": DEAD_PROXY, "bypass": "127.0.0.1"})
    contexts.append(context)
    page = context.new_page()
    page.set_default_timeout(60_000)
    return page


def join(page, code: str) -> None:
    page.get_by_label("room code").fill(code)
    page.get_by_role("button", name="Join").click()


def serious_problems(page, where: str) -> list[str]:
    """What axe-core (shipped with axe-playwright-python: offline) finds serious or critical."""
    from axe_playwright_python.sync_playwright import Axe

    return [f"{where}: {rule['id']} ({rule['impact']}) at {node['target']}"
            for rule in Axe().run(page).response["violations"]
            if rule["impact"] in ("serious", "critical") for node in rule["nodes"]]


def every(pages, check) -> None:
    """`check(page)` on every page; the waits overlap, since each page updates by itself."""
    for page in pages:
        check(page)


def test_forty_phones_predict_and_run_a_class_experiment_with_the_projector(
        served, browser, tmp_path, capsys):
    started = time.monotonic()
    laps = []

    def lap(what: str) -> None:
        laps.append(f"{what} {time.monotonic() - started:.0f} s")

    settings = Settings()
    questions = questions_for(settings)
    leave, harm, week = questions
    contexts: list = []
    try:
        lecturer = new_page(browser, contexts, {"width": 1366, "height": 900})
        lecturer.goto(served)
        lecturer.get_by_text("Week 0 of 520").wait_for(timeout=90_000)
        lecturer.get_by_role("button", name="Class mode", exact=True).click()
        lecturer.get_by_role("button", name="Open a class session").click()
        code = lecturer.locator(".room-code").inner_text().strip()
        assert lecturer.locator(".join-address").inner_text().endswith("/?join")
        assert lecturer.locator(".join-qr svg").count() == 1
        assert lecturer.get_by_text("Lecturer key:").count() == 0, "hidden until asked"

        students = [new_page(browser, contexts, PHONE, phone=True)
                    for _ in range(STUDENTS + 2)]
        for page in students:
            page.goto(served + "?join", wait_until="commit")
        every(students, lambda p: p.get_by_label("room code").wait_for(timeout=120_000))
        lap("pages open")
        join(students[0], "ZZZZ-ZZZZ")  # a wrong code: one clear line, and a second chance
        students[0].get_by_text("Not joined:", exact=False).wait_for()
        class_ = students[:STUDENTS]
        for page in class_:
            join(page, code.lower())
        every(class_, lambda p: p.get_by_text("Answer before the run starts").wait_for())
        lecturer.get_by_text(f"{STUDENTS} students joined").wait_for()
        lap("joined")
        lecturer.reload()  # the lecturer's tab returns to its session by itself
        lecturer.get_by_text(f"{STUDENTS} students joined").wait_for(timeout=90_000)
        assert lecturer.locator(".room-code").inner_text().strip() == code
        problems = serious_problems(class_[1], "a phone with the questions")
        assert not problems, "\n".join(problems)
        for page in class_:  # the content note and the help line are on every student's page
            assert page.locator(".content-notice").count() == 2
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

        planned = {}
        for i, page in enumerate(class_):
            picks = (leave.options[i % len(leave.options)], harm.options[i // 10], 5 + i)
            planned[i] = picks
            for key, pick in zip(("leave", "harm"), picks, strict=False):
                page.locator(f".question-{key}").get_by_role("radio", name=pick,
                                                             exact=True).dispatch_event("click")
            box = page.locator(".week-answer input")
            box.fill(str(picks[2]))
            box.press("Enter")

        for i, page in enumerate(class_):  # each answer came back counted, on its own page
            for key, said in zip(("leave", "harm", "devalue"),
                                 (*planned[i][:2], f"week {planned[i][2]}"), strict=True):
                page.locator(f".question-{key} .my-answer").get_by_text(
                    f"Your answer: {said} (counted)").wait_for()
        lap("answered")
        late = students[STUDENTS]  # joins after everyone answered, before the lock
        join(late, code)
        late.locator(".question-leave").get_by_role("radio", name=leave.options[0],
                                                    exact=True).dispatch_event("click")
        late.get_by_text(f"Your answer: {leave.options[0]} (counted)").wait_for()
        students[3].reload()  # a reload keeps the seat and its answers
        students[3].get_by_text(f"Your answer: {planned[3][0]} (counted)").wait_for()

        counts = {o: sum(p[0] == o for p in planned.values()) for o in leave.options}
        counts[leave.options[0]] += 1
        alt = "; ".join(f"{o} {counts[o]}" for o in leave.options)
        lecturer.locator(f"img[alt*='{STUDENTS + 1} answers: {alt}.']").wait_for()
        lecturer.get_by_text(f"{STUDENTS} to \"{week.text}\"", exact=False).wait_for()
        assert "students" in lecturer.locator(".answer-status").inner_text()

        lecturer.get_by_role("button", name="Lock the answers").click()
        every(class_ + [late], lambda p: p.get_by_text("Answers are locked").wait_for())
        lap("locked")
        after = students[STUDENTS + 1]  # joins after the lock: can watch, cannot answer
        join(after, code)
        after.get_by_text("Answers are locked").wait_for()
        assert after.locator(".question-leave input[type=radio]").first.is_disabled()

        lecturer.get_by_role("button", name="Run to the end").click()
        lecturer.get_by_text("Week 520 of 520 (finished)").wait_for()
        lecturer.get_by_role("button", name="Show the result to the room").click()
        happened = what_happened(Run(settings).step(10_000), questions)
        lecturer.locator(".reveal-table").get_by_text(happened["leave"]).first.wait_for()
        every(class_ + [late, after], lambda p: p.locator(".reveal-list").wait_for())
        lap("revealed")
        problems = serious_problems(class_[0], "a phone at the reveal") + serious_problems(
            lecturer, "the projector at the reveal")
        assert not problems, "\n".join(problems)
        for i, page in enumerate(class_):
            text = page.locator(".reveal-list").inner_text()
            assert f"You answered\n{planned[i][0]}" in text
            assert f"In the run\n{happened['leave']}" in text
            assert leave.prompt in text
        for page in (late, after):
            page.get_by_role("button", name="Leave the session").click()
            page.get_by_text("Join the class session").wait_for()
        lecturer.get_by_text(f"{STUDENTS} students joined").wait_for()

        lecturer.get_by_text(f"{4 * 10} runs (4 values x 10)").wait_for()
        lecturer.get_by_role("button", name="Start the class experiment").click()
        every(class_, lambda p: p.get_by_role("button", name="Run my part and send it")
              .wait_for())
        for page in class_:
            page.get_by_role("button", name="Run my part and send it").click()
        every(class_, lambda p: p.locator(".my-result").wait_for())
        lecturer.get_by_text(f"{STUDENTS} of {STUDENTS} results have arrived").wait_for()
        lap("experiment")
        seeds = {p.locator(".my-run").inner_text() for p in class_}
        assert len(seeds) == STUDENTS, "each phone ran its own value and seed"

        downloads = {}
        for label in ("Class experiment: table (CSV)", "Sweep file (TOML)",
                      "Answers: counts (CSV)"):
            with lecturer.expect_download() as got:
                lecturer.get_by_role("button", name=label).click()
            downloads[label] = got.value.path().read_text()
        declared = tmp_path / "class-experiment.toml"
        declared.write_text(downloads["Sweep file (TOML)"])
        status, _, err = cli(["sweep", declared, "--out", tmp_path / "cli", "--workers", "1",
                              "--quiet"], capsys)
        assert status == 0, err
        sweep, table = read_results(tmp_path / "cli")
        assert len(sweep.runs()) == STUDENTS
        expected = command_line_summary(table, sweep)
        ours = list(csv.DictReader(io.StringIO(downloads["Class experiment: table (CSV)"])))
        assert len(ours) == len(expected)
        for row, (_, want) in zip(ours, expected.iterrows(), strict=True):
            assert (float(row["value"]), row["outcome"], int(row["runs"])) == (
                want["value"], want["outcome"], want["count"])
            for name in ("mean", "std", "low", "high"):
                got_value = float(row[name]) if row[name] else math.nan
                assert got_value == pytest.approx(want[name], rel=1e-12, nan_ok=True), (
                    row, want)
        answers = list(csv.DictReader(io.StringIO(downloads["Answers: counts (CSV)"])))
        assert sum(int(r["count"]) for r in answers if r["question"] == leave.text) == \
            STUDENTS, "the two who left took their answers with them"

        lecturer.get_by_role("button", name="End the class session").click()
        lecturer.get_by_role("button", name="Yes, end it").click()
        lecturer.get_by_text("The class session has ended").wait_for()
        every(class_, lambda p: p.get_by_text("The class session has ended").wait_for())
        lap("ended")
        print(f"\nclass of {STUDENTS} phones: " + ", ".join(laps))
    finally:
        for context in contexts:
            context.close()
