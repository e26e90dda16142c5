"""Drawing helpers shared by the facts' figures (boxes, curves, a common title line).

Each fact's figure is a typed dataclass in the fact's own module with a `draw()` that returns
a matplotlib Figure; the helpers here keep them alike. Matplotlib is imported inside the
functions, with the Agg back end, so that importing a fact never starts a GUI or slows the
command line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .palette import COLOURS

def boxes(ax, groups: dict[str, Sequence[float]], ylabel: str, title: str) -> None:
    """Box plots with means, one box per group, in the shared colours."""
    labels = list(groups)
    data = [np.asarray(groups[k], dtype=float) for k in labels]
    data = [d[np.isfinite(d)] for d in data]
    parts = ax.boxplot(data, tick_labels=labels, showmeans=True, patch_artist=True,
                       medianprops={"color": "black"},
                       meanprops={"marker": "D", "markerfacecolor": "white",
                                  "markeredgecolor": "black", "markersize": 5})
    for patch, colour in zip(parts["boxes"], COLOURS, strict=False):
        patch.set_facecolor(colour)
        patch.set_alpha(0.45)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.tick_params(axis="x", labelsize=8)


def curves(ax, series: dict[str, Any], ylabel: str, title: str, band: bool = True,
           xlabel: str = "week") -> None:
    """Lines (with a 10th-90th percentile band where the series has one)."""
    for (label, curve), colour in zip(series.items(), COLOURS, strict=False):
        if isinstance(curve, dict):
            mean = np.asarray(curve["mean"])
            weeks = np.arange(len(mean))
            ax.plot(weeks, mean, color=colour, lw=1.6, label=label)
            if band:
                ax.fill_between(weeks, curve["low"], curve["high"], color=colour, alpha=0.15,
                                lw=0)
        elif len(curve):
            ax.plot(np.arange(len(curve)), curve, color=colour, lw=1.6, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, frameon=False)


def finish(fig, title: str, runs: int):
    """Give a figure its title line (with the number of runs) and a tight layout."""
    fig.suptitle(f"{title} ({runs} runs per setting)", fontsize=11)
    fig.tight_layout()
    return fig


def curves_at(ax, weeks: Sequence[float], series: dict[str, Sequence[float]], ylabel: str,
              title: str, xlabel: str) -> None:
    """Lines over given weeks (say, weeks before or after an ending), in the shared colours;
    an empty series is left out."""
    for (label, curve), colour in zip(series.items(), COLOURS, strict=False):
        if len(curve):
            ax.plot(np.asarray(weeks)[:len(curve)], curve, color=colour, lw=1.6, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, frameon=False)
