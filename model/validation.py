"""Validation: the stylized facts of MODEL.md's evidence table, each run as an experiment.

Every fact is declared as data (`Fact`): the claim in plain words, where it comes from, whether
it is a published finding or only the essay's claim, what the experiment varies and holds, and
a function that runs the experiment and returns a `Result`. A result is a list of `Part`s, each
one measured effect with a 95% bootstrap confidence interval, a named statistical test and a
verdict, plus `Comparison`s of the model's numbers with the published ones where the source
gives a number.

The experiments use small purpose-built scenarios (one man and one partner; a small town), not
the presets, so that they test the mechanisms rather than a particular story. Every run's seed
is derived from one master seed, the fact's name, the arm and the robustness draw, so the same
master seed gives the same numbers in any process. Nothing here reads or writes files:
`model.validation_report` turns results into a report. SciPy is imported where it is used, so
that the command line stays quick to start.

Verdicts:
- At the defaults a part holds when its effect points the claimed way and its test gives
  p < ALPHA (0.01, two-sided). A fact holds when all its parts hold.
- In the robustness check a fact holds at one random parameter set when every part's point
  estimate points the claimed way; we also count the draws in which every part is significant
  at the 5% level, with far fewer seeds, as a stricter reading.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .model import RelationshipModel
from .parameters import GROUPS
from .scenario import Scenario, from_dict, load

ALPHA = 0.01
"""Significance level of every test at the default parameters (two-sided)."""
ROBUST_ALPHA = 0.05
"""Level of the stricter reading of the robustness check, where each draw has few seeds."""
BOOTSTRAP = 2000
"""Bootstrap resamples for each confidence interval (percentile method)."""
MASTER_SEED = 20240605
"""Default master seed of the validation suite."""
DEFAULT_SEEDS = 200
"""Runs per arm in the full suite (facts built on a whole town scale this down)."""
DEFAULT_DRAWS = 30
"""Random parameter sets in the full robustness check."""
ROBUST_SEEDS = 10
"""Runs per arm at each random parameter set."""
ROBUST_TARGET = 0.8
"""Share of the plausible region in which each fact should hold (issue 5)."""
HORIZON = 520
"""Ten years, the default length of a run."""


# --- the plausible region --------------------------------------------------------------------
@dataclass(frozen=True)
class Range:
    """A plausible range for one parameter and the reason for it."""

    low: float
    high: float
    why: str


PLAUSIBLE: dict[str, Range] = {
    # world
    "world.audience_supply": Range(0.02, 0.08, "Strangers' attention is less than one eager "
                                   "partner gives (0.10 a week) but never nothing."),
    "world.audience_noise": Range(0.25, 1.0, "From a steady to a very fickle audience."),
    "world.bond_decay": Range(0.008, 0.018, "Six-month declines of 19% to 38%, a band around "
                              "the 27% Dutton & Painter (1993) measured."),
    # narcissist
    "narcissist.supply_need": Range(0.3, 0.7, "Neither nearly sated nor insatiable."),
    "narcissist.supply_decay": Range(0.08, 0.3, "Supply wears off within weeks, not days or "
                                     "months."),
    "narcissist.reinforcement": Range(0.15, 0.7, "He turns kind now and then, as the essay "
                                      "describes, but not every week."),
    "narcissist.hoover_propensity": Range(0.2, 0.8, "The essay says he tries to win exes back; "
                                          "how hard varies."),
    "narcissist.envy": Range(0.2, 0.8, "Envy is part of the picture, in varying strength."),
    "narcissist.injury_sensitivity": Range(0.25, 0.8, "Easily wounded, from moderately to "
                                           "very."),
    "narcissist.grandiosity": Range(0.5, 0.95, "His self-image is above ordinary by "
                                    "definition."),
    "narcissist.charm": Range(0.45, 0.9, "Narcissists are liked at first (Paulhus 1998): "
                              "charm at least middling."),
    "narcissist.rivalry": Range(0.25, 0.8, "Rivalry varies widely between narcissists "
                                "(Back et al. 2013)."),
    "narcissist.disappointment_threshold": Range(0.6, 2.0, "Idealization lasts from about two "
                                                 "months to about a year."),
    "narcissist.abandonment_fear": Range(0.2, 0.8, "Fear of abandonment in varying strength."),
    "narcissist.recruit_effort": Range(0.15, 0.5, "He looks for new sources, more or less "
                                       "actively."),
    "narcissist.setback_rate": Range(0.0, 0.03, "From no setbacks to about one and a half a "
                                     "year (the default is one every two years)."),
    "narcissist.subtype": Range(0.0, 1.0, "Either kind, with equal chance (below 0.5: "
                                "somatic)."),
    # partner
    "partner.boundary": Range(0.15, 0.85, "The span of the classroom preset, short of the "
                              "extremes."),
    "partner.self_esteem": Range(0.3, 0.8, "From fragile to sound self-esteem."),
    "partner.empathy": Range(0.4, 0.9, "Partners who stay with narcissists are mostly "
                             "empathic (the essay)."),
    "partner.rescue_fantasy": Range(0.0, 0.5, "From none to a moderate hope of healing him."),
    "partner.alternatives": Range(0.25, 0.75, "From few to good alternatives."),
    "partner.vulnerability": Range(0.15, 0.7, "From little to much exposure to being "
                                   "targeted."),
    "partner.conditioning": Range(0.0, 0.4, "Most partners were not raised to treat abuse as "
                                  "normal; some partly were."),
    "partner.therapy": Range(0.0, 0.4, "From no help to some professional help after "
                             "leaving."),
    "partner.looks": Range(0.25, 0.75, "An ordinary range."),
    "partner.intellect": Range(0.25, 0.75, "An ordinary range."),
    "partner.outside_life": Range(0.25, 0.75, "From a thin to a full life outside."),
}
"""Plausible range of every parameter the robustness check varies, with its justification.

Not varied: `max_sources`, `treatment` (off by default: mechanism 13), `no_contact` (off unless
a fact varies it), `weeks` and the population settings, which each experiment fixes.
"""


def sample_plausible(draws: int, master: int = MASTER_SEED) -> list[dict[str, Any]]:
    """Latin-hypercube draws from PLAUSIBLE, as dotted-path overrides (seeded, reproducible)."""
    from scipy.stats import qmc

    names = list(PLAUSIBLE)
    sampler = qmc.LatinHypercube(d=len(names), rng=np.random.default_rng([master, 7]))
    unit = sampler.random(draws)
    result = []
    for row in unit:
        draw: dict[str, Any] = {}
        for name, u in zip(names, row, strict=True):
            r = PLAUSIBLE[name]
            if name == "narcissist.subtype":
                draw[name] = "somatic" if u < 0.5 else "cerebral"
            else:
                draw[name] = round(float(r.low + u * (r.high - r.low)), 4)
        result.append(draw)
    return result


# --- results ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Part:
    """One measured effect of a fact's experiment and its verdict.

    `expect` is "increase" (effect > 0), "decrease" (effect < 0) or "equal" (|effect| below
    `margin`, tested with two one-sided tests). `arms` lists (label, mean, n) per sample.
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
    margin: float = 0.0
    constant: bool = False

    @property
    def applicable(self) -> bool:
        """False when the experiment could not observe the effect at all.

        That is when a sample is (nearly) empty, or when an increase or decrease is claimed
        and every run of every arm gave the same number, so that there is no difference to
        see (say no returns in either arm).
        """
        if any(n < 2 for _, _, n in self.arms):
            return False
        return not (self.expect != "equal" and self.constant and self.effect == 0.0)

    @property
    def direction_ok(self) -> bool:
        """Whether the point estimate points the claimed way."""
        if not math.isfinite(self.effect):
            return False
        if self.expect == "increase":
            return self.effect > 0
        if self.expect == "decrease":
            return self.effect < 0
        return abs(self.effect) < self.margin

    def holds(self, alpha: float = ALPHA) -> bool:
        """Claimed direction and a significant test."""
        return self.direction_ok and math.isfinite(self.p) and self.p < alpha


@dataclass(frozen=True)
class Comparison:
    """A number from the model set beside a published number.

    `tolerance` is the band (low, high) counted as "close"; None when the comparison is only
    descriptive (the published number measures something the model can only approximate).
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

    @property
    def close(self) -> bool | None:
        """Within tolerance, or None where no tolerance is declared."""
        if self.tolerance is None:
            return None
        return self.tolerance[0] <= self.model <= self.tolerance[1]


@dataclass
class Result:
    """What one run of a fact's experiment found."""

    fact: str
    seeds: int
    parts: list[Part]
    comparisons: list[Comparison] = field(default_factory=list)
    figure: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    arm_seeds: dict[str, list[int]] = field(default_factory=dict)

    @property
    def holds(self) -> bool:
        """Every part holds at ALPHA."""
        return all(p.holds(ALPHA) for p in self.parts)

    @property
    def direction_ok(self) -> bool:
        """Every part's point estimate points the claimed way."""
        return all(p.direction_ok for p in self.parts)

    @property
    def status(self) -> str:
        """For the robustness check: "holds", "fails", or "n/a" when a part was unobservable.

        A part that was observed and points the wrong way makes the fact fail even if another
        part could not be observed.
        """
        if any(p.applicable and not p.direction_ok for p in self.parts):
            return "fails"
        if not all(p.applicable for p in self.parts):
            return "n/a"
        return "holds"


