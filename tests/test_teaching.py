"""The safety package and the teaching material: the help-services file, the Learn page's new
sections, and links in the teaching documents."""

from __future__ import annotations

import re
import time
from pathlib import Path

import ipyvuetify as v
import pytest
import solara
import solara.server.kernel
import solara.server.kernel_context

from dashboard import help_services
from dashboard.layout import Page
from dashboard.pages.learn import INFO_DOCS, SECTIONS, Learn
from model.parameters import ParameterError

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

LOCAL = """
placeholder = false
intro = "Our campus services, all free for students."

[[service]]
name = "Riverside Student Wellbeing"
what = "Counsellors for any student, same-week appointments."
contact = "Building C, room 12, or https://wellbeing.example.edu"
hours = "Mon-Fri 9-17"

[[service]]
name = "City Domestic Abuse Line"
what = "Confidential advice and safety planning."
contact = "0800 000 000"
"""



@pytest.fixture()
def help_file(tmp_path, monkeypatch):
    """A lecturer's own help file, chosen the way a lecturer would: the environment variable."""
    def write(text: str) -> Path:
        path = tmp_path / "help_services.toml"
        path.write_text(text, encoding="utf-8")
        monkeypatch.setenv(help_services.ENV, str(path))
        return path
    return write


def page_text(rc) -> str:
    return " ".join(w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets)


def button(rc, label: str):
    found = [b for b in rc.find(v.Btn).widgets if label in b.children]
    assert len(found) == 1, f"expected one {label!r} button, found {len(found)}"
    return found[0]


# --- the help-services file ----------------------------------------------------------------------
def test_the_shipped_file_parses_and_says_it_is_a_placeholder():
    shipped = help_services.load(help_services.FILE)
    assert shipped.placeholder and len(shipped.services) >= 3
    assert all(s.name and s.what and s.contact for s in shipped.services)


def test_the_docs_content_note_shows_the_shipped_file():
    note = (DOCS / "content_note.md").read_text(encoding="utf-8")
    block = note.split(help_services.START, 1)[1].split(help_services.END, 1)[0]
    assert block.strip() == help_services.markdown(help_services.load(help_services.FILE)), (
        "run: python -m dashboard.help_services --write-docs")


def test_a_lecturers_services_reach_the_learn_page_and_every_page_top(kernel, help_file):
    help_file(LOCAL)
    box, rc = solara.render(Learn(), handle_error=False)
    button(rc, "Content note and help").click()
    shown = page_text(rc)
    for expected in ("Riverside Student Wellbeing", "City Domestic Abuse Line", "0800 000 000",
                     "Mon-Fri 9-17", 'href="https://wellbeing.example.edu"',
                     "Our campus services"):
        assert expected in shown
    assert "generic pointers" not in shown  # placeholder = false: no placeholder remark
    rc.close()

    box, rc = solara.render(Page(), handle_error=False)
    top = page_text(rc)
    assert "Riverside Student Wellbeing" in top and "wellbeing.example.edu" in top
    rc.close()


def test_the_placeholder_remark_shows_while_the_file_is_generic(kernel):
    box, rc = solara.render(Learn(), handle_error=False)
    button(rc, "Content note and help").click()
    assert "A lecturer replaces them" in page_text(rc)
    rc.close()


BROKEN = [
    ("colour = 'red'\n[[service]]\nname='a'\nwhat='b'\ncontact='c'\n",
     ["help_services.toml", "'colour'", "placeholder", "intro", "[[service]]"]),
    ("[[service]]\nname='a'\nwhat='b'\n",
     ["help_services.toml", "service 1", "'contact'", "name, what and contact"]),
    ("[[service]]\nname='a'\nwhat='b'\ncontact='c'\n[[service]]\nname='d'\nwhat='e'\n"
     "contact=5\n", ["help_services.toml", "service 2", "'contact'", "5", "text"]),
    ("[[service]]\nname='a'\nwhat='b'\ncontact='c'\nphone='1'\n",
     ["help_services.toml", "service 1", "'phone'", "hours"]),
    ("placeholder = 'yes'\n[[service]]\nname='a'\nwhat='b'\ncontact='c'\n",
     ["help_services.toml", "'placeholder'", "'yes'", "true or false"]),
    ("placeholder = false\n", ["help_services.toml", "'service'", "[[service]]"]),
    ("[[service]]\nname='a'\nwhat='" + "x" * 400 + "'\ncontact='c'\n",
     ["help_services.toml", "service 1", "'what'", "400", "300"]),
    ("[[service]\nname='a'\n", ["help_services.toml", "TOML"]),
]


