"""The short content note every page carries, and the scenario's things to notice as a list.

Each thing to notice is shown with its source label, derived from the mechanisms it rests on
(model/mechanisms.py), so a claim read out in class says where it comes from.
"""

from __future__ import annotations

import solara

from .prose import Prose

from ..texts import text


BUILT_IN = ("Built into the model's rules: seeing it confirms an assumption; it is not a "
            "discovery.")


def notices_markdown(notices) -> str:
    """A Markdown list of things to notice, each followed by its source label when it has one,
    and by a warning when the result is built into the rules rather than emerging from them."""
    return "\n".join(f"- {n}" + _label(n) for n in notices)


def _label(notice) -> str:
    if not getattr(notice, "label", ""):
        return ""
    return f" *Source: {notice.label}.*" + (f" *{BUILT_IN}*" if notice.built_in else "")


@solara.component
def ContentNotice():
    with solara.Div(classes=["content-notice"]):
        Prose(text("notice"))
