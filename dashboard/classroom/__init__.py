"""Class mode (issue 26): every student predicts and runs on their own device; the projector
shows the room's answers and builds a class experiment from their runs.

    room.py        the shared state: rooms, seats, answers, runs; checks and refusals (pure)
    limits.py      rate limits (token buckets)
    questions.py   the prediction questions, what happened in the run, the counts
    experiment.py  the class experiment as a sweep declaration; a student's run; the table
    charts.py      the projector's charts, their descriptions and tables
    address.py     the join address on the local network and its QR code (offline)
    views.py       what both pages share: the room watch, the tab's memory, the location
    lecturer.py    the lecturer's page (the projector)
    student.py     a student's page (`/?join`)

Students open `/?join` on the same server. Start it with `supply-cycle dashboard --class`,
or with "Class mode" in the page switcher (docs/dashboard.md, "Class mode").
"""

from __future__ import annotations

import os

CLASS_ENV = "SUPPLY_CYCLE_CLASS"
"""Set to 1 by `supply-cycle dashboard --class`: the lecturer's page opens in class mode."""
JOIN = "join"
"""Students open `/?join` (the address the projector shows; `/?join=CODE` in the QR code).
A query, not a path: Solara serves only the paths of its app's routes, and the app has one."""


CLASS = "class"
"""The lecturer's page carries `?class` once a session is open, so a reload opens class mode,
which then finds the session this tab kept."""


def class_mode_at_start(search: str | None = None) -> bool:
    """Whether the lecturer's page opens in class mode: the dashboard was started for a class
    (`--class`), or the page is a class session's, reloaded (`?class`)."""
    names = {part.partition("=")[0] for part in (search or "").lstrip("?").split("&")}
    return os.environ.get(CLASS_ENV, "") == "1" or CLASS in names


def join_code(search: str | None) -> str | None:
    """The room code in a students' join address (`?join=CODE`; "" for a bare `?join`), or
    None when the address is not a join address."""
    for part in (search or "").split("&"):
        name, _, value = part.partition("=")
        if name == JOIN:
            return value[:40]
    return None
