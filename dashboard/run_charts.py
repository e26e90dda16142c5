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
from matplotlib.artist import Artist
from matplotlib.figure import Figure

from model.events import Event
from model.plots.palette import LINE_COLOURS

from .charts import MAX_NARCISSISTS, MAX_PARTNERS, figure, legend_right, style
from .phase_chart import frame_axes, phase_setup

STYLES = ("-", "--", "-.", ":")
SPANS = (26, 52, 104, 156, 260, 520, 1040, 2600, 5200)
"""The widths the time axis steps through as a run goes on (weeks)."""

Update = Callable[[pd.DataFrame, pd.DataFrame, Sequence[Event]], list[Artist]]


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


@dataclass(frozen=True)
class Cast:
    """Who a run's charts show: partner names (the first few of a crowd), narcissists, weeks."""

    partners: tuple[str, ...]
    narcissists: tuple[str, ...]
    weeks: int
    all_narcissists: int = 1


def cast_of(timeline: pd.DataFrame, supply: pd.DataFrame, weeks: int) -> Cast:
    first = timeline[timeline["step"] == timeline["step"].min()].sort_values("partner")
    heads = supply[supply["step"] == supply["step"].min()].sort_values("narcissist")
    return Cast(tuple(first["name"])[:MAX_PARTNERS], tuple(heads["name"])[:MAX_NARCISSISTS],
                int(weeks), len(heads))


def _series(table: pd.DataFrame, key: str, index: int, column: str):
    """One agent's column over the weeks.

    The model records every agent once a week, in index order, so agent i's rows are every
    n-th row from row i; that is checked, and a plain filter is used when it does not hold.
    """
    ids = table[key].to_numpy()
    count = int(ids.max()) + 1 if len(ids) else 1
    if len(ids) % count == 0 and (ids[:count] == np.arange(count)).all() and \
            (ids[-count:] == np.arange(count)).all():
        return table["step"].to_numpy()[index::count], table[column].to_numpy()[index::count]
    rows = table[table[key] == index]
    return rows["step"].to_numpy(), rows[column].to_numpy()


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


def supply_setup(fig: Figure, cast: Cast, large: bool) -> Update:
    ax = fig.subplots()
    specs, keys = [], []
    for i, name in enumerate(cast.narcissists):
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        for column, ls, lw, words in (("supply", "-", 1.6, "supply"), ("need", ":", 1.2, "need"),
                                      ("grandiosity_gap", "--", 1.1, "grandiosity gap")):
            specs.append((colour, ls, lw, f"{name}: {words}"))
            keys.append((i, column))
    lines = _lines(ax, specs)
    now = _Now(ax, lines)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("0-1 scale")
    ax.set_title("His supply, his need and his grandiosity gap")
    frame_axes(ax, cast)

    def update(timeline, supply, events=()):
        for line, (i, column) in zip(lines, keys, strict=False):
            line.set_data(*_series(supply, "narcissist", i, column))
        return lines + now.update()
    return update


def _per_partner(title: str, columns: Sequence[tuple[str, str, str]], ylabel: str,
                 limit: Callable[[pd.DataFrame], float] | None = None):
    """A chart with one colour per partner and one line style per column.

    `columns` are (column, line style, words); with more than one, a second legend names
    the styles. `limit`, if given, sizes the y axis from the data (see Blitter).
    """
    def setup(fig: Figure, cast: Cast, large: bool) -> Update:
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
        frame_axes(ax, cast)
        if len(columns) > 1:
            key = legend_right(ax, [ax.plot([], [], color="#444444", ls=ls, label=words)[0]
                                    for _, ls, words in columns], second=True)
            ax.add_artist(key)
            legend_right(ax, [h for h in lines if not h.get_label().startswith("_")])
        if limit is not None:
            ax.dashboard_limit = limit

        def update(timeline, supply, events=()):
            n = len(columns)
            for i in range(len(cast.partners)):
                for j, (column, _, _) in enumerate(columns):
                    lines[i * n + j].set_data(*_series(timeline, "partner", i, column))
            return lines + now.update()
        return update
    return setup


def _harm_limit(timeline: pd.DataFrame) -> float:
    shown = timeline[timeline["partner"] < MAX_PARTNERS]
    return float(shown[["harm", "perceived_harm"]].to_numpy(float).max()) if len(shown) else 0.0


wellbeing_setup = _per_partner("Each partner's wellbeing", [("wellbeing", "-", "wellbeing")],
                               "0-1 scale")
bond_setup = _per_partner("Trauma bond (dashed) and commitment (solid)",
                          [("commitment", "-", "commitment"), ("trauma_bond", "--", "trauma bond")],
                          "0-1 scale")
harm_setup = _per_partner("Harm she takes (solid) and harm she perceives (dotted)",
                          [("harm", "-", "harm taken"), ("perceived_harm", ":", "harm perceived")],
                          "harm so far (adds up)", limit=_harm_limit)
inner_setup = _per_partner("Her illusion, rescue hope and empathy",
                           [("illusion", "-", "illusion about him"),
                            ("rescue_hope", "--", "rescue hope"),
                            ("empathy", ":", "empathy")], "0-1 scale")

LIVE_CHARTS = {"phases": (phase_setup, 0.42), "wellbeing": (wellbeing_setup, None),
               "bond": (bond_setup, None), "harm": (harm_setup, None),
               "inner": (inner_setup, None), "supply": (supply_setup, None)}
"""Each live chart: its setup and, for the phase bands, the height each partner adds."""


def new_figure(kind: str, cast: Cast, large: bool, narrow: bool = False
               ) -> tuple[Figure, Update]:
    """A chart's fixed part and its update function (call inside `style(large)`)."""
    setup, per_row = LIVE_CHARTS[kind]
    rows = max(2.6, per_row * len(cast.partners)) if per_row else 2.0
    fig = figure(rows, large, narrow=narrow)
    return fig, setup(fig, cast, large)


def fit_axes(fig: Figure, timeline: pd.DataFrame, span: int) -> bool:
    """Set every axis to the time span and the data's height; True if anything changed."""
    changed = False
    for ax in fig.axes:
        if ax.get_xlim() != (0.0, float(span)):
            ax.set_xlim(0, span)
            changed = True
        limit = getattr(ax, "dashboard_limit", None)
        if limit is not None:
            top = nice_ceiling(limit(timeline))
            if ax.get_ylim()[1] != top:
                ax.set_ylim(0, top)
                changed = True
    return changed


def full_figure(kind: str, timeline: pd.DataFrame, supply: pd.DataFrame, weeks: int,
                large: bool = False, events: Sequence[Event] = (),
                span: int | None = None, narrow: bool = False) -> Figure:
    """The whole chart at once, for a download or a test; it looks like the live one."""
    week = int(timeline["step"].max()) if len(timeline) else 0
    with style(large):
        fig, update = new_figure(kind, cast_of(timeline, supply, weeks), large, narrow)
        fig.dashboard_span = span or span_for(week, weeks)
        fit_axes(fig, timeline, fig.dashboard_span)
        for artist in update(timeline, supply, events):
            artist.set_animated(False)
    return fig