# --- statistics -------------------------------------------------------------------------------
def contrast(key: str, label: str, outcome: str, samples: Sequence[tuple[str, Any]],
             weights: Sequence[float], expect: str, rng: np.random.Generator,
             const: float = 0.0, margin: float = 0.0, paired: bool = False) -> Part:
    """Estimate `sum(w_k * mean(sample_k)) + const` with a bootstrap CI and a t-test.

    A difference of two means is weights (-1, 1); a mean against a reference value r is one
    sample with weight 1 and const -r; a 2x2 main effect is four cells with weights of +-1/2.
    NaN marks a run in which the outcome could not be observed; such runs are left out.

    The test is Welch's t-test for a linear contrast (Satterthwaite degrees of freedom). With
    `paired`, two samples from the same seeds (common random numbers) in which every run was
    observed are compared seed by seed instead: a paired t-test on the differences, with the
    bootstrap resampling seeds. For `expect="equal"` the test is two one-sided tests (TOST)
    against +-margin.
    """
    from scipy import stats

    raw = [np.asarray(s, dtype=float) for _, s in samples]
    if (paired and len(raw) == 2 and raw[0].size == raw[1].size
            and all(np.isfinite(a).all() for a in raw)):
        diff = np.asarray(weights[1] * raw[1] + weights[0] * raw[0])
        part = contrast(key, label, outcome, [("paired", diff)], [1.0], expect, rng,
                        const=const, margin=margin)
        arms = tuple((name, float(a.mean()) if a.size else math.nan, int(a.size))
                     for (name, _), a in zip(samples, raw, strict=True))
        pooled = float(math.sqrt((raw[0].var(ddof=1) + raw[1].var(ddof=1)) / 2)) \
            if raw[0].size > 1 else math.nan
        standardized = part.effect / pooled if pooled > 1e-12 else math.nan
        constant = bool(np.all(np.concatenate(raw) == raw[0][0])) if raw[0].size else False
        return Part(key, label, outcome, expect, part.effect, part.ci, part.p,
                    "paired t-test (same seeds)" if expect != "equal"
                    else "equivalence (two one-sided paired tests)",
                    standardized, arms, margin, constant)
    arrays = [a[np.isfinite(a)] for a in raw]
    w = np.asarray(weights, dtype=float)
    ns = np.array([a.size for a in arrays])
    arms = tuple((name, float(a.mean()) if a.size else math.nan, int(a.size))
                 for (name, _), a in zip(samples, arrays, strict=True))
    if (ns < 2).any():
        return Part(key, label, outcome, expect, math.nan, (math.nan, math.nan), math.nan,
                    _test_name(expect, len(arrays)), math.nan, arms, margin)
    pooled = np.concatenate(arrays)
    constant = bool(np.all(pooled == pooled[0]))
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
        if expect == "equal":
            p = 0.0 if abs(effect) < margin else 1.0
        else:
            p = 0.0 if effect != 0.0 else 1.0
    else:
        df = terms.sum() ** 2 / np.sum(terms ** 2 / np.maximum(ns - 1, 1))
        if expect == "equal":
            p = max(float(stats.t.sf((effect + margin) / se, df)),
                    float(stats.t.cdf((effect - margin) / se, df)))
        else:
            p = float(2.0 * stats.t.sf(abs(effect) / se, df))
    return Part(key, label, outcome, expect, effect, ci, p, _test_name(expect, len(arrays)),
                standardized, arms, margin, constant)


def _test_name(expect: str, k: int) -> str:
    if expect == "equal":
        return "equivalence (two one-sided Welch tests)"
    if k == 1:
        return "one-sample t-test"
    if k == 2:
        return "Welch t-test"
    return "Welch t-test of a contrast"


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


def r_squared(y: np.ndarray, x: np.ndarray) -> float:
    """Share of the variance of y explained by an ordinary least-squares fit on the columns of x."""
    design = np.column_stack([np.ones(len(y)), x])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    resid = y - design @ coef
    total = float(((y - y.mean()) ** 2).sum())
    return 1.0 - float((resid ** 2).sum()) / total if total > 0 else math.nan


# --- running experiments ---------------------------------------------------------------------
@dataclass
class Context:
    """How much to run and on top of which parameters: one call of a fact's experiment."""

    key: str
    n: int
    master: int = MASTER_SEED
    draw: int = 0
    overrides: dict[str, Any] = field(default_factory=dict)
    robust: bool = False
    arm_seeds: dict[str, list[int]] = field(default_factory=dict)

    def seeds(self, arm: str, n: int | None = None) -> list[int]:
        """The seeds of one arm, derived from the master seed, the fact and the draw.

        Every arm of an experiment gets the same seeds (common random numbers), so that two
        arms of one seed differ only in the setting the experiment varies; an arm with more
        runs extends the same list.
        """
        sequence = np.random.SeedSequence([self.master, _crc(self.key), self.draw])
        seeds = [int(s) for s in sequence.generate_state(n or self.n, dtype=np.uint32)]
        self.arm_seeds[arm] = seeds
        return seeds

    def rng(self) -> np.random.Generator:
        """The generator of this experiment's bootstrap resamples."""
        return np.random.default_rng([self.master, _crc(self.key), self.draw, 99])

    def merged(self, arm: dict[str, Any]) -> dict[str, Any]:
        """The drawn parameters with the arm's own settings on top."""
        return {**self.overrides, **arm}


def _crc(text: str) -> int:
    return zlib.crc32(text.encode("utf-8"))


def dyad_scenario(weeks: int = HORIZON) -> Scenario:
    """One narcissist and one partner, together from week 0; nobody else to court."""
    return from_dict({
        "title": "Validation: one man, one partner",
        "description": "A single relationship, so that each experiment isolates one partner.",
        "world": {"weeks": weeks},
        "narcissist": {"max_sources": 1},
        "partner": {"attached": True},
        "partners": [{}],
    }, where="validation dyad")


def town_scenario(people: int, narcissists: int, weeks: int,
                  variation: float = 0.2) -> Scenario:
    """A town in which nobody starts attached and partners' traits vary around the defaults."""
    return from_dict({
        "title": "Validation: a small town",
        "description": "Narcissists court whoever is free; partners differ at random.",
        "world": {"weeks": weeks, "narcissists": narcissists,
                  "generated_partners": people - narcissists, "partner_variation": variation},
        "narcissist": {"max_sources": 2, "recruit_effort": 0.25},
    }, where="validation town")


@dataclass
class DyadRun:
    """What the experiments need to know about one run of the dyad."""

    seed: int
    outcome: dict[str, Any]
    satisfaction: np.ndarray
    commitment: np.ndarray
    bond: np.ndarray
    wellbeing: np.ndarray
    harm_curve: np.ndarray
    phase: np.ndarray
    injury: np.ndarray
    separations: list[tuple[int, str]]
    returns: list[int]
    rages: list[int]
    kindness: list[int]
    trait_change: float
    weekly: np.ndarray | None = None

    @property
    def start_wellbeing(self) -> float:
        return float(self.wellbeing[0])

    def first_separation(self) -> int | None:
        return self.separations[0][0] if self.separations else None

    def next_return(self, week: int) -> int | None:
        """The week she went back after a separation in `week`, if she did."""
        return next((r for r in self.returns if r > week), None)

    def final_separation(self) -> int | None:
        """The separation after which she never went back (None if still with him)."""
        if not self.separations:
            return None
        last = self.separations[-1][0]
        return last if self.next_return(last) is None else None

    def healed_within(self, start: int, weeks: int) -> bool:
        """Whether she counted as healed by `weeks` after `start`, and stayed apart until then."""
        step = self.outcome["recovered_step"]
        return step is not None and step <= start + weeks


def heal_time(r: DyadRun, start: int, cap: int) -> float:
    """Weeks from `start` to healing, capped at `cap` (not healed, or back with him: `cap`)."""
    step = r.outcome["recovered_step"]
    if step is None or step < start:
        return float(cap)
    return float(min(step - start, cap))


DYAD_TRAITS = ("rivalry", "injury_sensitivity", "envy", "grandiosity", "charm", "reinforcement",
               "hoover_propensity", "abandonment_fear", "supply_need", "supply_decay")


