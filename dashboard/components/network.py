"""Who is with whom: the narcissists on the left, the partners on the right, and a line for
each relationship this week, in its phase's colour and named (for presets with several
narcissist agents)."""

from __future__ import annotations

import solara
from matplotlib.figure import Figure

from model.plots.palette import BAND_COLOURS, BAND_LABELS, bands

from ..chart_parts import PLAIN, ChartStyle, inches, png, shown_at, style
from ..describe import network_description
from ..frames import Frame
from .chart import Caption, Picture
from .download import Download
from .keys import ShownWidth

MAX_SHOWN = 16
"""Partners drawn at most: everyone in a small cast, else those with someone this week."""


def network_figure(frame: Frame, chart: ChartStyle = PLAIN) -> Figure:
    """The relationships of the frame's week as a two-column graph."""
    now = frame.timeline[frame.timeline["step"] == frame.week]
    heads = frame.supply[frame.supply["step"] == frame.week].sort_values("narcissist")
    now = now.assign(band=bands(now))
    together = now[now["narcissist"] >= 0]
    shown = now if len(now) <= MAX_SHOWN else together.head(MAX_SHOWN)
    with style(chart):
        fig = Figure(figsize=(inches(chart, 11), 5.2) if chart.large else
                     (inches(chart, 6.4), 3.4), dpi=100)
        fig.subplots_adjust(left=0.02, right=0.98, top=0.88, bottom=0.02)
        ax = fig.subplots()
        ax.set_axis_off()
        ax.set_title(f"Who is with whom in week {frame.week}")
        n_heads, n_shown = max(len(heads), 1), max(len(shown), 1)
        left = {int(i): 1 - (k + 0.5) / n_heads for k, i in enumerate(heads["narcissist"])}
        right = {int(i): 1 - (k + 0.5) / n_shown for k, i in enumerate(shown["partner"])}
        for _, row in shown.iterrows():
            if row["narcissist"] >= 0 and int(row["narcissist"]) in left:
                y0, y1 = left[int(row["narcissist"])], right[int(row["partner"])]
                active = row["phase"] in ("idealize", "devalue", "discard", "hoover")
                ax.plot([0.2, 0.8], [y0, y1], color=BAND_COLOURS[row["band"]],
                        lw=4 if active else 1.5, ls="-" if active else ":", zorder=1)
        for _, row in heads.iterrows():
            y = left[int(row["narcissist"])]
            ax.scatter([0.2], [y], s=160, color="#0072B2", zorder=2)
            ax.text(0.17, y, row["name"], ha="right", va="center")
        for _, row in shown.iterrows():
            y = right[int(row["partner"])]
            ax.scatter([0.8], [y], s=120, color="#E69F00", marker="s", zorder=2)
            words = BAND_LABELS[row["band"]] if row["narcissist"] >= 0 else "single"
            ax.text(0.83, y, f"{row['name']}: {words}", ha="left", va="center")
        ax.set_xlim(0, 1.25)
        ax.set_ylim(0, 1)
        if len(now) > MAX_SHOWN:
            ax.set_title(f"Who is with whom in week {frame.week}\n({len(together)} of "
                         f"{len(now)} people are with someone; the first {len(shown)} are "
                         "drawn)")
    return fig


@solara.component
def NetworkChart(frame: Frame, chart: ChartStyle, filename: str):
    shown, set_shown = solara.use_state(0)
    drawn = shown_at(chart, shown)
    image = solara.use_memo(lambda: png(network_figure(frame, drawn), drawn),
                            dependencies=[frame, drawn])
    description = solara.use_memo(
        lambda: network_description(frame.timeline, frame.supply, frame.week),
        dependencies=[frame])
    latest = solara.use_ref(frame)
    latest.current = frame
    with solara.Column(gap="2px", classes=["chart", "chart-network"]):
        ShownWidth(event_resize=set_shown)
        Picture(image, description, "chart-network")
        with solara.Row(gap="8px", style={"align-items": "center"}):
            Caption("Who is with whom this week: a thick line is a relationship under way "
                    "(in its phase's colour), a dotted one a relationship that has ended.",
                    "chart-network")
            solara.v.Spacer()
            Download(lambda: png(network_figure(latest.current, drawn), drawn, dpi=200),
                     filename=filename, label="PNG: who is with whom", mime_type="image/png")
