"""A user's text shown safely: in a terminal and in a CSV file that a spreadsheet opens.

The scenario's checks (`model.parameters.check_text`) already refuse control and
direction-override characters in names, and line breaks where a field is one line; these
functions are the second guard, at the place text leaves the program, for text that came
another way (a file path, a sweep's title, a table built in a notebook). Figures need no
function here: they are drawn with mathtext off (`model.plots.palette.literal_text`).
"""

from __future__ import annotations

import re
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


# --- a refused value, shown short -----------------------------------------------------------
# A message repeats the value it refuses, so that the user sees what was wrong; a pasted
# 10,000-character value once came back whole, across the dashboard's charts and the terminal.
SHOWN = 24
"""The characters of a refused value a message repeats."""
LONG_MESSAGE = 300
"""Messages up to this length are shown as they are."""
MOST_SHOWN = 1000
"""A message still longer once its quoted values are shortened (a long list, say) is cut."""

LONG_VALUE = 200
"""A quoted value longer than this is shortened to SHOWN characters (a path is shorter)."""

# A value without spaces: text between two apostrophes of the message's own words ("this
# sweep's ... the sweep's") has spaces, and is never taken for a value.
_QUOTED = re.compile(rf"'[^'\s]{{{LONG_VALUE + 1},}}'|\"[^\"\s]{{{LONG_VALUE + 1},}}\"")


def shortened(text: str) -> str:
    """`text` cut to its first SHOWN characters, saying how long it was."""
    return text if len(text) <= SHOWN else f"{text[:SHOWN]}... ({len(text):,} characters)"


def brief(message: str) -> str:
    """A long `message` with each long quoted value in it shortened."""
    if len(message) <= LONG_MESSAGE:
        return message
    message = _QUOTED.sub(lambda m: m.group(0)[0] + shortened(m.group(0)[1:-1])
                          + m.group(0)[0], message)
    if len(message) <= MOST_SHOWN:
        return message
    return f"{message[:MOST_SHOWN]}... (the message goes on for {len(message):,} characters)"
