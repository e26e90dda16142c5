"""A chart: its picture, a one-line caption saying what to look for, and a PNG download."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reacton.ipywidgets as rw
import solara
from matplotlib.figure import Figure

from ..blit import Blitter
from ..chart_parts import PLAIN, Cast, ChartStyle, png
from ..frames import Frame
from ..run_charts import full_figure
from .download import Download

DOWNLOAD_DPI = 200


@solara.component
def Chart(make: Callable[[], Figure], key: Any, caption: str, filename: str,
          alt: str = "", chart: ChartStyle = PLAIN):
    """Draw `make()` once per `key` (a frame, a result) and offer it as a PNG file.

    `make` must depend only on what `key` identifies and draw in the style `chart`; the
    download redraws it at print resolution when asked, so it costs nothing until a user clicks.
    """
    image = solara.use_memo(lambda: png(make(), chart), dependencies=[key, chart])
    with solara.Column(gap="2px", classes=["chart"]):
        rw.Image(value=image, format="png", layout={"width": "100%", "height": "auto"})
        with solara.Row(gap="8px", style={"align-items": "center"}):
            solara.Text(caption, classes=["caption"])
            solara.v.Spacer()
            Download(lambda: png(make(), chart, dpi=DOWNLOAD_DPI), filename=filename,
                     label=f"PNG: {alt or filename}", mime_type="image/png")


@solara.component
def LiveChart(kind: str, frame: Frame, cast: Cast, caption: str, filename: str,
              chart: ChartStyle = PLAIN):
    """One of the four charts of a run, redrawn fast during playback (see `blit`).

    The fixed part is drawn once per run and session; each frame only adds what moved. The
    download draws the same chart afresh at print resolution from the latest frame; it reads
    the frame through a ref so that its button is not rebuilt on every frame.
    """
    blitter = solara.use_memo(lambda: Blitter(kind, cast, chart),
                              dependencies=[kind, cast, chart])
    image = solara.use_memo(lambda: blitter.render(frame.timeline, frame.supply, frame.events,
                                                   frame.week),
                            dependencies=[frame, blitter])
    latest = solara.use_ref(frame)
    latest.current = frame

    def download() -> bytes:
        shown = latest.current
        return png(full_figure(kind, shown.timeline, shown.supply, shown.weeks, chart,
                               shown.events), chart, dpi=DOWNLOAD_DPI)

    with solara.Column(gap="2px", classes=["chart", f"chart-{kind}"]):
        rw.Image(value=image, format="png", layout={"width": "100%", "height": "auto"})
        with solara.Row(gap="8px", style={"align-items": "center"}):
            solara.Text(caption, classes=["caption"])
            solara.v.Spacer()
            Download(download, filename=filename, label=f"PNG: {kind}",
                     mime_type="image/png")
