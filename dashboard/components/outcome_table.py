"""The outcome table of a finished run, in words."""

from __future__ import annotations

import pandas as pd
import solara

from .prose import Prose

from ..tables import markdown_table, outcome_table


@solara.component
def OutcomeTable(outcomes: pd.DataFrame, caption: str):
    Prose("#### Outcomes")
    solara.Text(caption, classes=["caption"])
    with solara.Div(classes=["table-box"]):
        Prose(markdown_table(outcome_table(outcomes)))
    if len(outcomes) > 12:
        solara.Text(f"The first 12 of {len(outcomes)} people; download the outcomes CSV for "
                    "everyone.", classes=["caption"])