def run_dyad(seed: int, overrides: dict[str, Any], weeks: int = HORIZON,
             setup: Callable[[RelationshipModel], None] | None = None,
             weekly: bool = False) -> DyadRun:
    """Run the dyad once and keep what the experiments measure.

    `setup` may change the starting state (the investment experiment does). `weekly` records
    (commitment, satisfaction, investment, trauma bond, illusion) every week she is with him.
    """
    model = RelationshipModel(dyad_scenario(weeks), rng=seed, **overrides)
    if setup is not None:
        setup(model)
    records = []
    if weekly:
        partner = model.partners[0]
        for _ in range(weeks):
            model.step()
            if not partner.is_free():
                records.append((partner.commitment, partner.satisfaction, partner.investment,
                                partner.trauma_bond, partner.illusion))
    else:
        model.run()
    outcome = model.outcomes().iloc[0].to_dict()
    for key in ("recovered_step", "end_step", "first_step"):
        value = outcome[key]
        outcome[key] = None if pd.isna(value) else int(value)
    timeline = model.timeline()
    timeline = timeline[timeline["partner"] == 0]
    injury = model.supply_timeline()["injury"].to_numpy()
    name = model.partners[0].name
    separations, returns, rages, kindness = [], [], [], []
    for event in model.events:
        if not event.who or event.who[-1] != name or len(event.who) < 2:
            continue
        if event.kind in ("left", "discarded"):
            separations.append((event.week, event.kind))
        elif event.kind == "returned":
            returns.append(event.week)
        elif event.kind == "rage":
            rages.append(event.week)
        elif event.kind == "kindness":
            kindness.append(event.week)
    him = model.narcissists[0]
    change = sum(abs(getattr(him, t) - him.start_traits[t]) for t in DYAD_TRAITS)
    return DyadRun(
        seed=seed, outcome=outcome,
        satisfaction=timeline["satisfaction"].to_numpy(),
        commitment=timeline["commitment"].to_numpy(),
        bond=timeline["trauma_bond"].to_numpy(),
        wellbeing=timeline["wellbeing"].to_numpy(),
        harm_curve=timeline["harm"].to_numpy(),
        phase=timeline["phase"].to_numpy(),
        injury=injury, separations=separations, returns=returns, rages=rages,
        kindness=kindness, trait_change=float(change),
        weekly=np.array(records) if weekly else None)


def dyad_arm(ctx: Context, arm: str, settings: dict[str, Any], weeks: int = HORIZON,
             setup: Callable[[RelationshipModel], None] | None = None,
             weekly: bool = False, n: int | None = None,
             population: bool = False) -> list[DyadRun]:
    """Run one arm of a dyad experiment: `n` seeds, the drawn parameters, the arm's settings.

    With `population`, each run's partner is a different person: her continuous traits are
    drawn around the defaults (or the drawn values) with the spread of the model's generated
    partners (`world.partner_variation`), from the run's own seed. The arm's settings still win.
    """
    runs = []
    for seed in ctx.seeds(arm, n):
        base = ctx.overrides
        if population:
            base = {**base, **varied_partner(seed, ctx.overrides)}
        runs.append(run_dyad(seed, {**base, **settings}, weeks, setup, weekly))
    return runs


PARTNER_TRAITS = tuple(name for name, p in GROUPS["partner"].items() if p.kind == "float")


def varied_partner(seed: int, around: dict[str, Any]) -> dict[str, float]:
    """One partner's traits drawn around `around` (else the defaults), as overrides."""
    rng = np.random.default_rng([seed, 11])
    spread = GROUPS["world"]["partner_variation"].default
    traits = {}
    for name in PARTNER_TRAITS:
        declared = GROUPS["partner"][name]
        centre = around.get(f"partner.{name}", declared.default)
        value = centre + spread * float(rng.standard_normal())
        traits[f"partner.{name}"] = float(min(declared.high, max(declared.low, value)))
    return traits


def col(runs: Sequence[DyadRun], f: Callable[[DyadRun], Any]) -> np.ndarray:
    """One number per run, in seed order; NaN where `f` returns None (not observable).

    Keeping the NaNs keeps the arms aligned seed by seed, which the paired test needs;
    `contrast` drops them where it cannot pair.
    """
    return np.array([math.nan if (x := f(r)) is None else x for r in runs], dtype=float)


def finite(values: Any) -> list[float]:
    """The observable values of a column, for figures and counts."""
    a = np.asarray(values, dtype=float)
    return a[np.isfinite(a)].tolist()


def two_arms(key: str, label: str, outcome: str, a: tuple[str, Any], b: tuple[str, Any],
             expect: str, rng: np.random.Generator, margin: float = 0.0) -> Part:
    """Difference of means, second arm minus first, paired by seed where every run counts."""
    return contrast(key, label, outcome, [a, b], [-1.0, 1.0], expect, rng, margin=margin,
                    paired=True)


def against(key: str, label: str, outcome: str, sample: tuple[str, Any], reference: float,
            expect: str, rng: np.random.Generator) -> Part:
    """Mean of one sample minus a reference value."""
    return contrast(key, label, outcome, [sample], [1.0], expect, rng, const=-reference)


def mean_curve(runs: Sequence[DyadRun], attr: str) -> dict[str, list[float]]:
    """Mean and 10th/90th percentiles of a weekly series across runs (for the figures)."""
    matrix = np.vstack([getattr(r, attr) for r in runs])
    return {"mean": matrix.mean(axis=0).tolist(),
            "low": np.percentile(matrix, 10, axis=0).tolist(),
            "high": np.percentile(matrix, 90, axis=0).tolist()}


def weeks_to_first_separation(r: DyadRun, horizon: int = HORIZON) -> int:
    """Weeks until the first separation, or the horizon if there was none."""
    first = r.first_separation()
    return horizon if first is None else first


def change(r: DyadRun, series: str, weeks: int, relative: bool = False) -> float | None:
    """How a weekly series moved over `weeks` after her first separation, if she stayed apart."""
    later = after(r, series, weeks)
    if later is None:
        return None
    at = float(getattr(r, series)[r.first_separation()])
    if relative:
        return later / at if at > 0.02 else None
    return later - at


def after(r: DyadRun, series: str, weeks: int, stay_apart: bool = True) -> float | None:
    """A weekly series `weeks` after her first separation (None if not observable)."""
    first = r.first_separation()
    if first is None or first + weeks >= len(r.bond):
        return None
    if stay_apart:
        back = r.next_return(first)
        if back is not None and back <= first + weeks:
            return None
    return float(getattr(r, series)[first + weeks])


# --- the experiments ---------------------------------------------------------------------------
def exp_boundaries(ctx: Context) -> Result:
    """Weak (0.2) against firm (0.8) boundary; everything else at its default or drawn value."""
    rng = ctx.rng()
    weak = dyad_arm(ctx, "weak", {"partner.boundary": 0.2})
    firm = dyad_arm(ctx, "firm", {"partner.boundary": 0.8})

    def arms(f):
        return ("boundary 0.2", col(weak, f)), ("boundary 0.8", col(firm, f))

    parts = [
        two_arms("harm", "less cumulative harm", "harm that got through to her over ten years",
                 *arms(lambda r: r.outcome["harm"]), "decrease", rng),
        two_arms("devalued", "fewer weeks devalued", "weeks spent in devaluation over ten years",
                 *arms(lambda r: r.outcome["weeks_devalued"]), "decrease", rng),
        two_arms("recovery", "faster recovery", "share of partners healed by the end of ten "
                 "years", *arms(lambda r: float(r.outcome["recovered_step"] is not None)),
                 "increase", rng),
        two_arms("injury", "more narcissistic injury early on", "his mean injury in the "
                 "weeks she was with him, first 26 weeks", *arms(early_injury),
                 "increase", rng),
        two_arms("rage", "more rage early on", "rage episodes against her per 26 weeks "
                 "together, first 26 weeks", *arms(early_rage), "increase", rng),
    ]
    figure = {} if ctx.robust else {
        "harm": {"boundary 0.2": col(weak, lambda r: r.outcome["harm"]).tolist(),
                 "boundary 0.8": col(firm, lambda r: r.outcome["harm"]).tolist()},
        "wellbeing": {"boundary 0.2": mean_curve(weak, "wellbeing"),
                      "boundary 0.8": mean_curve(firm, "wellbeing")},
        "rage_weeks": {"boundary 0.2": [w for r in weak for w in r.rages if w <= 52],
                       "boundary 0.8": [w for r in firm for w in r.rages if w <= 52]},
        "runs": ctx.n,
    }
    notes = [] if ctx.robust else [
        f"Share whose first separation was her own leaving: "
        f"{np.mean([bool(r.separations) and r.separations[0][1] == 'left' for r in weak]):.0%}"
        f" (boundary 0.2) against "
        f"{np.mean([bool(r.separations) and r.separations[0][1] == 'left' for r in firm]):.0%}"
        " (boundary 0.8).",
        f"Median week of the first separation: "
        f"{np.median(col(weak, weeks_to_first_separation)):.0f} against "
        f"{np.median(col(firm, weeks_to_first_separation)):.0f}.",
    ]
    return Result("boundaries", ctx.n, parts, figure=figure, notes=notes)


EARLY = 26
"""Weeks counted as "early on": the first half year."""


def together_early(r: DyadRun) -> np.ndarray:
    """Weeks 1-26 in which she was with him (idealized or devalued)."""
    weeks = np.arange(1, EARLY + 1)
    return weeks[np.isin(r.phase[1:EARLY + 1], ("idealize", "devalue"))]


def early_injury(r: DyadRun) -> float | None:
    """His mean injury over the weeks of the first half year in which she was with him."""
    weeks = together_early(r)
    return float(r.injury[weeks].mean()) if weeks.size else None


def early_rage(r: DyadRun) -> float | None:
    """Rage episodes against her per 26 weeks together, over the first half year.

    A rate, so that a partner who leaves in week 8 is compared fairly with one who stays.
    """
    weeks = together_early(r)
    if not weeks.size:
        return None
    return EARLY * sum(1 for w in r.rages if w <= EARLY) / weeks.size


