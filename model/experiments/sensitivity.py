"""What a finished sweep says: which knobs matter, and how each outcome moves with each knob.

Two questions, two tools:

* **Which knobs matter most?** Variance-based Sobol indices (from a `sobol` sweep) or Morris
  elementary effects (from a cheaper `morris` screening sweep), computed with SALib. The
  bootstrap behind their 95% confidence intervals is seeded from the sweep's master seed.
* **How does an outcome move with a knob?** The mean over replicate runs at each level, with a
  95% confidence band for that mean (Student's t), drawn as a publication-ready figure.

The unit of replication is the run, not the partner: partners in one run share a narcissist and
a random stream, so they are not independent. An outcome is therefore averaged over partners
within a run (or one partner is chosen) before any mean, interval or index is computed.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ..plots.palette import LINE_COLOURS  # noqa: E402
from ..scenario import declaration_for  # noqa: E402
from .sweep import IDENTITY, Sweep, SweepError, analysis_seed  # noqa: E402

DEFAULT_OUTCOMES = ("harm", "weeks_to_exit")
"""The two questions the issue asks first: how much harm, and how long until she is out."""

MAX_LEVELS = 12
"""More distinct values than this and a knob is binned (sampling designs), not listed."""

PER_PARTNER_LINES = 6
"""Up to this many partners, figures draw one line per partner by default."""


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
    return pd.concat(frames, ignore_index=True)


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


def indices_figure(indices: pd.DataFrame, design: str, title: str = "") -> Figure:
    """One panel per outcome: each knob's indices with their 95% intervals, largest on top."""
    pairs = (("ST", "total effect (ST)"), ("S1", "first order (S1)")) if design == "sobol" else \
            (("mu_star", "mean |effect| (mu*)"), ("sigma", "spread of effects (sigma)"))
    outcomes = list(dict.fromkeys(indices["outcome"]))
    knobs = indices["parameter"].nunique()
    columns = len(outcomes) if len(outcomes) <= 3 else 2
    rows = -(-len(outcomes) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(5.2 * columns, rows * (0.9 + 0.42 * knobs)),
                             squeeze=False)
    for ax, outcome in zip(axes.flat, outcomes, strict=False):
        _index_panel(ax, indices[indices["outcome"] == outcome], pairs, design)
        ax.set_title(outcome.replace("_", " "))
    for ax in axes.flat[len(outcomes):]:
        ax.set_visible(False)
    axes.flat[len(outcomes) - 1].legend(loc="lower right", frameon=False, fontsize=8)
    caption = ("Sobol indices: share of the outcome's variance due to each knob (bars: 95% "
               "bootstrap intervals)" if design == "sobol" else
               "Morris screening: elementary effects per full range of each knob (95% intervals)")
    fig.suptitle(f"{title}\n{caption}" if title else caption, fontsize=10)
    fig.tight_layout()
    return fig


def _index_panel(ax, rows: pd.DataFrame, pairs, design: str) -> None:
    rows = rows.iloc[::-1]
    positions = np.arange(len(rows))
    for offset, (key, text), colour in zip((0.2, -0.2), pairs, (LINE_COLOURS[0],
                                                                LINE_COLOURS[1]), strict=True):
        error = rows.get(f"{key}_conf")
        ax.barh(positions + offset, rows[key], height=0.38, color=colour, label=text,
                xerr=error, error_kw={"elinewidth": 0.8, "capsize": 2, "ecolor": "#333333"})
    ax.set_yticks(positions, [label(p) for p in rows["parameter"]], fontsize=8)
    ax.axvline(0, color="#333333", lw=0.6)
    ax.set_xlabel("index (share of variance)" if design == "sobol" else "effect on outcome")
    _tidy(ax)


# --- means and bands ----------------------------------------------------------------------------
def bands(observations: pd.DataFrame, x: str, group: str | None = None,
          bins: int = 10) -> pd.DataFrame:
    """Mean and 95% confidence interval of `value` at each level (or bin) of `x`."""
    from scipy.stats import t

    data = observations.dropna(subset=["value"]).copy()
    data[x] = _levels(data[x], bins)
    keys = [x, *([group] if group else [])]
    stats = data.groupby(keys, sort=True, dropna=False)["value"].agg(["count", "mean", "std"])
    half = t.ppf(0.975, stats["count"] - 1) * stats["std"] / np.sqrt(stats["count"])
    return stats.assign(low=stats["mean"] - half, high=stats["mean"] + half).reset_index()


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


