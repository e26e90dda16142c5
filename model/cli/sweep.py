"""Command line for researchers: `python -m model sweep | sensitivity | plot`.

The commands only read arguments, call `model.experiments` and `model.plots.sweeps`, and show what
came back. Heavy libraries (pandas, SALib, Dask, matplotlib) are imported when a command runs,
so `python -m model list` stays quick. A user's mistake ends in one line and exit status 2,
before any file is written (see `model.cli.main`).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import warnings
from pathlib import Path

from ..errors import check_output_file, check_output_folder
from ..scenario import DEFAULT_SEED
from ..staging import staged_folder
from ..text import for_terminal
from .arguments import names, path_argument, seed_number, whole_number, zero_or_more

PLOT_OUTCOMES = ("harm", "weeks_to_exit", "weeks_devalued", "final_wellbeing")
SUMMARY_OUTCOMES = ("harm", "weeks_to_exit", "weeks_devalued")
VARY_HELP = ("a factor: PATH=START:STOP:COUNT (evenly spaced levels), PATH=V1,V2,... (listed "
             "levels), PATH=START:STOP (uniform, sampling designs) or PATH=normal:MEAN:SD "
             "(sampling designs); repeatable")


# --- sweep --------------------------------------------------------------------------------------
def register_sweep(commands) -> None:
    from ..experiments import CONFIRM_RUNS, MAX_WORKERS
    from ..experiments.design import examples

    sweep = commands.add_parser(
        "sweep", help="run a parameter sweep: factorial, Latin hypercube, Sobol or Morris",
        description="Run every combination (or sample) of parameter values, several seeded "
        "replicates each, in parallel; finished parts are saved as they complete, so an "
        "interrupted sweep resumes with --resume. Results: OUT/results.parquet (and "
        "OUT/results.csv with --csv), stamped with the version, code and settings.")
    sweep.add_argument("source", nargs="?", help="a preset, a scenario TOML file, a sweep "
                       "TOML file, or an example sweep by name (" + ", ".join(examples())
                       + ": the files in sweeps/); may be left out with --resume")
    sweep.add_argument("--scenario", metavar="PRESET_OR_FILE", help="with a sweep file: run "
                       "it on this scenario instead of the one it names (a sweep file may "
                       "itself name only a preset or a file in its own folder)")
    sweep.add_argument("--vary", action="append", default=[], metavar="PATH=SPEC",
                       help=VARY_HELP)
    sweep.add_argument("--set", dest="assignments", action="append", default=[],
                       metavar="PATH=VALUE", help="hold a parameter at a value (repeatable)")
    sweep.add_argument("--design", choices=("factorial", "latin", "sobol", "morris"))
    sweep.add_argument("--samples", type=whole_number(), help="latin: points; sobol: base N (a "
                       "power of 2); morris: trajectories")
    sweep.add_argument("--reps", type=whole_number(), help="replicate runs per design point")
    sweep.add_argument("--weeks", type=whole_number(), help="weeks per run")
    sweep.add_argument("--seed", type=seed_number, help=f"master seed (default {DEFAULT_SEED})")
    sweep.add_argument("--outcomes", type=names, help="comma-separated outcome columns to "
                       "keep (default: all)")
    sweep.add_argument("--timelines", action="store_true", default=None,
                       help="also keep every run's weekly timeline (OUT/timelines.parquet)")
    sweep.add_argument("--runs-per-part", type=whole_number(), help="runs saved together "
                       "(default 20)")
    sweep.add_argument("--out", type=path_argument, required=True, help="the results folder")
    sweep.add_argument("--workers", type=whole_number(1, MAX_WORKERS),
                       help="local worker processes (default: all cores)")
    sweep.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler, e.g. "
                       "tcp://10.0.0.5:8786, to run on a cluster instead")
    sweep.add_argument("--resume", action="store_true", help="finish the sweep in --out, "
                       "running only what is missing")
    sweep.add_argument("--csv", action="store_true", help="also write the table as "
                       "OUT/results.csv (same rows and columns; its stamp in "
                       "results.csv.json), for SPSS, jamovi, R or a spreadsheet; with --resume "
                       "on a finished sweep, writes it from the saved table")
    sweep.add_argument("--quiet", action="store_true", help="no progress bar")
    sweep.add_argument("--yes", action="store_true", help=f"run a sweep of more than "
                       f"{CONFIRM_RUNS:,} runs (without it, such a sweep is refused with its "
                       "size)")
    sweep.set_defaults(handler=command_sweep)


def command_sweep(args: argparse.Namespace) -> None:
    from ..experiments import CONFIRM_RUNS, execute

    sweep = sweep_from_args(args)
    if not args.yes:
        sweep.check_size(CONFIRM_RUNS, " without --yes (add it to run this one)")
    try:
        result = execute(sweep, args.out, workers=args.workers, scheduler=args.scheduler,
                         resume=args.resume, progress=not args.quiet)
    except KeyboardInterrupt:
        print(f"\ninterrupted: finished parts are saved in {args.out}; run the same command "
              "with --resume to finish", file=sys.stderr)
        raise SystemExit(130) from None
    if args.csv:
        _write_csv(args.out)
    print(for_terminal(summary(result)))
    if args.csv:
        print(f"CSV: {args.out}/results.csv (its stamp: {args.out}/results.csv.json)")


def _write_csv(out: Path) -> None:
    """results.csv from the finished table, whole or not at all (see Store.write_csv)."""
    from ..errors import path_error
    from ..experiments import Store

    try:
        Store(out).write_csv()
    except OSError as err:
        raise path_error("--out", out, err) from None


def sweep_from_args(args: argparse.Namespace):
    """The declaration: from a sweep file, a saved sweep (--resume) or a scenario, then the
    command line's options on top."""
    from ..scenario import parse_assignment
    from ..experiments import parse_vary

    base = _base_sweep(args)
    fixed = {**base.fixed, **dict(parse_assignment(a) for a in args.assignments)}
    added = {factor.path: factor for factor in map(parse_vary, args.vary)}
    vary = tuple(added.pop(f.path, f) for f in base.vary) + tuple(added.values())
    options = {"design": args.design, "samples": args.samples, "replicates": args.reps,
               "weeks": args.weeks, "seed": args.seed, "outcomes": args.outcomes,
               "timelines": args.timelines, "runs_per_part": args.runs_per_part}
    changes = {k: v for k, v in options.items() if v is not None}
    return dataclasses.replace(base, fixed=fixed, vary=vary, **changes).checked()


