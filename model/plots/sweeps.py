"""Figures of a finished sweep: sensitivity indices, and each outcome against each knob.

They only draw: the numbers come from `model.experiments.sensitivity` (the indices table, and
a `BandGrid` of means and bands), so a figure can be redrawn without recomputing anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..scenario import declaration_for
from .palette import LINE_COLOURS, literal_text, pyplot

if TYPE_CHECKING:
    from matplotlib.figure import Figure


# --- sensitivity indices ------------------------------------------------------------------------
@literal_text()
def indices_figure(indices: pd.DataFrame, design: str, title: str = "") -> Figure:
    """One panel per outcome: each knob's indices with their 95% intervals, largest on top."""
    plt = pyplot()
    pairs = (("ST", "total effect (ST)"), ("S1", "first order (S1)")) if design == "sobol" else \
            (("mu_star", "mean |effect| (mu*)"), ("sigma", "spread of effects (sigma)"))
    outcomes = list(dict.fromkeys(indices["outcome"]))
    knobs = indices["parameter"].nunique()
    columns = len(outcomes) if len(outcomes) <= 3 else 2
    rows = -(-len(outcomes) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(5.2 * columns, rows * (0.9 + 0.42 * knobs)),
                             squeeze=False)
    for ax, outcome in zip(axes.flat, outcomes, strict=False):
        _index_panel(ax, indices[indices["outcome"] == outcome], pairs, design)
        ax.set_title(outcome.replace("_", " "))
    for ax in axes.flat[len(outcomes):]:
        ax.set_visible(False)
    axes.flat[len(outcomes) - 1].legend(loc="lower right", frameon=False, fontsize=8)
    caption = ("Sobol indices: share of the outcome's variance due to each knob (bars: 95% "
               "bootstrap intervals)" if design == "sobol" else
               "Morris screening: elementary effects per full range of each knob (95% intervals)")
    fig.suptitle(f"{title}\n{caption}" if title else caption, fontsize=10)
    fig.tight_layout()
    return fig


def _index_panel(ax, rows: pd.DataFrame, pairs, design: str) -> None:
    rows = rows.iloc[::-1]
    positions = np.arange(len(rows))
    for offset, (key, text), colour in zip((0.2, -0.2), pairs, (LINE_COLOURS[0],
                                                                LINE_COLOURS[1]), strict=True):
        error = rows.get(f"{key}_conf")
        ax.barh(positions + offset, rows[key], height=0.38, color=colour, label=text,
                xerr=error, error_kw={"elinewidth": 0.8, "capsize": 2, "ecolor": "#333333"})
    ax.set_yticks(positions, [label(p) for p in rows["parameter"]], fontsize=8)
    ax.axvline(0, color="#333333", lw=0.6)
    ax.set_xlabel("index (share of variance)" if design == "sobol" else "effect on outcome")
    _tidy(ax)


# --- means and bands ----------------------------------------------------------------------------
@dataclass(frozen=True)
class BandGrid:
    """What the bands figure draws: for each outcome (rows) and varied knob (columns), the mean
    and its band at each level of the knob, one line per level of `by` (or one line).

    `stats[(outcome, x)]` has the columns x, `by` (when given), mean, low and high.
    """

    outcomes: tuple[str, ...]
    xs: tuple[str, ...]
    by: str | None
    stats: Mapping[tuple[str, str], pd.DataFrame]
    note: str


@literal_text()
def bands_figure(grid: BandGrid, title: str = "") -> Figure:
    """Each outcome (rows) against each varied knob (columns): mean and 95% band."""
    plt = pyplot()
    outcomes, xs = grid.outcomes, grid.xs
    fig, axes = plt.subplots(len(outcomes), len(xs), squeeze=False,
                             figsize=(3.6 * len(xs) + 1.6, 2.7 * len(outcomes)))
    for i, outcome in enumerate(outcomes):
        for j, x in enumerate(xs):
            ax = axes[i][j]
            _band_panel(ax, grid.stats[(outcome, x)], x, grid.by)
            ax.set_ylabel(outcome.replace("_", " ") if j == 0 else "")
            ax.set_xlabel(_axis_label(x) if i == len(outcomes) - 1 else "")
    handles, labels = axes[0][0].get_legend_handles_labels()
    if labels:
        fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.0, 0.95), frameon=False,
                   fontsize=8, title=_legend_title(grid.by))
    fig.suptitle(f"{title}\n{grid.note}" if title else grid.note, fontsize=10)
    fig.tight_layout()
    return fig


def _band_panel(ax, stats: pd.DataFrame, x: str, by: str | None) -> None:
    groups = [(None, stats)] if by is None else list(stats.groupby(by, sort=True))
    categorical = not pd.api.types.is_numeric_dtype(stats[x]) or \
        pd.api.types.is_bool_dtype(stats[x])
    categories = list(dict.fromkeys(stats[x])) if categorical else []
    for k, (level, rows) in enumerate(groups):
        colour = LINE_COLOURS[k % len(LINE_COLOURS)]
        text = "mean" if by is None else level_text(level)
        where = [categories.index(v) for v in rows[x]] if categorical else rows[x]
        if categorical:
            spread = np.array([rows["mean"] - rows["low"], rows["high"] - rows["mean"]])
            ax.errorbar(np.asarray(where) + 0.08 * k, rows["mean"], yerr=spread, fmt="o",
                        color=colour, capsize=3, label=text)
            continue
        ax.plot(where, rows["mean"], color=colour, lw=1.5, marker="o", ms=3, label=text)
        ax.fill_between(where, rows["low"], rows["high"], color=colour, alpha=0.2, lw=0)
    if categorical:
        ax.set_xticks(range(len(categories)), [str(c) for c in categories])
    _tidy(ax)


# --- labels -------------------------------------------------------------------------------------
def level_text(level) -> str:
    """A knob's level as a short label: three significant digits for numbers."""
    return f"{level:.3g}" if isinstance(level, float) else str(level)


def label(path: str) -> str:
    """A dotted path in words a figure's reader can follow."""
    parts = path.split(".")
    name = parts[-1].replace("_", " ")
    if parts[0] == "partners":
        return f"{name} (every partner)" if parts[1] == "*" else f"{name} (partner {parts[1]})"
    if parts[0] == "narcissists":
        return f"{name} (narcissist {parts[1]})"
    return {"narcissist": f"{name} (narcissist)", "partner": f"{name} (partners' default)",
            "world": name}[parts[0]]


def _legend_title(by: str | None) -> str:
    if by == "name":
        return "partner"
    return label(by) if by else ""


def _axis_label(path: str) -> str:
    unit = declaration_for(path).unit
    return f"{label(path)}" + (f" [{unit}]" if unit else "")


def _tidy(ax) -> None:
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.tick_params(labelsize=8)
