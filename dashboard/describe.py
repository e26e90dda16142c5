"""Charts in words: a sentence or two saying what each chart shows now, and its data as a table.

A screen-reader user follows a run through these, as described interactive simulations (PhET's)
let a student follow a simulation: each live chart's description names who is on it, the week,
each line's value this week and which way it is heading, and it changes with the picture. They
are computed from the data the frame already holds, a few rows of it, so that describing six
charts costs little beside drawing them. Numbers are rounded as `number` rounds them, the same
in the sentences and in the tables.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from model.events import Event
from model.plots.palette import BAND_LABELS, band_array

from .chart_parts import Cast
from .phase_chart import MARKERS
from .run_charts import PER_PARTNER, SUPPLY_COLUMNS, SUPPLY_TITLE, by_agent
from .tables import END_WORDS

TREND_WEEKS = 4
"""A line's trend compares this week with this many weeks before."""
STEADY = 0.01
"""A change smaller than this over `TREND_WEEKS` counts as steady."""
TABLE_ROWS = 27
"""A live chart's table shows at most this many weeks (evenly spaced, the current one last)."""


def number(value: float) -> str:
    """A value as the descriptions and tables show it: two decimals, or "not known"."""
    value = float(value)
    return "not known" if math.isnan(value) else f"{value:.2f}"


def plain(title: str) -> str:
    """A chart's title without the line styles it names for sighted readers."""
    return re.sub(r"\s*\((solid|dashed|dotted)\)", "", title)


def trend(values: np.ndarray) -> str:
    """Which way a line is heading: this week against `TREND_WEEKS` weeks before."""
    if len(values) < 2:
        return "just begun"
    change = float(values[-1]) - float(values[max(0, len(values) - 1 - TREND_WEEKS)])
    if math.isnan(change) or abs(change) < STEADY:
        return "steady"
    return "rising" if change > 0 else "falling"


def live_title(kind: str) -> str:
    """A live chart's title in words (without the line styles)."""
    if kind == "phases":
        return "Phase of each relationship"
    return SUPPLY_TITLE if kind == "supply" else plain(PER_PARTNER[kind][0])


def _when(week: int, weeks: int) -> str:
    return f"week {week} of {weeks}"


def _crowd(cast: Cast, timeline: pd.DataFrame) -> str:
    total = int(timeline["partner"].max()) + 1 if len(timeline) else 0
    return (f" The chart shows the first {len(cast.partners)} of {total} people."
            if total > len(cast.partners) else "")


def live_description(kind: str, timeline: pd.DataFrame, supply: pd.DataFrame,
                     events: Sequence[Event], week: int, weeks: int, cast: Cast) -> str:
    """What one of a run's live charts shows at `week`, in a sentence or two."""
    if kind == "phases":
        return phases_description(timeline, events, week, weeks, cast)
    if kind == "supply":
        return supply_description(supply, week, weeks, cast)
    _, columns, unit = PER_PARTNER[kind]
    series = by_agent(timeline, "partner")
    people = []
    for i, name in enumerate(cast.partners):
        values = [series(i, column)[1] for column, _, _ in columns]
        if len(columns) == 1:
            people.append(f"{name} {number(values[0][-1])}, {trend(values[0])}")
        else:
            parts = [f"{words} {number(v[-1])}" for (_, _, words), v in zip(columns, values,
                                                                             strict=True)]
            parts[0] += f" ({trend(values[0])})"
            people.append(f"{name}: " + ", ".join(parts))
    scale = f" ({unit})" if "scale" in unit else ""
    return (f"{live_title(kind)}, {_when(week, weeks)}{scale}: " + "; ".join(people) + "."
            + _crowd(cast, timeline))