@pytest.mark.parametrize("text, words", BROKEN)
def test_a_broken_file_gives_one_message_naming_the_file_the_key_and_the_rule(help_file, text,
                                                                             words):
    path = help_file(text)
    with pytest.raises(ParameterError) as err:
        help_services.load(path)
    message = str(err.value)
    assert "\n" not in message
    for word in words:
        assert word in message, (word, message)


def test_a_missing_file_is_named_too(tmp_path):
    with pytest.raises(ParameterError, match="help_services.toml"):
        help_services.load(tmp_path / "help_services.toml")


def test_a_broken_file_still_starts_the_dashboard_with_the_generic_pointers_and_a_notice(
        kernel, help_file):
    help_file("[[service]]\nname='Campus line'\nwhat='b'\n")
    box, rc = solara.render(Page(), handle_error=False)
    top = page_text(rc)
    assert "could not be used" in top and "Emergency services" in top
    assert any("help-line-problem" in (w.class_ or "") for w in rc.find(v.Html).widgets)
    rc.close()

    box, rc = solara.render(Learn(), handle_error=False)
    button(rc, "Content note and help").click()
    shown = page_text(rc)
    assert "could not be used" in shown and "'contact'" in shown
    for service in help_services.GENERIC.services:
        assert service.name in shown
    rc.close()


def test_lecturer_text_is_shown_as_text_not_markup(help_file):
    help_file("[[service]]\nname='<script>x</script> *bold*'\nwhat='[link](http://a.b)'\n"
              "contact='c'\n")
    shown = help_services.markdown(help_services.current())
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    assert "\\*bold\\*" in shown and "\\[link\\]" in shown


def test_the_command_line_check_fails_with_status_2_on_a_broken_file(help_file, capsys):
    help_file("[[service]]\nname='a'\n")
    assert help_services.main(["--check"]) == 2
    assert "help_services.toml" in capsys.readouterr().err


# --- the Learn page ---------------------------------------------------------------------------
def test_learn_shows_the_new_sections_from_their_documents(kernel):
    assert {"What the model does not show", "Extending the model", "Related models",
            "Credits and references"} <= set(SECTIONS)
    box, rc = solara.render(Learn(), handle_error=False)
    for section, name in INFO_DOCS.items():
        button(rc, section).click()
        heading = next(line[2:] for line in (DOCS / f"{name}.md").read_text(
            encoding="utf-8").splitlines() if line.startswith("# "))
        assert heading in page_text(rc), section
    rc.close()


def test_separation_danger_is_beside_leaving_on_what_students_read(kernel):
    box, rc = solara.render(Learn(), handle_error=False)
    for section in ("What the model does not show", "Content note and help"):
        button(rc, section).click()
        shown = " ".join(page_text(rc).split())
        assert "raise the risk" in shown and "Campbell et al. 2003" in shown, section
    rc.close()


# --- the teaching documents ---------------------------------------------------------------------
TEACHING = sorted((DOCS / "teaching").glob("*.md"))
TEACHING_FILES = sorted(p for p in (DOCS / "teaching").iterdir() if p.suffix in (".md", ".py"))
NEW_DOCS = [DOCS / f"{name}.md" for name in INFO_DOCS.values()] + [DOCS / "content_note.md"]


@pytest.mark.parametrize("path", TEACHING + NEW_DOCS, ids=lambda p: p.name)
def test_every_link_resolves_to_a_file_in_the_repository(path):
    text = path.read_text(encoding="utf-8")
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    for link in links:
        if link.startswith(("http://", "https://", "mailto:")):
            continue
        target = (path.parent / link.split("#", 1)[0]).resolve()
        assert target.exists(), f"{path.name}: link {link!r} leads nowhere"
        assert ROOT in target.parents or target == ROOT, f"{path.name}: {link!r} leaves the repo"


def test_the_teaching_index_links_every_teaching_document():
    index = (DOCS / "teaching" / "README.md").read_text(encoding="utf-8")
    for path in TEACHING_FILES:
        if path.name != "README.md":
            assert f"({path.name})" in index, path.name


def test_the_lesson_plan_invites_no_personal_disclosure():
    plan = (DOCS / "teaching" / "lesson_plan.md").read_text(encoding="utf-8").lower()
    assert "including our own" not in plan
    for needed in ("advance notice", "alternative task", "disclos", "reporting", "debrief"):
        assert needed in plan, needed


def test_the_alternative_task_runs_and_repeats_with_its_seed():
    import subprocess
    import sys

    script = DOCS / "teaching" / "alternative_task.py"
    runs = [subprocess.run([sys.executable, str(script), "20", "3"], capture_output=True,
                           text=True, timeout=120, cwd=ROOT) for _ in range(2)]
    assert runs[0].returncode == 0, runs[0].stderr
    assert runs[0].stdout == runs[1].stdout and runs[0].stdout.count("Gini") == 10
    bad = subprocess.run([sys.executable, str(script), "many"], capture_output=True, text=True,
                         timeout=60, cwd=ROOT)
    assert bad.returncode == 2 and "usage" in bad.stderr