def _base_sweep(args: argparse.Namespace):
    from ..experiments import Store, Sweep, SweepError, is_sweep_file, read_sweep
    from ..experiments.store import check_stamp

    if args.source is None:
        saved = args.out / Store.DECLARATION
        if not (args.resume and saved.exists()):
            raise SweepError("sweep: give a preset, a scenario file or a sweep file (or --resume "
                             "with an --out folder that holds a sweep)")
        if args.scenario is not None:
            raise SweepError(f"--scenario {args.scenario!r}: goes with a sweep file; a resumed "
                             "sweep keeps the scenario it started with")
        check_stamp(saved)  # before its scenario is opened: a saved declaration names it in full
        return read_sweep(saved, confined=False)
    if is_sweep_file(args.source):
        return read_sweep(args.source, scenario=args.scenario)
    from ..experiments.design import examples
    from ..scenario import presets

    if args.source not in presets() and args.source in examples():  # an example, by name
        return read_sweep(examples()[args.source], scenario=args.scenario)
    if args.scenario is not None:
        raise SweepError(f"--scenario {args.scenario!r}: goes with a sweep file, whose scenario "
                         f"it replaces; {args.source!r} is already the scenario")
    return Sweep(scenario=args.source)


def summary(result) -> str:
    """What a researcher wants to see when a sweep ends: how it went, where the table is, and
    the main outcomes against the first varied knob."""
    from ..experiments import Store

    failed = result.failed_runs
    where = result.out if result.out is not None else "memory"
    lines = [f"Sweep done: {result.total_runs} runs ({result.resumed_runs} from earlier parts, "
             f"{failed['run'].nunique()} failed) in {result.seconds:.1f} s on {result.workers}"
             + (f", {result.runs_per_second:.1f} runs/s." if result.new_runs else "."),
             f"Table: {where}/{Store.RESULTS} ({len(result.table)} rows, one per run and "
             f"partner); declaration: {where}/{Store.DECLARATION}"]
    if result.set_aside:
        lines.append(f"Damaged parts moved to {where}/damaged/ and run again: "
                     + ", ".join(result.set_aside))
    if len(failed):
        first = failed.iloc[0]
        lines.append(f"First failure (run {first['run']}, seed {first['seed']}): {first['error']}")
    means = _means_table(result)
    if means is not None:
        lines += ["", means]
    lines += ["", f"Next: supply-cycle plot {where}"
              + ("" if result.sweep.design in ("factorial", "latin") else
                 f"   |   supply-cycle sensitivity {where}")]
    return "\n".join(lines)


