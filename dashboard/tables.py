"""Plain-language tables and lines for the page: outcomes, differences, the event log."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from model.events import Event, EventKind, is_failed_hoover, successful_hoovers
from model.outcomes import weeks_to_heal

from .phase_chart import SYMBOLS

END_WORDS = {"left": "the partner left", "discarded": "discarded by the agent",
             "ongoing": "still together", "never": "never approached"}
"""How a relationship ended, in role words: presets give either role any pronouns."""

OUTCOME_COLUMNS = {
    "name": "partner", "boundary": "boundary", "end_reason": "how it ended",
    "end_step": "exit week", "weeks_devalued": "weeks devalued", "cycles": "cycles",
    "returns": "went back", "hoover_attempts": "hoovers", "harm": "harm",
    "rage_episodes": "rage episodes", "recovery_weeks": "weeks to heal",
}

DIFFERENCES = {"harm": "harm", "weeks_devalued": "weeks devalued", "end_step": "exit week",
               "recovery_weeks": "weeks from exit to healing"}
"""What the Compare page sets side by side, and the words it uses for each."""

MAX_ROWS = 12


def with_recovery(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Add `recovery_weeks`: weeks to heal (model.outcomes), missing if not healed yet."""
    return outcomes.assign(recovery_weeks=weeks_to_heal(outcomes, horizon=None))


def _cell(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return "-"
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else f"{value:.2f}"
    return str(value)


def markdown_table(table: pd.DataFrame) -> str:
    """A DataFrame as a Markdown table (the page renders Markdown without any extra asset)."""
    head = "| " + " | ".join(str(c) for c in table.columns) + " |"
    rule = "|" + "---|" * len(table.columns)
    body = ["| " + " | ".join(_cell(v) for v in row) + " |"
            for row in table.itertuples(index=False)]
    return "\n".join([head, rule, *body])


def outcome_table(outcomes: pd.DataFrame, limit: int = MAX_ROWS) -> pd.DataFrame:
    """The outcome columns a reader needs, in words, the first `limit` partners."""
    table = with_recovery(outcomes).head(limit)
    table = table[list(OUTCOME_COLUMNS)].rename(columns=OUTCOME_COLUMNS)
    table["how it ended"] = table["how it ended"].map(lambda r: END_WORDS.get(r, r))
    return table


def differences(a: pd.DataFrame, b: pd.DataFrame, limit: int = 8) -> pd.DataFrame:
    """Each partner's harm, weeks devalued, exit week and recovery in run A, in run B, and B - A.

    A crowd (more partners than `limit`) is summarised by its means over the people the
    agent approached in either run.
    """
    a, b = with_recovery(a), with_recovery(b)
    if len(a) > limit:
        met = a["first_step"].notna() | b["first_step"].notna()
        a, b = a[met], b[met]
        names = [f"mean of {int(met.sum())} people approached"]
        rows_a = [a[list(DIFFERENCES)].astype(float).mean()]
        rows_b = [b[list(DIFFERENCES)].astype(float).mean()]
    else:
        names = list(a["name"])
        rows_a = [r for _, r in a[list(DIFFERENCES)].iterrows()]
        rows_b = [r for _, r in b[list(DIFFERENCES)].iterrows()]
    records = []
    for name, ra, rb in zip(names, rows_a, rows_b, strict=False):
        for key, words in DIFFERENCES.items():
            va, vb = _number(ra[key]), _number(rb[key])
            change = None if va is None or vb is None else vb - va
            records.append({"partner": name, "measure": words, "A": va, "B": vb,
                            "B - A": change})
    return pd.DataFrame(records, columns=["partner", "measure", "A", "B", "B - A"])


def _number(value) -> float | None:
    if value is None or value is pd.NA:
        return None
    value = float(value)
    return None if value != value else value


def event_lines(events: Sequence[Event], limit: int = 40, pairs: int = 4) -> list[str]:
    """The story so far, newest first: important events, failed hoovers counted, not listed.

    A hoover that brings a partner back is told (the return follows it a week later); the
    many that fail would drown the log, so each pair's latest failed attempt stays in the story
    and the counts of the `pairs` most persistent pairs close it.
    """
    successful = successful_hoovers(events)
    lines: list[str] = []
    failed: dict[tuple[str, ...], int] = {}
    for event in reversed(events):
        if not event.important:
            continue
        if is_failed_hoover(event, successful):
            failed[event.who] = failed.get(event.who, 0) + 1
            if failed[event.who] > 1:
                continue
        if len(lines) < limit:
            mark = SYMBOLS.get(event.kind)
            lines.append((f"{mark} " if mark else "") + f"week {event.week}: {event.text}")
    ranked = sorted(((n, who) for who, n in failed.items() if n > 1), reverse=True)
    summary = [f"So far {who[0]} has tried {n} times to win {who[-1]} back without success."
               for n, who in ranked[:pairs]]
    if len(ranked) > pairs:
        summary.append(f"... and {len(ranked) - pairs} more pairs with failed attempts.")
    return lines + summary


def first_to_leave(events: Iterable[Event]) -> str | None:
    """The partner who first left the agent of their own accord, or None if nobody has yet."""
    for event in events:
        if event.kind == EventKind.LEFT:
            return event.who[-1]
    return None


def most_harmed(outcomes: pd.DataFrame) -> str | None:
    """The partner with the most cumulative harm."""
    if outcomes.empty or outcomes["harm"].max() <= 0:
        return None
    return str(outcomes.loc[outcomes["harm"].idxmax(), "name"])