@pytest.mark.slow
def test_the_answer_key_states_what_the_model_gives_now():
    import runpy

    measured = runpy.run_path(str(DOCS / "teaching" / "answer_key_numbers.py"))["sentences"]()
    key = " ".join((DOCS / "teaching" / "answer_key.md").read_text(encoding="utf-8").split())
    stale = [sentence for sentence in measured if sentence not in key]
    assert not stale, "answer_key.md is out of date; run docs/teaching/answer_key_numbers.py"


# --- the alternative task: on the Learn page, no set-up, no relationship content ---------------
RELATIONSHIP_WORDS = ("abuse", "narcissis", "partner", "relationship", "harm", "rage",
                      "devalu", "idealiz", "discard", "hoover", "boundar", "trauma", "spouse",
                      "victim", "violence", "Alex", "Ana ", "Dana")


def test_the_alternative_task_on_the_page_gives_the_scripts_numbers():
    import runpy
    import statistics

    from dashboard.pages.alternative_task import crowd, run_table, sweep_rows

    script = runpy.run_path(str(DOCS / "teaching" / "alternative_task.py"))
    for people, seed in ((20, 3), (100, 2)):
        assert crowd(people, seed)[0] == script["gini_after"](people, seed)
    table, summary = run_table(20, 3)
    trace = script["gini_after"](20, 3)
    assert list(table["Gini"]) == [f"{trace[s - 1]:.3f}" for s in range(20, 201, 20)]
    assert summary.startswith("20 people, seed 3, step 200: everyone started with 1 coin")
    rows = sweep_rows(5, sizes=(10,), seeds=4)
    values = [script["gini_after"](10, 5 + k)[-1] for k in range(4)]
    mean, half = statistics.mean(values), 1.96 * statistics.stdev(values) / 2
    assert rows.iloc[0].to_dict() == {"people": 10, "mean Gini at step 200": f"{mean:.3f}",
                                      "95% interval": f"{mean - half:.3f} to {mean + half:.3f}",
                                      "seeds": "5 to 8"}


def test_the_alternative_task_shows_no_relationship_content():
    from dashboard.texts import text

    task = text("alternative_task")
    found = [w for w in RELATIONSHIP_WORDS if w.lower() in task.lower()]
    assert not found, f"the alternative task's text mentions {found}"


def test_the_alternative_task_runs_on_the_learn_page(kernel):
    from dashboard.pages.learn import ALTERNATIVE

    assert ALTERNATIVE in SECTIONS
    box, rc = solara.render(Learn(), handle_error=False)
    button(rc, ALTERNATIVE).click()
    shown = page_text(rc)
    assert "wealth model" in shown
    assert not [w for w in RELATIONSHIP_WORDS if w.lower() in shown.lower()]
    for label, typed in (("people in the crowd", "20"), ("seed", "3")):
        box = rc.find(v.TextField, label=label).widget
        box.v_model = typed
        box.fire_event("focusout", None)  # the box applies what was typed when left
    button(rc, "Run one crowd").click()
    deadline = time.monotonic() + 60  # the run is a background task
    while "<td>200</td>" not in page_text(rc) and time.monotonic() < deadline:
        time.sleep(0.1)
    shown = page_text(rc)
    assert "20 people, seed 3, step 200" in shown and "<td>200</td>" in shown
    box = rc.find(v.TextField, label="people in the crowd").widget
    box.v_model = "1"
    box.fire_event("focusout", None)
    assert "Not applied: people = '1' is not allowed" in " ".join(
        str(w.children) for w in rc.find(v.Alert).widgets)
    assert button(rc, "Run one crowd").disabled
    rc.close()


def test_the_rubric_marks_the_alternative_task_on_equal_terms():
    rubric = (DOCS / "teaching" / "rubric.md").read_text(encoding="utf-8")
    main, alternative = rubric.split("## The alternative task", 1)
    criteria = lambda part: re.findall(r"^\| \*\*(\d)\. ", part, flags=re.M)  # noqa: E731
    assert criteria(main) == criteria(alternative) == list("1234567")
    for row in alternative.splitlines():
        if row.startswith("| **"):
            cells = [c.strip() for c in row.strip("|").split("|")]
            assert len(cells) == 5 and all(cells), row  # a descriptor for every mark
            assert not [w for w in RELATIONSHIP_WORDS if w.lower() in row.lower()], row


