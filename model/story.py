"""The story of a run, condensed to what a reader needs (no I/O: callers print it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from .model import Event


def condensed_story(events: Iterable[Event], limit: int = 60) -> list[str]:
    """Important events as lines `week N: text`, failed hoovers folded into one count each.

    A hoover that brings a partner back stays in the story; the many that fail would drown
    it, so they are counted per pair and reported once at the end.
    """
    events = list(events)
    returned_weeks = {(e.week - 1, e.who) for e in events if e.kind == "returned"}
    lines: list[str] = []
    failed: Counter[tuple[str, ...]] = Counter()
    for event in events:
        if not event.important:
            continue
        if event.kind == "hoover" and (event.week, event.who) not in returned_weeks:
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
