"""The outcome table of a finished run, in words.

The component brings its own style sheet (texts/outcome_table.css): shown alone, in a Jupyter
notebook cell, it has no page around it to lend it one, and would lose its rules and alignment.
"""

from __future__ import annotations

import pandas as pd
import solara

from .prose import Prose

from ..tables import markdown_table, outcome_table
from ..texts import TEXTS

STYLE = TEXTS / "outcome_table.css"


@solara.component
def OutcomeTable(outcomes: pd.DataFrame, caption: str):
    solara.Style(STYLE)
    with solara.Div(classes=["outcome-table"]):
        Prose("### Outcomes")
        solara.Text(caption, classes=["caption"])
        with solara.Div(classes=["table-box"],  # scrolls sideways on a phone: focusable
                        attributes={"tabindex": "0", "role": "region",
                                    "aria-label": "Outcomes (the table scrolls sideways)"}):
            Prose(markdown_table(outcome_table(outcomes)))
        if len(outcomes) > 12:
            solara.Text(f"The first 12 of {len(outcomes)} people; download the outcomes CSV "
                        "for everyone.", classes=["caption"])