BASELINE_SATISFACTION = 0.5
"""Her own standard: satisfaction before she meets him and the neutral point of the model."""


def exp_charm_then_decline(ctx: Context) -> Result:
    """Satisfaction week by week over the first year, at the default or drawn parameters."""
    rng = ctx.rng()
    runs = dyad_arm(ctx, "year", {}, weeks=CHARM_WEEKS)
    early = ("weeks 1-4", col(runs, lambda r: float(r.satisfaction[1:5].mean())))
    late = ("12 weeks into devaluation", col(runs, satisfaction_into_devaluation))
    parts = [
        against("early", "above baseline at first", "mean satisfaction in weeks 1-4, minus "
                "her baseline of 0.5", early, BASELINE_SATISFACTION, "increase", rng),
        against("late", "below baseline after repeated contact", "satisfaction 12 weeks "
                "after devaluation began (her last value with him if she left sooner), "
                "minus 0.5", late, BASELINE_SATISFACTION, "decrease", rng),
    ]
    comparisons = []
    if not ctx.robust:
        crossing = np.array(finite(col(runs, lambda r: _first_below(r.satisfaction,
                                                                     BASELINE_SATISFACTION))))
        median = float(np.median(crossing)) if crossing.size else math.nan
        comparisons.append(Comparison(
            "week in which satisfaction first falls below baseline (median)", median,
            (float(np.percentile(crossing, 25)), float(np.percentile(crossing, 75))),
            "liking turned negative by the 7th weekly meeting (Paulhus 1998)", 7.0, None,
            "Interval shown is the interquartile range. Paulhus's participants met in "
            "discussion groups; the model's idealization of a romantic partner is meant to last "
            "months, so only the direction is compared, not the timing.",
            n=int(crossing.size), unit="weeks"))
    figure = {} if ctx.robust else {"satisfaction": mean_curve(runs, "satisfaction"),
                                    "runs": ctx.n}
    notes = [] if ctx.robust else [
        f"{len(runs) - len(finite(late[1]))} of {len(runs)} partners left before devaluation "
        "began "
        "(or it began too late to follow for 12 weeks) and are not in the second measure."]
    return Result("charm_then_decline", ctx.n, parts, comparisons, figure, notes)


CHARM_WEEKS = 78
INTO_DEVALUATION = 12


def satisfaction_into_devaluation(r: DyadRun) -> float | None:
    """Satisfaction 12 weeks after devaluation first began (None if it never began)."""
    started = np.nonzero(r.phase == "devalue")[0]
    if started.size == 0 or started[0] + INTO_DEVALUATION >= len(r.satisfaction):
        return None
    return float(r.satisfaction[started[0] + INTO_DEVALUATION])


def _first_below(series: np.ndarray, level: float) -> int | None:
    below = np.nonzero(series[1:] < level)[0]
    return int(below[0]) + 1 if below.size else None


CHARM_LEVELS = (0.45, 0.9)
RIVALRY_LEVELS = (0.25, 0.8)


def exp_admiration_rivalry(ctx: Context) -> Result:
    """A 2 x 2 design: charm (admiration) low/high by rivalry low/high, 78 weeks."""
    rng = ctx.rng()
    cells = {}
    for c in CHARM_LEVELS:
        for r in RIVALRY_LEVELS:
            cells[(c, r)] = dyad_arm(ctx, f"charm {c} rivalry {r}",
                                     {"narcissist.charm": c, "narcissist.rivalry": r}, weeks=78)
    (c0, c1), (r0, r1) = CHARM_LEVELS, RIVALRY_LEVELS
    order = [(c0, r0), (c0, r1), (c1, r0), (c1, r1)]
    charm_w = [-0.5, -0.5, 0.5, 0.5]
    rivalry_w = [-0.5, 0.5, -0.5, 0.5]
    diff_w = [a - b for a, b in zip(charm_w, rivalry_w, strict=True)]

    def samples(f):
        return [(f"charm {c}, rivalry {r}", col(cells[(c, r)], f)) for c, r in order]

    early = samples(lambda r: float(r.satisfaction[1:5].mean()))
    late = samples(lambda r: float(r.satisfaction[26:53].mean()))
    parts = [
        contrast("charm_early", "charm makes him appealing at first", "main effect of charm "
                 "on mean satisfaction in weeks 1-4", early, charm_w, "increase", rng),
        contrast("rivalry_late", "rivalry brings the later trouble", "main effect of rivalry "
                 "on mean satisfaction in weeks 26-52", late, rivalry_w, "decrease", rng),
        contrast("early_from_charm", "early appeal comes more from charm than from rivalry",
                 "charm's effect minus rivalry's effect on satisfaction in weeks 1-4", early,
                 diff_w, "increase", rng),
        contrast("late_from_rivalry", "later trouble comes more from rivalry than from charm",
                 "rivalry's effect minus charm's effect on satisfaction in weeks 26-52", late,
                 [-w for w in diff_w], "decrease", rng),
    ]
    figure = {}
    if not ctx.robust:
        mean = {k: np.vstack([r.satisfaction for r in v]).mean(axis=0) for k, v in cells.items()}
        charm_effect = 0.5 * (mean[(c1, r0)] + mean[(c1, r1)] - mean[(c0, r0)] - mean[(c0, r1)])
        rivalry_effect = 0.5 * (mean[(c0, r1)] + mean[(c1, r1)] - mean[(c0, r0)]
                                - mean[(c1, r0)])
        figure = {"charm": charm_effect.tolist(), "rivalry": rivalry_effect.tolist(),
                  "runs": ctx.n}
    return Result("admiration_rivalry", ctx.n, parts, figure=figure)


DP_WEEKS = 26
DP_DECLINE = 0.27


def exp_intermittent_bond(ctx: Context) -> Result:
    """Steady (reinforcement 0) against intermittent (0.7) treatment; then the bond after leaving.

    Two more arms at the default reinforcement, one keeping ordinary contact after a separation
    and one keeping no contact, give the bond's decline over the 26 weeks after a separation.
    """
    rng = ctx.rng()
    steady = dyad_arm(ctx, "steady", {"narcissist.reinforcement": 0.0})
    intermittent = dyad_arm(ctx, "intermittent", {"narcissist.reinforcement": 0.7})
    contact = dyad_arm(ctx, "contact", {"partner.no_contact": False})
    silent = dyad_arm(ctx, "no contact", {"partner.no_contact": True})

    def retained(r: DyadRun) -> float | None:
        later = after(r, "bond", DP_WEEKS)
        at = r.bond[r.first_separation()] if later is not None else 0.0
        return later / at if later is not None and at > 0.02 else None

    parts = [
        two_arms("peak", "intermittent kindness bonds more", "peak trauma bond over ten years",
                 ("steady (reinforcement 0)", col(steady, lambda r: r.outcome["trauma_bond_peak"])),
                 ("intermittent (0.7)", col(intermittent,
                                            lambda r: r.outcome["trauma_bond_peak"])),
                 "increase", rng),
        against("outlasts", "the bond outlasts the relationship", "share of the bond left 26 "
                "weeks after a separation, minus one half (partners apart for all 26 weeks, "
                "with or without contact)",
                ("apart 26 weeks", np.concatenate([col(contact, retained),
                                                   col(silent, retained)])),
                0.5, "increase", rng),
    ]
    comparisons = []
    figure = {}
    if not ctx.robust:
        for label, runs, band, note in (
                ("decline of the bond over 26 weeks of no contact", silent,
                 (DP_DECLINE - 0.10, DP_DECLINE + 0.10),
                 "By calibration: world.bond_decay was set from this very figure, so this "
                 "checks the arithmetic, not the theory. Tolerance: 27% +- 10 points."),
                ("decline of the bond over 26 weeks apart with ordinary contact", contact, None,
                 "Emergent. A negative decline is a rise: friendly contact halves the fading "
                 "and each hoover that reaches her renews the bond, so with contact it does "
                 "not fade at all over six months. Dutton & Painter do not report how much "
                 "contact their participants had.")):
            declines = 1.0 - col(runs, retained)
            value, ci, n = mean_ci(declines, rng)
            comparisons.append(Comparison(
                label, value, ci, "attachment fell by about 27% in the six months after "
                "leaving (Dutton & Painter 1993)", DP_DECLINE, band, note, n=n, unit="share"))
        rows = _bond_predictors([*steady, *intermittent, *contact, *silent])
        if len(rows) > 10:
            y, x = rows[:, 0], rows[:, 1:]
            comparisons.append(Comparison(
                "variance of the bond 26 weeks after leaving explained by harm and "
                "intermittency", r_squared(y, x), (math.nan, math.nan),
                "total abuse, intermittency and power difference explained 55% of "
                "attachment six months after leaving (Dutton & Painter 1993)", 0.55, None,
                "Ordinary least squares over partners of all four arms who stayed apart 26 "
                "weeks; predictors: harm received before the separation and kind spells per "
                "devalued week. The model has no separate power-difference variable.",
                n=len(rows), unit="R squared"))
        figure = {
            "peak": {"steady": col(steady, lambda r: r.outcome["trauma_bond_peak"]).tolist(),
                     "intermittent": col(intermittent,
                                         lambda r: r.outcome["trauma_bond_peak"]).tolist()},
            "after": {"ordinary contact": _bond_after(contact),
                      "no contact": _bond_after(silent)},
            "runs": ctx.n,
        }
    return Result("intermittent_bond", ctx.n, parts, comparisons, figure)