def phases_description(timeline: pd.DataFrame, events: Sequence[Event], week: int,
                       weeks: int, cast: Cast) -> str:
    """Each relationship's phase this week, and the moments the chart has marked so far."""
    now = timeline[timeline["step"].to_numpy() == week]
    now = now[now["partner"].to_numpy() < len(cast.partners)]
    phases = [f"{name} {BAND_LABELS[band]}" for name, band in zip(now["name"], band_array(now),
                                                                  strict=True)]
    marked = [e for e in events if e.kind in MARKERS]
    counts = {kind: sum(1 for e in marked if e.kind == kind) for kind in MARKERS}
    said = ", ".join(f"{MARKERS[k][1]} ({n})" for k, n in counts.items() if n)
    latest = (f" Latest: week {marked[-1].week}, {MARKERS[marked[-1].kind][1]} "
              f"({marked[-1].who[-1]})." if marked and marked[-1].who else "")
    return (f"{live_title('phases')}, {_when(week, weeks)}: " + "; ".join(phases) + "."
            + (f" Marked so far: {said}." if said else " Nothing marked yet.") + latest
            + _crowd(cast, timeline))


def network_description(timeline: pd.DataFrame, supply: pd.DataFrame, week: int) -> str:
    """Who is with whom this week, in words: each narcissist agent's partners and their phases,
    and how many people are with no one (the picture draws at most a few of a crowd)."""
    now = timeline[timeline["step"].to_numpy() == week]
    heads = supply[supply["step"].to_numpy() == week].sort_values("narcissist")
    bands = band_array(now)
    together = now["narcissist"].to_numpy() >= 0
    said = []
    for head, name in zip(heads["narcissist"], heads["name"], strict=True):
        mine = together & (now["narcissist"].to_numpy() == head)
        with_whom = [f"{who} ({BAND_LABELS[band]})" for who, band
                     in zip(now["name"][mine], bands[mine], strict=True)]
        said.append(f"{name} with " + (", ".join(with_whom) if with_whom else "no one"))
    alone = int((~together).sum())
    return (f"Who is with whom in week {week}: " + "; ".join(said) + "."
            + f" {alone} of {len(now)} people are with no one.")


def supply_description(supply: pd.DataFrame, week: int, weeks: int, cast: Cast) -> str:
    """Each narcissist agent's supply, need and grandiosity gap this week."""
    series = by_agent(supply, "narcissist")
    heads = []
    for i, name in enumerate(cast.narcissists):
        values = {column: series(i, column)[1] for column, _, _, _ in SUPPLY_COLUMNS}
        parts = [f"{words} {number(values[column][-1])}"
                 for column, _, _, words in SUPPLY_COLUMNS]
        parts[0] += f" ({trend(values['supply'])})"
        below = values["supply"][-1] < values["need"][-1]
        heads.append(f"{name}: " + ", ".join(parts)
                     + ("; supply is below need" if below else "; supply covers need"))
    more = (f" The chart shows {len(cast.narcissists)} of {cast.all_narcissists} narcissist "
            "agents." if cast.all_narcissists > len(cast.narcissists) else "")
    return f"{SUPPLY_TITLE}, {_when(week, weeks)} (0-1 scale): " + "; ".join(heads) + "." + more


def compare_description(title: str, timeline: pd.DataFrame, outcomes: pd.DataFrame,
                        weeks: int, cast: Cast, start: int = 0) -> str:
    """One side of a comparison at its end: each partner's last wellbeing and how it ended."""
    series = by_agent(timeline, "partner")
    ends = outcomes.set_index("name") if outcomes is not None else pd.DataFrame()
    people = []
    for i, name in enumerate(cast.partners):
        how = ""
        if name in ends.index:
            row = ends.loc[name]
            how = END_WORDS.get(row["end_reason"], str(row["end_reason"]))
            if pd.notna(row.get("end_step")) and row["end_reason"] in ("left", "discarded"):
                how += f" in week {int(row['end_step'])}"
            how = f", {how}"
        people.append(f"{name} {number(series(i, 'wellbeing')[1][-1])}{how}")
    parted = f" The two runs part at week {start}." if start else ""
    return (f"{title}. Wellbeing at the end of {weeks} weeks, and how each relationship "
            "ended: " + "; ".join(people) + "." + parted + _crowd(cast, timeline))


