"""Colours and labels shared by every figure, and the one way to get pyplot.

Importing this module imports no pyplot and sets no back end, so the dashboard and the command
line can use the palette without side effects. The palette is Okabe-Ito (safe for the common
forms of colour blindness) and every band also has a label, so no meaning rests on colour alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

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
    "single": "no relationship",
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
    """matplotlib.pyplot on whatever back end the caller chose, imported only when drawing.

    Choosing one here would take that choice from the caller: in Jupyter the inline back end
    shows each figure under its cell, and a user's own `plt.show()` must keep working after a
    figure of ours. With no display matplotlib falls back to Agg by itself; the command line,
    which only writes files, selects Agg at its entry point (`model.cli.main`).
    """
    import matplotlib.pyplot as plt

    return plt


LITERAL_TEXT: dict[Any, Any] = {"text.parse_math": False}
"""Matplotlib settings under which every text is drawn as typed. With mathtext on, a name or
title holding `$x^$` or `$\\frac{$` ended a run in a parser's traceback, and `a_$b$_c` showed
a subscript. A Text takes the setting when it is made, so titles, labels, tick labels and
legends made inside `literal_text` keep it when the figure is drawn later."""


@contextmanager
def literal_text() -> Iterator[None]:
    """Draw every text made inside as the characters it holds; usable as a decorator too.

    Chosen over escaping each `$`: it reaches every text at once, a legend's and a tick's too,
    and leaves `get_text()` as the user typed it (an escaped copy read back with backslashes).
    None of the project's own labels uses mathtext."""
    import matplotlib

    with matplotlib.rc_context(LITERAL_TEXT):
        yield