def _bond_after(runs: Sequence[DyadRun], weeks: int = 52) -> list[float]:
    """Mean bond, relative to its value at the first separation, for partners apart `weeks`."""
    curves = []
    for r in runs:
        first = r.first_separation()
        if first is None or first + weeks >= len(r.bond) or r.bond[first] <= 0.02:
            continue
        back = r.next_return(first)
        if back is not None and back <= first + weeks:
            continue
        curves.append(r.bond[first:first + weeks + 1] / r.bond[first])
    return np.vstack(curves).mean(axis=0).tolist() if curves else []


def _bond_predictors(runs: Sequence[DyadRun]) -> np.ndarray:
    rows = []
    for r in runs:
        later = after(r, "bond", DP_WEEKS)
        if later is None:
            continue
        first = r.first_separation()
        devalued = int((r.phase[1:first + 1] == "devalue").sum())
        kind = sum(1 for w in r.kindness if w <= first)
        rows.append((later, r.harm_curve[first], kind / max(devalued, 1)))
    return np.array(rows)


def exp_investment_model(ctx: Context) -> Result:
    """Alternatives 0.2 against 0.8; investment 0 against 0.6 at the start; then the weekly data.

    Investment is a state, not a parameter: the experiment starts her with 0.6 of it, as if
    she and he already shared a home and years. Its effect is the smallest of the three, so its
    two arms get twice the runs. The weekly data of all four arms give the
    share of the variance in commitment that satisfaction, alternatives and investment explain.
    """
    rng = ctx.rng()
    weekly = True

    def invest(model: RelationshipModel) -> None:
        model.partners[0].investment = 0.6

    low_alt = dyad_arm(ctx, "alternatives 0.2", {"partner.alternatives": 0.2}, weekly=weekly)
    high_alt = dyad_arm(ctx, "alternatives 0.8", {"partner.alternatives": 0.8}, weekly=weekly)
    no_inv = dyad_arm(ctx, "investment 0", {}, weekly=weekly, n=2 * ctx.n)
    inv = dyad_arm(ctx, "investment 0.6", {}, setup=invest, weekly=weekly, n=2 * ctx.n)

    def sat_commitment(r: DyadRun) -> float | None:
        """Satisfaction's coefficient in a regression of weekly commitment within one
        relationship, holding investment and the trauma bond (standardized units)."""
        if r.weekly is None or len(r.weekly) < 12:
            return None
        data = r.weekly[:, :4] - r.weekly[:, :4].mean(axis=0)
        spread = data.std(axis=0)
        if (spread[:2] < 1e-9).any():
            return None
        columns = [c for c in (1, 2, 3) if spread[c] > 1e-9]
        x = data[:, columns] / spread[columns]
        coef, *_ = np.linalg.lstsq(x, data[:, 0] / spread[0], rcond=None)
        return float(coef[0])

    parts = [
        two_arms("alternatives", "better alternatives, earlier exit", "weeks until the first "
                 "separation (ten years if none)",
                 ("alternatives 0.2", col(low_alt, weeks_to_first_separation)),
                 ("alternatives 0.8", col(high_alt, weeks_to_first_separation)),
                 "decrease", rng),
        two_arms("investment", "more investment, later exit", "weeks until the first "
                 "separation (ten years if none)",
                 ("investment 0", col(no_inv, weeks_to_first_separation)),
                 ("investment 0.6", col(inv, weeks_to_first_separation)), "increase", rng),
        against("satisfaction", "commitment follows satisfaction", "standardized "
                "coefficient of satisfaction in a regression of weekly commitment within each "
                "relationship, holding investment and the trauma bond (mean over runs)",
                ("all four arms", np.concatenate([col(a, sat_commitment) for a in
                                                  (low_alt, high_alt, no_inv, inv)])),
                0.0, "increase", rng),
    ]
    comparisons = []
    figure = {}
    if not ctx.robust:
        rows = []
        for runs, alt in ((low_alt, 0.2), (high_alt, 0.8), (no_inv, 0.5), (inv, 0.5)):
            for r in runs:
                if r.weekly is not None and len(r.weekly):
                    rows.append(np.column_stack([r.weekly[:, :3], np.full(len(r.weekly), alt)]))
        data = np.vstack(rows)
        comparisons.append(Comparison(
            "variance in weekly commitment explained by satisfaction, alternatives and "
            "investment", r_squared(data[:, 0], data[:, 1:]), (math.nan, math.nan),
            "together about two thirds of the variance in commitment (Le & Agnew 2003, 52 "
            "studies)", 2 / 3, None,
            "Ordinary least squares over partner-weeks together, all four arms. The model "
            "measures its variables without error, so a higher share than three questionnaire "
            "scales reach is expected; the rest of its commitment comes from the trauma bond, "
            "the rescue fantasy and the illusion, which the investment model does not "
            "measure.", n=len(data),
            unit="R squared"))
        figure = {"first_separation": {
            "alternatives 0.2": col(low_alt, weeks_to_first_separation).tolist(),
            "alternatives 0.8": col(high_alt, weeks_to_first_separation).tolist(),
            "investment 0": col(no_inv, weeks_to_first_separation).tolist(),
            "investment 0.6": col(inv, weeks_to_first_separation).tolist()}, "runs": ctx.n}
    return Result("investment_model", ctx.n, parts, comparisons, figure)


OKUN_FOLLOW_UP = 104
"""Okun followed women for two years after their shelter stay."""


def separation_fates(r: DyadRun, horizon: int = HORIZON) -> list[tuple[int, bool]]:
    """(rank, final) for each separation we can judge: final if no return within two years."""
    fates = []
    for rank, (week, _) in enumerate(r.separations, start=1):
        back = r.next_return(week)
        if back is not None and back <= week + OKUN_FOLLOW_UP:
            fates.append((rank, False))
        elif week + OKUN_FOLLOW_UP <= horizon:
            fates.append((rank, True))
    return fates


def exp_several_attempts(ctx: Context) -> Result:
    """Ten years with partners who differ around the defaults; every separation's fate."""
    rng = ctx.rng()
    runs = dyad_arm(ctx, "ten years", {}, population=True)
    ended = [r for r in runs if r.final_separation() is not None]
    earlier = np.array([len(r.separations) > 1 for r in ended], dtype=float)
    parts = [
        against("temporary", "temporary separations come before the final one", "share of "
                "partners who had ended it for good who had already left (or been left) and "
                "gone back at least once, minus one quarter",
                ("ended for good", earlier), 0.25, "increase", rng),
    ]
    comparisons = []
    figure = {}
    if not ctx.robust:
        judged = [r for r in runs if r.separations
                  and r.separations[0][0] + OKUN_FOLLOW_UP <= HORIZON]
        at_once = [float(r.next_return(r.separations[0][0]) is None) for r in judged]
        value, ci, n = mean_ci(at_once, rng)
        comparisons.append(Comparison(
            "share whose first separation was the last (no return in the rest of the run)",
            value, ci, "over 30% ended the relationship with the shelter stay (Okun 1988)",
            0.30, (0.20, 0.45), "Okun's women were at a shelter, not necessarily at their "
            "first separation; the model counts both her leaving and his discarding her.",
            n=n, unit="share"))
        within = []
        for r in judged:
            final = r.final_separation()
            within.append(float(final is not None
                                and final <= r.separations[0][0] + OKUN_FOLLOW_UP))
        value, ci, n = mean_ci(within, rng)
        comparisons.append(Comparison(
            "share who had ended it for good within two years of the first separation", value,
            ci, "over 43% had ended it within two years of the shelter stay (Okun 1988)", 0.43,
            (0.33, 0.60), "For good: no return in the rest of the ten-year run.", n=n,
            unit="share"))
        fates = [separation_fates(r) for r in runs]
        first = [final for f in fates for rank, final in f if rank == 1]
        later = [final for f in fates for rank, final in f if rank >= 2]
        comparisons.append(Comparison(
            "share of later separations (second or after) that were final, minus the share of "
            "first separations that were", float(np.mean(later) - np.mean(first))
            if later and first else math.nan, (math.nan, math.nan),
            "the separations looked like a progressive process of building resources, not an "
            "endless treadmill (Okun 1988)", None, None,
            "Final: no return within two years. A positive number would mean each separation "
            "is likelier than the last to hold. The model has no mechanism by which a partner "
            "builds resources between separations, while every return renews the bond, so it "
            "tends to the treadmill instead; this part of Okun's finding is not reproduced.",
            n=len(later), unit="difference in shares"))
        by_rank: dict[int, list[bool]] = {}
        for f in fates:
            for rank, final in f:
                by_rank.setdefault(min(rank, 4), []).append(final)
        figure = {"final_by_rank": {k: (float(np.mean(v)), len(v))
                                    for k, v in sorted(by_rank.items())},
                  "separations": [len(r.separations) for r in runs],
                  "runs": ctx.n}
    return Result("several_attempts", ctx.n, parts, comparisons, figure)


