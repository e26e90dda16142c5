"""What the lecturer's and the students' pages share: the browser helpers and the room watch.

`use_room` keeps a page's view of a room up to date: one background thread per page waits on
the room (`Rooms.wait`) and, when the room changes, reads the page's view of it (the projector's
aggregate, or one student's own view) and shows it. A student's page waits only on what a
student's page shows (the stage, the experiment), so that forty students answering do not
redraw forty pages forty times; the projector's page redraws at most every `REDRAW_SECONDS`,
however fast answers and results arrive.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import solara
import solara.lab

from .room import ROOMS, Gone, Refused

HERE = Path(__file__).parent
WAIT_SECONDS = 2.0
"""How long a page's watch sleeps before it looks whether its page is still open."""
REDRAW_SECONDS = 0.25
"""The projector's page redraws at most four times a second while answers arrive."""
ENDED = "ended"


@solara.component_vue(str(HERE / "remember.vue"))
def Remember(name: str, value: str, event_restore: Callable[[str], None]):
    """Keeps `value` in this browser tab (sessionStorage, under `name`) and hands back what
    was kept when the page opens, so that a reload rejoins (remember.vue)."""


@solara.component_vue(str(HERE / "location.vue"))
def Location(event_report: Callable[[dict], None]):
    """Reports where the browser found the server: protocol, hostname, port (location.vue)."""


def caller() -> str:
    """This browser page's identity in the rate limits (Solara's kernel: one per tab)."""
    try:
        return str(solara.get_kernel_id())
    except Exception:  # noqa: BLE001 - outside a served page (a test's render)
        return "local"


def kept(text: str) -> dict[str, str] | None:
    """What a tab kept, read back: a small table of strings, or None for anything else."""
    try:
        value = json.loads(text) if text and len(text) < 500 else None
    except ValueError:
        return None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        return None
    return value


def use_room[View](code: str | None, read: Callable[[], View], students: bool,
                   pause: float = 0.0) -> tuple[View | str | None, Callable[[Any], None]]:
    """The latest view of room `code` (or `ENDED` once it has gone), and a setter for a view
    the page got by acting itself (shown at once, without waiting for the watch)."""
    latest = solara.use_reactive(None)

    def watch() -> None:
        seen = -2
        while code is not None and task.is_current():
            version = ROOMS.wait(code, seen, WAIT_SECONDS, students)
            if not task.is_current():
                return
            if version is None:
                latest.set((code, ENDED))
                return
            if version == seen:
                continue
            seen = version
            try:
                latest.set((code, read()))
            except Gone:
                latest.set((code, ENDED))
                return
            except Refused:  # the seat is gone (left in another tab): the page says so
                latest.set((code, ENDED))
                return
            if pause:
                time.sleep(pause)

    task = solara.lab.use_task(watch, dependencies=[code], prefer_threaded=True)
    current = latest.value[1] if latest.value and latest.value[0] == code else None
    return current, lambda view: latest.set((code, view))


@solara.component
def Folded(label: str, ident: str, content: Callable[[], None]):
    """A section folded away behind a button that says whether it is open (`aria-expanded`)
    and what it opens (`aria-controls`); `content()` draws it when open. (Solara's Details
    puts ARIA attributes on an element whose role does not allow them.)"""
    shown, set_shown = solara.use_state(False)
    solara.Button(label, text=True, small=True,
                  icon_name="mdi-chevron-up" if shown else "mdi-chevron-down",
                  on_click=lambda: set_shown(not shown), classes=["fold-toggle"],
                  attributes={"aria-expanded": "true" if shown else "false",
                              "aria-controls": ident})
    with solara.Div(attributes={"id": ident, **({} if shown else {"hidden": "hidden"})}):
        if shown:
            content()


def Alert(text: str):
    """The place a refusal is said: a live region that is always there (so a screen reader
    hears a new message), with the message in it when there is one."""
    with solara.Div(classes=["input-error-slot"], attributes={"role": "alert"}):
        if text:
            solara.Error(text, classes=["input-error"])
