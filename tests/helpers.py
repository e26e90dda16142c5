"""Shared tools for the simulation-core tests: many-seed runs and honest paired comparisons.

Direction tests run the same seeds under two settings (common random numbers), reduce each
run to one number, and compare the two settings seed by seed. A direction "holds" when the
mean paired difference is at least a stated effect size AND at least `T_MIN` standard errors
from zero. Seeds are fixed, so every test is deterministic: it either always passes or always
fails for a given model, never flickers.

To see how much room each direction has (useful when recalibrating `model/dynamics.py`), run
`MECHANISM_MARGINS=1 pytest -s -m "not slow" tests/test_mechanisms.py`: every comparison
prints its t statistic, its effect and the effect it needs.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from model import RelationshipModel
from model.scenario import Scenario, from_dict

T_MIN = 3.0
"""Minimum paired t statistic for a direction to count as shown (about p < 0.003, one-sided)."""

FAST_SEEDS = 40
"""Seeds per setting in the fast (CI) versions of the statistical tests."""

SLOW_SEEDS = 200
"""Seeds per setting in the `@pytest.mark.slow` versions."""


def scenario(**sections: Any) -> Scenario:
    """Build a checked scenario from tables, e.g. scenario(world={...}, partner={...})."""
    raw = {"title": "test", "description": "built by a test", "notice": [], "try": []}
    raw.update(sections)
    return from_dict(raw, where="<test scenario>")


CROWD = {
    "world": {"weeks": 104, "generated_partners": 60, "partner_variation": 0.25},
    "narcissist": {"max_sources": 3, "recruit_effort": 0.5},
}
"""One narcissist among 60 generated, unattached partners whose traits vary widely."""

_CUSTOM = {"crowd": CROWD}
_OUTCOME_CACHE: dict[tuple, pd.DataFrame] = {}


def _resolve(name: str) -> str | Scenario:
    return scenario(**_CUSTOM[name]) if name in _CUSTOM else name


def model(name: str = "classroom", seed: int = 0, **overrides: Any) -> RelationshipModel:
    """A fresh model of a preset (or of one of the custom scenarios above)."""
    return RelationshipModel(scenario=_resolve(name), rng=seed, **overrides)


def outcomes(name: str = "classroom", seeds: int = FAST_SEEDS, weeks: int | None = None,
             **overrides: Any) -> pd.DataFrame:
    """Outcome tables of seeds 0..seeds-1 stacked, with a `seed` column; cached per setting.

    `weeks=None` runs each model to its scenario's horizon.
    """
    key = (name, seeds, weeks, tuple(sorted(overrides.items())))
    if key not in _OUTCOME_CACHE:
        tables = []
        for seed in range(seeds):
            m = model(name, seed, **overrides).run(weeks)
            tables.append(m.outcomes().assign(seed=seed))
        _OUTCOME_CACHE[key] = pd.concat(tables, ignore_index=True)
    return _OUTCOME_CACHE[key].copy()


def per_seed(table: pd.DataFrame, column: str, where: Callable | None = None) -> pd.Series:
    """Mean of `column` over the (selected) partners of each seed, indexed by seed."""
    rows = table if where is None else table[where(table)]
    return rows.groupby("seed")[column].mean()


def measure(fn: Callable[[RelationshipModel], float], name: str = "classroom",
            seeds: int = FAST_SEEDS, weeks: int | None = None,
            **overrides: Any) -> pd.Series:
    """Run each seed and reduce the finished model to one number with `fn`, indexed by seed."""
    return measure_many({"value": fn}, name, seeds, weeks, **overrides)["value"]


def measure_many(reducers: dict[str, Callable[[RelationshipModel], float]],
                 name: str = "classroom", seeds: int = FAST_SEEDS, weeks: int | None = None,
                 **overrides: Any) -> pd.DataFrame:
    """Like `measure`, with several reductions of the same runs: one column per reducer."""
    rows = {}
    for seed in range(seeds):
        m = model(name, seed, **overrides).run(weeks)
        rows[seed] = {key: float(fn(m)) for key, fn in reducers.items()}
    return pd.DataFrame.from_dict(rows, orient="index")


def paired(low: pd.Series, high: pd.Series) -> tuple[float, float, int]:
    """Mean paired difference high - low over the seeds both share, its t statistic, n."""
    both = pd.concat([low.rename("low"), high.rename("high")], axis=1).dropna()
    diff = both["high"] - both["low"]
    n = len(diff)
    mean = float(diff.mean())
    sd = float(diff.std(ddof=1)) if n > 1 else 0.0
    if sd == 0.0:
        t = math.inf if mean > 0 else -math.inf if mean < 0 else 0.0
    else:
        t = mean / (sd / math.sqrt(n))
    return mean, t, n


def assert_rises(low: pd.Series, high: pd.Series, at_least: float, what: str,
                 t_min: float = T_MIN) -> None:
    """Assert that `high` exceeds `low` by at least `at_least` on average, and significantly.

    `low` and `high` are per-seed values under the two settings, paired by seed.
    """
    _assert_moves(low, high, at_least, what, sign=1.0, t_min=t_min)


def assert_falls(high: pd.Series, low: pd.Series, at_least: float, what: str,
                 t_min: float = T_MIN) -> None:
    """Assert that `low` is below `high` by at least `at_least` on average, and significantly.

    `high` is the setting named first in `what`, `low` the second; paired by seed.
    """
    _assert_moves(high, low, at_least, what, sign=-1.0, t_min=t_min)


def _assert_moves(before: pd.Series, after: pd.Series, at_least: float, what: str,
                  sign: float, t_min: float) -> None:
    mean, t, n = paired(sign * before, sign * after)
    word = "rise" if sign > 0 else "fall"
    detail = (f"{what}: mean {before.mean():.4g} -> {after.mean():.4g}, expected a {word} of "
              f"at least {at_least:g}, got {sign * mean:+.4g} with t = {t:.2f} "
              f"(need >= {t_min}), n = {n}")
    if os.environ.get("MECHANISM_MARGINS"):
        print(f"MARGIN t={t:7.2f} effect={sign * mean:+9.4g} need={at_least:g} | {what}")
    assert mean >= at_least and t >= t_min, detail


def assert_unchanged(a: pd.Series, b: pd.Series, within: float, what: str) -> None:
    """Assert that the mean paired difference is no bigger than `within` either way."""
    mean, t, n = paired(a, b)
    assert abs(mean) <= within, (f"{what}: mean {a.mean():.4g} vs {b.mean():.4g}, paired "
                                 f"difference {mean:+.4g} (allowed within +-{within:g}), n = {n}")


def censored(values: pd.Series, horizon: float) -> pd.Series:
    """Missing times (never happened) count as the horizon: a conservative survival stand-in."""
    return values.astype(float).fillna(horizon)


def seeds_param(fast: int = FAST_SEEDS, slow: int = SLOW_SEEDS) -> list[Any]:
    """Parametrize a statistical test with a fast size and a slow (marked) size."""
    return [pytest.param(fast, id=f"{fast}seeds"),
            pytest.param(slow, id=f"{slow}seeds", marks=pytest.mark.slow)]


# --- the command line's error contract -------------------------------------------------------
def cli(args: list, capsys) -> tuple[int, str, str]:
    """Run `supply-cycle ARGS` in this process: its exit status, standard output and error."""
    from model.cli.main import main

    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_error_line(err: str) -> str:
    """The one line a refusal prints (`error: ...`, no traceback); fails on anything else."""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in err, err
    return lines[0]


def refused(args: list, capsys, *words: str) -> str:
    """Exit 2 with one line naming `words`; return the line."""
    code, _, err = cli(args, capsys)
    line = one_error_line(err)
    assert code == 2, err
    for word in words:
        assert word in line, (word, line)
    return line
