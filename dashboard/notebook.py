"""The Explore page in a Jupyter notebook: make `ExplorePage()` the last line of a cell.

In the app the page layout (`layout.Page`) holds the session's settings and brings the style
sheet; a notebook cell has neither, and without the sheet every setting's explanation shows at
once and the tables lose their rules. This component holds its own settings and adds the same
sheet (`dashboard/texts/page.css`), so the page looks and behaves as it does in the browser.
Compare, Boundaries and Learn stay in the app (docs/dashboard.md).

`SolaraVizModel` is the model in the form Mesa's own SolaraViz can rebuild (docs/dashboard.md).
Importing this module also stops Solara's calls home from the notebook's kernel, as the app
does (`dashboard.privacy`): the first component a notebook shows would otherwise embed a hidden
solara.dev page, look up the machine's public address and send usage statistics.
"""

from __future__ import annotations

from typing import Any

import solara

from model import RelationshipModel

from .pages.explore import Explore
from .privacy import make_private
from .settings import DEFAULT_PRESET, Settings
from .texts import TEXTS


make_private()  # before any component is shown: see the module's docstring


def starting_settings(preset: str = DEFAULT_PRESET, seed: int | None = None) -> Settings:
    """The preset on its own seed, or on `seed`; a wrong name or seed raises ParameterError
    with one line naming the value and what is allowed, as the page's own inputs do."""
    settings = Settings().with_preset(preset)
    return settings if seed is None else settings.with_seed(seed)


@solara.component
def ExplorePage(preset: str = DEFAULT_PRESET, seed: int | None = None):
    """Explore, starting from `preset` on its own seed (or on `seed`)."""
    initial = solara.use_memo(lambda: starting_settings(preset, seed),
                              dependencies=[preset, seed])
    settings = solara.use_reactive(initial)
    solara.Style(TEXTS / "page.css")
    with solara.Column(classes=["app"]), solara.Div(classes=["page"]):
        Explore(settings.value, on_settings=settings.set)


class SolaraVizModel(RelationshipModel):
    """RelationshipModel with the preset named `preset`, for Mesa's SolaraViz.

    Mesa 3.5 gives every model a `scenario` of its own (mesa.experimental.scenarios), and
    SolaraViz's Reset passes that object back as the `scenario` argument, where this model
    expects a preset: the rebuilt model would fail. Here the preset has another name and
    Mesa's object is accepted and left unused, so Reset applies the sliders' values.
    """

    def __init__(self, preset: str = DEFAULT_PRESET, rng: Any = None, scenario: Any = None,
                 **overrides: Any) -> None:
        super().__init__(preset, rng=rng, **overrides)
