"""The narrated story of a run, newest first, in a box that scrolls.

The story keeps every line from week 0 on: the box scrolls (and takes the keyboard focus, so
that it scrolls from the keyboard too) and says how many lines it holds. It is a log for
assistive technology, but not a live one: the page redraws its whole text with every frame,
which a live region would read out in full each time; the run's pauses and its end are
announced by the run's status line instead (`explore_live.RunStatus`).
"""

from __future__ import annotations

import html

import solara

from .prose import Prose


def count_line(lines: list[str]) -> str:
    """How many lines the story holds, and where the earliest are."""
    if not lines:
        return "No lines yet."
    return (f"{len(lines)} line{'s' if len(lines) != 1 else ''}, newest first; scroll the box "
            "for the earliest." if len(lines) > 1 else "1 line.")


@solara.component
def EventLog(lines: list[str], caption: str):
    Prose("### What happened")
    solara.Text(caption, classes=["caption"])
    items = "".join(f"<li>{html.escape(line)}</li>" for line in lines) or \
        "<li>Nothing yet: press Play or Step.</li>"
    counted = count_line(lines)
    solara.Text(counted, classes=["caption", "event-log-count"])
    solara.HTML(tag="div", unsafe_innerHTML=f"<ul class='event-log'>{items}</ul>",
                classes=["event-log-box"],
                attributes={"role": "log", "aria-live": "off", "tabindex": "0",
                            "aria-label": f"What happened: {counted}"})
