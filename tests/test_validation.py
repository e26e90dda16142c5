"""The stylized facts of MODEL.md's evidence table, each as a test (see model/validation.py).

Two sizes:

- CI size (default): each fact's experiment with `CI_SEEDS[fact]` runs per arm, on a master seed
  (`CI_MASTER`) different from the report's, so CI replicates the report on fresh runs rather
  than re-reading it. A part must point the claimed way with p < `CI_ALPHA` (0.05). The run
  counts were chosen from the effect sizes the full suite measures, for a power of at least
  0.9 at that level on the weakest part of each fact; they are not tuned to a lucky seed.
- Full size (`pytest -m slow tests/test_validation.py`): the report's own numbers, 200 runs per
  arm at p < 0.01, and the robustness check over the plausible region.

Seeds are fixed, so each test either always passes or always fails for a given model.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import pytest

from model import validation as v
from model.cli import main
from model.parameters import GROUPS
from model.scenario import declaration_for
from model.validation_report import Settings, report_markdown, summary_table, write_report

CI_MASTER = 7
CI_ALPHA = 0.05
CI_SEEDS = {
    "boundaries": 30,
    "charm_then_decline": 30,
    "admiration_rivalry": 30,
    "intermittent_bond": 30,
    "investment_model": 80,
    "several_attempts": 150,
    "no_contact": 90,
    "slow_recovery": 80,
    "rescue_fantasy": 20,
    "conditioning": 200,
    "selection": 150,
    "prevalence": 30,
}
"""Runs per arm in CI for a one-relationship experiment; town experiments scale these down
(`Fact.seed_scale`), to 45 towns for selection and 3 per arm for prevalence."""

ROBUSTNESS_FLOOR = {
    "several_attempts": 0.65,
    "slow_recovery": 0.6,
}
"""Facts documented in docs/validation/calibration.md as holding in less than 80% of the
plausible region, with the share below which the slow test calls it a regression."""


@functools.cache
def ci_result(key: str) -> v.Result:
    return v.run_fact(key, CI_SEEDS[key], CI_MASTER)


def explain(parts: list[v.Part]) -> str:
    return "; ".join(f"{p.key}: effect {p.effect:+.4g} {p.ci}, p = {p.p:.3g}, expected "
                     f"{p.expect}, arms {p.arms}" for p in parts)


# --- each fact at CI size ----------------------------------------------------------------------
@pytest.mark.parametrize("key", list(CI_SEEDS))
def test_fact_holds_with_the_defaults(key):
    result = ci_result(key)
    failing = [p for p in result.parts if not p.holds(CI_ALPHA)]
    assert not failing, explain(failing)


def test_every_fact_has_a_ci_test():
    assert set(CI_SEEDS) == set(v.FACTS_BY_KEY)


def test_trauma_bond_falls_by_about_a_quarter_over_26_weeks_of_no_contact():
    """Dutton & Painter 1993: attachment fell about 27% in six months (tolerance 10 points)."""
    comparison = next(c for c in ci_result("intermittent_bond").comparisons
                      if "no contact" in c.label)
    assert comparison.close, (comparison.model, comparison.tolerance)


def test_okun_share_ended_within_two_years_is_near_the_published_figure():
    """Okun 1988: over 43% had ended it within two years of the shelter stay."""
    comparison = next(c for c in ci_result("several_attempts").comparisons
                      if "within two years" in c.label)
    assert comparison.tolerance[0] <= comparison.ci[1] and comparison.ci[0] <= \
        comparison.tolerance[1], (comparison.model, comparison.ci, comparison.tolerance)


def test_essay_claims_are_labelled_as_such():
    kinds = {f.key: f.kind for f in v.FACTS}
    assert set(kinds.values()) <= {"finding", "essay claim"}
    for key in ("rescue_fantasy", "conditioning", "selection", "boundaries"):
        assert kinds[key] == "essay claim", key
    for fact in v.FACTS:
        if fact.kind == "essay claim":
            assert "essay" in fact.source


# --- the machinery -------------------------------------------------------------------------------
def test_same_master_seed_gives_the_same_result():
    first = v.run_fact("charm_then_decline", 6, master=3)
    again = v.run_fact("charm_then_decline", 6, master=3)
    other = v.run_fact("charm_then_decline", 6, master=4)
    assert [(p.effect, p.ci, p.p) for p in first.parts] == \
        [(p.effect, p.ci, p.p) for p in again.parts]
    assert first.arm_seeds == again.arm_seeds != other.arm_seeds


def test_plausible_ranges_name_real_parameters_inside_their_declared_bounds():
    for path, r in v.PLAUSIBLE.items():
        declared = declaration_for(path)
        assert r.why.strip(), path
        if declared.kind == "choice":
            continue
        assert declared.low <= r.low < r.high <= declared.high, path


def test_plausible_draws_are_reproducible_and_inside_the_ranges():
    draws = v.sample_plausible(16, master=1)
    assert draws == v.sample_plausible(16, master=1) != v.sample_plausible(16, master=2)
    for draw in draws:
        for path, value in draw.items():
            r = v.PLAUSIBLE[path]
            if path == "narcissist.subtype":
                assert value in GROUPS["narcissist"]["subtype"].choices
            else:
                assert r.low <= value <= r.high, (path, value)


def test_contrast_recovers_a_known_difference_and_says_when_nothing_differs():
    rng = np.random.default_rng(0)
    a, b = rng.normal(0.0, 1.0, 400), rng.normal(0.5, 1.0, 400)
    part = v.two_arms("k", "", "", ("a", a), ("b", b), "increase", np.random.default_rng(1))
    assert part.ci[0] < 0.5 < part.ci[1] and part.holds() and part.test.startswith("paired")
    a[3] = np.nan  # a run that could not be observed: no pairing, Welch's test on the rest
    welch = v.two_arms("k", "", "", ("a", a), ("b", b), "increase", np.random.default_rng(1))
    assert welch.test == "Welch t-test" and welch.arms[0][2] == 399 and welch.holds()
    same = v.two_arms("k", "", "", ("a", np.zeros(5)), ("b", np.zeros(5)), "decrease",
                      np.random.default_rng(1))
    assert not same.applicable and not same.holds()
    equal = v.two_arms("k", "", "", ("a", a), ("b", a + 0.01), "equal",
                       np.random.default_rng(1), margin=0.3)
    assert equal.holds() and equal.test.startswith("equivalence")
    one = v.against("k", "", "", ("x", np.zeros(6)), 0.5, "decrease", np.random.default_rng(1))
    assert one.applicable and one.holds() and math.isclose(one.effect, -0.5)


def test_robustness_counts_every_draw():
    r = v.robustness("charm_then_decline", draws=3, seeds=4, master=5)
    assert len(r.statuses) == 3 and sum(r.counts.values()) == 3
    assert math.isnan(r.share) or 0.0 <= r.share <= 1.0


def test_report_is_written_without_touching_other_files(tmp_path):
    keep = tmp_path / "calibration.md"
    keep.write_text("hand-written\n", encoding="utf-8")
    results = {k: v.run_fact(k, 6, master=2) for k in ("charm_then_decline", "rescue_fantasy")}
    robust = {"charm_then_decline": v.robustness("charm_then_decline", 2, 3, master=2)}
    written = write_report(results, robust, Settings(6, 2, 3, 2), tmp_path)
    names = {p.name for p in written}
    assert {"README.md", "charm_then_decline.png", "robustness.png"} <= names
    assert keep.read_text(encoding="utf-8") == "hand-written\n"
    text = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "The essay's claim, not a finding" in text and "Published finding" in text
    assert text == report_markdown(results, robust, Settings(6, 2, 3, 2),
                                   {"charm_then_decline": "charm_then_decline.png",
                                    "rescue_fantasy": "rescue_fantasy.png",
                                    "robustness": "robustness.png"})
    assert "Charm, then decline" in summary_table(results, robust)


def test_validate_command_writes_the_report_and_refuses_unknown_facts(tmp_path, capsys):
    assert main(["validate", "--only", "no_such_fact"]) == 2
    assert "unknown fact" in capsys.readouterr().err
    assert main(["validate", "--seeds", "1"]) == 2
    code = main(["validate", "--only", "charm_then_decline", "--seeds", "5", "--draws", "0",
                 "--out", str(tmp_path)])
    assert code == 0
    assert (tmp_path / "README.md").exists() and (tmp_path / "charm_then_decline.png").exists()
    assert "facts hold with the default parameters" in capsys.readouterr().out


# --- full size ---------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("key", [f.key for f in v.FACTS])
def test_fact_holds_with_the_defaults_full(key):
    result = v.run_fact(key, v.DEFAULT_SEEDS, v.MASTER_SEED)
    failing = [p for p in result.parts if not p.holds(v.ALPHA)]
    assert not failing, explain(failing)


@pytest.mark.slow
@pytest.mark.parametrize("key", [f.key for f in v.FACTS])
def test_fact_holds_across_the_plausible_region(key):
    r = v.robustness(key, v.DEFAULT_DRAWS, v.ROBUST_SEEDS, v.MASTER_SEED)
    floor = ROBUSTNESS_FLOOR.get(key, v.ROBUST_TARGET)
    assert r.share >= floor, (r.counts, r.failing_parts, r.corners())
