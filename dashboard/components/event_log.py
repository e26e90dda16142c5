"""The narrated story of a run, newest first, in a box that scrolls."""

from __future__ import annotations

import html

import solara

from .prose import Prose


@solara.component
def EventLog(lines: list[str], caption: str):
    Prose("#### What happened")
    solara.Text(caption, classes=["caption"])
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines) or \
        "<li>Nothing yet: press Play or Step.</li>"
    solara.HTML(tag="div", unsafe_innerHTML=f"<ul class='event-log'>{items}</ul>",
                classes=["event-log-box"], attributes={"aria-live": "polite"})