def bands_figure(table: pd.DataFrame, sweep: Sweep, outcomes: Sequence[str],
                 xs: Sequence[str], by: str | None = None, partner: int | None = None,
                 title: str = "") -> Figure:
    """Each outcome (rows) against each varied knob (columns): mean and 95% band.

    `by` is "name" (one line per partner), another varied path (one line per level), or None
    (one line: partners averaged within each run, or the chosen `partner`).
    """
    fig, axes = plt.subplots(len(outcomes), len(xs), squeeze=False,
                             figsize=(3.6 * len(xs) + 1.6, 2.7 * len(outcomes)))
    for i, outcome in enumerate(outcomes):
        observations = per_run(table, sweep, outcome, partner, by_partner=by == "name")
        for j, x in enumerate(xs):
            ax = axes[i][j]
            stats = bands(observations, x, by)
            _band_panel(ax, _within(stats, observations["value"]), x, by)
            ax.set_ylabel(outcome.replace("_", " ") if j == 0 else "")
            ax.set_xlabel(_axis_label(x) if i == len(outcomes) - 1 else "")
    handles, labels = axes[0][0].get_legend_handles_labels()
    if labels:
        fig.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.0, 0.95), frameon=False,
                   fontsize=8, title=_legend_title(by))
    reps = sweep.replicates
    note = (f"mean over runs with 95% confidence band; {reps} replicate run(s) per design point"
            + ("" if by else "; partners averaged within each run" if partner is None else
               f"; partner {partner}"))
    fig.suptitle(f"{title}\n{note}" if title else note, fontsize=10)
    fig.tight_layout()
    return fig


def _within(stats: pd.DataFrame, values: pd.Series) -> pd.DataFrame:
    """Bands drawn within the range the outcome took: with two or three replicates a t
    interval can reach far past values the outcome can have, and would flatten the means."""
    low, high = values.min(), values.max()
    return stats.assign(low=stats["low"].clip(low, high), high=stats["high"].clip(low, high))


def _band_panel(ax, stats: pd.DataFrame, x: str, by: str | None) -> None:
    groups = [(None, stats)] if by is None else list(stats.groupby(by, sort=True))
    categorical = not pd.api.types.is_numeric_dtype(stats[x]) or \
        pd.api.types.is_bool_dtype(stats[x])
    categories = list(dict.fromkeys(stats[x])) if categorical else []
    for k, (level, rows) in enumerate(groups):
        colour = LINE_COLOURS[k % len(LINE_COLOURS)]
        text = "mean" if by is None else level_text(level)
        where = [categories.index(v) for v in rows[x]] if categorical else rows[x]
        if categorical:
            spread = np.array([rows["mean"] - rows["low"], rows["high"] - rows["mean"]])
            ax.errorbar(np.asarray(where) + 0.08 * k, rows["mean"], yerr=spread, fmt="o",
                        color=colour, capsize=3, label=text)
            continue
        ax.plot(where, rows["mean"], color=colour, lw=1.5, marker="o", ms=3, label=text)
        ax.fill_between(where, rows["low"], rows["high"], color=colour, alpha=0.2, lw=0)
    if categorical:
        ax.set_xticks(range(len(categories)), [str(c) for c in categories])
    _tidy(ax)


def level_text(level) -> str:
    """A knob's level as a short label: three significant digits for numbers."""
    return f"{level:.3g}" if isinstance(level, float) else str(level)


def _legend_title(by: str | None) -> str:
    if by == "name":
        return "partner"
    return label(by) if by else ""


def _tidy(ax) -> None:
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.tick_params(labelsize=8)


def label(path: str) -> str:
    """A dotted path in words a figure's reader can follow."""
    parts = path.split(".")
    name = parts[-1].replace("_", " ")
    if parts[0] == "partners":
        return f"{name} (every partner)" if parts[1] == "*" else f"{name} (partner {parts[1]})"
    if parts[0] == "narcissists":
        return f"{name} (narcissist {parts[1]})"
    return {"narcissist": f"{name} (narcissist)", "partner": f"{name} (partners' default)",
            "world": name}[parts[0]]


def _axis_label(path: str) -> str:
    unit = declaration_for(path).unit
    return f"{label(path)}" + (f" [{unit}]" if unit else "")
