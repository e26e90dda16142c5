"""Speed work that changes which random numbers a run draws must not change what runs report,
in distribution: samples from the current model against samples from the model before it.

`same_distribution.npz` holds, for each case below, what `REFERENCE_RUNS` runs of the model
reported before its weekly draws moved from numpy's generator to Mesa's `model.random` (see
docs/performance.md): one value per run for each measure, per partner for the small presets
and per town for the community. The test runs the current model on other seeds and compares
every measure with a two-sample Kolmogorov-Smirnov test; with about 300 comparisons, a p-value
under 0.01 / comparisons (Bonferroni: a 1% chance of a false alarm over the whole file) fails.

The comparison can fail: `test_a_slightly_wrong_generator_is_caught` feeds the model uniform
numbers bent by a power of 1.1 (a mean of 0.476 instead of 0.5), and
`test_a_slightly_faster_fading_bond_is_caught` makes the bond fade an eighth faster; both
must be rejected at the size CI runs. (A change of charm from 0.70 to 0.75 is not: the
comparison sees shifts of about a tenth of a spread, not finer.)

Regenerate only for a deliberate change of the model's dynamics (and say so in the commit):
    python tests/test_same_distribution.py --write
"""

from __future__ import annotations

import random
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from model import RelationshipModel  # noqa: E402

FIXTURE = Path(__file__).resolve().parent / "same_distribution.npz"
REFERENCE_RUNS = {"small": 1000, "community": 300}
"""Runs per case in the fixture, on seeds from `REFERENCE_SEED` up."""
REFERENCE_SEED = 100_000
FAMILY_ALPHA = 0.01

CASES: dict[str, tuple[str, str, dict]] = {
    "classroom": ("small", "classroom", {}),
    "classroom-firm": ("small", "classroom", {"partners.*.boundary": 0.8}),
    "classroom-steady-treated": ("small", "classroom", {"narcissist.kindness_schedule": "steady",
                                                        "narcissist.treatment": 0.6}),
    "no_contact": ("small", "no_contact", {}),
    "intermittent": ("small", "intermittent", {}),
    "rescue_fantasy": ("small", "rescue_fantasy", {}),
    "community": ("community", "community", {}),
}
PARTNER_MEASURES = ("harm", "perceived_harm", "min_wellbeing", "final_wellbeing",
                    "trauma_bond_peak", "final_trauma_bond", "final_self_esteem",
                    "weeks_in_relationship", "weeks_devalued", "cycles", "returns", "exits",
                    "discards", "hoover_attempts", "rage_episodes", "kindness_episodes")
RECORD_EVERY = 13
"""Weeks between the recorded weeks the narcissists' supply is averaged over."""


def measures(case: str, seed: int, **changed: Any) -> dict[str, float]:
    """What one run of `case` reports, as named numbers (`changed`: further overrides)."""
    size, preset, overrides = CASES[case]
    run = RelationshipModel(preset, rng=seed, record=RECORD_EVERY,
                            **{**overrides, **changed}).run()
    table = run.outcomes()
    supply = run.supply_timeline()
    found = {"mean_supply": float(supply["supply"].mean()),
             "mean_hunger": float(supply["hunger"].mean())}
    if size == "community":
        courted = table["first_step"].notna()
        found |= {"courted": float(courted.sum()), "left": float((table["end_reason"] == "left")
                                                                  .sum()),
                  "discarded": float((table["end_reason"] == "discarded").sum()),
                  "mean_harm_of_courted": float(table.loc[courted, "harm"].mean()),
                  "mean_lowest_wellbeing_of_courted": float(
                      table.loc[courted, "min_wellbeing"].mean())}
        for name in ("cycles", "returns", "hoover_attempts", "rage_episodes"):
            found[f"total_{name}"] = float(table[name].sum())
        return found
    for row in table.itertuples():
        for name in PARTNER_MEASURES:
            found[f"{row.name}.{name}"] = float(getattr(row, name))
        found[f"{row.name}.left"] = float(row.end_reason == "left")
        found[f"{row.name}.end_step"] = -1.0 if pd.isna(row.end_step) else float(row.end_step)
    return found


