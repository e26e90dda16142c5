"""What every command accepts: the argument types and checks, and the error a user's mistake
raises. Each check refuses a bad value in one line, before any work starts.

The subcommand modules and `main.py` import these; this module imports none of them.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from ..errors import MAX_SEED, ParameterError, check_path_text, check_whole


class UserError(Exception):
    """A mistake in what the user typed; reported in one line, never as a traceback."""


def whole_number(least: int = 1, most: int | None = None) -> Callable[[str], int]:
    """An argument type: a whole number from `least` (1 unless said) up to `most` if given.

    An upper bound guards what would exhaust the machine rather than finish (a bootstrap of a
    billion resamples, a thousand workers).
    """
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"{value} is not allowed: expected {least} or "
                                             "more")
        if most is not None and value > most:
            raise argparse.ArgumentTypeError(f"{value} is not allowed: expected {least} to "
                                             f"{most:,}")
        return value
    return parse


def zero_or_more(text: str) -> int:
    """A partner number: digits only, 0 or more."""
    if not (text.isascii() and text.isdigit()):
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed: expected a whole number, "
                                         "0 or more")
    return int(text)


def seed_number(text: str) -> int:
    """A seed typed by a user: a whole number the run table and TOML files can hold."""
    try:
        return check_whole(int(text.strip()), "seed", 0, MAX_SEED)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not allowed: expected a whole number, "
                                         f"0 to {MAX_SEED:,}") from None


def path_argument(text: str) -> Path:
    """A file or folder name typed by a user, refused now if no filesystem could use it."""
    try:
        return check_path_text(text, "path")
    except ParameterError as err:
        raise argparse.ArgumentTypeError(str(err).removeprefix("path ")) from None


def names(text: str) -> list[str]:
    """A comma-separated list of names (outcomes, varied paths), at least one."""
    found = [n.strip() for n in text.split(",") if n.strip()]
    if not found:
        raise argparse.ArgumentTypeError(f"{text!r}: expected comma-separated names")
    return found
