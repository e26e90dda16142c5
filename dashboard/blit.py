"""Fast redraws for playback: draw a chart's fixed part once, then only what moves.

Rebuilding four matplotlib figures every frame costs about half a second on a busy two-core
machine, mostly in axes, ticks and legends that never change during a run. A Blitter draws
those once, keeps the picture, and per frame restores it, draws the moving artists on top
and encodes the pixels as PNG (Pillow, fastest compression): a few milliseconds per chart.
"""

from __future__ import annotations

import io
import threading

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
from PIL import Image

from .charts import style
from .run_charts import Cast, new_figure


class Blitter:
    """One live chart of one session: its figure, its saved background, its update."""

    def __init__(self, kind: str, cast: Cast, large: bool) -> None:
        self.large = large
        self.lock = threading.Lock()
        with style(large):
            self.figure, self.update = new_figure(kind, cast, large)
            self.canvas = FigureCanvasAgg(self.figure)
            self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.figure.bbox)

    def render(self, timeline: pd.DataFrame, supply: pd.DataFrame) -> bytes:
        """The chart with this data, as PNG bytes."""
        with self.lock, style(self.large):
            self.canvas.restore_region(self.background)
            for artist in self.update(timeline, supply):
                artist.axes.draw_artist(artist)
                if isinstance(artist, Text):
                    artist.remove()
            pixels = np.asarray(self.canvas.buffer_rgba())
            buffer = io.BytesIO()
            Image.fromarray(pixels[..., :3]).save(buffer, format="PNG", compress_level=1)
        return buffer.getvalue()
