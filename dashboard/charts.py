"""The charts of Compare and Boundaries.

Colours are the model's Okabe-Ito palette; every line and band is named in a legend and lines
also differ in style, so nothing rests on colour alone. The charts of a run live in
`run_charts`; what all charts share (style, figure, PNG) lives in `chart_parts`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from model.plots.palette import LINE_COLOURS

from .chart_parts import MAX_PARTNERS, PLAIN, TYPE_PT, ChartStyle, cast_of, inches, style
from .phase_chart import phase_setup

def sweep_chart(summary: pd.DataFrame, outcome: str, label: str, chart: ChartStyle = PLAIN,
                setting: str = "boundary") -> Figure:
    """One outcome's mean against the swept setting, with its 95% confidence band."""
    rows = summary[summary["outcome"] == outcome].sort_values("value")
    with style(chart):
        fig = Figure(figsize=(inches(chart, 7), 4) if chart.large else
                     (inches(chart, 4.0 if chart.narrow else 5.2), 3.0), dpi=100)
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


def compare_chart(timeline: pd.DataFrame, weeks: int, title: str, chart: ChartStyle = PLAIN,
                  start: int = 0) -> Figure:
    """Phase bands above wellbeing, for one side of a comparison (no legend: see band_legend).

    A comparison that branches at week `start` marks that week on both panels."""
    supply = pd.DataFrame({"step": [0], "narcissist": [0], "name": [""]})
    cast = cast_of(timeline, supply, weeks)
    shown = timeline[timeline["partner"] < MAX_PARTNERS]
    with style(chart):
        # on a narrow picture the names of the lines go below them, not over them
        below = 0.3 * (TYPE_PT[chart.large] / TYPE_PT[False]) * ((len(cast.partners) + 1) // 2) \
            if chart.narrow else 0.0
        fig = Figure(figsize=(inches(chart, 7.5), 3 + 0.5 * len(cast.partners) + below)
                     if chart.large else
                     (inches(chart, 4.2), 2.6 + 0.45 * len(cast.partners) + below)
                     if chart.narrow else
                     (inches(chart, 7), 2.2 + 0.35 * len(cast.partners)), dpi=100)
        top, bottom = fig.subfigures(2, 1, height_ratios=[max(1.0, 0.35 * len(cast.partners)),
                                                          1.6 + below])
        top.subplots_adjust(left=0.13, right=0.97, top=0.82, bottom=0.22)
        for artist in phase_setup(top, cast, chart)(shown, supply):
            artist.set_animated(False)
        top.axes[0].get_legend().remove()
        top.axes[0].set_title(title)
        ax = bottom.subplots()
        bottom.subplots_adjust(left=0.13, right=0.97, top=0.95,
                               bottom=(0.4 + below) / (1.6 + below))
        for i, (_partner, rows) in enumerate(shown.groupby("partner", sort=True)):
            ax.plot(rows["step"], rows["wellbeing"], lw=1.4,
                    color=LINE_COLOURS[i % len(LINE_COLOURS)], label=rows["name"].iloc[0])
        ax.set_ylim(0, 1)
        ax.set_xlim(0, max(weeks, 1))
        ax.set_ylabel("wellbeing")
        ax.set_xlabel("week")
        if chart.narrow:
            ax.legend(loc="upper left", bbox_to_anchor=(-0.1, -0.25 * TYPE_PT[chart.large]
                                                        / TYPE_PT[False]),
                      ncol=2, frameon=False)
        else:
            ax.legend(loc="lower left", ncol=4, frameon=False)
        if start:
            for axis in (top.axes[0], ax):
                axis.axvline(start, color="black", lw=1.2, ls="--")
            ax.annotate(f"week {start}: the runs part", (start, 1), xytext=(4, -2),
                        textcoords="offset points", va="top")
    return fig
