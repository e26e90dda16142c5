"""Run together: a class experiment is a sweep whose replicates are the students.

The lecturer picks a setting, a range and a number of values; the experiment is then an
ordinary sweep declaration (`model.experiments.Sweep`: one `Range` factor, a factorial design,
replicates, a master seed, common seeds), so every run's seed comes from the project's one seed
scheme (`model.experiments.seeds.run_seed`) and the same declaration, saved as a sweep file,
runs unchanged on the command line: `supply-cycle sweep class-experiment.toml --out DIR`.

Each student's page takes one run of it (a value and a seed), runs it exactly as a sweep's
worker would (`model.experiments.run_part` on a part of one run) and sends back the run's
outcomes, reduced as the command line reduces them (`sensitivity.per_run`: the partner whose
setting it is, or the mean over partners). The projector's table is `sensitivity.bands` of
those values, the function `supply-cycle sweep` prints its means and 95% intervals with, so
the class's table equals the command line's for the same values and seeds, to the last digit.
The outcomes are the ones the command line's summary shows (`model.cli.sweep`).
"""

from __future__ import annotations

import dataclasses
import math
import threading
import tomllib
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import pandas as pd

from model.cli.sweep import SUMMARY_OUTCOMES
from model.experiments import PartJob, Range, Sweep, from_dict, plan, run_part
from model.experiments.sensitivity import bands, per_run
from model.scenario import load, value_at

from ..sweep import OUTCOMES as LABELS
from .room import Outcome, Plan, Replicate

OUTCOMES = tuple(SUMMARY_OUTCOMES)
"""What each run sends back: the command line's summary outcomes."""
MOST_HARM = 1e6
"""No run comes near this much harm; a larger value is refused as impossible."""
VALUES = (2, 11)
"""Values of the setting: at least two; at most 11, so that the command line lists each level
rather than binning them (`sensitivity.MAX_LEVELS`)."""
PER_VALUE = (1, 50)
TITLE = "Class experiment"


def partner_of(path: str) -> int | None:
    """The partner whose outcomes a sweep of `path` reports (`per_run`'s partner), or None
    for the mean over partners (a setting of everyone, of a narcissist, or of the run)."""
    parts = path.split(".")
    return int(parts[1]) if parts[0] == "partners" and parts[1].isdigit() else None


def class_sweep(preset: str, path: str, low: float, high: float, values: int,
                per_value: int, seed: int) -> Sweep:
    """The declaration of a class experiment, checked (a `SweepError` names a bad input)."""
    for name, number, (least, most) in (("values", values, VALUES),
                                         ("runs per value", per_value, PER_VALUE)):
        if isinstance(number, bool) or not isinstance(number, int) or not \
                least <= number <= most:
            from model.experiments import SweepError

            raise SweepError(f"{name} = {number!r} is not allowed: expected a whole number "
                             f"from {least} to {most}")
    return Sweep(scenario=preset, vary=(Range(path, low, high, values),), replicates=per_value,
                 seed=seed, common_seeds=True, outcomes=OUTCOMES, title=TITLE).checked()


def declaration(sweep: Sweep) -> str:
    """The sweep file of the experiment (what "Sweep file (TOML)" saves)."""
    return sweep.to_toml()


def plan_for(sweep: Sweep, label: str) -> Plan:
    """The runs in the order they are handed out: the first replicate at every value, then
    the second, and so on, so the chart has every value early and fills in evenly."""
    specs = sorted(sweep.runs(), key=lambda s: (s.replicate, s.point))
    path = sweep.paths[0]
    weeks = float(sweep.weeks or value_at(load(sweep.scenario), "world.weeks"))
    outcomes = tuple(Outcome(name, LABELS.get(name, name), 0.0,
                             MOST_HARM if name == "harm" else weeks,
                             may_be_missing=name == "weeks_to_exit") for name in OUTCOMES)
    return Plan(setting=path, label=label,
                runs=tuple(Replicate(s.run, float(dict(s.varied)[path]), s.seed)
                           for s in specs),
                outcomes=outcomes, declaration=declaration(sweep))


_lock = threading.Lock()


