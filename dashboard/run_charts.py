"""The four charts of a run, each split into a fixed part and the data that moves.

`setup` draws what never changes during a run (axes, titles, legends, the week range) and
returns an `update` function that puts the current data into its artists and returns them.
The same code draws a whole figure for a download (`charts.draw`) and the live picture during
playback (`blit.Blitter`, which redraws only the moving artists), so the two always agree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.figure import Figure

from model.figures import LINE_COLOURS

from .charts import MAX_NARCISSISTS, MAX_PARTNERS, figure, style
from .phase_chart import frame_axes, phase_setup

STYLES = ("-", "--", "-.", ":")

Update = Callable[[pd.DataFrame, pd.DataFrame], list[Artist]]


@dataclass(frozen=True)
class Cast:
    """Who a run's charts show: partner names (the first few of a crowd), narcissists, weeks."""

    partners: tuple[str, ...]
    narcissists: tuple[str, ...]
    weeks: int


def cast_of(timeline: pd.DataFrame, supply: pd.DataFrame, weeks: int) -> Cast:
    first = timeline[timeline["step"] == timeline["step"].min()].sort_values("partner")
    heads = supply[supply["step"] == supply["step"].min()].sort_values("narcissist")
    return Cast(tuple(first["name"])[:MAX_PARTNERS], tuple(heads["name"])[:MAX_NARCISSISTS],
                int(weeks))


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
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("0-1 scale")
    ax.set_title("His supply, his need for it, and his grandiosity gap")
    frame_axes(ax, cast)

    def update(timeline, supply):
        for line, (i, column) in zip(lines, keys):
            line.set_data(*_series(supply, "narcissist", i, column))
        return lines
    return update


def wellbeing_setup(fig: Figure, cast: Cast, large: bool) -> Update:
    ax = fig.subplots()
    lines = _lines(ax, [(LINE_COLOURS[i % len(LINE_COLOURS)], STYLES[i % len(STYLES)], 1.6, name)
                        for i, name in enumerate(cast.partners)])
    ax.set_ylim(0, 1)
    ax.set_ylabel("0-1 scale")
    ax.set_title("Each partner's wellbeing")
    frame_axes(ax, cast)

    def update(timeline, supply):
        for i, line in enumerate(lines):
            line.set_data(*_series(timeline, "partner", i, "wellbeing"))
        return lines
    return update


def bond_setup(fig: Figure, cast: Cast, large: bool) -> Update:
    ax = fig.subplots()
    specs = []
    for i, name in enumerate(cast.partners):
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        specs += [(colour, "-", 1.6, name), (colour, "--", 1.1, "_nolegend_")]
    lines = _lines(ax, specs)
    ax.set_ylim(0, 1)
    ax.set_ylabel("0-1 scale")
    ax.set_title("Trauma bond (dashed) and commitment (solid)")
    frame_axes(ax, cast)

    def update(timeline, supply):
        for i in range(len(cast.partners)):
            lines[2 * i].set_data(*_series(timeline, "partner", i, "commitment"))
            lines[2 * i + 1].set_data(*_series(timeline, "partner", i, "trauma_bond"))
        return lines
    return update


LIVE_CHARTS = {"phases": (phase_setup, 0.42), "wellbeing": (wellbeing_setup, None),
               "bond": (bond_setup, None), "supply": (supply_setup, None)}
"""Each live chart: its setup and, for the phase bands, the height each partner adds."""


def new_figure(kind: str, cast: Cast, large: bool) -> tuple[Figure, Update]:
    """A chart's fixed part and its update function (call inside `style(large)`)."""
    setup, per_row = LIVE_CHARTS[kind]
    rows = max(1.6, per_row * len(cast.partners)) if per_row else 2.0
    fig = figure(rows, large)
    return fig, setup(fig, cast, large)


def full_figure(kind: str, timeline: pd.DataFrame, supply: pd.DataFrame, weeks: int,
                large: bool = False) -> Figure:
    """The whole chart at once, for a download or a test; it looks like the live one."""
    with style(large):
        fig, update = new_figure(kind, cast_of(timeline, supply, weeks), large)
        for artist in update(timeline, supply):
            artist.set_animated(False)
    return fig
