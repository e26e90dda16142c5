"""The charts of a run, each split into a fixed part and the data that moves.

`setup` draws what never changes during a run (axes, titles, legends) and returns an `update`
function that puts the current data into its artists and returns them. The same code draws a
whole figure for a download (`full_figure`) and the live picture during playback
(`blit.Blitter`, which redraws only the moving artists), so the two always agree.

The time axis follows the run: it shows the first half year, then widens in steps (see
`span_for`) so the first months are legible and the current week is always in view. A dot
marks each line's current week, so no chart is empty at week 0.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from model.events import Event
from model.plots.palette import LINE_COLOURS

from .chart_parts import (MAX_PARTNERS, PLAIN, Cast, ChartStyle, Update, cast_of, figure,
                          frame_axes, legend_right, style)
from .phase_chart import phase_setup

STYLES = ("-", "--", "-.", ":")
SPANS = (26, 52, 104, 156, 260, 520, 1040, 2600, 5200)
"""The widths the time axis steps through as a run goes on (weeks)."""

Limit = Callable[[pd.DataFrame], float]
"""The height a chart's y axis needs for the data so far (for the charts whose data grows)."""


def span_for(week: int, weeks: int) -> int:
    """The width of the time axis at `week`: the first step that leaves room ahead."""
    for span in SPANS:
        if span >= weeks:
            return max(int(weeks), 1)
        if week <= 0.85 * span:
            return span
    return max(int(weeks), 1)