TWO_MONTHS = 8
SIX_MONTHS = 26
THREE_YEARS = 156


def exp_no_contact(ctx: Context) -> Result:
    """Ordinary contact against no contact after a separation, everything else equal."""
    rng = ctx.rng()
    contact = dyad_arm(ctx, "contact", {"partner.no_contact": False})
    silent = dyad_arm(ctx, "no contact", {"partner.no_contact": True})

    def arms(f):
        return ("ordinary contact", col(contact, f)), ("no contact", col(silent, f))

    def weeks_to_heal(r: DyadRun) -> float | None:
        first = r.first_separation()
        if first is None or first + THREE_YEARS > HORIZON:
            return None
        return heal_time(r, first, THREE_YEARS)

    parts = [
        two_arms("returns", "no contact stops successful hoovers", "returns to him over ten "
                 "years", *arms(lambda r: r.outcome["hoover_successes"]), "decrease", rng),
        two_arms("bond", "love fades faster without contact", "trauma bond two months after "
                 "the first separation as a share of its value then (partners still apart)",
                 *arms(lambda r: change(r, "bond", TWO_MONTHS, relative=True)), "decrease",
                 rng),
        two_arms("distress", "distress eases faster without contact", "change in wellbeing "
                 "over the six months after the first separation (partners still apart)",
                 *arms(lambda r: change(r, "wellbeing", SIX_MONTHS)), "increase", rng),
        two_arms("recovery", "faster recovery", "weeks from the first separation to "
                 "healing (three years if not healed by then, or back with him)",
                 *arms(weeks_to_heal), "decrease", rng),
    ]
    comparisons = []
    figure = {}
    if not ctx.robust:
        early = two_arms("distress_2m", "", "", *arms(lambda r: change(r, "wellbeing",
                                                                          TWO_MONTHS)),
                         "increase", rng)
        comparisons.append(Comparison(
            "difference in the change of wellbeing over two months, no contact minus contact",
            early.effect, early.ci, "more in-person contact predicted more distress two "
            "months later (O'Hara et al. 2020)", None, None,
            f"Not reproduced at two months (standardized difference {early.standardized:+.2f},"
            f" p = {early.p:.2g}): the model's grief moves on a scale of months, so contact "
            "shows in her wellbeing only after about half a year, which the test above uses. "
            "The love (bond) part of the finding does show at two months.",
            n=sum(a[2] for a in early.arms), unit="wellbeing"))
        figure = {"healed": {"ordinary contact": _healed_curve(contact),
                             "no contact": _healed_curve(silent)},
                  "bond": {"ordinary contact": _bond_after(contact),
                           "no contact": _bond_after(silent)},
                  "runs": ctx.n}
    return Result("no_contact", ctx.n, parts, comparisons, figure)


def _healed_curve(runs: Sequence[DyadRun], weeks: int = 312) -> list[float]:
    """Share healed, by weeks since the first separation (runs separated by week 208)."""
    rows = []
    for r in runs:
        first = r.first_separation()
        if first is None or first + weeks > HORIZON:
            continue
        step = r.outcome["recovered_step"]
        rows.append([step is not None and step <= first + w for w in range(weeks + 1)])
    return np.array(rows, dtype=float).mean(axis=0).tolist() if rows else []


def exp_slow_recovery(ctx: Context) -> Result:
    """Ten years with partners who differ around the defaults; no support after leaving
    against professional or group support (therapy 0.6) for the effect of support."""
    rng = ctx.rng()
    base = dyad_arm(ctx, "ten years", {}, population=True)
    poor = dyad_arm(ctx, "no therapy", {"partner.therapy": 0.0}, population=True)
    good = dyad_arm(ctx, "therapy 0.6", {"partner.therapy": 0.6}, population=True)

    def healed_by(weeks: int) -> Callable[[DyadRun], float | None]:
        def f(r: DyadRun) -> float | None:
            final = r.final_separation()
            if final is None or final + weeks > HORIZON:
                return None
            return float(r.healed_within(final, weeks))
        return f

    def time_after_final(r: DyadRun) -> float | None:
        final = r.final_separation()
        if final is None or final + THREE_YEARS > HORIZON:
            return None
        return heal_time(r, final, THREE_YEARS)

    def esteem_gap(r: DyadRun) -> float | None:
        final = r.final_separation()
        if final is None or final + THREE_YEARS > HORIZON:
            return None
        return r.outcome["final_self_esteem"] - r.outcome["self_esteem"]

    parts = [
        against("slow", "recovery is slow", "share healed within one year of the final "
                "separation, minus one half", ("final separations", col(base, healed_by(52))),
                0.5, "decrease", rng),
        against("incomplete", "recovery is sometimes incomplete", "share not healed three "
                "years after the final separation, minus one in ten",
                ("final separations", 1.0 - col(base, healed_by(THREE_YEARS))), 0.1,
                "increase", rng),
        against("scar", "self-esteem stays below where it began", "self-esteem at the end "
                "minus at the start, partners apart at least three years",
                ("final separations", col(base, esteem_gap)), 0.0, "decrease", rng),
        two_arms("support", "support speeds recovery", "weeks from the final separation to "
                 "healing (three years if not healed by then)",
                 ("no therapy", col(poor, time_after_final)),
                 ("therapy 0.6", col(good, time_after_final)), "decrease", rng),
    ]
    figure = {}
    notes = []
    if not ctx.robust:
        times = []
        for r in base:
            final = r.final_separation()
            if final is not None and final + THREE_YEARS <= HORIZON:
                step = r.outcome["recovered_step"]
                times.append(math.inf if step is None else step - final)
        finite = np.array(times)
        notes.append(f"Of {len(times)} partners apart at least three years, "
                     f"{np.mean(finite <= 52):.0%} had healed within a year, "
                     f"{np.mean(finite <= 156):.0%} within three years and "
                     f"{np.mean(np.isfinite(finite)):.0%} by the end of the run.")
        figure = {"healed": {"no therapy": _final_healed_curve(poor),
                             "partners around the defaults": _final_healed_curve(base),
                             "therapy 0.6": _final_healed_curve(good)},
                  "runs": ctx.n}
    return Result("slow_recovery", ctx.n, parts, figure=figure, notes=notes)


def _final_healed_curve(runs: Sequence[DyadRun], weeks: int = THREE_YEARS) -> list[float]:
    rows = []
    for r in runs:
        final = r.final_separation()
        if final is None or final + weeks > HORIZON:
            continue
        step = r.outcome["recovered_step"]
        rows.append([step is not None and step <= final + w for w in range(weeks + 1)])
    return np.array(rows, dtype=float).mean(axis=0).tolist() if rows else []


def exp_rescue_fantasy(ctx: Context) -> Result:
    """No rescue fantasy (0) against a strong one (0.8)."""
    rng = ctx.rng()
    none = dyad_arm(ctx, "none", {"partner.rescue_fantasy": 0.0})
    strong = dyad_arm(ctx, "strong", {"partner.rescue_fantasy": 0.8})

    def arms(f):
        return ("rescue fantasy 0", col(none, f)), ("rescue fantasy 0.8", col(strong, f))

    def harshness(r: DyadRun) -> float | None:
        weeks = r.outcome["weeks_devalued"]
        return r.outcome["harm"] / weeks if weeks >= 4 else None

    parts = [
        two_arms("exposure", "she stays with him longer", "weeks with him over ten years",
                 *arms(lambda r: r.outcome["weeks_in_relationship"]), "increase", rng),
        two_arms("harm", "she is harmed more", "harm that got through over ten years",
                 *arms(lambda r: r.outcome["harm"]), "increase", rng),
        two_arms("him", "his traits do not change", "total change in his traits over ten "
                 "years", *arms(lambda r: r.trait_change), "equal", rng, margin=1e-9),
    ]
    notes = [] if ctx.robust else [
        f"Harm per week of devaluation: {np.mean(finite(col(none, harshness))):.3f} without "
        f"the fantasy against {np.mean(finite(col(strong, harshness))):.3f} with it. The "
        "difference is hers, not his: a partner who stays long learns to walk on eggshells "
        "and voices fewer needs, so there is less for him to punish. His rules and traits "
        "are the same in both arms."]
    figure = {}
    if not ctx.robust:
        def both(f):
            return {"rescue fantasy 0": col(none, f).tolist(),
                    "rescue fantasy 0.8": col(strong, f).tolist()}
        figure = {"boxes": {
            "weeks with him over ten years": both(lambda r: r.outcome["weeks_in_relationship"]),
            "cumulative harm": both(lambda r: r.outcome["harm"])}, "runs": ctx.n}
    return Result("rescue_fantasy", ctx.n, parts, figure=figure, notes=notes)


