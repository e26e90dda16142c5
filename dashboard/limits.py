"""How a refused value is shown: shortened, so that a message stays a line or two inside its box
whatever was typed or pasted (a 10,000-character seed once came back whole in its message, which
ran across the charts and widened the page). How long a text may be is declared with the
parameters (`model.parameters.TEXT_RULES`) and checked wherever a scenario is built."""

from __future__ import annotations

import re

SHOWN = 24
"""The characters of a refused value a message repeats."""
LONG_MESSAGE = 300
"""Messages up to this length are shown as they are."""

_QUOTED = re.compile(rf"'[^']{{{SHOWN + 1},}}'|\"[^\"]{{{SHOWN + 1},}}\"")


def shortened(text: str) -> str:
    """`text` cut to its first SHOWN characters, saying how long it was."""
    return text if len(text) <= SHOWN else f"{text[:SHOWN]}... ({len(text):,} characters)"


def brief(message: str) -> str:
    """A long `message` with each long quoted value in it shortened."""
    if len(message) <= LONG_MESSAGE:
        return message
    return _QUOTED.sub(lambda m: m.group(0)[0] + shortened(m.group(0)[1:-1]) + m.group(0)[0],
                       message)
