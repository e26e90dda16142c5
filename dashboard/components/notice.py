"""The short content note every page carries, and the scenario's things to notice as a list.

Each thing to notice is shown with its source label, derived from the mechanisms it rests on
(model/mechanisms.py), so a claim read out in class says where it comes from.
"""

from __future__ import annotations

import solara

from .prose import Prose

from ..texts import text


def notices_markdown(notices) -> str:
    """A Markdown list of things to notice, each followed by its source label when it has one."""
    return "\n".join(f"- {n}" + (f" *Source: {n.label}.*" if getattr(n, "label", "") else "")
                     for n in notices)


@solara.component
def ContentNotice():
    with solara.Div(classes=["content-notice"]):
        Prose(text("notice"))
