"""Fast redraws for playback: draw a chart's fixed part once, then only what moves.

Rebuilding four matplotlib figures every frame costs about half a second on a busy two-core
machine, mostly in axes, ticks and legends that never change during a run. A Blitter draws
those once, keeps the picture, and per frame restores it, draws the moving artists on top
and encodes the pixels as PNG (`chart_parts.png_of_pixels`): a few milliseconds per chart.
When the time axis widens (or a growing y axis must grow), the fixed part is drawn again:
a few times per run.
"""

from __future__ import annotations

import threading

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from .chart_parts import Cast, ChartStyle, png_of_pixels, style
from .run_charts import fit_axes, new_figure, span_for


class Blitter:
    """One live chart of one session: its figure, its saved background, its update."""

    def __init__(self, kind: str, cast: Cast, chart: ChartStyle) -> None:
        self.chart = chart
        self.weeks = cast.weeks
        self.lock = threading.Lock()
        with style(chart):
            self.live = new_figure(kind, cast, chart)
            self.canvas = FigureCanvasAgg(self.live.figure)
        self.background = None

    def render(self, timeline: pd.DataFrame, supply: pd.DataFrame, events=(),
               week: int | None = None) -> bytes:
        """The chart with this data up to `week` (the data's last week if None), as PNG."""
        if week is None:
            week = int(timeline["step"].max()) if len(timeline) else 0
        with self.lock:
            span = span_for(week, self.weeks)
            if fit_axes(self.live, timeline, span) or self.background is None:
                with style(self.chart):  # the type sizes matter to the fixed part alone,
                    self.canvas.draw()   # and entering them costs a quarter of a millisecond
                self.background = self.canvas.copy_from_bbox(self.live.figure.bbox)
            self.canvas.restore_region(self.background)
            for artist in self.live.update(timeline, supply, events):
                artist.axes.draw_artist(artist)
                if isinstance(artist, Text):
                    artist.remove()
            return png_of_pixels(np.asarray(self.canvas.buffer_rgba()))

