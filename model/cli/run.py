"""`python -m model run` and `python -m model list`: one scenario run and its story, the presets.

Output files are written to a temporary folder first and moved into place only when every one
of them is complete, so a run that fails or is interrupted leaves no half-written folder.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ..errors import check_output_folder
from ..scenario import DEFAULT_SEED, load, parse_assignment, presets
from .arguments import path_argument, seed_number, whole_number


def register_run(commands) -> None:
    run = commands.add_parser("run", help="run a scenario and tell its story")
    run.add_argument("scenario", help="a preset name (see `list`) or a path to a TOML file")
    run.add_argument("--weeks", type=whole_number(), help="weeks to simulate (default: the "
                     "scenario's world.weeks)")
    run.add_argument("--seed", type=seed_number, default=None,
                     help="random seed (default: the scenario's own seed, "
                     f"{DEFAULT_SEED} if it names none)")
    run.add_argument("--set", dest="assignments", action="append", default=[],
                     metavar="PATH=VALUE", help="override a parameter, e.g. "
                     "partners.0.boundary=0.8 or narcissist.reinforcement=0 (repeatable)")
    run.add_argument("--out", type=path_argument, help="folder for outcomes.csv, timeline.csv, "
                     "events.csv, supply.csv, run.png and scenario.toml")
    run.add_argument("--story-lines", type=whole_number(), default=60,
                     help="most story lines to print (default 60)")
    run.set_defaults(handler=command_run)


def register_list(commands) -> None:
    listing = commands.add_parser("list", help="list the preset scenarios")
    listing.set_defaults(handler=command_list)


def command_list(args: argparse.Namespace) -> None:
    for name in presets():
        print(f"{name:<22} {load(name).title}")


def command_run(args: argparse.Namespace) -> None:
    from ..model import RelationshipModel
    from ..events import condensed_story

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
    from ..plots.palette import pyplot
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
        pyplot().close(fig)
