"""Chart helpers (style, figure size, PNG) and the charts of Compare and Boundaries.

Figures are built with matplotlib's object interface (safe in threads, no pyplot state).
Colours are the model's Okabe-Ito palette; every line and band is named in a legend and lines
also differ in style, so nothing rests on colour alone. The four charts of a run live in
`run_charts`; this module holds what they share.
"""

from __future__ import annotations

import io
from contextlib import contextmanager

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from model.plots.palette import LINE_COLOURS

MAX_PARTNERS = 8
MAX_NARCISSISTS = 3
"""Charts of a large population show its first people only (the page says so)."""


@contextmanager
def style(large: bool):
    """Type sizes for the screen or, `large`, for a projector."""
    size = 17 if large else 9.5
    with matplotlib.rc_context({"font.size": size, "axes.titlesize": size + 1,
                                "legend.fontsize": size - 1, "axes.spines.top": False,
                                "axes.spines.right": False}):
        yield


NARROW_LEGEND_ROWS = 6
"""Room below a phone-sized chart for its legend, in rows of two entries."""


def figure(rows: float, large: bool, width: float | None = None, narrow: bool = False) -> Figure:
    """A figure sized for half the page (or the whole width, with large type, on a projector).

    `narrow` draws for a phone: a figure about as wide as the screen, with the legend below the
    axes instead of beside them, so its type is as large on the phone as on a laptop.
    """
    if narrow:
        height = rows + 1.0 + 0.22 * NARROW_LEGEND_ROWS
        fig = Figure(figsize=(4.0, height), dpi=100)
        fig.subplots_adjust(left=0.16, right=0.95, top=1 - 0.4 / height,
                            bottom=(0.6 + 0.22 * NARROW_LEGEND_ROWS) / height)
    else:
        height = (1.0 + rows) * (1.45 if large else 1.0)
        fig = Figure(figsize=(width or (11 if large else 6.4), height), dpi=100)
        fig.subplots_adjust(left=0.1 if large else 0.12, right=0.68 if large else 0.7,
                            top=0.86, bottom=0.2 if rows < 3 else 0.12)
    fig.dashboard_large = large
    fig.dashboard_narrow = narrow
    return fig


def legend_right(ax, handles=None, second: bool = False, top: float = 1.02):
    """The legend beside the axes (below them on a phone); `second` for a second legend."""
    kw = {} if handles is None else {"handles": handles}
    if getattr(ax.figure, "dashboard_narrow", False):
        place = ({"loc": "upper right", "bbox_to_anchor": (1.02, -0.22)} if second else
                 {"loc": "upper left", "bbox_to_anchor": (-0.15, -0.22), "ncol": 2})
        return ax.legend(frameon=False, **place, **kw)
    place = ({"loc": "lower left", "bbox_to_anchor": (1.01, -0.05)} if second else
             {"loc": "upper left", "bbox_to_anchor": (1.01, top)})
    return ax.legend(frameon=False, **place, **kw)


def png(fig: Figure, dpi: int | None = None) -> bytes:
    """The figure as PNG bytes (a higher `dpi` for downloads)."""
    buffer = io.BytesIO()
    with style(getattr(fig, "dashboard_large", False)):
        fig.savefig(buffer, format="png", dpi=dpi or fig.dpi)
    return buffer.getvalue()


def sweep_chart(summary: pd.DataFrame, outcome: str, label: str, large: bool = False,
                setting: str = "boundary", narrow: bool = False) -> Figure:
    """One outcome's mean against the swept setting, with its 95% confidence band."""
    rows = summary[summary["outcome"] == outcome].sort_values("value")
    with style(large):
        fig = Figure(figsize=(7, 4) if large else (4.0, 3.0) if narrow else (5.2, 3.0), dpi=100)
        fig.dashboard_large = large
        fig.subplots_adjust(left=0.16, right=0.96, top=0.86, bottom=0.2)
        ax = fig.subplots()
        x = rows["value"].to_numpy(float)
        ax.fill_between(x, rows["low"].to_numpy(float), rows["high"].to_numpy(float),
                        color=LINE_COLOURS[4], alpha=0.35, lw=0, label="95% band")
        ax.plot(x, rows["mean"].to_numpy(float), color=LINE_COLOURS[0], marker="o", lw=1.8,
                label="mean")
        ax.set_xlabel(setting)
        ax.set_ylim(bottom=0)
        ax.set_title(label)
        if len(x):
            ax.set_xlim(np.nanmin(x), np.nanmax(x))
        ax.legend(loc="best", frameon=False)
    return fig


def compare_chart(timeline: pd.DataFrame, weeks: int, title: str, large: bool = False,
                  start: int = 0, narrow: bool = False) -> Figure:
    """Phase bands above wellbeing, for one side of a comparison (no legend: see band_legend).

    A comparison that branches at week `start` marks that week on both panels."""
    from .run_charts import cast_of, phase_setup

    supply = pd.DataFrame({"step": [0], "narcissist": [0], "name": [""]})
    cast = cast_of(timeline, supply, weeks)
    shown = timeline[timeline["partner"] < MAX_PARTNERS]
    with style(large):
        fig = Figure(figsize=(7.5, 3 + 0.5 * len(cast.partners)) if large else
                     (4.2, 2.6 + 0.45 * len(cast.partners)) if narrow else
                     (7, 2.2 + 0.35 * len(cast.partners)), dpi=100)
        fig.dashboard_large = large
        top, bottom = fig.subfigures(2, 1, height_ratios=[max(1.0, 0.35 * len(cast.partners)),
                                                          1.6])
        top.subplots_adjust(left=0.13, right=0.97, top=0.82, bottom=0.22)
        for artist in phase_setup(top, cast, large)(shown, supply):
            artist.set_animated(False)
        top.axes[0].get_legend().remove()
        top.axes[0].set_title(title)
        ax = bottom.subplots()
        bottom.subplots_adjust(left=0.13, right=0.97, top=0.95, bottom=0.25)
        for i, (partner, rows) in enumerate(shown.groupby("partner", sort=True)):
            ax.plot(rows["step"], rows["wellbeing"], lw=1.4,
                    color=LINE_COLOURS[i % len(LINE_COLOURS)], label=rows["name"].iloc[0])
        ax.set_ylim(0, 1)
        ax.set_xlim(0, max(weeks, 1))
        ax.set_ylabel("wellbeing")
        ax.set_xlabel("week")
        ax.legend(loc="lower left", ncol=2 if narrow else 4, frameon=False, fontsize="small")
        if start:
            for axis in (top.axes[0], ax):
                axis.axvline(start, color="black", lw=1.2, ls="--")
            ax.annotate(f"week {start}: the runs part", (start, 1), xytext=(4, -2),
                        textcoords="offset points", va="top", fontsize="small")
    return fig