def sweep_description(summary: pd.DataFrame, outcome: str, label: str, setting: str) -> str:
    """A sweep chart: the mean at the lowest and highest value, and whether it changes."""
    rows = summary[summary["outcome"] == outcome].sort_values("value")
    if rows.empty:
        return f"{label}: no runs."
    first, last = rows.iloc[0], rows.iloc[-1]
    apart = first["high"] < last["low"] or last["high"] < first["low"]
    change = ("about the same at both ends (their 95% bands overlap)" if not apart else
              "higher at the highest value" if last["mean"] > first["mean"] else
              "lower at the highest value")
    return (f"{label} against {setting}, {len(rows)} values from {first['value']:g} to "
            f"{last['value']:g}: mean {number(first['mean'])} at {first['value']:g} "
            f"(95% band {number(first['low'])} to {number(first['high'])}), "
            f"{number(last['mean'])} at {last['value']:g} (95% band {number(last['low'])} to "
            f"{number(last['high'])}); {change}.")


def table_weeks(week: int, rows: int = TABLE_ROWS) -> list[int]:
    """Evenly spaced weeks from 0 to `week`, `week` always last, at most `rows` of them."""
    step = max(1, math.ceil(week / max(rows - 1, 1)))
    return sorted(set(range(0, week + 1, step)) | {week})


def live_table(kind: str, timeline: pd.DataFrame, supply: pd.DataFrame, week: int,
               cast: Cast) -> pd.DataFrame:
    """A live chart's data at `table_weeks`: a column per line, a row per week."""
    shown = table_weeks(week)
    columns: dict[str, list] = {"week": shown}
    if kind == "supply":
        series = by_agent(supply, "narcissist")
        for i, name in enumerate(cast.narcissists):
            for column, _, _, words in SUPPLY_COLUMNS:
                columns[f"{name}: {words}"] = _at(series(i, column), shown)
        return pd.DataFrame(columns)
    series = by_agent(timeline, "partner")
    if kind == "phases":
        band = band_array(timeline)
        ids = timeline["partner"].to_numpy()
        steps = timeline["step"].to_numpy()
        for i, name in enumerate(cast.partners):
            mine = ids == i
            labels = dict(zip(steps[mine].tolist(), band[mine], strict=True))
            columns[name] = [BAND_LABELS[labels[w]] if w in labels else "-" for w in shown]
        return pd.DataFrame(columns)
    _, spec, _ = PER_PARTNER[kind]
    for i, name in enumerate(cast.partners):
        for column, _, words in spec:
            columns[f"{name}: {words}" if len(spec) > 1 else name] = _at(series(i, column),
                                                                          shown)
    return pd.DataFrame(columns)


def _at(series: tuple[np.ndarray, np.ndarray], weeks: list[int]) -> list[float]:
    known = dict(zip(series[0].tolist(), series[1].tolist(), strict=True))
    return [known.get(w, float("nan")) for w in weeks]


def sweep_table(summary: pd.DataFrame, outcome: str, setting: str) -> pd.DataFrame:
    """A sweep chart's points: the mean and its 95% band at each value of the setting."""
    rows = summary[summary["outcome"] == outcome].sort_values("value")
    return pd.DataFrame({setting: rows["value"].to_numpy(), "mean": rows["mean"].to_numpy(),
                         "95% band from": rows["low"].to_numpy(),
                         "95% band to": rows["high"].to_numpy(), "runs": rows["n"].to_numpy()})


def sweep_overview(summary: pd.DataFrame, outcomes: dict[str, str], setting: str
                   ) -> pd.DataFrame:
    """Every outcome of a sweep in one table: a row per value, "mean (band)" per outcome."""
    table = {setting: sorted(summary["value"].unique())}
    for outcome, label in outcomes.items():
        rows = summary[summary["outcome"] == outcome].set_index("value")
        table[label] = [f"{number(rows.at[v, 'mean'])} ({number(rows.at[v, 'low'])} to "
                        f"{number(rows.at[v, 'high'])})" if v in rows.index else "-"
                        for v in table[setting]]
    return pd.DataFrame(table)


def compare_table(timeline: pd.DataFrame, supply: pd.DataFrame, cast: Cast) -> pd.DataFrame:
    """One side of a comparison by week: each partner's phase and wellbeing."""
    week = int(timeline["step"].max()) if len(timeline) else 0
    phases = live_table("phases", timeline, supply, week, cast)
    wellbeing = live_table("wellbeing", timeline, supply, week, cast)
    table = {"week": phases["week"]}
    for name in cast.partners:
        table[f"{name}: phase"] = phases[name]
        table[f"{name}: wellbeing"] = wellbeing[name]
    return pd.DataFrame(table)
