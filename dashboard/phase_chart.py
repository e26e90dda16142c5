"""The phase chart: one row of coloured, named bands per relationship.

Drawn as one image (partners x weeks), so a redraw costs one call however many phases there
are; the model's own `draw_bands` draws a bar per stretch, too slow to redraw several times a
second once hoovers cut the stretches short. Each band wide enough is also named in words.
"""

from __future__ import annotations

import numpy as np
from matplotlib.artist import Artist
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from model.events import EventKind
from model.plots.palette import BAND_COLOURS, BAND_LABELS, band_array

from .chart_parts import Cast, ChartStyle, Update, frame_axes, legend_right

MARKERS = {EventKind.DEVALUATION: ("v", "devaluation starts"),
           EventKind.LEFT: ("o", "the partner leaves"),
           EventKind.DISCARDED: ("X", "discarded by the agent"),
           EventKind.RETURNED: ("^", "the partner goes back")}
"""Events marked on the phase chart, with the symbol the story prints beside the same line:
filled black on the chart as in the story's text (a white rim keeps them seen on black)."""
SYMBOLS = {EventKind.DEVALUATION: "\u25bc", EventKind.LEFT: "\u25cf",
           EventKind.DISCARDED: "\u2716", EventKind.RETURNED: "\u25b2"}

BAND_ORDER = tuple(BAND_COLOURS)
BAND_CODE = {band: i for i, band in enumerate(BAND_ORDER)}
BAND_RGBA = (np.array([to_rgba(BAND_COLOURS[b]) for b in BAND_ORDER]) * 255).round().astype(
    np.uint8)
"""Each band's colour as the bytes of a pixel: the chart is an RGBA picture filled directly,
which matplotlib draws in half the time of a grid of codes through a colour map."""
SHORT_LABELS = {**BAND_LABELS, "recovery": "recovering", "healed": "healed"}


def phase_setup(fig: Figure, cast: Cast, chart: ChartStyle) -> Update:
    ax = fig.subplots()
    count = max(1, len(cast.partners))
    grid = np.zeros((count, cast.weeks + 1, 4), dtype=np.uint8)  # transparent: no data yet
    image = ax.imshow(grid, aspect="auto", interpolation="nearest",
                      extent=(-0.5, cast.weeks + 0.5, count - 0.5, -0.5), animated=True)
    ax.set_yticks(range(len(cast.partners)), cast.partners)
    ax.set_facecolor("#f4f4f4")
    ax.set_title("Phase of each relationship")
    frame_axes(ax, cast, chart, legend=False)
    marks = {kind: ax.plot([], [], ls="none", marker=marker, ms=9 if chart.large else 7,
                           mfc="black", mec="white", mew=1.2, label=words, animated=True)[0]
             for kind, (marker, words) in MARKERS.items()}
    legend_right(ax, chart, band_handles() + list(marks.values()), top=1.08)
    rows_of = {name: i for i, name in enumerate(cast.partners)}

    def update(timeline, supply, events=()):
        shown = timeline["partner"].to_numpy() < count
        rows = timeline if shown.all() else timeline[shown]  # a crowd: its first few only
        partner, step = rows["partner"].to_numpy(), rows["step"].to_numpy()
        band = band_array(rows)
        grid[:] = 0
        grid[partner, step] = BAND_RGBA[[BAND_CODE[b] for b in band]]
        image.set_data(grid)
        points = {kind: ([], []) for kind in MARKERS}
        for event in events:
            if event.kind in points and event.who and event.who[-1] in rows_of:
                points[event.kind][0].append(event.week)
                points[event.kind][1].append(rows_of[event.who[-1]])
        for kind, mark in marks.items():
            mark.set_data(*points[kind])
        span = ax.get_xlim()[1]
        runs = label_runs(partner, step, band)
        return [image, *marks.values(), *_band_names(ax, runs, span, chart.large)]
    return update


def band_handles() -> list[Patch]:
    return [Patch(facecolor=BAND_COLOURS[b], edgecolor="#444444", label=BAND_LABELS[b])
            for b in BAND_ORDER]


def _band_names(ax, runs: list[tuple[int, int, int, str]], weeks: int, large: bool
                ) -> list[Artist]:
    """Name each band wide enough to hold its name, so colour is never the only cue.

    The names are new Text artists each time; a live chart removes them after drawing.
    """
    texts = []
    per_char = 0.014 * max(weeks, 1) * (1.3 if large else 1.0)
    for partner, start, length, band in runs:
        words = SHORT_LABELS[band]
        if band == "single" or length < per_char * (len(words) + 1):
            continue
        texts.append(ax.text(start + length / 2, partner, words, ha="center", va="center",
                             fontsize=14 if large else 8.5, color=label_colour(band),
                             animated=True,
                             clip_on=True))
    return texts


def label_colour(band: str) -> str:
    """The colour of a band's name: white on the discard black, black on every other band
    (on the devalue orange black reads at 5.4:1, white at 3.9:1, below the 4.5:1 text needs)."""
    return "white" if band == "discard" else "black"


def label_runs(partner: np.ndarray, step: np.ndarray, band: np.ndarray
               ) -> list[tuple[int, int, int, str]]:
    """Stretches of one band per partner (partner, first week, weeks, band), with brief
    hoovers folded into the recovery around them so that a long recovery gets one name, not
    one per hoover."""
    if not len(band):
        return []
    order = np.lexsort((step, partner))
    partner, step = partner[order], step[order]
    coarse = np.where(band[order] == "hoover", "recovery", band[order])
    change = np.flatnonzero((coarse[1:] != coarse[:-1]) | (partner[1:] != partner[:-1])) + 1
    first, last = np.r_[0, change], np.r_[change, len(coarse)] - 1
    return [(int(partner[i]), int(step[i]), int(step[j] - step[i] + 1), str(coarse[i]))
            for i, j in zip(first, last, strict=True)]
