"""The phase chart: one row of coloured, named bands per relationship.

Drawn as one image (partners x weeks), so a redraw costs one call however many phases there
are; the model's own `draw_bands` draws a bar per stretch, too slow to redraw several times a
second once hoovers cut the stretches short. Each band wide enough is also named in words.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from model.events import EventKind
from model.plots.palette import BAND_COLOURS, BAND_LABELS, bands

from .chart_parts import Cast, ChartStyle, Update, frame_axes, legend_right

MARKERS = {EventKind.DEVALUATION: ("v", "devaluation starts"),
           EventKind.LEFT: ("o", "the partner leaves"),
           EventKind.DISCARDED: ("X", "the agent discards the partner"),
           EventKind.RETURNED: ("^", "the partner goes back")}
"""Events marked on the phase chart, with the symbol the story prints beside the same line."""
SYMBOLS = {EventKind.DEVALUATION: "\u25bc", EventKind.LEFT: "\u25cf",
           EventKind.DISCARDED: "\u2716", EventKind.RETURNED: "\u25b2"}

BAND_ORDER = tuple(BAND_COLOURS)
BAND_MAP = ListedColormap([BAND_COLOURS[b] for b in BAND_ORDER])
SHORT_LABELS = {**BAND_LABELS, "recovery": "recovering", "healed": "healed"}


def phase_setup(fig: Figure, cast: Cast, chart: ChartStyle) -> Update:
    ax = fig.subplots()
    count = max(1, len(cast.partners))
    grid = np.full((count, cast.weeks + 1), np.nan)
    image = ax.imshow(np.ma.masked_invalid(grid), cmap=BAND_MAP, vmin=-0.5,
                      vmax=len(BAND_ORDER) - 0.5, aspect="auto", interpolation="nearest",
                      extent=(-0.5, cast.weeks + 0.5, count - 0.5, -0.5), animated=True)
    ax.set_yticks(range(len(cast.partners)), cast.partners)
    ax.set_facecolor("#f4f4f4")
    ax.set_title("Phase of each relationship")
    frame_axes(ax, cast, chart, legend=False)
    marks = {kind: ax.plot([], [], ls="none", marker=marker, ms=9 if chart.large else 7,
                           mfc="white", mec="black", mew=1.4, label=words, animated=True)[0]
             for kind, (marker, words) in MARKERS.items()}
    legend_right(ax, chart, band_handles() + list(marks.values()), top=1.08)
    codes = {b: i for i, b in enumerate(BAND_ORDER)}
    rows_of = {name: i for i, name in enumerate(cast.partners)}

    def update(timeline, supply, events=()):
        rows = timeline[timeline["partner"] < count]
        grid[:] = np.nan
        grid[rows["partner"].to_numpy(int), rows["step"].to_numpy(int)] = \
            bands(rows).map(codes).to_numpy(float)
        image.set_data(np.ma.masked_invalid(grid))
        points = {kind: ([], []) for kind in MARKERS}
        for event in events:
            if event.kind in points and event.who and event.who[-1] in rows_of:
                points[event.kind][0].append(event.week)
                points[event.kind][1].append(rows_of[event.who[-1]])
        for kind, mark in marks.items():
            mark.set_data(*points[kind])
        span = ax.get_xlim()[1]
        return [image, *marks.values(), *_band_names(ax, rows, span, chart.large)]
    return update


def band_handles() -> list[Patch]:
    return [Patch(facecolor=BAND_COLOURS[b], edgecolor="#444444", label=BAND_LABELS[b])
            for b in BAND_ORDER]


def _band_names(ax, timeline: pd.DataFrame, weeks: int, large: bool) -> list[Artist]:
    """Name each band wide enough to hold its name, so colour is never the only cue.

    The names are new Text artists each time; a live chart removes them after drawing.
    """
    texts = []
    per_char = 0.014 * max(weeks, 1) * (1.3 if large else 1.0)
    for partner, start, length, band in _label_runs(timeline):
        words = SHORT_LABELS[band]
        if band == "single" or length < per_char * (len(words) + 1):
            continue
        colour = "white" if band in ("discard", "devalue") else "black"
        texts.append(ax.text(start + length / 2, partner, words, ha="center", va="center",
                             fontsize=13 if large else 8.5, color=colour, animated=True,
                             clip_on=True))
    return texts


def _label_runs(timeline: pd.DataFrame) -> list[tuple[int, int, int, str]]:
    """Stretches of one band per partner, with brief hoovers folded into the recovery around
    them so that a long recovery gets one name, not one per hoover."""
    timeline = timeline.sort_values(["partner", "step"], kind="stable")
    coarse = bands(timeline).replace({"hoover": "recovery"}).to_numpy()
    partners, steps = timeline["partner"].to_numpy(), timeline["step"].to_numpy()
    runs, start = [], 0
    for i in range(1, len(coarse) + 1):
        if i == len(coarse) or coarse[i] != coarse[start] or partners[i] != partners[start]:
            runs.append((int(partners[start]), int(steps[start]),
                         int(steps[i - 1] - steps[start] + 1), str(coarse[start])))
            start = i
    return runs