@lru_cache(maxsize=8)
def _declared(text: str) -> tuple[Sweep, PartJob]:
    sweep = from_dict(tomllib.loads(text), where="class experiment")
    return sweep, plan(sweep).jobs[0]


def run_replicate(text: str, run: int) -> dict[str, float]:
    """Run number `run` of the declared experiment as a sweep's worker runs it, and reduce it
    to the values the command line's table gives that run (NaN where an outcome is missing)."""
    with _lock:
        sweep, template = _declared(text)
    spec = sweep.runs()[run]
    table = run_part(dataclasses.replace(template, index=0, runs=(spec,))).table
    if table["error"].notna().any():
        raise RuntimeError(f"run {run} failed: {table['error'].dropna().iloc[0]}")
    partner = partner_of(sweep.paths[0])
    values = {}
    for outcome in OUTCOMES:
        found = per_run(table, sweep, outcome, partner)["value"]
        values[outcome] = float(found.iloc[0]) if len(found) else math.nan
    return values


def per_run_values(plan: Plan, results: Mapping[int, Mapping[str, float]]) -> pd.DataFrame:
    """The arrived runs as the command line's `per_run` gives them: run, design point, the
    setting's value, and one column per outcome; in run order."""
    values = sorted(plan.values)
    by_run = {r.run: r for r in plan.runs}
    rows = [{"run": run, "point": values.index(by_run[run].value), plan.setting:
             by_run[run].value, **{o: float(v) for o, v in outcomes.items()}}
            for run, outcomes in sorted(results.items())]
    return pd.DataFrame(rows, columns=["run", "point", plan.setting, *OUTCOMES])


def summary(runs: Mapping[str, pd.DataFrame], setting: str) -> pd.DataFrame:
    """Mean and 95% interval per value, for each outcome: `sensitivity.bands` of each
    outcome's per-run values (`runs[outcome]`: run, point, the setting, value)."""
    frames = []
    for outcome, observations in runs.items():
        stats = bands(observations, setting).rename(columns={setting: "value"})
        frames.append(stats.assign(outcome=outcome))
    if not frames:
        return pd.DataFrame(columns=["value", "outcome", "count", "mean", "std", "low", "high"])
    table = pd.concat(frames, ignore_index=True)
    return table[["value", "outcome", "count", "mean", "std", "low", "high"]]


def class_summary(plan: Plan, results: Mapping[int, Mapping[str, float]]) -> pd.DataFrame:
    """The class's sweep table from the runs that have arrived."""
    frame = per_run_values(plan, results)
    return summary({o: frame[["run", "point", plan.setting, o]].rename(columns={o: "value"})
                    for o in OUTCOMES}, plan.setting)


def command_line_summary(table: pd.DataFrame, sweep: Sweep) -> pd.DataFrame:
    """The same table from a finished sweep's results (`supply-cycle sweep`'s table, or
    `execute(sweep).table`): what the class's table is checked against."""
    partner = partner_of(sweep.paths[0])
    return summary({o: per_run(table, sweep, o, partner) for o in OUTCOMES}, sweep.paths[0])


def export_table(summary_table: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """The sweep table as the lecturer exports it: the setting, each value and outcome, the
    number of runs, mean, standard deviation and 95% interval. One row per value and outcome,
    never per student."""
    table = summary_table.rename(columns={"count": "runs"})
    return table.assign(setting=plan.setting)[["setting", "value", "outcome", "runs", "mean",
                                                 "std", "low", "high"]]


def progress_words(plan: Plan, arrived: int) -> str:
    return (f"{arrived} of {len(plan.runs)} result{'s' * (len(plan.runs) != 1)} have arrived"
            if arrived != 1 else f"1 of {len(plan.runs)} results has arrived")


def outcome_words(values: Mapping[str, Any]) -> str:
    """A run's outcomes in words, as a student's page says them."""
    said = []
    for name in OUTCOMES:
        value = values.get(name)
        label = LABELS.get(name, name).lower()
        said.append(f"{label} {value:.2f}" if isinstance(value, float) and not math.isnan(value)
                    else f"{label} not known")
    return ", ".join(said)
