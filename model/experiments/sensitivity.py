"""What a finished sweep says: which knobs matter, and how each outcome moves with each knob.

Two questions, two tools:

* **Which knobs matter most?** Variance-based Sobol indices (from a `sobol` sweep) or Morris
  elementary effects (from a cheaper `morris` screening sweep), computed with SALib. The
  bootstrap behind their 95% confidence intervals is seeded from the sweep's master seed.
* **How does an outcome move with a knob?** The mean over replicate runs at each level, with a
  95% confidence band for that mean (Student's t), drawn by `model.plots.sweeps`.

The unit of replication is the run, not the partner: partners in one run share a narcissist and
a random stream, so they are not independent. An outcome is therefore averaged over partners
within a run (or one partner is chosen) before any mean, interval or index is computed.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..plots.sweeps import BandGrid
from ..validation.stats import t_bands
from .design import IDENTITY, Sweep
from .factors import SweepError
from .seeds import analysis_seed

DEFAULT_OUTCOMES = ("harm", "weeks_to_exit")
"""The two questions the issue asks first: how much harm, and how long until she is out."""

MAX_LEVELS = 12
"""More distinct values than this and a knob is binned (sampling designs), not listed."""

PER_PARTNER_LINES = 6
"""Up to this many partners, figures draw one line per partner by default."""

WIDE_SOBOL_INTERVAL = 0.2
"""A Sobol index lies in [0, 1]; an interval wider than +/-0.2 cannot rank knobs whose indices
differ by less than that, which is most of them (a modelling choice of what "too wide" means)."""

WIDE_MORRIS_INTERVAL = 0.5
"""Morris mu* is in the outcome's units: an interval above half the largest mu* is too wide."""


class SmallDesignWarning(UserWarning):
    """The sweep is too small for the indices it gave: they are shown, but cannot be trusted."""


# --- choosing what to analyse -------------------------------------------------------------------
def numeric_outcomes(table: pd.DataFrame, sweep: Sweep) -> list[str]:
    """Outcome columns that can be averaged (numbers and yes/no)."""
    skip = {*IDENTITY, *sweep.paths, "partner", "name", "error"}
    return [c for c in table.columns if c not in skip and
            (pd.api.types.is_numeric_dtype(table[c]) or pd.api.types.is_bool_dtype(table[c]))]


def check_outcomes(table: pd.DataFrame, sweep: Sweep, outcomes: Sequence[str]) -> list[str]:
    """Return the outcomes, or raise SweepError naming the first one that cannot be used."""
    usable = numeric_outcomes(table, sweep)
    for name in outcomes:
        if name not in usable:
            kind = "is not numeric" if name in table.columns else "is not in the table"
            raise SweepError(f"outcome {name!r} {kind}; numeric outcomes: " + ", ".join(usable))
    return list(outcomes)


def check_partner(table: pd.DataFrame, partner: int | None) -> None:
    if partner is None:
        return
    known = sorted(int(p) for p in table["partner"].dropna().unique())
    if partner not in known:
        raise SweepError(f"--partner {partner}: no such partner; the table has partners "
                         f"{known[0]} to {known[-1]}" if known else "--partner: no partner rows")


def per_run(table: pd.DataFrame, sweep: Sweep, outcome: str, partner: int | None = None,
            by_partner: bool = False) -> pd.DataFrame:
    """One value per run (or per run and partner): the outcome, averaged over partners."""
    rows = table[table["error"].isna()]
    if partner is not None:
        rows = rows[rows["partner"] == partner]
    keys = ["run", "point", *sweep.paths, *(["name"] if by_partner else [])]
    values = rows[outcome].astype("float64")
    return (rows.assign(value=values).groupby(keys, sort=True, dropna=False)["value"].mean()
            .reset_index())


def per_point(table: pd.DataFrame, sweep: Sweep, outcome: str, partner: int | None,
              points: int) -> np.ndarray:
    """The outcome at every design point: the mean over its replicate runs (NaN if none)."""
    runs = per_run(table, sweep, outcome, partner)
    means = runs.groupby("point")["value"].mean()
    return means.reindex(range(points)).to_numpy(dtype=float)


