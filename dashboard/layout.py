"""The page: a header with the page switcher and projector mode, the content note, the pages.

All user state lives in components (`use_reactive`, `use_state`), so every browser session has
its own; nothing here is module-level reactive state. The four pages stay mounted and only
the chosen one is shown, so switching pages never loses a run in progress.

Projector mode is a presentation switch only: it changes a style sheet, a class and the size
charts are drawn at, never the shape of the component tree, so a run, its predictions and the
Compare and Boundaries results all survive it (reacton matches children by position, so an
element that appeared only in projector mode would remount everything after it).

For screen readers: the document's language is set (`DocumentLanguage`), the page switcher
marks the page shown (`aria-current="page"`), and each page opens with a heading of its own
(h2, seen only by screen readers: the switcher shows sighted users where they are) under the
one h1, so that headings go h1, h2, h3 without a jump.

Class mode (dashboard/classroom/) hooks in twice: students' devices open `/?join`, which
shows only the student's page (`StudentPage`); on the lecturer's page "Class mode" is a fifth
place in the page switcher (where `supply-cycle dashboard --class` opens), mounted the first
time it is chosen and kept from then on like the other pages, so switching to Explore and back
never loses a class session.
"""

from __future__ import annotations

from pathlib import Path

import solara

from .classroom import class_mode_at_start, join_code
from .classroom.lecturer import ClassLecturer
from .classroom.student import StudentPage
from .classroom.views import HERE as CLASSROOM
from .components.chart_table import SCREEN_READER_ONLY
from .components.help_line import HelpLine
from .components.keys import NARROW, SelectRoles, WindowWidth
from .components.notice import ContentNotice
from .pages.boundaries import Boundaries
from .pages.compare import Compare
from .pages.explore import Explore
from .pages.learn import Learn
from .share import settings_from_query
from .texts import TEXTS

PAGES = ("Explore", "Compare", "Boundaries", "Learn", "Class mode")
TITLE = (
    "Idealize, devalue, discard: a model of the harm one person does, and of what protects "
    "partners")
HEADINGS = {"Explore": "Explore: a run week by week", "Compare": "Compare: what if",
            "Boundaries": "Boundaries: one setting over a range", "Learn": "Learn",
            "Class mode": "Class mode: predict and run together"}
LANGUAGE = "en"


@solara.component_vue(str(Path(__file__).parent / "components" / "language.vue"))
def DocumentLanguage(lang: str):
    """Sets the language of the whole document (language.vue)."""


@solara.component
def Page():
    """A student's class-mode page at `/?join`; the dashboard everywhere else."""
    router = solara.use_router()
    code = join_code(router.search)
    if code is not None:
        DocumentLanguage(lang=LANGUAGE)
        StudentPage(code)
    else:
        Dashboard()


@solara.component
def Dashboard():
    router = solara.use_router()
    initial, problem = solara.use_memo(lambda: settings_from_query(router.search or ""),
                                       dependencies=[])
    settings = solara.use_reactive(initial)
    current = solara.use_reactive("Class mode" if class_mode_at_start(router.search)
                                  else PAGES[0])
    large = solara.use_reactive(False)
    branch = solara.use_reactive(None)
    narrow = solara.use_reactive(False)

    def resize(width) -> None:
        narrow.set(isinstance(width, (int, float)) and width < NARROW)

    def open_branch(run, week: int) -> None:
        """Explore's "What if, from week k": Compare, starting from the run's week k."""
        branch.set((run.settings, week))
        current.set("Compare")

    solara.Title(TITLE)
    solara.Style(TEXTS / "page.css")
    solara.Style((TEXTS / "projector.css") if large.value else "")
    solara.Style(CLASSROOM / "class.css")
    with solara.Column(classes=["app"] + (["projector"] if large.value else []), gap="8px"):
        WindowWidth(event_resize=resize)
        SelectRoles()
        DocumentLanguage(lang=LANGUAGE)
        solara.HTML(tag="a", unsafe_innerHTML="Skip to the run controls",
                    attributes={"href": "#run-controls"}, classes=["skip-link"])
        with solara.Row(classes=["header"], gap="8px",
                        style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.HTML(tag="h1", unsafe_innerHTML=TITLE, classes=["app-title"])
            solara.v.Spacer()
            with solara.Row(gap="4px", classes=["nav"], style={"flex-wrap": "wrap"}):
                for name in PAGES:
                    solara.Button(name, on_click=lambda name=name: current.set(name),
                                  color="primary" if current.value == name else None,
                                  outlined=current.value != name, classes=["nav-button"],
                                  attributes={"aria-current": "page"}
                                  if current.value == name else {})
            solara.Switch(label="Projector mode", value=large, classes=["projector-switch"])
        ContentNotice()
        HelpLine()
        if problem:
            solara.Warning(problem, classes=["input-error"])
        with _shown(current.value == "Explore"):
            _heading("Explore")
            Explore(settings.value, on_settings=settings.set, large=large.value,
                    on_branch=open_branch, narrow=narrow.value)
        with _shown(current.value == "Compare"):
            _heading("Compare")
            Compare(settings.value, large=large.value, branch=branch.value,
                    narrow=narrow.value)
        with _shown(current.value == "Boundaries"):
            _heading("Boundaries")
            Boundaries(settings.value, large=large.value, narrow=narrow.value)
        with _shown(current.value == "Learn"):
            _heading("Learn")
            Learn(settings.value.preset)
        with _shown(current.value == "Class mode"):
            _heading("Class mode")
            ClassMount(current.value == "Class mode", large.value, narrow.value)


@solara.component
def ClassMount(shown: bool, large: bool, narrow: bool):
    """The class session, mounted the first time its page is chosen and kept from then on
    (a dashboard that is never used for a class opens no class-mode component at all)."""
    started = solara.use_ref(False)
    started.current = started.current or shown
    if started.current:
        ClassLecturer(large=large, narrow=narrow)


def _heading(page: str):
    solara.HTML(tag="h2", unsafe_innerHTML=HEADINGS[page], style=SCREEN_READER_ONLY,
                classes=["page-heading"])


def _shown(visible: bool):
    return solara.Div(classes=["page"] + ([] if visible else ["hidden-page"]))