def sample(case: str, runs: int, first_seed: int, **changed: Any) -> dict[str, np.ndarray]:
    rows = [measures(case, seed, **changed) for seed in range(first_seed, first_seed + runs)]
    return {name: np.array([row[name] for row in rows]) for name in rows[0]}


@pytest.fixture(scope="module")
def reference() -> dict[str, dict[str, np.ndarray]]:
    stored = np.load(FIXTURE)
    found: dict[str, dict[str, np.ndarray]] = {case: {} for case in CASES}
    for key in stored.files:
        case, name = key.split("/", 1)
        found[case][name] = stored[key]
    return found


def comparisons(reference) -> int:
    return sum(len(columns) for columns in reference.values())


def rejected(reference_case: dict[str, np.ndarray], now: dict[str, np.ndarray],
             threshold: float) -> list[str]:
    """The measures whose two samples differ at `threshold`, with their p-values."""
    assert set(now) == set(reference_case)
    found = []
    for name, before in reference_case.items():
        p = stats.ks_2samp(before, now[name]).pvalue
        if p < threshold:
            found.append(f"{name}: p = {p:.2g} (mean {before.mean():.4g} before, "
                         f"{now[name].mean():.4g} now)")
    return found


def runs_for(case: str, slow: bool) -> int:
    size = CASES[case][0]
    if slow:
        return REFERENCE_RUNS[size]
    return 300 if size == "small" else 100


@pytest.mark.parametrize("case", list(CASES))
def test_runs_report_what_they_reported_before_the_draws_moved(case, reference):
    threshold = FAMILY_ALPHA / comparisons(reference)
    now = sample(case, runs_for(case, slow=False), first_seed=0)
    assert not rejected(reference[case], now, threshold)


@pytest.mark.slow
@pytest.mark.parametrize("case", list(CASES))
def test_runs_report_what_they_reported_before_full_size(case, reference):
    threshold = FAMILY_ALPHA / comparisons(reference)
    now = sample(case, runs_for(case, slow=True), first_seed=0)
    assert not rejected(reference[case], now, threshold)


class _Bent(random.Random):
    """Uniform numbers bent towards 0 (u ** 1.1): every chance a little more likely."""

    def random(self) -> float:  # type: ignore[override]
        return super().random() ** 1.1


def test_a_slightly_wrong_generator_is_caught(reference, monkeypatch):
    """Uniform numbers that average 0.476 instead of 0.5 make every chance a little likelier;
    the comparison rejects them at the size CI runs."""
    original = RelationshipModel.__init__

    def bent(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.random = _Bent(kwargs["rng"])

    monkeypatch.setattr(RelationshipModel, "__init__", bent)
    threshold = FAMILY_ALPHA / comparisons(reference)
    assert rejected(reference["classroom"], sample("classroom", 300, 0), threshold)


def test_a_slightly_faster_fading_bond_is_caught(reference):
    """A bond that fades 0.0135 a week instead of 0.012 is rejected at the size CI runs."""
    threshold = FAMILY_ALPHA / comparisons(reference)
    changed = sample("classroom", 300, 0, **{"world.bond_decay": 0.0135})
    assert rejected(reference["classroom"], changed, threshold)


def test_the_fixture_holds_every_case_at_full_size(reference):
    assert set(reference) == set(CASES)
    for case, columns in reference.items():
        assert {len(values) for values in columns.values()} == {
            REFERENCE_RUNS[CASES[case][0]]}, case


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    arrays = {}
    for name in CASES:
        drawn = sample(name, REFERENCE_RUNS[CASES[name][0]], REFERENCE_SEED)
        arrays |= {f"{name}/{measure}": values for measure, values in drawn.items()}
        print(name, len(drawn), "measures", flush=True)
    np.savez_compressed(FIXTURE, **{key: values.astype(np.float32)  # half the size
                                    for key, values in arrays.items()})
