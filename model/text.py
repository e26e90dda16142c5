"""A user's text shown safely: in a terminal and in a CSV file that a spreadsheet opens.

The scenario's checks (`model.parameters.check_text`) already refuse control and
direction-override characters in names, and line breaks where a field is one line; these
functions are the second guard, at the place text leaves the program, for text that came
another way (a file path, a sweep's title, a table built in a notebook). Figures need no
function here: they are drawn with mathtext off (`model.plots.palette.literal_text`).
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

DIRECTION_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                               "\u2066\u2067\u2068\u2069")
"""Characters that reorder the text around them (the right-to-left override U+202E among
them): invisible, they make a terminal or a page show something other than what is there."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell beginning with one of these is run as a formula by Excel, LibreOffice or Google
Sheets (OWASP, "CSV Injection"); such a cell is written with a single quote in front."""


def unsafe(char: str, keep: str = "") -> bool:
    """Whether `char` would act on a terminal or reorder text, rather than show: a control
    character (ESC, CR, TAB, DEL...), a line or paragraph separator, a lone surrogate, or a
    direction control. Characters in `keep` (such as a line break) are allowed."""
    if char in keep:
        return False
    return char in DIRECTION_CONTROLS or unicodedata.category(char) in ("Cc", "Cs", "Zl", "Zp")


def for_terminal(text: str) -> str:
    """`text` with every unsafe character but the line break shown as its escape (ESC as
    `\\x1b`, the right-to-left override as `\\u202e`), so it can neither move the cursor,
    recolour or retitle a terminal, nor reverse what a reader sees."""
    if text.isascii() and text.isprintable():  # the common case, at C speed
        return text
    return "".join(_escaped(c) if unsafe(c, keep="\n") else c for c in text)


def _escaped(char: str) -> str:
    return char.encode("unicode_escape", "backslashreplace").decode("ascii")


def for_csv_cell(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula, with a single quote in front (it
    shows the text as typed, quote hidden); any other value unchanged. A number is never
    changed: -0.5 is a number to a spreadsheet, not a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_safe(table: pd.DataFrame) -> pd.DataFrame:
    """`table` with every text cell and column name passed through `for_csv_cell`: what every
    CSV the project writes goes through. Number columns are not looked at."""
    texts = [c for c in table.columns if table[c].dtype.kind == "O"]  # object or string
    if not texts and not any(isinstance(c, str) and c.startswith(FORMULA_STARTS)
                             for c in table.columns):
        return table
    safe = table.copy()
    for column in texts:
        safe[column] = safe[column].map(for_csv_cell)
    return safe.rename(columns=for_csv_cell)
