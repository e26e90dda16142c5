"""The safety package and the teaching material: the help-services file, the Learn page's new
sections, and links in the teaching documents."""

from __future__ import annotations

import re
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
        shown = page_text(rc)
        assert "most dangerous time" in shown and "Campbell et al. 2003" in shown, section
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