# --- sensitivity indices ------------------------------------------------------------------------
def sensitivity(table: pd.DataFrame, sweep: Sweep, outcomes: Sequence[str] = DEFAULT_OUTCOMES,
                partner: int | None = None, resamples: int = 1000) -> pd.DataFrame:
    """Sobol or Morris indices, one row per outcome and knob, most influential first."""
    if sweep.design not in ("sobol", "morris"):
        raise SweepError(f"sensitivity needs a sobol or morris sweep; this one is {sweep.design} "
                         "(declare design = \"sobol\" or --design sobol)")
    frames = [_indices(sweep, outcome, found)
              .assign(noise_share=noise_share(table, sweep, outcome, partner))
              for outcome, found in _analyses(table, sweep, outcomes, partner, resamples)]
    indices = pd.concat(frames, ignore_index=True)
    for message in design_warnings(indices, sweep):
        warnings.warn(message, SmallDesignWarning, stacklevel=2)
    return indices


def design_warnings(indices: pd.DataFrame, sweep: Sweep) -> list[str]:
    """Why these indices cannot be trusted, if they cannot: judged on the intervals found, not
    on the design's size alone, because how many runs are enough depends on the outcome."""
    found = []
    if sweep.replicates < 2:
        found.append("noise_share is NaN: with one replicate run per design point, run-to-run "
                     "chance cannot be told apart from the knobs (set replicates = 2 or more)")
    conf, value = ("ST_conf", "ST") if sweep.design == "sobol" else ("mu_star_conf", "mu_star")
    for outcome, rows in indices.groupby("outcome", sort=False):
        widest = rows.loc[rows[conf].idxmax()]
        limit = WIDE_SOBOL_INTERVAL if sweep.design == "sobol" else \
            WIDE_MORRIS_INTERVAL * float(rows[value].abs().max())
        if not widest[conf] > limit:
            continue
        samples = sweep.samples
        found.append(f"{outcome}: the 95% interval of {value} reaches +/-{widest[conf]:.2f} "
                     f"(for {widest['parameter']}) with samples = {samples}; too wide to rank "
                     "the knobs: raise samples (a Sobol analysis usually needs 512 or more, "
                     "Morris 20 or more trajectories) or replicates")
    return found


def interactions(table: pd.DataFrame, sweep: Sweep, outcomes: Sequence[str] = DEFAULT_OUTCOMES,
                 partner: int | None = None, resamples: int = 1000) -> pd.DataFrame:
    """Sobol second-order indices S2: the variance two knobs explain together beyond what each
    explains alone. One row per outcome and pair, largest first; needs second_order = true."""
    if sweep.design != "sobol" or not sweep.second_order:
        raise SweepError("interactions need a sobol sweep with second_order = true")
    frames = [_pairs(sweep, outcome, found)
              for outcome, found in _analyses(table, sweep, outcomes, partner, resamples)]
    return pd.concat(frames, ignore_index=True)


def _analyses(table, sweep, outcomes, partner, resamples) -> list[tuple[str, dict]]:
    outcomes = check_outcomes(table, sweep, list(dict.fromkeys(outcomes)))
    check_partner(table, partner)
    unit = sweep.unit_sample()
    return [(outcome, _analyse(sweep, unit, _point_values(table, sweep, outcome, partner,
                                                          len(unit)), resamples))
            for outcome in outcomes]


def noise_share(table: pd.DataFrame, sweep: Sweep, outcome: str,
                partner: int | None = None) -> float:
    """The share of the analysed outcome's variance that is run-to-run chance, not the knobs.

    The analysed value at a point is the mean of its replicates, so its chance part has the
    within-point variance divided by the replicates. Chance cannot be attributed to any knob:
    it adds about this share to every total-effect index and blurs the first-order ones.
    NaN with a single replicate, where chance cannot be told apart from the knobs.
    """
    runs = per_run(table, sweep, outcome, partner)
    if sweep.replicates < 2:
        return float("nan")
    within = runs.groupby("point")["value"].var(ddof=1).mean() / sweep.replicates
    return float(within / runs.groupby("point")["value"].mean().var(ddof=1))


def _point_values(table, sweep, outcome, partner, points) -> np.ndarray:
    y = per_point(table, sweep, outcome, partner, points)
    missing = int(np.isnan(y).sum())
    if missing:
        raise SweepError(f"outcome {outcome!r} is missing at {missing} of {points} design points "
                         "(failed runs, or no partner with a value); indices need a value at "
                         "every point: choose another outcome or partner")
    if np.allclose(y, y[0]):
        raise SweepError(f"outcome {outcome!r} does not vary across the sweep; there is no "
                         "variance to attribute to the knobs")
    return y


