"""The harness every fact's experiment runs on: contexts, seeds, dyad and town runs, arms.

The experiments use small purpose-built scenarios (one man and one partner; a small town), not
the presets, so that they test mechanisms rather than a particular story. Every run's seed is
derived with numpy's `SeedSequence` from one master seed, the fact's key and the robustness
draw, and every arm of an experiment gets the same seeds (common random numbers), so two arms
of one seed differ only in the setting the experiment varies. Nothing here reads or writes
files.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..events import SEPARATIONS, EventKind
from ..model import RelationshipModel
from ..parameters import GROUPS
from ..scenario import Scenario, from_dict
from .stats import ALPHA, Comparison, Part, band

MASTER_SEED = 20240605
"""Default master seed of the validation suite."""
DEFAULT_SEEDS = 200
"""Runs per arm in the full suite (facts built on a whole town scale this down)."""
HORIZON = 520
"""Ten years, the default length of a run."""


@dataclass
class Result:
    """What one run of a fact's experiment found.

    `parts` are the tested effects (each can fail). `shown` are effects that are built into
    the model's equations: they are measured and reported so a reader sees them, but they are
    not tests and never decide a verdict. `figure` is the fact's own typed figure (or None in
    a robustness draw, which draws nothing).
    """

    fact: str
    seeds: int
    parts: list[Part]
    comparisons: list[Comparison] = field(default_factory=list)
    figure: Any = None
    notes: list[str] = field(default_factory=list)
    shown: list[Part] = field(default_factory=list)
    arm_seeds: dict[str, list[int]] = field(default_factory=dict)

    @property
    def holds(self) -> bool:
        """Every tested part points the claimed way with p < ALPHA."""
        return bool(self.parts) and all(p.holds(ALPHA) for p in self.parts)

    def significant(self, alpha: float) -> bool:
        """Every tested part points the claimed way with p < alpha."""
        return bool(self.parts) and all(p.holds(alpha) for p in self.parts)

    @property
    def observable(self) -> bool:
        """Whether every part could be observed at all (see `Part.applicable`)."""
        return all(p.applicable for p in self.parts)


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
    separations: list[tuple[int, EventKind]]
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
        if event.kind in SEPARATIONS:
            separations.append((event.week, event.kind))
        elif event.kind == EventKind.RETURNED:
            returns.append(event.week)
        elif event.kind == EventKind.RAGE:
            rages.append(event.week)
        elif event.kind == EventKind.KINDNESS:
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
        least, most = declared.bounds
        traits[f"partner.{name}"] = float(min(most, max(least, value)))
    return traits


Measure = Callable[[DyadRun], Any]
"""What `col` reads off one run: a number, or None where it cannot be observed."""

Arm = tuple[str, np.ndarray]
"""One arm of an experiment as the tests in model/validation/stats.py take it: its label and
one number per run (`col`)."""


def col(runs: Sequence[DyadRun], f: Measure) -> np.ndarray:
    """One number per run, in seed order; NaN where `f` returns None (not observable).

    Keeping the NaNs keeps the arms aligned seed by seed, which the paired test needs;
    `contrast` drops them where it cannot pair.
    """
    return np.array([math.nan if (x := f(r)) is None else x for r in runs], dtype=float)


def mean_curve(runs: Sequence[DyadRun], attr: str) -> dict[str, list[float]]:
    """Mean and 10th/90th percentiles of a weekly series across runs (for the figures)."""
    return band(np.vstack([getattr(r, attr) for r in runs]))


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


def first_leaving(r: DyadRun) -> int | None:
    """The week of her own first leaving (not his discard), if she ever left."""
    return next((week for week, kind in r.separations if kind == EventKind.LEFT), None)


def apart_after(r: DyadRun, series: str, start: int | None, weeks: int) -> float | None:
    """A weekly series `weeks` after `start`, if she stayed apart from him all that time."""
    if start is None or start + weeks >= len(r.bond):
        return None
    back = r.next_return(start)
    if back is not None and back <= start + weeks:
        return None
    return float(getattr(r, series)[start + weeks])


def has_parameter(path: str) -> bool:
    """Whether this version of the model declares a parameter (`group.name`)."""
    group, name = path.split(".")
    return name in GROUPS[group]
