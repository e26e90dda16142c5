"""Statistics of the validation suite, defined once: effects, tests, intervals, bands.

Every measured effect is a `Part`: an estimate with a percentile-bootstrap 95% interval, a named
test and a verdict. Tests and the knob table (tests/test_validation.py, tests/test_knobs.py,
model.validation.knobs) reuse these functions rather than re-deriving a t-test, so that one
definition of "significant" holds across the project. SciPy is imported where it is used, so
that the command line stays quick to start.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

ALPHA = 0.01
"""Significance level of every test at the default parameters (two-sided)."""
ROBUST_ALPHA = 0.05
"""Significance level a part must reach at one robustness draw for the draw to count."""
BOOTSTRAP = 2000
"""Bootstrap resamples for each confidence interval (percentile method)."""


@dataclass(frozen=True)
class Part:
    """One measured effect of a fact's experiment and its verdict.

    `expect` is "increase" (effect > 0) or "decrease" (effect < 0). `arms` lists
    (label, mean, n) per sample. `constant` marks an outcome that took one value in every run
    of every arm, so that there was nothing to compare.
    """

    key: str
    label: str
    outcome: str
    expect: str
    effect: float
    ci: tuple[float, float]
    p: float
    test: str
    standardized: float
    arms: tuple[tuple[str, float, int], ...]
    constant: bool = False

    @property
    def applicable(self) -> bool:
        """False when the experiment could not observe the effect at all.

        That is when a sample is (nearly) empty, or when every run of every arm gave the same
        number, so that there is no difference to see (say no returns in either arm).
        """
        if any(n < 2 for _, _, n in self.arms):
            return False
        return not (self.constant and self.effect == 0.0)

    @property
    def direction_ok(self) -> bool:
        """Whether the point estimate points the claimed way."""
        if not math.isfinite(self.effect):
            return False
        return self.effect > 0 if self.expect == "increase" else self.effect < 0

    def holds(self, alpha: float = ALPHA) -> bool:
        """Claimed direction and a significant test: a point estimate alone never counts."""
        return self.direction_ok and math.isfinite(self.p) and self.p < alpha


@dataclass(frozen=True)
class Comparison:
    """A number from the model set beside a published number.

    `tolerance` is the band (low, high) counted as "close"; None when the comparison is only
    descriptive. `label_kind` says what the comparison is: "published finding" (the model's
    number is emergent and set against research), or "modelling choice" (the number was
    calibrated from this very figure, so the row checks arithmetic, not theory).
    """

    label: str
    model: float
    ci: tuple[float, float]
    published: str
    target: float | None
    tolerance: tuple[float, float] | None
    note: str
    n: int = 0
    unit: str = ""
    label_kind: str = "published finding"

    @property
    def close(self) -> bool | None:
        """Within tolerance, or None where no tolerance is declared."""
        if self.tolerance is None:
            return None
        return self.tolerance[0] <= self.model <= self.tolerance[1]


def contrast(key: str, label: str, outcome: str, samples: Sequence[tuple[str, Any]],
             weights: Sequence[float], expect: str, rng: np.random.Generator,
             const: float = 0.0, paired: bool = False) -> Part:
    """Estimate `sum(w_k * mean(sample_k)) + const` with a bootstrap CI and a t-test.

    A difference of two means is weights (-1, 1); a mean against a reference value r is one
    sample with weight 1 and const -r; a 2x2 main effect is four cells with weights of +-1/2.
    NaN marks a run in which the outcome could not be observed; such runs are left out.

    The test is Welch's t-test for a linear contrast (Satterthwaite degrees of freedom). With
    `paired`, two samples from the same seeds (common random numbers) in which every run was
    observed are compared seed by seed instead: a paired t-test on the differences. When
    every value of a single sample (or every paired difference) is the same, the t-test is
    undefined and the exact sign test is used instead (`sign_test`); with several samples
    that are all constant, p is NaN and the part can never count as significant.
    """
    from scipy import stats

    raw = [np.asarray(s, dtype=float) for _, s in samples]
    if (paired and len(raw) == 2 and raw[0].size == raw[1].size
            and all(np.isfinite(a).all() for a in raw)):
        diff = np.asarray(weights[1] * raw[1] + weights[0] * raw[0])
        part = contrast(key, label, outcome, [("paired", diff)], [1.0], expect, rng,
                        const=const)
        arms = tuple((name, float(a.mean()) if a.size else math.nan, int(a.size))
                     for (name, _), a in zip(samples, raw, strict=True))
        pooled = float(math.sqrt((raw[0].var(ddof=1) + raw[1].var(ddof=1)) / 2)) \
            if raw[0].size > 1 else math.nan
        standardized = part.effect / pooled if pooled > 1e-12 else math.nan
        constant = bool(np.all(np.concatenate(raw) == raw[0][0])) if raw[0].size else False
        name = "paired sign test (same seeds, no variation)" if part.test.startswith(
            "exact sign") else "paired t-test (same seeds)"
        return Part(key, label, outcome, expect, part.effect, part.ci, part.p, name,
                    standardized, arms, constant)
    arrays = [a[np.isfinite(a)] for a in raw]
    w = np.asarray(weights, dtype=float)
    ns = np.array([a.size for a in arrays])
    arms = tuple((name, float(a.mean()) if a.size else math.nan, int(a.size))
                 for (name, _), a in zip(samples, arrays, strict=True))
    if (ns < 2).any():
        return Part(key, label, outcome, expect, math.nan, (math.nan, math.nan), math.nan,
                    name_of_test(len(arrays)), math.nan, arms)
    values = np.concatenate(arrays)
    constant = bool(np.all(values == values[0]))
    means = np.array([a.mean() for a in arrays])
    variances = np.array([a.var(ddof=1) for a in arrays])
    effect = float(w @ means + const)
    boot = np.zeros(BOOTSTRAP)
    for wk, a in zip(w, arrays, strict=True):
        idx = rng.integers(0, a.size, size=(BOOTSTRAP, a.size))
        boot += wk * a[idx].mean(axis=1)
    boot += const
    ci = (float(np.percentile(boot, 2.5)), float(np.percentile(boot, 97.5)))
    terms = w ** 2 * variances / ns
    se = float(math.sqrt(terms.sum()))
    spread = float(math.sqrt(variances.mean()))
    standardized = effect / spread if spread > 1e-12 else math.nan
    if se == 0.0:
        p = sign_test(effect, int(ns[0])) if len(arrays) == 1 else math.nan
    else:
        df = terms.sum() ** 2 / np.sum(terms ** 2 / np.maximum(ns - 1, 1))
        p = float(2.0 * stats.t.sf(abs(effect) / se, df))
    name = "exact sign test (no variation)" if se == 0.0 and len(arrays) == 1 \
        else name_of_test(len(arrays))
    return Part(key, label, outcome, expect, effect, ci, p, name, standardized, arms, constant)


def sign_test(effect: float, n: int) -> float:
    """Two-sided exact sign test when all n values lie on one side of the reference.

    With no variation a t-test divides by zero; the sign test asks only how likely it is that
    all n values fall on the same side by chance (2 x 0.5^n), and gives p = 1 when they sit
    exactly on the reference. A zero standard error thus never passes for certainty.
    """
    if effect == 0.0 or n < 1:
        return 1.0
    return min(1.0, 2.0 * 0.5 ** n)


def name_of_test(k: int) -> str:
    """The name of the test `contrast` runs on k independent samples."""
    if k == 1:
        return "one-sample t-test"
    if k == 2:
        return "Welch t-test"
    return "Welch t-test of a contrast"


def two_arms(key: str, label: str, outcome: str, a: tuple[str, Any], b: tuple[str, Any],
             expect: str, rng: np.random.Generator) -> Part:
    """Difference of means, second arm minus first, paired by seed where every run counts."""
    return contrast(key, label, outcome, [a, b], [-1.0, 1.0], expect, rng, paired=True)


def independent(key: str, label: str, outcome: str, a: tuple[str, Any], b: tuple[str, Any],
                expect: str, rng: np.random.Generator) -> Part:
    """Difference of means of two samples that are not paired (say, separations by rank).

    Two samples of yes/no outcomes are shares, and a t-test on them misleads: a small arm in
    which every run said yes has no spread and looks certain. Their p is Fisher's exact test.
    """
    part = contrast(key, label, outcome, [a, b], [-1.0, 1.0], expect, rng)
    shares = [s for s in (_binary(a[1]), _binary(b[1])) if s is not None and s.size >= 2]
    if len(shares) < 2:
        return part
    from scipy import stats

    table = [[int(s.sum()), int(s.size - s.sum())] for s in shares]
    p = float(stats.fisher_exact(table).pvalue)
    return replace(part, p=p, test="Fisher's exact test (two shares)")


def against(key: str, label: str, outcome: str, sample: tuple[str, Any], reference: float,
            expect: str, rng: np.random.Generator) -> Part:
    """Mean of one sample minus a reference value.

    A sample of yes/no outcomes against a share is an exact binomial test, for the reason
    `independent` gives.
    """
    part = contrast(key, label, outcome, [sample], [1.0], expect, rng, const=-reference)
    share = _binary(sample[1])
    if share is None or share.size < 2 or not 0.0 < reference < 1.0:
        return part
    from scipy import stats

    p = float(stats.binomtest(int(share.sum()), int(share.size), reference).pvalue)
    return replace(part, p=p, test="exact binomial test (a share)")


def _binary(sample: Any) -> np.ndarray | None:
    """The observed values of a sample if every one is 0 or 1, else None."""
    values = np.asarray(sample, dtype=float)
    values = values[np.isfinite(values)]
    return values if values.size and np.isin(values, (0.0, 1.0)).all() else None


def rank_correlation(key: str, label: str, outcome: str, x: Any, y: Any, expect: str,
                     rng: np.random.Generator, name: str = "runs") -> Part:
    """Spearman's rank correlation of x with y over runs, with a bootstrap CI and its test.

    Pairs in which either value is NaN are left out.
    """
    from scipy import stats

    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    keep = np.isfinite(x) & np.isfinite(y)
    x, y = x[keep], y[keep]
    n = int(x.size)
    arms = ((name, math.nan, n),)
    if n < 4 or np.all(x == x[0]) or np.all(y == y[0]):
        return Part(key, label, outcome, expect, math.nan, (math.nan, math.nan), math.nan,
                    "Spearman rank correlation", math.nan, arms, constant=n >= 4)
    result = stats.spearmanr(x, y)
    rho, p = float(result[0]), float(result[1])
    idx = rng.integers(0, n, size=(BOOTSTRAP // 4, n))
    boot = []
    for row in idx:
        xs, ys = x[row], y[row]
        if np.all(xs == xs[0]) or np.all(ys == ys[0]):
            continue
        boot.append(float(stats.spearmanr(xs, ys)[0]))
    ci = (float(np.nanpercentile(boot, 2.5)), float(np.nanpercentile(boot, 97.5))) \
        if boot else (math.nan, math.nan)
    return Part(key, label, outcome, expect, rho, ci, p, "Spearman rank correlation", rho,
                arms)


def mean_ci(values: Any, rng: np.random.Generator) -> tuple[float, tuple[float, float], int]:
    """Mean of `values` with a percentile bootstrap 95% CI."""
    a = np.asarray(values, dtype=float)
    a = a[np.isfinite(a)]
    if a.size == 0:
        return math.nan, (math.nan, math.nan), 0
    idx = rng.integers(0, a.size, size=(BOOTSTRAP, a.size))
    boot = a[idx].mean(axis=1)
    return float(a.mean()), (float(np.percentile(boot, 2.5)), float(np.percentile(boot, 97.5))), \
        int(a.size)


def paired_difference(low: Any, high: Any, rng: np.random.Generator
                      ) -> tuple[float, tuple[float, float], float]:
    """Mean of high - low over paired seeds, its bootstrap 95% CI and the paired t-test's p.

    p is NaN when every difference is the same (no variation to test), 1.0 when every
    difference is zero: a setting that changes nothing is reported as changing nothing.
    """
    from scipy import stats

    d = np.asarray(high, dtype=float) - np.asarray(low, dtype=float)
    d = d[np.isfinite(d)]
    if d.size < 2:
        return math.nan, (math.nan, math.nan), math.nan
    mean = float(d.mean())
    idx = rng.integers(0, d.size, size=(BOOTSTRAP, d.size))
    boot = d[idx].mean(axis=1)
    ci = (float(np.percentile(boot, 2.5)), float(np.percentile(boot, 97.5)))
    sd = float(d.std(ddof=1))
    if sd == 0.0:
        return mean, ci, (1.0 if mean == 0.0 else math.nan)
    p = float(2.0 * stats.t.sf(abs(mean) / (sd / math.sqrt(d.size)), d.size - 1))
    return mean, ci, p


def band(matrix: Any) -> dict[str, list[float]]:
    """Mean and 10th/90th percentiles, column by column (a band for a figure)."""
    m = np.asarray(matrix, dtype=float)
    return {"mean": m.mean(axis=0).tolist(),
            "low": np.percentile(m, 10, axis=0).tolist(),
            "high": np.percentile(m, 90, axis=0).tolist()}


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for a proportion."""
    if n == 0:
        return math.nan, math.nan
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def finite(values: Any) -> list[float]:
    """The observable values of a column, for figures and counts."""
    a = np.asarray(values, dtype=float)
    return a[np.isfinite(a)].tolist()


def t_bands(data: Any, value: str, by: Sequence[str], level: float = 0.95) -> Any:
    """The mean of column `value` in each group of the `by` columns, with the Student t
    interval for that mean at confidence `level`.

    Returns a DataFrame: the `by` columns, then n (values present), mean, std, low, high.
    Missing values are left out of n rather than counted. A group of fewer than two values has
    no interval (low and high are NaN): one value says nothing about the spread. Sweeps'
    bands and the dashboard's means use this one definition.
    """
    from scipy.stats import t

    stats = data.groupby(list(by), sort=True, dropna=False)[value].agg(["count", "mean", "std"])
    half = t.ppf(0.5 + level / 2, stats["count"] - 1) * stats["std"] / np.sqrt(stats["count"])
    return (stats.assign(low=stats["mean"] - half, high=stats["mean"] + half)
            .rename(columns={"count": "n"}).reset_index())
