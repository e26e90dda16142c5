"""Figures of a run: phase bands, wellbeing and bond, and the narcissist's supply."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .palette import (BAND_COLOURS, BAND_LABELS, LINE_COLOURS, band_runs, literal_text,
                      pyplot)

def draw_bands(ax, timeline: pd.DataFrame, names: list[str]) -> None:
    """One row of coloured phase bands per partner."""
    for partner, start, length, band in band_runs(timeline):
        ax.broken_barh([(start, length)], (partner - 0.4, 0.8), facecolors=BAND_COLOURS[band],
                       edgecolor="none")
    ax.set_yticks(range(len(names)), names)
    ax.invert_yaxis()
    ax.set_title("Phase of each relationship")
    handles = [Patch(facecolor=BAND_COLOURS[b], edgecolor="#444444", label=BAND_LABELS[b])
               for b in BAND_COLOURS]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8,
              frameon=False)


def draw_wellbeing(ax, timeline: pd.DataFrame, names: list[str]) -> None:
    """Wellbeing (solid) and trauma bond (dashed) per partner."""
    for partner, rows in timeline.groupby("partner", sort=True):
        colour = LINE_COLOURS[int(partner) % len(LINE_COLOURS)]
        ax.plot(rows["step"], rows["wellbeing"], color=colour, lw=1.4,
                label=f"{names[int(partner)]}: wellbeing")
        ax.plot(rows["step"], rows["trauma_bond"], color=colour, lw=1.0, ls="--",
                label=f"{names[int(partner)]}: trauma bond")
    ax.set_ylim(0, 1)
    ax.set_ylabel("0-1 scale")
    ax.set_title("Wellbeing (solid) and trauma bond (dashed)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)


def draw_supply(ax, supply: pd.DataFrame) -> None:
    """Each narcissist agent's supply against the agent's need."""
    for i, (_, rows) in enumerate(supply.groupby("narcissist", sort=True)):
        colour = LINE_COLOURS[i % len(LINE_COLOURS)]
        name = rows["name"].iloc[0]
        ax.plot(rows["step"], rows["supply"], color=colour, lw=1.4, label=f"{name}: supply")
        ax.plot(rows["step"], rows["need"], color=colour, lw=1.0, ls=":", label=f"{name}: need")
    ax.set_ylim(0, 1)
    ax.set_xlabel("week")
    ax.set_ylabel("0-1 scale")
    ax.set_title("The narcissist agent's supply and need")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)


@literal_text()
def run_figure(timeline: pd.DataFrame, supply: pd.DataFrame, title: str,
               max_partners: int = 8) -> Figure:
    """The three-panel picture of a run; large populations show their first partners only."""
    shown = timeline[timeline["partner"] < max_partners]
    names = list(shown.drop_duplicates("partner").sort_values("partner")["name"])
    fig, axes = pyplot().subplots(3, 1, figsize=(11, 9), sharex=True,
                             gridspec_kw={"height_ratios": [max(1.0, len(names) * 0.35), 2, 1.3]})
    draw_bands(axes[0], shown, names)
    draw_wellbeing(axes[1], shown, names)
    draw_supply(axes[2], supply)
    fig.suptitle(title)
    fig.tight_layout()
    return fig