def exp_conditioning(ctx: Context) -> Result:
    """Unconditioned (0) against strongly conditioned (0.8) partners."""
    rng = ctx.rng()
    plain = dyad_arm(ctx, "plain", {"partner.conditioning": 0.0})
    cond = dyad_arm(ctx, "conditioned", {"partner.conditioning": 0.8})

    def arms(f):
        return ("conditioning 0", col(plain, f)), ("conditioning 0.8", col(cond, f))

    def seen(r: DyadRun) -> float | None:
        harm = r.outcome["harm"]
        return r.outcome["perceived_harm"] / harm if harm > 0 else None

    parts = [
        two_arms("exposure", "conditioned partners stay longer", "weeks until the first "
                 "separation (ten years if none)", *arms(weeks_to_first_separation), "increase",
                 rng),
        against("worse", "yet end worse off than they began", "wellbeing after ten years "
                "minus at the start (conditioned partners)",
                ("conditioning 0.8", col(cond, lambda r: r.outcome["final_wellbeing"]
                                         - r.start_wellbeing)), 0.0, "decrease", rng),
        two_arms("perceived", "they perceive less of the harm done to them", "perceived harm "
                 "as a share of actual harm", *arms(seen), "decrease", rng),
    ]
    figure = {} if ctx.robust else {
        "wellbeing": {"conditioning 0": mean_curve(plain, "wellbeing"),
                      "conditioning 0.8": mean_curve(cond, "wellbeing")},
        "runs": ctx.n}
    return Result("conditioning", ctx.n, parts, figure=figure)


SELECTION_PEOPLE, SELECTION_WEEKS, SELECTION_SPREAD = 42, 260, 0.25


def exp_selection(ctx: Context) -> Result:
    """Two narcissists among forty people whose traits vary; who is drawn in first?"""
    from scipy import stats

    rng = ctx.rng()
    scenario = town_scenario(SELECTION_PEOPLE, 2, SELECTION_WEEKS, SELECTION_SPREAD)
    correlations: dict[str, list[float]] = {"vulnerability": [], "self_esteem": [],
                                            "boundary": []}
    curves = []
    for seed in ctx.seeds("town"):
        model = RelationshipModel(scenario, rng=seed, **ctx.overrides)
        model.run()
        table = model.outcomes()
        first = table["first_step"].astype("Float64").fillna(SELECTION_WEEKS + 1).to_numpy(float)
        for trait in correlations:
            correlations[trait].append(float(stats.spearmanr(table[trait], first)[0]))
        if not ctx.robust:
            tertile = np.digitize(table["vulnerability"], np.quantile(table["vulnerability"],
                                                                      [1 / 3, 2 / 3]))
            curves.append([[float(np.mean(first[tertile == t] <= w)) for w in
                            range(0, SELECTION_WEEKS + 1, 4)] for t in range(3)])
    parts = [
        against("vulnerability", "the more vulnerable are drawn in first", "rank correlation "
                "of vulnerability with the week first drawn in (mean over towns)",
                ("towns", correlations["vulnerability"]), 0.0, "decrease", rng),
        against("self_esteem", "those with lower self-esteem are drawn in first", "rank "
                "correlation of self-esteem with the week first drawn in",
                ("towns", correlations["self_esteem"]), 0.0, "increase", rng),
        against("boundary", "those with weaker boundaries are drawn in first", "rank "
                "correlation of boundary with the week first drawn in",
                ("towns", correlations["boundary"]), 0.0, "increase", rng),
    ]
    figure = {} if ctx.robust else {"tertiles": np.mean(curves, axis=0).tolist(),
                                    "step": 4, "runs": ctx.n}
    return Result("selection", ctx.n, parts, figure=figure)


PREVALENCE_PEOPLE, PREVALENCE_WEEKS = 100, 260
PREVALENCE_RANGE = (0.01, 0.077)


def exp_prevalence(ctx: Context) -> Result:
    """A town of 100 with 1 narcissist (1%) against 6 (about 6.2%); who is ever drawn in?"""
    rng = ctx.rng()
    shares = {}
    for k in (1, 6):
        scenario = town_scenario(PREVALENCE_PEOPLE, k, PREVALENCE_WEEKS)
        values = []
        for seed in ctx.seeds(f"{k} narcissists"):
            model = RelationshipModel(scenario, rng=seed, **ctx.overrides)
            model.run()
            values.append(float(model.outcomes()["first_step"].notna().mean()))
        shares[k] = values
    parts = [
        two_arms("reach", "more narcissists, more people drawn in", "share of the town drawn "
                 "into a relationship with a narcissist within five years",
                 ("1 in 100", shares[1]), ("6 in 100", shares[6]), "increase", rng),
    ]
    comparisons = []
    if not ctx.robust:
        preset = load("community")
        people = preset.world.get("generated_partners", 0) + len(preset.partners) + \
            preset.world.get("narcissists", 1)
        share = preset.world.get("narcissists", 1) / people
        comparisons.append(Comparison(
            "share of narcissists in the `community` preset", share, (share, share),
            "lifetime NPD 6.2% (Stinson et al. 2008); about 1% averaged over community studies "
            "(Dhawan et al. 2010)", 0.062, PREVALENCE_RANGE,
            "An input, not a result: the preset is set inside the published range. The "
            "model cannot test a prevalence; it can only show what a prevalence implies.",
            n=people, unit="share"))
    return Result("prevalence", ctx.n, parts, comparisons,
                  figure={} if ctx.robust else {"shares": shares, "runs": ctx.n})


# --- the facts --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Fact:
    """One row of MODEL.md's evidence table, declared as an experiment.

    `kind` is "finding" (published research agrees) or "essay claim" (the essay says so; the
    model shows what follows if it is true, not that it is). `seed_scale` shrinks the number
    of runs for experiments on a whole town, which cost many times a single relationship.
    """

    key: str
    title: str
    claim: str
    source: str
    published: str
    kind: str
    experiment: str
    run: Callable[[Context], Result]
    seed_scale: float = 1.0
    min_seeds: int = 4
    caveat: str = ""
    robust_scale: float = 1.0

    def seeds_for(self, n: int) -> int:
        """Runs per arm for a suite asking for `n` runs per arm of a single relationship."""
        return max(self.min_seeds, int(math.ceil(n * self.seed_scale)))

    def robust_seeds_for(self, n: int) -> int:
        """Runs per arm at one robustness draw: more where the effect is small or conditional,
        so that a draw's verdict is not a coin toss."""
        return self.seeds_for(int(math.ceil(n * self.robust_scale)))