def _means_table(result) -> str | None:
    from ..experiments.sensitivity import bands, per_run
    from ..plots.sweeps import level_text

    sweep, table = result.sweep, result.table
    outcomes = [o for o in SUMMARY_OUTCOMES if o in table.columns]
    if not sweep.paths or not outcomes or table["error"].notna().all():
        return None
    import pandas as pd

    x = sweep.paths[0]
    columns = {}
    for outcome in outcomes:  # a level where an outcome is always missing has no row: align
        stats = bands(per_run(table, sweep, outcome), x).set_index(x)
        columns[outcome] = pd.Series(
            [f"{m:.3g} [{lo:.3g}, {hi:.3g}]" for m, lo, hi in
             zip(stats["mean"], stats["low"], stats["high"], strict=True)],
            index=[level_text(v) for v in stats.index], dtype=object)
    frame = pd.DataFrame(columns).fillna("-")
    if frame.empty:
        return None
    frame.index.name = x
    return (f"Mean per run (partners averaged) [95% CI] by {x}:\n"
            + frame.to_string(max_rows=24))


# --- sensitivity --------------------------------------------------------------------------------
def register_sensitivity(commands) -> None:
    sens = commands.add_parser(
        "sensitivity", help="Sobol or Morris indices of a finished sobol/morris sweep",
        description="Which knobs matter most for each outcome: Sobol indices (S1, ST) or Morris "
        "effects (mu*, sigma) with 95% bootstrap intervals, as a table and a figure.")
    sens.add_argument("results", type=path_argument, help="the folder of a finished sweep")
    sens.add_argument("--outcomes", type=names, default=None,
                      help="comma-separated outcomes (default: harm,weeks_to_exit)")
    sens.add_argument("--partner", type=zero_or_more, help="one partner's outcome (default: the "
                      "mean over partners in each run)")
    sens.add_argument("--resamples", type=whole_number(1, 100_000), default=1000,
                      help="bootstrap resamples for the intervals (default 1000)")
    sens.add_argument("--out", type=path_argument, help="folder for sensitivity.csv and "
                      "sensitivity.png (default: the results folder)")
    sens.set_defaults(handler=command_sensitivity)


def command_sensitivity(args: argparse.Namespace) -> None:
    from ..experiments.sensitivity import (
        DEFAULT_OUTCOMES,
        SmallDesignWarning,
        interactions,
        sensitivity,
    )
    from ..plots.sweeps import indices_figure
    from ..experiments import read_results

    sweep, table = read_results(args.results)
    out = args.out or args.results
    check_output_folder(out, "--out")  # now, not after the bootstrap
    outcomes = args.outcomes or list(DEFAULT_OUTCOMES)
    with warnings.catch_warnings(record=True) as caught:  # said once each, on one line
        warnings.simplefilter("always", SmallDesignWarning)
        indices = sensitivity(table, sweep, outcomes, partner=args.partner,
                              resamples=args.resamples)
    fig = indices_figure(indices, sweep.design, sweep.title)
    made = _stamp(args, sweep, outcomes=outcomes, partner=args.partner,
                  resamples=args.resamples)
    writers = {"sensitivity.csv": _csv_writer(indices, made),
               "sensitivity.png": _figure_writer(fig, made)}
    pairs = interactions(table, sweep, outcomes, args.partner, args.resamples) \
        if sweep.second_order and sweep.design == "sobol" else None
    if pairs is not None:
        writers["interactions.csv"] = _csv_writer(pairs, made)
    _write_outputs(out, writers)
    for warning in caught:  # after the outputs: a refused --out is the one line said
        print(f"warning: {warning.message}", file=sys.stderr)
    print(indices.round(3).to_string(index=False))
    if pairs is not None:
        print("\nStrongest pairwise interactions (S2):")
        print(pairs.groupby("outcome", sort=False).head(3).round(3).to_string(index=False))
    print(f"\nWrote {', '.join(f'{out}/{name}' for name in writers)}")


# --- plot ---------------------------------------------------------------------------------------
def register_plot(commands) -> None:
    plot = commands.add_parser(
        "plot", help="draw each outcome against each varied knob (mean and 95%% band)",
        description="One panel per outcome and varied knob: the mean over replicate runs and "
        "its 95% confidence band, saved as a PNG.")
    plot.add_argument("results", type=path_argument, help="the folder of a finished sweep")
    plot.add_argument("--outcomes", type=names, help="comma-separated outcomes (default: "
                      + ",".join(PLOT_OUTCOMES) + ", where present)")
    plot.add_argument("--x", type=names, help="comma-separated varied paths for the x axes "
                      "(default: every varied path)")
    plot.add_argument("--by", help="one line per partner ('partner'), per level of another "
                      "varied path, or 'none' (default: per partner when there are at most 6)")
    plot.add_argument("--partner", type=zero_or_more, help="one partner's outcome instead of the "
                      "mean over partners")
    plot.add_argument("--out", type=path_argument, help="the PNG to write, or a folder for "
                      "outcomes.png (default: RESULTS/outcomes.png)")
    plot.set_defaults(handler=command_plot)


