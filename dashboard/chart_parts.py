"""What every chart of the dashboard shares: its style, its figure, its legend, its PNG, its cast.

Figures are built with matplotlib's object interface (safe in threads, no pyplot state).
How a chart is drawn (type for a projector, a layout for a phone) is a `ChartStyle` value that
the caller passes to each drawing function, so nothing about it is stored on matplotlib objects.
The charts of a run (`run_charts`), the phase chart (`phase_chart`) and the charts of Compare
and Boundaries (`charts`) all import this module, and none of them imports another's parent.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from model.events import Event
from model.plots.palette import LITERAL_TEXT

MAX_PARTNERS = 8
MAX_NARCISSISTS = 3
"""Charts of a large population show its first people only (the page says so)."""

NARROW_LEGEND_ROWS = 6
"""Room below a phone-sized chart for its legend, in rows of two entries."""

Update = Callable[[pd.DataFrame, pd.DataFrame, Sequence[Event]], list[Artist]]
"""Puts a run's data up to now into a chart's moving artists and returns them."""


@dataclass(frozen=True)
class ChartStyle:
    """How a chart is drawn: `large` type for a projector, `narrow` layout for a phone, and
    `width`, the CSS pixels the picture is shown at (0 until the browser has said)."""

    large: bool = False
    narrow: bool = False
    width: int = 0


PLAIN = ChartStyle()
"""A laptop's screen: normal type, legends beside the charts."""

TYPE_PT = {False: 9.5, True: 17.0}
"""The base type size in points (a point is 100/72 px in a picture drawn at 100 dpi):
legends are a point smaller, titles a point larger."""
LEGEND_BESIDE = {False: 560, True: 900}
"""The narrowest picture (px) that keeps its legend beside the axes; a narrower one gets the
phone's layout, its legend below."""
LEAST_WIDTH = 300


def shown_at(chart: ChartStyle, width: float) -> ChartStyle:
    """`chart` drawn at the size it is shown, `width` CSS px (0: not known yet).

    A picture drawn as wide as it is shown keeps its type at the size `style` sets: 17 pt is
    24 px on the screen, on a projector at 1366 or 1920 px alike, where a fixed-size picture
    was scaled down to two thirds. Too narrow for a legend beside it, it takes the phone's
    layout, with the legend below.
    """
    if not width or width < LEAST_WIDTH:
        return chart
    width = int(width)
    return replace(chart, width=width, narrow=chart.narrow or width < LEGEND_BESIDE[chart.large])


def inches(chart: ChartStyle, default: float) -> float:
    """A figure's width: as shown (at 100 dpi), or `default` until the width is known."""
    return chart.width / 100 if chart.width else default


@contextmanager
def style(chart: ChartStyle) -> Iterator[None]:
    """Type sizes for the screen or, `large`, for a projector; names and titles drawn as
    typed, never as mathtext (`LITERAL_TEXT`)."""
    size = TYPE_PT[chart.large]
    with matplotlib.rc_context({**LITERAL_TEXT, "font.size": size, "axes.titlesize": size + 1,
                                "legend.fontsize": size - 1, "axes.spines.top": False,
                                "axes.spines.right": False}):
        yield


def figure(rows: float, chart: ChartStyle, width: float | None = None, entries: int = 0
           ) -> Figure:
    """A figure sized for half the page (or the whole width, with large type, on a projector),
    tall enough for a legend of `entries` lines beside it.

    A `narrow` style draws for a phone: a figure about as wide as the screen, with the legend
    below the axes instead of beside them, so its type is as large on the phone as on a laptop.
    The margins for the axis labels and the legend are in inches, not fractions, so that a
    picture drawn narrower (as it is shown) keeps room for them.
    """
    if chart.narrow:
        scale = TYPE_PT[chart.large] / TYPE_PT[False]  # room for the legend grows with its type
        line = 0.22 * scale
        height = rows * (1.2 if chart.large else 1.0) + 1.0 * scale + line * NARROW_LEGEND_ROWS
        wide = inches(chart, 4.0)
        fig = Figure(figsize=(wide, height), dpi=100)
        fig.subplots_adjust(left=min(0.16 * scale * 4.0 / wide, 0.3), right=0.95,
                            top=1 - 0.4 * scale / height,
                            bottom=(0.6 * scale + line * NARROW_LEGEND_ROWS) / height)
        return fig
    large = chart.large
    bottom = 0.2 if rows < 3 else 0.12
    height = max((1.0 + rows) * (1.45 if large else 1.0),
                 entries * (0.36 if large else 0.2) / (0.86 - bottom))
    wide = width or inches(chart, 11 if large else 6.4)
    fig = Figure(figsize=(wide, height), dpi=100)
    fig.subplots_adjust(left=(1.1 if large else 0.77) / wide,
                        right=1 - (3.6 if large else 1.95) / wide, top=0.86, bottom=bottom)
    return fig


def legend_right(ax, chart: ChartStyle, handles=None, second: bool = False,
                 top: float = 1.02):
    """The legend beside the axes (below them on a phone); `second` for a second legend."""
    kw = {} if handles is None else {"handles": handles}
    if chart.narrow:
        place = ({"loc": "upper right", "bbox_to_anchor": (1.02, -0.22)} if second else
                 {"loc": "upper left", "bbox_to_anchor": (-0.15, -0.22), "ncol": 2})
        return ax.legend(frameon=False, **place, **kw)
    place = ({"loc": "lower left", "bbox_to_anchor": (1.01, -0.05)} if second else
             {"loc": "upper left", "bbox_to_anchor": (1.01, top)})
    return ax.legend(frameon=False, **place, **kw)


def png(fig: Figure, chart: ChartStyle, dpi: int | None = None) -> bytes:
    """The figure, drawn in `chart`'s style, as PNG bytes (a higher `dpi` for downloads).

    On screen (no `dpi`) the figure is drawn once and encoded by `png_of_pixels`, the same
    pixels as `savefig` gives; a download goes through `savefig`, which writes metadata."""
    with style(chart):
        if dpi is None or dpi == fig.dpi:
            canvas = FigureCanvasAgg(fig)
            canvas.draw()
            return png_of_pixels(np.asarray(canvas.buffer_rgba()))
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
def png_of_pixels(rgba: np.ndarray) -> bytes:
    """An RGBA picture (rows x columns x 4 bytes) as a PNG file, every row unfiltered and the
    whole deflated at the fastest level.

    Six charts are encoded every frame of playback, and Pillow's encoder (which filters each
    row first) took 4 to 5 ms a chart, a third of a frame; this takes 1.5 to 2 ms for files as
    small, since a chart is mostly flat colour, which deflate packs well without filtering.
    """
    height, width, _ = rgba.shape
    rows = np.zeros((height, 1 + 4 * width), dtype=np.uint8)  # each row: filter 0, pixels
    rows[:, 1:] = rgba.reshape(height, 4 * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + _chunk(b"IEND", b""))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data)))


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


def frame_axes(ax, cast: Cast, chart: ChartStyle, legend: bool = True) -> None:
    """The time axis of a run's chart, and its legend."""
    ax.set_xlim(0, max(cast.weeks, 1))
    ax.set_xlabel("week")
    if legend:
        legend_right(ax, chart)
