"""What a run tells: the kinds of event, the events themselves, their table and the condensed
story (no I/O: callers print or save them).

Event kinds are a `StrEnum`, so a kind compares equal to its text and writes as that text in
every table and file: code matches the Enum, readers and CSV files see the same words as before.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from enum import StrEnum
from typing import NamedTuple

import pandas as pd


class EventKind(StrEnum):
    """Every kind of event the model narrates, with the mechanism it belongs to in brackets."""

    MET = "met"                    # a courtship succeeds: idealization begins [2]
    DEVALUATION = "devaluation"    # the ideal image fails: devaluation begins [3]
    KINDNESS = "kindness"          # a spell of kindness while devaluing [4]
    RAGE = "rage"                  # narcissistic rage at a partner [5]
    SETBACK = "setback"            # a setback in his life widens his grandiosity gap [15]
    ENVY = "envy"                  # he spoils her success outside the relationship [6]
    LASH_OUT = "lash_out"          # a worn-down partner snaps at someone else [11]
    LEFT = "left"                  # she leaves him [9]
    DISCARDED = "discarded"        # he discards her [7]
    HOOVER = "hoover"              # he tries to win an ex back [8]
    REFUSED = "refused"            # she turns a hoover down [8]
    RETURNED = "returned"          # she goes back to him [8]
    GAVE_UP = "gave_up"            # he stops trying to win an ex back [8]
    STAGE = "stage"                # she moves on to the next stage of grief [12]
    STUCK = "stuck"                # two years in one stage of grief [12]
    HEALED = "healed"              # she has healed [12]


SEPARATIONS = (EventKind.LEFT, EventKind.DISCARDED)
"""The two ways a relationship ends."""

EVENT_COLUMNS = ["week", "kind", "who", "text", "important"]


class Event(NamedTuple):
    """Something worth telling that happened in a given week (immutable; a named tuple costs
    a third of a frozen dataclass to make, and a run makes one for every event it tells)."""

    week: int
    kind: EventKind
    who: tuple[str, ...]
    text: str
    important: bool = True


def events_table(events: Iterable[Event]) -> pd.DataFrame:
    """The narrated events as a table, one row each, the people joined by " & "."""
    return pd.DataFrame([(e.week, e.kind, " & ".join(e.who), e.text, e.important)
                         for e in events], columns=EVENT_COLUMNS)


def successful_hoovers(events: Iterable[Event]) -> set[tuple[int, tuple[str, ...]]]:
    """(week, pair) of every hoover that brought the partner back: she returns the week after."""
    return {(e.week - 1, e.who) for e in events if e.kind == EventKind.RETURNED}


def is_failed_hoover(event: Event, successful: set[tuple[int, tuple[str, ...]]]) -> bool:
    """A hoover that did not bring her back: stories fold these into a count, since the many
    that fail would drown the one that succeeds."""
    return event.kind == EventKind.HOOVER and (event.week, event.who) not in successful


def condensed_story(events: Iterable[Event], limit: int = 60) -> list[str]:
    """Important events as lines `week N: text`, failed hoovers folded into one count each.

    A hoover that brings a partner back stays in the story; the many that fail would drown
    it, so they are counted per pair and reported once at the end.
    """
    events = list(events)
    successful = successful_hoovers(events)
    lines: list[str] = []
    failed: Counter[tuple[str, ...]] = Counter()
    for event in events:
        if not event.important:
            continue
        if is_failed_hoover(event, successful):
            failed[event.who] += 1
            continue
        lines.append(f"week {event.week:>4}: {event.text}")
    if len(lines) > limit:
        hidden = len(lines) - limit
        lines = lines[:limit] + [f"... and {hidden} more events (see events.csv)"]
    for (narcissist, partner), count in sorted(failed.items()):
        lines.append(f"{narcissist} tried {count} more time(s) to win {partner} back, "
                     "without success.")
    return lines
