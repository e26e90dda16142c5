"""`python -m model run` and `python -m model list`: one scenario run and its story, the presets.

Output files are written to a temporary folder first and moved into place only when every one
of them is complete, so a run that fails or is interrupted leaves no half-written folder.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import PathError, check_output_folder, path_error
from ..scenario import DEFAULT_SEED, load, parse_assignment, presets
from ..text import for_terminal
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
                     "events.csv, supply.csv, run.png and scenario.toml (which repeats the run: "
                     "its seed is the one used); a folder that is not empty is refused")
    run.add_argument("--force", action="store_true", help="replace what --out holds, when it "
                     "holds an earlier run, with this run's files alone")
    run.add_argument("--story-lines", type=whole_number(), default=60,
                     help="most story lines to print (default 60)")
    run.set_defaults(handler=command_run)


def register_list(commands) -> None:
    listing = commands.add_parser("list", help="list the preset scenarios")
    listing.set_defaults(handler=command_list)


def command_list(args: argparse.Namespace) -> None:
    for name in presets():
        print(for_terminal(f"{name:<22} {load(name).title}"))


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
        check_replaceable(args.out, args.force)
    model.run()
    if args.out is not None:  # before printing: a reader that stops early (`| head`) loses
        write_run(model, args.out, args.seed, inputs,  # only lines, never the files
                  overrides=overrides, replace=args.force)
    outcomes = model.outcomes()  # names and titles shown, never obeyed, by the terminal:
    print(for_terminal(f"{model.spec.title}  (seed {args.seed}, {model.steps} weeks)\n"))
    print(for_terminal(outcome_summary(outcomes).to_string(index=False)))
    print("\nThe story of the run:")
    for line in condensed_story(model.events, limit=args.story_lines):
        print(for_terminal("  " + line))
    if args.out is not None:
        print(f"\nWrote outcomes, timeline, events, supply, figure and scenario to {args.out}/")


def check_replaceable(out: Path, force: bool) -> None:
    """Refuse to mix this run's files with what `out` holds: it must be empty or new, or, with
    --force, hold an earlier run (its run.json) and no folder, because --force deletes the rest.
    A mistyped `--out .` with --force then costs nothing."""
    from ..staging import STAGING_PREFIXES

    try:  # scratch folders of earlier runs are not outputs: staging removes the stale ones
        held = sorted(p for p in out.iterdir() if not p.name.startswith(STAGING_PREFIXES)) \
            if out.is_dir() else []
        folders = [p.name for p in held if p.is_dir()]
        earlier_run = (out / "run.json").is_file()
    except OSError as err:
        raise path_error("--out", out, err) from None
    if not held:
        return
    if not force:
        raise PathError(f"--out {str(out)!r}: the folder is not empty; pass --force to replace "
                        "what it holds with this run, or choose another folder")
    if folders or not earlier_run:
        what = f"the folder {folders[0]!r}" if folders else "files but no run.json"
        raise PathError(f"--out {str(out)!r}: holds {what}, so it is not an earlier run's "
                        "folder, which is all --force replaces; choose another folder")


def outcome_summary(outcomes):
    """The columns of the outcome table worth printing in a terminal."""
    columns = ["name", "boundary", "end_reason", "end_step", "weeks_devalued", "cycles",
               "returns", "hoover_attempts", "rage_episodes", "harm", "min_wellbeing",
               "final_wellbeing", "trauma_bond_peak", "recovery"]
    return outcomes[columns].round(2)


def write_run(model, out: Path, seed: int, inputs: tuple[Path, ...] = (),
              overrides: dict | None = None, replace: bool = False) -> None:
    """Write every output of a run, all or nothing; refuse a folder that holds an input.

    run.json holds the run's stamp (version, code checksum, seed, overrides, every setting);
    each CSV has it beside it (NAME.csv.json) and run.png in its metadata."""
    from ..plots.palette import pyplot
    from ..plots.run import run_figure
    from ..provenance import png_metadata, to_json, write_sidecar
    from ..staging import staged_folder
    from ..text import csv_safe

    with staged_folder(out, prefix=".run-", inputs=inputs, replace=replace) as staging:
        made = run_stamp(model, seed, overrides or {})
        for name, table in (("outcomes", model.outcomes()), ("timeline", model.timeline()),
                            ("events", model.events_table()),
                            ("supply", model.supply_timeline())):
            csv_safe(table).to_csv(staging / f"{name}.csv", index=False)
            write_sidecar(staging / f"{name}.csv", made)
        (staging / "scenario.toml").write_text(model.spec.to_toml(), encoding="utf-8")
        (staging / "run.json").write_text(to_json(made) + "\n", encoding="utf-8")
        fig = run_figure(model.timeline(), model.supply_timeline(),
                         f"{model.spec.title} (seed {seed})")
        fig.savefig(staging / "run.png", dpi=150, bbox_inches="tight",
                    metadata=png_metadata(made))
        pyplot().close(fig)


def run_stamp(model, seed: int, overrides: dict) -> dict:
    """A run's stamp: the seed it ran with, the scenario's source, the overrides given, the
    weeks run and every setting (the scenario as scenario.toml writes it, with that seed)."""
    import tomllib

    from ..provenance import stamp

    settings = tomllib.loads(model.spec.to_toml())
    settings["seed"] = seed
    return {**stamp({"scenario": model.spec.source, "overrides": overrides,
                     "weeks": model.steps, "scenario_file": "scenario.toml",
                     "resolved": settings}, seed=seed),
            "weeks": model.steps, "scenario": model.spec.source}