FACTS: tuple[Fact, ...] = (
    Fact("boundaries", "Firmer boundaries",
         "A partner with a firmer boundary takes less cumulative harm, spends fewer weeks "
         "devalued and recovers sooner, at the price of more injury and rage early on.",
         "the essay", "the essay's central advice", "essay claim",
         "One man, one partner, ten years. Varied: her boundary, 0.2 against 0.8. Held: every "
         "other parameter at its default.", exp_boundaries,
         caveat="The essay's advice; research on boundaries with narcissistic partners is "
         "thin. The model shows that the advice follows from its mechanisms."),
    Fact("charm_then_decline", "Charm, then decline",
         "He is liked above average at first and disliked after repeated contact: her "
         "satisfaction starts above her baseline and later falls below it.",
         "Paulhus 1998 (JPSP 74:1197); Back, Schmukle & Egloff 2010 (JPSP 98:132); "
         "Leckelt et al. 2015 (JPSP)",
         "liked at the first meeting, disliked after 7 weekly meetings", "finding",
         "One man, one partner, 78 weeks, all parameters at their defaults. Measured: her "
         "satisfaction in weeks 1-4, and 12 weeks after devaluation began, against her "
         "baseline of 0.5.",
         exp_charm_then_decline,
         caveat="The studies measured first impressions among students in discussion groups "
         "and trait narcissism, not romantic partners of diagnosed narcissists."),
    Fact("admiration_rivalry", "Admiration and rivalry",
         "Short-term appeal and long-term trouble come from different sides of him: "
         "admiration (charm) makes him appealing at first, rivalry makes the relationship "
         "go bad later.",
         "Wurst et al. 2017 (JPSP 112:280); Leckelt et al. 2015; Back et al. 2013",
         "7 studies, N = 3,560", "finding",
         "One man, one partner, 78 weeks. Varied in a 2 x 2 design: his charm (0.45 or 0.9) "
         "and his rivalry (0.25 or 0.8). Held: everything else at its default.",
         exp_admiration_rivalry,
         caveat="Admiration and rivalry are dimensions of trait narcissism measured in the "
         "general population; the model's charm and rivalry are its stand-ins for them."),
    Fact("intermittent_bond", "Intermittent kindness and the trauma bond",
         "Kindness that comes and goes builds a stronger bond than steady treatment; the bond "
         "outlasts the relationship and fades slowly, by roughly a quarter over six months.",
         "Dutton & Painter 1993 (Violence & Victims 8:105)",
         "attachment fell by about 27% in the six months after leaving; abuse, "
         "intermittency and power difference explained 55% of its variance", "finding",
         "One man, one partner, ten years. Varied: his reinforcement, 0 (steady coldness) "
         "against 0.7. Two further arms at the default reinforcement, with ordinary contact "
         "and with no contact after a separation, follow the bond after she leaves.",
         exp_intermittent_bond,
         caveat="75 women recently out of abusive relationships, most physically abused; "
         "not partners of diagnosed narcissists."),
    Fact("investment_model", "The investment model",
         "Commitment follows satisfaction, alternatives and investment: with better "
         "alternatives she leaves earlier, with more invested she leaves later.",
         "Rusbult 1980; Rusbult & Martz 1995; Le & Agnew 2003",
         "together about two thirds of the variance in commitment (52 studies, N = 11,582)",
         "finding",
         "One man, one partner, ten years. Varied: her alternatives, 0.2 against 0.8; and "
         "what she has invested at the start, nothing against 0.6 (a shared home and years; "
         "these two arms get twice the runs). Held: everything else at its default.",
         exp_investment_model, robust_scale=1.5,
         caveat="Exit counts the first separation whoever ends it: in the model he often "
         "discards her first once she pulls away (pre-emptive discard)."),
    Fact("several_attempts", "Leaving takes several attempts",
         "Leaving takes several attempts: many of those who end it for good have left (or "
         "been left) and gone back before.",
         "Okun 1988 (N = 300)",
         "over 30% ended it with the shelter stay, over 43% within two years", "finding",
         "One man, one partner, ten years; each run's partner is a different person, her "
         "traits drawn around the defaults. Every separation is followed: did she go back?",
         exp_several_attempts, robust_scale=3.0,
         caveat="Okun's 300 women were at a shelter for battered women; the model's "
         "separations include his discards."),
    Fact("no_contact", "No contact",
         "Contact with the ex slows recovery; no contact speeds it and stops successful "
         "hoovers.",
         "Sbarra & Emery 2005; O'Hara et al. 2020",
         "more contact, slower decline of love and sadness, more distress two months on",
         "finding",
         "One man, one partner, ten years. Varied: no contact after a separation, off "
         "against on. Held: everything else at its default.", exp_no_contact,
         robust_scale=1.5,
         caveat="Sbarra & Emery followed 58 students through a month after an ordinary "
         "break-up; O'Hara et al. 122 separated adults over five months."),
    Fact("slow_recovery", "Slow, sometimes incomplete recovery",
         "Recovery after leaving is slow and sometimes incomplete; support helps.",
         "Anderson & Saunders 2003; Blasco-Ros et al. 2010",
         "many still have symptoms years later after psychological abuse", "finding",
         "One man, one partner, ten years; each run's partner is a different person, her "
         "traits drawn around the defaults; followed from her final separation. Two more arms, "
         "without and with support after leaving (therapy 0 against 0.6), test support.",
         exp_slow_recovery, robust_scale=2.5,
         caveat="Blasco-Ros et al. followed 56 abused women for three years: those abused "
         "only psychologically had not recovered; social support helped recovery."),
    Fact("rescue_fantasy", "The rescue fantasy",
         "A rescue fantasy keeps her with him longer and so raises her harm, without changing "
         "anything in him.",
         "the essay", "the essay's claim", "essay claim",
         "One man, one partner, ten years. Varied: her rescue fantasy, 0 against 0.8. Held: "
         "everything else at its default.", exp_rescue_fantasy,
         caveat="The essay's claim, not a finding: the model shows what follows if it is "
         "true. 'Nothing changes in him' is built in (mechanism 13); the test checks that no "
         "other route smuggles a change in."),
    Fact("conditioning", "Conditioned partners",
         "A partner conditioned early in life to treat abuse as normal stays longer, yet ends "
         "worse off than she began.",
         "the essay", "the essay's claim", "essay claim",
         "One man, one partner, ten years. Varied: her conditioning, 0 against 0.8. Held: "
         "everything else at its default.", exp_conditioning, robust_scale=3.0,
         caveat="The essay's claim ('inverted narcissist'), not a finding."),
    Fact("selection", "Selection of the vulnerable",
         "He targets the vulnerable first: people with more vulnerability, lower "
         "self-esteem and weaker boundaries are drawn in earlier.",
         "the essay", "the essay's claim", "essay claim",
         "A town of 42 (2 narcissists, 40 others whose traits vary at random around the "
         "defaults, standard deviation 0.25) over five years. Measured in each town: the "
         "rank correlation between a trait and the week a person was first drawn in (never: "
         "after the end).", exp_selection,
         seed_scale=0.3, min_seeds=6, robust_scale=4.0,
         caveat="The essay's claim, not a finding. Who is drawn in also depends on who says "
         "yes; the model cannot separate his choice from her answer in this measure."),
    Fact("prevalence", "Narcissists in a community",
         "Narcissists are a small minority, between about 1% and 7.7% of a community; the "
         "more there are, the more people are drawn in.",
         "Stinson et al. 2008; Dhawan et al. 2010",
         "lifetime NPD 6.2% (men 7.7%, women 4.8%); about 1% averaged over community studies",
         "finding",
         "A town of 100 over five years. Varied: 1 narcissist against 6. The preset's "
         "prevalence is compared with the published range.", exp_prevalence,
         seed_scale=0.1, min_seeds=3,
         caveat="Prevalence is an input of the model, not an output: this row checks the "
         "preset and shows what the published prevalences imply, nothing more."),
)

FACTS_BY_KEY = {f.key: f for f in FACTS}


def run_fact(fact: Fact | str, seeds: int = DEFAULT_SEEDS, master: int = MASTER_SEED,
             overrides: dict[str, Any] | None = None, draw: int = 0,
             robust: bool = False) -> Result:
    """Run one fact's experiment with `seeds` runs per arm (scaled for town experiments)."""
    fact = FACTS_BY_KEY[fact] if isinstance(fact, str) else fact
    ctx = Context(fact.key, fact.seeds_for(seeds), master, draw, dict(overrides or {}), robust)
    result = fact.run(ctx)
    result.arm_seeds = ctx.arm_seeds
    return result


# --- robustness ---------------------------------------------------------------------------------
@dataclass
class Robustness:
    """How a fact fares across random parameter sets from the plausible region."""

    fact: str
    draws: list[dict[str, Any]]
    statuses: list[str]
    significant: list[bool]
    effects: list[dict[str, float]]
    failing_parts: dict[str, int]
    unobservable_parts: dict[str, int]
    seeds: int

    @property
    def counts(self) -> dict[str, int]:
        """How many draws held, failed, or could not observe the fact."""
        return {k: self.statuses.count(k) for k in ("holds", "fails", "n/a")}

    @property
    def share(self) -> float:
        """Share of the draws that could observe the fact in which every part points the
        claimed way."""
        c = self.counts
        judged = c["holds"] + c["fails"]
        return c["holds"] / judged if judged else math.nan

    @property
    def share_significant(self) -> float:
        """Share of the judged draws in which every part is also significant at ROBUST_ALPHA."""
        judged = [sig for sig, st in zip(self.significant, self.statuses, strict=True)
                  if st != "n/a"]
        return float(np.mean(judged)) if judged else math.nan

    def interval(self) -> tuple[float, float]:
        """Wilson 95% interval for `share`."""
        c = self.counts
        return wilson(c["holds"], c["holds"] + c["fails"])

    def corners(self, top: int = 3) -> list[tuple[str, float, float, float]]:
        """Parameters whose values differ most between failing and holding draws.

        Returns (parameter, mean where it fails, mean where it holds, difference in units of
        the parameter's spread over its plausible range).
        """
        fails = [d for d, st in zip(self.draws, self.statuses, strict=True) if st == "fails"]
        holds = [d for d, st in zip(self.draws, self.statuses, strict=True) if st == "holds"]
        if len(fails) < 2 or len(holds) < 2:
            return []
        rows = []
        for name, r in PLAUSIBLE.items():
            if name == "narcissist.subtype":
                f = float(np.mean([d[name] == "somatic" for d in fails]))
                h = float(np.mean([d[name] == "somatic" for d in holds]))
                spread = 0.5
            else:
                f = float(np.mean([d[name] for d in fails]))
                h = float(np.mean([d[name] for d in holds]))
                spread = (r.high - r.low) / math.sqrt(12)
            rows.append((name, f, h, (f - h) / spread))
        rows.sort(key=lambda row: -abs(row[3]))
        return rows[:top]


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval for a proportion."""
    if n == 0:
        return math.nan, math.nan
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def robustness(fact: Fact | str, draws: int = DEFAULT_DRAWS, seeds: int = ROBUST_SEEDS,
               master: int = MASTER_SEED,
               progress: Callable[[int, int], None] | None = None) -> Robustness:
    """Run a fact's experiment at `draws` random parameter sets from the plausible region.

    `seeds` is the number of runs per arm for a fact of average difficulty; facts with small
    or conditional effects get more (`Fact.robust_scale`).
    """
    fact = FACTS_BY_KEY[fact] if isinstance(fact, str) else fact
    sample = sample_plausible(draws, master)
    n = int(math.ceil(seeds * fact.robust_scale))
    statuses, significant, effects = [], [], []
    failing: dict[str, int] = {}
    unobservable: dict[str, int] = {}
    for i, overrides in enumerate(sample, start=1):
        result = run_fact(fact, n, master, overrides, draw=i, robust=True)
        statuses.append(result.status)
        significant.append(all(p.holds(ROBUST_ALPHA) for p in result.parts))
        effects.append({p.key: p.effect for p in result.parts})
        for p in result.parts:
            if not p.applicable:
                unobservable[p.key] = unobservable.get(p.key, 0) + 1
            elif not p.direction_ok:
                failing[p.key] = failing.get(p.key, 0) + 1
        if progress is not None:
            progress(i, draws)
    return Robustness(fact.key, sample, statuses, significant, effects, failing, unobservable,
                      fact.seeds_for(n))