def command_plot(args: argparse.Namespace) -> None:
    from ..experiments.sensitivity import (band_grid, check_outcomes, check_partner,
                                           numeric_outcomes)
    from ..plots.sweeps import bands_figure
    from ..experiments import SweepError, read_results

    sweep, table = read_results(args.results)
    out = _plot_target(args.out, args.results)
    if not sweep.paths:
        raise SweepError(f"{args.results}: nothing was varied, so there is no axis to plot")
    usable = numeric_outcomes(table, sweep)
    outcomes = args.outcomes or [o for o in PLOT_OUTCOMES if o in usable] or usable[:4]
    check_outcomes(table, sweep, outcomes)
    check_partner(table, args.partner)
    xs = args.x or sweep.paths
    for x in xs:
        if x not in sweep.paths:
            raise SweepError(f"--x {x!r}: not a varied parameter; varied: "
                             + ", ".join(sweep.paths))
    by = _grouping(args.by, table, sweep, xs, args.partner)
    grid = band_grid(table, sweep, outcomes, xs, by=by, partner=args.partner)
    fig = bands_figure(grid, sweep.title)
    made = _stamp(args, sweep, outcomes=outcomes, x=xs, by=by, partner=args.partner)
    _write_outputs(out.parent, {out.name: _figure_writer(fig, made)})
    print(f"Wrote {out}")


def _plot_target(out: Path | None, results: Path) -> Path:
    """The figure to write: a folder given as --out gets outcomes.png inside it, not beside
    it; a file needs a name matplotlib can save (its type follows the ending)."""
    from ..experiments import Store, SweepError

    if out is None or out.is_dir():
        out = (out or results) / "outcomes.png"
    formats = _figure_formats()
    if out.suffix.lower().lstrip(".") not in formats:
        raise SweepError(f"--out {str(out)!r}: expected a figure file name ending in "
                         + ", ".join(f".{f}" for f in formats) + ", or a folder")
    inputs = (results / Store.RESULTS, results / Store.DECLARATION)
    check_output_file(out, "--out", inputs)  # now, not after the figure is drawn
    return out


def _figure_formats() -> list[str]:
    """The file types matplotlib can save (png, pdf, svg, ...), from its own list."""
    from matplotlib.backend_bases import FigureCanvasBase

    return sorted(FigureCanvasBase.get_supported_filetypes())


def _grouping(by: str | None, table, sweep, xs: list[str], partner: int | None) -> str | None:
    from ..experiments.sensitivity import default_grouping
    from ..experiments import SweepError

    if by is None:
        return "name" if default_grouping(table, partner) else None
    if by == "none":
        return None
    if by == "partner":
        if partner is not None:
            raise SweepError("--by partner and --partner: choose one")
        return "name"
    if by not in sweep.paths or by in xs:
        others = [p for p in sweep.paths if p not in xs]
        raise SweepError(f"--by {by!r} is not allowed: expected partner, none"
                         + "".join(f", {p}" for p in others))
    return by


# --- shared helpers -----------------------------------------------------------------------------
def _stamp(args: argparse.Namespace, sweep, **options) -> dict:
    """The stamp of a figure or table drawn from a finished sweep: the sweep's declaration
    and master seed (the bootstrap's seed derives from it too) and this command's options."""
    from ..provenance import SWEEP_SEEDS, stamp

    return stamp({"command": args.command, "results": str(args.results),
                  "sweep": sweep.to_dict(), **options}, seed=sweep.seed,
                 seed_scheme=SWEEP_SEEDS)


def _csv_writer(table, made: dict):
    """Write a CSV and its stamp beside it (NAME.csv.json), the rule for every CSV."""
    from ..provenance import write_sidecar
    from ..text import csv_safe

    def write(path: Path) -> None:
        csv_safe(table).to_csv(path, index=False)
        write_sidecar(path, made)
    return write


def _figure_writer(fig, made: dict):
    """Save a figure with the stamp in its metadata (PNG text chunks; SVG and PDF carry it
    too, other types as saved)."""
    from ..provenance import figure_metadata

    def write(path: Path) -> None:
        fig.savefig(path, dpi=300, bbox_inches="tight",
                    metadata=figure_metadata(made, path.suffix))
    return write


def _write_outputs(folder: Path, writers: dict) -> None:
    """Write every file beside `folder`, then move all into it: all or nothing."""
    with staged_folder(folder, prefix=".outputs-") as staging:
        for name, write in writers.items():
            write(staging / name)


SWEEP_COMMANDS = [register_sweep, register_sensitivity, register_plot]
