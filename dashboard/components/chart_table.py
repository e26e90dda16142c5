"""A chart's data as a table, behind a "show as table" button, and the HTML of such tables.

The button says whether the table is open (`aria-expanded`) and which element it opens
(`aria-controls`); the table has a caption and column headers, so a screen reader can move
through it cell by cell with each cell's week and line announced. The table is built only
while it is open: during playback a closed table costs nothing.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pandas as pd
import solara

from ..describe import number

SCREEN_READER_ONLY = ("position:absolute;width:1px;height:1px;margin:-1px;padding:0;"
                      "overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0")
"""The style of text meant for screen readers alone (on the page but not seen)."""


def html_table(table: pd.DataFrame, caption: str) -> str:
    """A table with a caption, a header row (`scope="col"`) and numbers as `number` shows them."""
    head = "".join(f"<th scope='col'>{html.escape(str(c))}</th>" for c in table.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
                   for row in table.itertuples(index=False))
    return (f"<table><caption>{html.escape(caption)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table>")


def _cell(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int) or float(value).is_integer():
        return f"{value:g}"
    return number(value)


@solara.component
def ChartTable(make: Callable[[], pd.DataFrame], key: Any, caption: str, ident: str):
    """A toggle that shows `make()` (redone when `key` changes) as a table with `caption`;
    `ident` names the table's box uniquely on the page."""
    shown, set_shown = solara.use_state(False)
    box = f"{ident}-table"
    words = "Hide the table" if shown else "Show as table"
    solara.Button(words, text=True, small=True, icon_name="mdi-table",
                  on_click=lambda: set_shown(not shown), classes=["table-toggle"],
                  attributes={"aria-expanded": "true" if shown else "false",
                              "aria-controls": box, "aria-label": f"{words}: {caption}"})
    markup = solara.use_memo(lambda: html_table(make(), caption) if shown else "",
                             dependencies=[shown, key])
    solara.HTML(tag="div", unsafe_innerHTML=markup, classes=["table-box", "chart-table"],
                attributes={"id": box, **({} if shown else {"hidden": "hidden"})})
