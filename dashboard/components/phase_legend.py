"""The phase colours with their names written out, as text (readable by screen readers)."""

from __future__ import annotations

import html

import solara

from model.plots.palette import BAND_COLOURS, BAND_LABELS


@solara.component
def PhaseLegend():
    items = "".join(
        f"<span class='phase-key'><span class='swatch' style='background:{BAND_COLOURS[b]}'>"
        f"</span>{html.escape(BAND_LABELS[b])}</span>" for b in BAND_COLOURS)
    solara.HTML(tag="div", unsafe_innerHTML=f"Phase colours: {items}", classes=["phase-legend"])