def nice_ceiling(value: float) -> float:
    """The next of 1, 2, 5, 10, 20, ... at or above `value` (at least 1)."""
    if not np.isfinite(value) or value <= 1:
        return 1.0
    scale = 10 ** np.floor(np.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * scale:
            return float(step * scale)
    return float(10 * scale)


def by_agent(table: pd.DataFrame, key: str) -> Callable[[int, str], tuple]:
    """A function giving one agent's (weeks, values) of a column.

    The model records every agent once a week, in index order, so agent i's rows are every
    n-th row from row i; that is checked once per table, and a plain filter is used when it
    does not hold. Each column leaves the table once, however many agents read it: a chart
    redraws every frame of playback, and pandas costs tens of microseconds a column.
    """
    ids = table[key].to_numpy()
    count = int(ids.max()) + 1 if len(ids) else 1
    regular = len(ids) % count == 0 and bool((ids[:count] == np.arange(count)).all()) and \
        bool((ids[-count:] == np.arange(count)).all())
    read: dict[str, np.ndarray] = {}

    def column(name: str) -> np.ndarray:
        if name not in read:
            read[name] = table[name].to_numpy()
        return read[name]

    def series(index: int, name: str) -> tuple[np.ndarray, np.ndarray]:
        if regular:
            return column("step")[index::count], column(name)[index::count]
        rows = ids == index
        return column("step")[rows], column(name)[rows]
    return series


def _lines(ax, specs) -> list:
    return [ax.plot([], [], color=c, ls=ls, lw=lw, label=label, animated=True)[0]
            for c, ls, lw, label in specs]


class _Now:
    """A dot at the current week of each line, so a line of one point still shows."""

    def __init__(self, ax, lines) -> None:
        self.lines = lines
        self.dots = [ax.plot([], [], ls="none", marker="o", ms=5, color=line.get_color(),
                             label="_nolegend_", animated=True)[0] for line in lines]

    def update(self) -> list:
        for line, dot in zip(self.lines, self.dots, strict=True):
            x, y = line.get_data()
            dot.set_data(x[-1:], y[-1:])
        return self.dots


SUPPLY_TITLE = "The agent's supply, need and grandiosity gap"
SUPPLY_COLUMNS = (("supply", "-", 1.6, "supply"), ("need", ":", 1.2, "need"),
                  ("grandiosity_gap", "--", 1.1, "grandiosity gap"))
"""The supply chart's lines per narcissist: column, line style, width, words."""


def supply_setup(fig: Figure, cast: Cast, chart: ChartStyle) -> Update:
    ax = fig.subplots()
    specs, keys = [], []
    for i, name in enumerate(cast.narcissists):
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        for column, ls, lw, words in SUPPLY_COLUMNS:
            specs.append((colour, ls, lw, f"{name}: {words}"))
            keys.append((i, column))
    lines = _lines(ax, specs)
    now = _Now(ax, lines)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("0-1 scale")
    ax.set_title(SUPPLY_TITLE)
    frame_axes(ax, cast, chart)

    def update(timeline, supply, events=()):
        series = by_agent(supply, "narcissist")
        for line, (i, column) in zip(lines, keys, strict=True):
            line.set_data(*series(i, column))
        return lines + now.update()
    return update


def _per_partner(title: str, columns: Sequence[tuple[str, str, str]], ylabel: str):
    """A chart with one colour per partner and one line style per column.

    `columns` are (column, line style, words); with more than one, a second legend names
    the styles.
    """
    def setup(fig: Figure, cast: Cast, chart: ChartStyle) -> Update:
        ax = fig.subplots()
        specs = []
        for i, name in enumerate(cast.partners):
            colour = LINE_COLOURS[i % len(LINE_COLOURS)]
            for j, (_, ls, _) in enumerate(columns):
                label = name if j == 0 else "_nolegend_"
                specs.append((colour, ls if len(columns) > 1 else STYLES[i % len(STYLES)],
                              1.7 if j == 0 else 1.3, label))
        lines = _lines(ax, specs)
        now = _Now(ax, lines)
        ax.set_ylim(0, 1)
        ax.set_ylabel(ylabel)
        ax.set_title(title)
        frame_axes(ax, cast, chart)
        if len(columns) > 1:
            key = legend_right(ax, chart, [ax.plot([], [], color="#444444", ls=ls,
                                                   label=words)[0]
                                           for _, ls, words in columns], second=True)
            ax.add_artist(key)
            legend_right(ax, chart, [h for h in lines if not h.get_label().startswith("_")])

        def update(timeline, supply, events=()):
            n, series = len(columns), by_agent(timeline, "partner")
            for i in range(len(cast.partners)):
                for j, (column, _, _) in enumerate(columns):
                    lines[i * n + j].set_data(*series(i, column))
            return lines + now.update()
        return update
    return setup


def _harm_limit(timeline: pd.DataFrame) -> float:
    shown = timeline[timeline["partner"] < MAX_PARTNERS]
    return float(shown[["harm", "perceived_harm"]].to_numpy(float).max()) if len(shown) else 0.0


PER_PARTNER = {
    "wellbeing": ("Each partner's wellbeing", (("wellbeing", "-", "wellbeing"),), "0-1 scale"),
    "bond": ("Trauma bond (dashed) and commitment (solid)",
             (("commitment", "-", "commitment"), ("trauma_bond", "--", "trauma bond")),
             "0-1 scale"),
    "harm": ("Harm each partner takes (solid) and perceives (dotted)",
             (("harm", "-", "harm taken"), ("perceived_harm", ":", "harm perceived")),
             "harm so far (adds up)"),
    "inner": ("Partners' illusion, rescue hope and empathy",
              (("illusion", "-", "illusion about the agent"), ("rescue_hope", "--", "rescue hope"),
               ("empathy", ":", "empathy")), "0-1 scale"),
}
"""The charts with a line per partner: title, (column, line style, words) per line, y label.
The chart descriptions (`describe`) read the same columns and words."""

wellbeing_setup = _per_partner(*PER_PARTNER["wellbeing"])
bond_setup = _per_partner(*PER_PARTNER["bond"])
harm_setup = _per_partner(*PER_PARTNER["harm"])
inner_setup = _per_partner(*PER_PARTNER["inner"])

LIVE_CHARTS = {"phases": (phase_setup, 0.42, None), "wellbeing": (wellbeing_setup, None, None),
               "bond": (bond_setup, None, None), "harm": (harm_setup, None, _harm_limit),
               "inner": (inner_setup, None, None), "supply": (supply_setup, None, None)}
"""Each live chart: its setup; for the phase bands, the height each partner adds; and for a
chart whose data grows without bound, the `Limit` that sizes its y axis (see `fit_axes`)."""


@dataclass(frozen=True)
class LiveFigure:
    """A chart's fixed part (`figure`), the function that moves its data, and its y limit."""

    figure: Figure
    update: Update
    limit: Limit | None = None


def new_figure(kind: str, cast: Cast, chart: ChartStyle) -> LiveFigure:
    """A chart's fixed part and its update function (call inside `style(chart)`)."""
    setup, per_row, limit = LIVE_CHARTS[kind]
    rows = max(2.6, per_row * len(cast.partners)) if per_row else 2.0
    entries = {"phases": 11, "supply": 3 * len(cast.narcissists)}.get(
        kind, len(cast.partners) + 3)  # the legend's lines: names, and the line styles
    fig = figure(rows, chart, entries=entries)
    return LiveFigure(fig, setup(fig, cast, chart), limit)


def fit_axes(live: LiveFigure, timeline: pd.DataFrame, span: int) -> bool:
    """Set every axis to the time span and the data's height; True if anything changed."""
    changed = False
    for ax in live.figure.axes:
        if ax.get_xlim() != (0.0, float(span)):
            ax.set_xlim(0, span)
            changed = True
        if live.limit is not None:
            top = nice_ceiling(live.limit(timeline))
            if ax.get_ylim()[1] != top:
                ax.set_ylim(0, top)
                changed = True
    return changed


def full_figure(kind: str, timeline: pd.DataFrame, supply: pd.DataFrame, weeks: int,
                chart: ChartStyle = PLAIN, events: Sequence[Event] = (),
                span: int | None = None) -> Figure:
    """The whole chart at once, for a download or a test; it looks like the live one."""
    week = int(timeline["step"].max()) if len(timeline) else 0
    with style(chart):
        live = new_figure(kind, cast_of(timeline, supply, weeks), chart)
        fit_axes(live, timeline, span or span_for(week, weeks))
        for artist in live.update(timeline, supply, events):
            artist.set_animated(False)
    return live.figure
