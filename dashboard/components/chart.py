"""A chart: its picture, a one-line caption saying what to look for, and a PNG download.

The picture's alt text is the chart's description (`describe`): what it shows now, in words,
changed with every frame the picture changes with. The caption is tied to it as its
description (`aria-describedby`), and the data behind it can be opened as a table
(`ChartTable`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import reacton.ipywidgets as rw
import solara
import pandas as pd
from matplotlib.figure import Figure

from ..blit import Blitter
from ..chart_parts import PLAIN, Cast, ChartStyle, png, shown_at
from ..describe import live_description, live_table, live_title
from ..frames import Frame
from ..run_charts import full_figure
from .chart_table import ChartTable
from .download import Download
from .keys import ShownWidth

DOWNLOAD_DPI = 200


@solara.component_vue(str(Path(__file__).with_name("chart_picture.vue")))
def ChartPicture(description: str, described_by: str, children: list = []):  # noqa: B006
    """Gives the image among `children` its alt text and description (chart_picture.vue)."""


def Picture(image: bytes, description: str, ident: str):
    """The PNG with `description` as its alt text, described by the caption `ident`."""
    ChartPicture(description=description, described_by=f"{ident}-caption", children=[
        rw.Image(value=image, format="png", layout={"width": "100%", "height": "auto"})])


def Caption(caption: str, ident: str):
    solara.v.Html(tag="span", class_="caption", children=[caption],
                  attributes={"id": f"{ident}-caption"})


@solara.component
def Chart(make: Callable[[ChartStyle], Figure], key: Any, caption: str, filename: str,
          alt: str = "", chart: ChartStyle = PLAIN, description: str = "",
          table: Callable[[], pd.DataFrame] | None = None, ident: str = "chart"):
    """Draw `make(style)` once per `key` (a frame, a result) and offer it as a PNG file.

    `make` must depend only on what `key` identifies and draw in the style it is given
    (`chart` drawn at the width the picture is shown at, see `shown_at`); the
    download redraws it at print resolution when asked, so it costs nothing until a user clicks.
    `description` says in words what the picture shows, `table()` gives its data, and `ident`
    (unique on the page) ties the caption and the table to the picture.
    """
    shown, set_shown = solara.use_state(0)
    drawn = shown_at(chart, shown)
    image = solara.use_memo(lambda: png(make(drawn), drawn), dependencies=[key, drawn])
    with solara.Column(gap="2px", classes=["chart"]):
        ShownWidth(event_resize=set_shown)
        Picture(image, description or alt or filename, ident)
        with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"}):
            Caption(caption, ident)
            solara.v.Spacer()
            if table is not None:
                ChartTable(table, key=key, caption=f"Data of the chart: {alt or filename}",
                           ident=ident)
            Download(lambda: png(make(drawn), drawn, dpi=DOWNLOAD_DPI), filename=filename,
                     label=f"PNG: {alt or filename}", mime_type="image/png")


@solara.component
def LiveChart(kind: str, frame: Frame, cast: Cast, caption: str, filename: str,
              chart: ChartStyle = PLAIN):
    """One of the four charts of a run, redrawn fast during playback (see `blit`).

    The fixed part is drawn once per run and session; each frame only adds what moved. The
    download draws the same chart afresh at print resolution from the latest frame; it reads
    the frame through a ref so that its button is not rebuilt on every frame.
    """
    shown, set_shown = solara.use_state(0)
    drawn = shown_at(chart, shown)
    blitter = solara.use_memo(lambda: Blitter(kind, cast, drawn),
                              dependencies=[kind, cast, drawn])
    image = solara.use_memo(lambda: blitter.render(frame.timeline, frame.supply, frame.events,
                                                   frame.week),
                            dependencies=[frame, blitter])
    latest = solara.use_ref(frame)
    latest.current = frame

    def download() -> bytes:
        shown = latest.current
        return png(full_figure(kind, shown.timeline, shown.supply, shown.weeks, drawn,
                               shown.events), drawn, dpi=DOWNLOAD_DPI)

    description = solara.use_memo(
        lambda: live_description(kind, frame.timeline, frame.supply, frame.events, frame.week,
                                 frame.weeks, cast), dependencies=[frame, kind, cast])
    ident = f"chart-{kind}"

    def table() -> pd.DataFrame:
        shown = latest.current
        return live_table(kind, shown.timeline, shown.supply, shown.week, cast)

    with solara.Column(gap="2px", classes=["chart", ident]):
        ShownWidth(event_resize=set_shown)
        Picture(image, description, ident)
        with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"}):
            Caption(caption, ident)
            solara.v.Spacer()
            ChartTable(table, key=frame, ident=ident,
                       caption=f"{live_title(kind)}, by week")
            Download(download, filename=filename, label=f"PNG: {kind}",
                     mime_type="image/png")
