"""The page: a header with the page switcher and projector mode, the content note, the pages.

All user state lives in components (`use_reactive`, `use_state`), so every browser session has
its own; nothing here is module-level reactive state. The four pages stay mounted and only
the chosen one is shown, so switching pages never loses a run in progress.
"""

from __future__ import annotations

import solara

from .components.notice import ContentNotice
from .pages.boundaries import Boundaries
from .pages.compare import Compare
from .pages.explore import Explore
from .pages.learn import Learn
from .settings import Settings
from .texts import TEXTS

PAGES = ("Explore", "Compare", "Boundaries", "Learn")
TITLE = "Boundaries and the idealize-devalue-discard cycle"


@solara.component
def Page():
    settings = solara.use_reactive(Settings())
    current = solara.use_reactive(PAGES[0])
    large = solara.use_reactive(False)

    solara.Title(TITLE)
    solara.Style(TEXTS / "page.css")
    if large.value:
        solara.Style(TEXTS / "projector.css")
    with solara.Column(classes=["app"] + (["projector"] if large.value else []), gap="8px"):
        with solara.Row(classes=["header"], gap="8px",
                        style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.HTML(tag="h1", unsafe_innerHTML=TITLE, classes=["app-title"])
            solara.v.Spacer()
            with solara.Row(gap="4px", classes=["nav"]):
                for name in PAGES:
                    solara.Button(name, on_click=lambda name=name: current.set(name),
                                  color="primary" if current.value == name else None,
                                  outlined=current.value != name, classes=["nav-button"])
            solara.Switch(label="Projector mode", value=large)
        ContentNotice()
        with _shown(current.value == "Explore"):
            Explore(settings.value, on_settings=settings.set, large=large.value)
        with _shown(current.value == "Compare"):
            Compare(settings.value, large=large.value)
        with _shown(current.value == "Boundaries"):
            Boundaries(settings.value, large=large.value)
        with _shown(current.value == "Learn"):
            Learn(settings.value.preset)


def _shown(visible: bool):
    return solara.Div(classes=["page"] + ([] if visible else ["hidden-page"]))
