"""Colours and labels shared by every figure, and the one way to get pyplot.

Importing this module imports no pyplot and sets no back end, so the dashboard and the command
line can use the palette without side effects. The palette is Okabe-Ito (safe for the common
forms of colour blindness) and every band also has a label, so no meaning rests on colour alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

BAND_COLOURS = {
    "single": "#FFFFFF",
    "idealize": "#F0E442",
    "devalue": "#D55E00",
    "discard": "#000000",
    "hoover": "#CC79A7",
    "recovery": "#999999",
    "healed": "#009E73",
}
BAND_LABELS = {
    "single": "not with him",
    "idealize": "idealize",
    "devalue": "devalue",
    "discard": "discard",
    "hoover": "hoover",
    "recovery": "ended, recovering",
    "healed": "ended, healed",
}
LINE_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000")


def band_array(timeline: pd.DataFrame) -> np.ndarray:
    """The band each partner-week falls in: the relationship phase, or recovery after it
    (healed once the partner has healed). An array of strings, without pandas: the live
    phase chart needs it every frame of playback."""
    phase, recovery = timeline["phase"].to_numpy(object), timeline["recovery"].to_numpy(object)
    return np.where(phase == "ended", np.where(recovery == "healed", "healed", "recovery"),
                    phase).astype(object)


def bands(timeline: pd.DataFrame) -> pd.Series:
    """`band_array` as a column of the timeline."""
    return pd.Series(band_array(timeline), index=timeline.index, name="phase")


def band_runs(timeline: pd.DataFrame) -> list[tuple[int, int, int, str]]:
    """Runs of equal bands per partner: (partner, first week, length, band)."""
    runs = []
    for partner, rows in timeline.assign(band=bands(timeline)).groupby("partner", sort=True):
        weeks, labels = rows["step"].to_numpy(), rows["band"].to_numpy()
        start = 0
        for i in range(1, len(labels) + 1):
            if i == len(labels) or labels[i] != labels[start]:
                runs.append((int(partner), int(weeks[start]), int(weeks[i - 1] - weeks[start] + 1),
                             str(labels[start])))
                start = i
    return runs


COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
"""Okabe-Ito colours, safe for the common forms of colour blindness."""


def pyplot():
    """matplotlib.pyplot on the Agg back end (no display needed, same pixels everywhere)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt
