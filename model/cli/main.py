"""Command line: `python -m model run|list ...`.

A user's mistake (unknown preset, misspelt parameter, value out of range, bad argument) ends
with exit status 2 and one line on standard error; output files are written to a temporary
folder first and moved into place only when every one of them is complete.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

from ..errors import (MAX_SEED, ParameterError, check_output_folder, check_path_text,
                     check_whole, reason)
from ..scenario import load, parse_assignment, presets
from .sweep import SWEEP_COMMANDS
from .knobs import register_knobs
from .validate import register_validate

USER_ERROR = 2
INTERRUPTED = 130  # 128 + SIGINT, as shells report it


class UserError(Exception):
    """A mistake in what the user typed; reported in one line, never as a traceback."""


class Parser(argparse.ArgumentParser):
    """argparse, but its errors are one line and raise instead of exiting mid-way."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UserError(f"{self.prog}: {message}")


def build_parser() -> Parser:
    parser = Parser(prog="python -m model", description="Simulate the idealize-devalue-discard "
                    "cycle and a partner's boundaries. The model illustrates ideas; it "
                    "diagnoses no one.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for register in COMMANDS:
        register(commands)
    return parser


def register_run(commands) -> None:
    run = commands.add_parser("run", help="run a scenario and tell its story")
    run.add_argument("scenario", help="a preset name (see `list`) or a path to a TOML file")
    run.add_argument("--weeks", type=_positive_int, help="weeks to simulate (default: the "
                     "scenario's world.weeks)")
    run.add_argument("--seed", type=seed_number, default=None,
                     help="random seed (default: the scenario's own seed, 42 if it names none)")
    run.add_argument("--set", dest="assignments", action="append", default=[],
                     metavar="PATH=VALUE", help="override a parameter, e.g. "
                     "partners.0.boundary=0.8 or narcissist.reinforcement=0 (repeatable)")
    run.add_argument("--out", type=path_argument, help="folder for outcomes.csv, timeline.csv, "
                     "events.csv, supply.csv, run.png and scenario.toml")
    run.add_argument("--story-lines", type=_positive_int, default=60,
                     help="most story lines to print (default 60)")
    run.set_defaults(handler=command_run)


def register_list(commands) -> None:
    listing = commands.add_parser("list", help="list the preset scenarios")
    listing.set_defaults(handler=command_list)


def command_list(args: argparse.Namespace) -> None:
    for name in presets():
        print(f"{name:<22} {load(name).title}")


def command_run(args: argparse.Namespace) -> None:
    from ..events import condensed_story
    from ..model import RelationshipModel

    overrides = dict(parse_assignment(a) for a in args.assignments)
    if args.weeks is not None:
        overrides["world.weeks"] = args.weeks
    spec = load(args.scenario, overrides)
    if args.seed is None:
        args.seed = spec.seed
    model = RelationshipModel(scenario=spec, rng=args.seed)
    inputs = (Path(model.spec.source),)
    if args.out is not None:  # say so now, not after the run
        check_output_folder(args.out, "--out", inputs)
    model.run()
    if args.out is not None:  # before printing: a reader that stops early (`| head`) loses
        write_run(model, args.out, args.seed, inputs)  # only lines, never the files
    outcomes = model.outcomes()
    print(f"{model.spec.title}  (seed {args.seed}, {model.steps} weeks)\n")
    print(outcome_summary(outcomes).to_string(index=False))
    print("\nThe story of the run:")
    for line in condensed_story(model.events, limit=args.story_lines):
        print("  " + line)
    if args.out is not None:
        print(f"\nWrote outcomes, timeline, events, supply, figure and scenario to {args.out}/")


def outcome_summary(outcomes):
    """The columns of the outcome table worth printing in a terminal."""
    columns = ["name", "boundary", "end_reason", "end_step", "weeks_devalued", "cycles",
               "returns", "hoover_attempts", "rage_episodes", "harm", "min_wellbeing",
               "final_wellbeing", "trauma_bond_peak", "recovery"]
    return outcomes[columns].round(2)


def write_run(model, out: Path, seed: int, inputs: tuple[Path, ...] = ()) -> None:
    """Write every output of a run, all or nothing; refuse a folder that holds an input."""
    import matplotlib.pyplot as plt

    from ..plots.run import run_figure
    from ..staging import staged_folder

    with staged_folder(out, prefix=".run-", inputs=inputs) as staging:
        model.outcomes().to_csv(staging / "outcomes.csv", index=False)
        model.timeline().to_csv(staging / "timeline.csv", index=False)
        model.events_table().to_csv(staging / "events.csv", index=False)
        model.supply_timeline().to_csv(staging / "supply.csv", index=False)
        (staging / "scenario.toml").write_text(model.spec.to_toml(), encoding="utf-8")
        (staging / "run.json").write_text(json.dumps(
            {"seed": seed, "weeks": model.steps, "scenario": model.spec.source}, indent=2))
        fig = run_figure(model.timeline(), model.supply_timeline(),
                         f"{model.spec.title} (seed {seed})")
        fig.savefig(staging / "run.png", dpi=150, bbox_inches="tight")
        plt.close(fig)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not allowed: expected 1 or more")
    return value


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


COMMANDS: list[Callable] = [register_run, register_list, *SWEEP_COMMANDS, register_validate,
                            register_knobs]


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        args.handler(args)
    except (UserError, ParameterError) as err:
        print(f"error: {one_line(err)}", file=sys.stderr)
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
    """The message on one line: a TOML parser's message or a value may hold line breaks."""
    return " ".join(str(err).split())