def _analyse(sweep: Sweep, unit: np.ndarray, y: np.ndarray, resamples: int) -> dict:
    """SALib's analysis of one outcome, its bootstrap seeded from the master seed."""
    seed = analysis_seed(sweep.seed)
    if sweep.design == "sobol":
        from SALib.analyze import sobol

        return sobol.analyze(sweep.problem(), y, calc_second_order=sweep.second_order,
                             num_resamples=resamples, conf_level=0.95, seed=seed)
    from SALib.analyze import morris

    return morris.analyze(sweep.problem(), unit, y, num_resamples=resamples, conf_level=0.95,
                          num_levels=sweep.levels, seed=seed)


def _indices(sweep: Sweep, outcome: str, found: dict) -> pd.DataFrame:
    keys, rank_by = (("S1", "S1_conf", "ST", "ST_conf"), "ST") if sweep.design == "sobol" else \
        (("mu", "mu_star", "mu_star_conf", "sigma"), "mu_star")
    frame = pd.DataFrame({"outcome": outcome, "parameter": sweep.paths,
                          **{k: np.asarray(found[k], dtype=float) for k in keys}})
    frame = frame.sort_values(rank_by, ascending=False, kind="stable").reset_index(drop=True)
    return frame.assign(rank=np.arange(1, len(frame) + 1))


def _pairs(sweep: Sweep, outcome: str, found: dict) -> pd.DataFrame:
    paths = sweep.paths
    rows = [{"outcome": outcome, "parameter": paths[i], "other": paths[j],
             "S2": float(found["S2"][i][j]), "S2_conf": float(found["S2_conf"][i][j])}
            for i in range(len(paths)) for j in range(i + 1, len(paths))]
    frame = pd.DataFrame(rows, columns=["outcome", "parameter", "other", "S2", "S2_conf"])
    return frame.sort_values("S2", ascending=False, kind="stable").reset_index(drop=True)


# --- means and bands ----------------------------------------------------------------------------
def bands(observations: pd.DataFrame, x: str, group: str | None = None,
          bins: int = 10) -> pd.DataFrame:
    """Mean and 95% confidence interval of `value` at each level (or bin) of `x`: the columns
    x, `group` (when given), count, mean, std, low and high. A level where `value` is always
    missing has no row."""
    data = observations.dropna(subset=["value"]).copy()
    data[x] = _levels(data[x], bins)
    keys = [x, *([group] if group else [])]
    return t_bands(data, "value", keys).rename(columns={"n": "count"})


def _levels(values: pd.Series, bins: int) -> pd.Series:
    """Numeric knobs with many distinct values (sampling designs) go into equal-width bins,
    each shown at its centre."""
    if not pd.api.types.is_float_dtype(values) or values.nunique() <= MAX_LEVELS:
        return values
    edges = np.linspace(values.min(), values.max(), bins + 1)
    centres = (edges[:-1] + edges[1:]) / 2
    index = np.clip(np.searchsorted(edges, values, side="right") - 1, 0, bins - 1)
    return pd.Series(centres[index], index=values.index)


def default_grouping(table: pd.DataFrame, partner: int | None) -> bool:
    """Draw one line per partner when there are few (the classroom), pool them otherwise."""
    return partner is None and table["partner"].nunique() <= PER_PARTNER_LINES


def band_grid(table: pd.DataFrame, sweep: Sweep, outcomes: Sequence[str],
              xs: Sequence[str], by: str | None = None, partner: int | None = None) -> BandGrid:
    """Each outcome against each varied knob: mean and 95% band, for `bands_figure`.

    `by` is "name" (one line per partner), another varied path (one line per level), or None
    (one line: partners averaged within each run, or the chosen `partner`).
    """
    stats = {}
    for outcome in outcomes:
        observations = per_run(table, sweep, outcome, partner, by_partner=by == "name")
        for x in xs:
            stats[(outcome, x)] = _within(bands(observations, x, by), observations["value"])
    reps = sweep.replicates
    note = (f"mean over runs with 95% confidence band; {reps} replicate run(s) per design point"
            + ("" if by else "; partners averaged within each run" if partner is None else
               f"; partner {partner}"))
    return BandGrid(tuple(outcomes), tuple(xs), by, stats, note)


def _within(stats: pd.DataFrame, values: pd.Series) -> pd.DataFrame:
    """Bands drawn within the range the outcome took: with two or three replicates a t
    interval can reach far past values the outcome can have, and would flatten the means."""
    low, high = values.min(), values.max()
    return stats.assign(low=stats["low"].clip(low, high), high=stats["high"].clip(low, high))
