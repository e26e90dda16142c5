"""The short content note every page carries (the full one is on the Learn page)."""

from __future__ import annotations

import solara

from .prose import Prose

from ..texts import text


@solara.component
def ContentNotice():
    with solara.Div(classes=["content-notice"]):
        Prose(text("notice"))
