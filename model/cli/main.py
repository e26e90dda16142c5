"""Command line: `supply-cycle run | list | sweep | sensitivity | plot | validate | knobs |
dashboard` (in the repository also `python -m model ...`).

A user's mistake (unknown preset, misspelt parameter, value out of range, bad argument) ends
with exit status 2 and one line on standard error. This module holds the parser, the exit
codes and that one line; each command lives in its own module (run.py, sweep.py, validate.py,
knobs.py, dashboard.py) and the argument checks they share in arguments.py.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from .. import __version__
from ..errors import ParameterError, reason
from ..text import brief, for_terminal
from .arguments import UserError
from .dashboard import register_dashboard
from .knobs import register_knobs
from .run import register_list, register_run
from .sweep import SWEEP_COMMANDS
from .validate import register_validate

USER_ERROR = 2
INTERRUPTED = 130  # 128 + SIGINT, as shells report it


class Parser(argparse.ArgumentParser):
    """argparse, but its errors are one line and raise instead of exiting mid-way."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UserError(f"{self.prog}: {message}")


def build_parser() -> Parser:
    parser = Parser(prog="supply-cycle", description="Simulate the idealize-devalue-discard "
                    "cycle and a partner's boundaries. The model illustrates ideas; it "
                    "diagnoses no one.")
    parser.add_argument("--version", action="version", version=f"supply-cycle {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for register in COMMANDS:
        register(commands)
    return parser


COMMANDS: list[Callable] = [register_run, register_list, *SWEEP_COMMANDS, register_validate,
                            register_knobs, register_dashboard]


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("MPLBACKEND", "Agg")  # figures go to files: never a window
    try:
        args = build_parser().parse_args(argv)
        args.handler(args)
    except (UserError, ParameterError) as err:
        print(f"error: {for_terminal(one_line(err))}", file=sys.stderr)
        return USER_ERROR
    except BrokenPipeError:  # output piped into `head`: stop quietly, as Unix tools do
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0
    except KeyboardInterrupt:
        print("error: interrupted; no output folder was changed", file=sys.stderr)
        return INTERRUPTED
    except OSError as err:  # a file or folder the checks could not foresee (a disk filling up)
        where = f" {str(err.filename)!r}" if err.filename else ""
        print(f"error:{where} {reason(err)}", file=sys.stderr)
        return USER_ERROR
    return 0


def one_line(err: Exception) -> str:
    """The message on one line, each long value in it shortened: a TOML parser's message or a
    value may hold line breaks, and a value may be 100 kB."""
    return brief(" ".join(str(err).split()))