# --- the lesson fits 50 minutes, and its demonstrations hold at its seed -----------------------
PLANS = [DOCS / "teaching" / "lesson_plan.md", DOCS / "teaching" / "lesson_plan_class_mode.md"]
LESSON = 50
SLACK = 5


def plan_rows(path: Path) -> list[tuple[int, int, int, str, str]]:
    """The rows of a plan's timed table: start, end, minutes, step, what happens."""
    text = path.read_text(encoding="utf-8").split("## Plan", 1)[1]
    rows = []
    for line in text.splitlines():
        found = re.match(r"^\| (\d+)-(\d+) \| (\d+) \| ([^|]+) \| (.+) \|$", line)
        if found:
            start, end, minutes = (int(found[i]) for i in (1, 2, 3))
            rows.append((start, end, minutes, found[4].strip(), found[5]))
    return rows


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_the_lesson_fits_50_minutes_with_slack_for_a_distressed_student(path):
    rows = plan_rows(path)
    assert rows, f"{path.name}: no timed table found"
    assert rows[0][0] == 0 and rows[-1][1] == LESSON
    for (start, end, minutes, step, _), following in zip(rows, rows[1:] + [None], strict=True):
        assert end - start == minutes, f"{path.name}: {step} is {start}-{end} but says {minutes}"
        if following is not None:
            assert following[0] == end, f"{path.name}: a gap or overlap after {step}"
    slack = [r for r in rows if r[3] == "Slack"]
    assert len(slack) == 1 and slack[0][2] >= SLACK, f"{path.name}: no {SLACK} minutes of slack"
    timed = sum(r[2] for r in rows if r[3] != "Slack")
    assert timed <= LESSON - SLACK, f"{path.name}: the timed parts take {timed} minutes"
    for _, _, _, step, what in rows:
        if step != "Slack":  # the slack may say what could fill it; the timed parts may not
            assert "optional" not in what.lower(), f"{path.name}: {step} hides an optional part"


@pytest.mark.parametrize("path", PLANS, ids=lambda p: p.name)
def test_optional_parts_are_marked_and_kept_out_of_the_timed_minutes(path):
    text = path.read_text(encoding="utf-8")
    items = [line for line in text.splitlines()
             if line.lstrip("- ").startswith("*(optional")]
    assert items, f"{path.name}: no part is marked optional"
    for line in items:  # each optional part says it is optional, and how long it takes
        assert re.match(r"^(- )?\*\(optional, \d+ minutes?\)\*", line), line


def test_the_debrief_adds_up_to_its_row():
    plan = (DOCS / "teaching" / "lesson_plan.md").read_text(encoding="utf-8")
    (row,) = [r for r in plan_rows(DOCS / "teaching" / "lesson_plan.md") if r[3] == "Debrief"]
    section = plan.split("## Debrief (", 1)[1].split("\n## ", 1)[0]
    assert section.startswith(f"{row[2]} minutes)")
    parts = [int(m) for m in re.findall(r"\((\d+) min", section)]
    assert len(parts) == 5 and sum(parts) == row[2], parts


def lesson_numbers():
    import runpy

    return runpy.run_path(str(DOCS / "teaching" / "answer_key_numbers.py"))


def test_the_plan_names_the_seed_the_page_opens_on_or_says_to_type_it():
    from model.scenario import load

    numbers = lesson_numbers()
    plan = (DOCS / "teaching" / "lesson_plan.md").read_text(encoding="utf-8")
    seed = numbers["LESSON_SEED"]
    assert f"**seed {seed}**" in plan and f"At seed {seed}:" in plan
    opens_on = load("classroom").seed
    assert seed == opens_on or f"type {seed}" in plan, (
        f"the page opens on seed {opens_on}; the plan uses {seed} without saying to type it")
    assert "one run is one story" in plan.lower() and "average" in plan


def test_every_demonstration_of_the_plan_holds_at_its_seed_with_its_numbers_quoted():
    """Each scripted step's point shows at the plan's seed, and the numbers the plan and the
    answer key quote for it are what the model gives there now (a few seconds: one seed)."""
    numbers = lesson_numbers()
    demos = numbers["demonstrations"](numbers["LESSON_SEED"])
    failed = [d.step for d in demos if not d.holds]
    assert not failed, f"at seed {numbers['LESSON_SEED']} these do not show their point: {failed}"
    plan = " ".join((DOCS / "teaching" / "lesson_plan.md").read_text(encoding="utf-8").split())
    key = " ".join((DOCS / "teaching" / "answer_key.md").read_text(encoding="utf-8").split())
    for demo in demos:
        assert demo.shows in plan, f"lesson_plan.md: {demo.step}: {demo.shows}"
        assert demo.shows in key, f"answer_key.md: {demo.step}: {demo.shows}"
