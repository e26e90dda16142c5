"""Sensitivity indices and outcome bands: right numbers on known functions, honest errors,
figures, and the `sensitivity` and `plot` commands on a small real sweep."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from model.cli.main import main
from model.experiments import Range, Sweep, SweepError, Values, execute, read_results
from model.experiments.sensitivity import (
    SmallDesignWarning,
    band_grid,
    bands,
    interactions,
    noise_share,
    per_run,
    sensitivity,
)
from model.plots.sweeps import bands_figure, indices_figure, label

KNOBS = ("narcissist.envy", "narcissist.rivalry", "narcissist.charm")


def fabricated(sweep: Sweep, outcome) -> pd.DataFrame:
    """A sweep table whose outcome is a known function of the knobs, two partners per run."""
    rows = []
    for spec in sweep.runs():
        x = dict(spec.varied)
        value = outcome(*(x[k] for k in KNOBS))
        for partner in (0, 1):
            rows.append({"run": spec.run, "point": spec.point, "replicate": spec.replicate,
                         "seed": spec.seed, **x, "partner": partner, "name": f"P{partner}",
                         "harm": value, "error": None})
    return pd.DataFrame(rows)


def knob_sweep(design: str, samples: int) -> Sweep:
    return Sweep("classroom", vary=tuple(Range(k, 0.0, 1.0) for k in KNOBS), design=design,
                 samples=samples, seed=9).checked()


def test_sobol_indices_recover_a_known_additive_function():
    # y = 4 a + 2 b with uniform inputs: S1 = 16/20 and 4/20, the third knob does nothing.
    sweep = knob_sweep("sobol", 512)
    found = sensitivity(fabricated(sweep, lambda a, b, c: 4 * a + 2 * b), sweep, ["harm"],
                        resamples=200).set_index("parameter")
    assert list(found.index) == list(KNOBS)
    assert found.loc[KNOBS[0], "S1"] == pytest.approx(0.8, abs=0.05)
    assert found.loc[KNOBS[1], "ST"] == pytest.approx(0.2, abs=0.05)
    assert abs(found.loc[KNOBS[2], "ST"]) < 0.02
    assert (found["ST_conf"] >= 0).all() and list(found["rank"]) == [1, 2, 3]


def test_sobol_total_index_sees_an_interaction_the_first_order_misses():
    sweep = knob_sweep("sobol", 512)
    found = sensitivity(fabricated(sweep, lambda a, b, c: (a - 0.5) * (c - 0.5)), sweep,
                        ["harm"], resamples=100).set_index("parameter")
    assert found.loc[KNOBS[2], "ST"] > 0.8 and abs(found.loc[KNOBS[2], "S1"]) < 0.1


def test_second_order_indices_find_the_interacting_pair():
    sweep = Sweep(**{**knob_sweep("sobol", 256).__dict__, "second_order": True}).checked()
    table = fabricated(sweep, lambda a, b, c: a + 4 * (a - 0.5) * (b - 0.5))
    pairs = interactions(table, sweep, ["harm"], resamples=50)
    assert len(pairs) == 3
    assert set(pairs.loc[0, ["parameter", "other"]]) == {KNOBS[0], KNOBS[1]}
    assert pairs.loc[0, "S2"] > 0.05 > abs(pairs.loc[2, "S2"])
    with pytest.raises(SweepError, match="second_order = true"):
        interactions(table, knob_sweep("sobol", 8), ["harm"])


def test_morris_ranks_knobs_by_their_effect():
    sweep = knob_sweep("morris", 20)
    found = sensitivity(fabricated(sweep, lambda a, b, c: 3 * a + b), sweep, ["harm"],
                        resamples=100).set_index("parameter")
    assert list(found.index) == list(KNOBS)
    assert found.loc[KNOBS[0], "mu_star"] == pytest.approx(3.0)
    assert found.loc[KNOBS[2], "mu_star"] == pytest.approx(0.0)


def test_indices_are_reproducible_from_the_master_seed():
    sweep = knob_sweep("sobol", 64)
    table = fabricated(sweep, lambda a, b, c: a + b * b)
    first = sensitivity(table, sweep, ["harm"], resamples=50)
    pd.testing.assert_frame_equal(first, sensitivity(table, sweep, ["harm"], resamples=50))


def test_a_design_big_enough_for_its_intervals_gives_no_warning():
    sweep = Sweep("classroom", vary=tuple(Range(k, 0.0, 1.0) for k in KNOBS), design="sobol",
                  samples=512, replicates=2, seed=9).checked()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sensitivity(fabricated(sweep, lambda a, b, c: 4 * a + 2 * b), sweep, ["harm"],
                    resamples=100)


def test_a_tiny_design_is_named_with_what_would_fix_it(small_sobol):
    # Eight base samples and one replicate of the real model: the intervals reach far past
    # the indices and chance cannot be separated from the knobs. Both must be said.
    sweep, table = read_results(small_sobol)
    with pytest.warns(SmallDesignWarning) as caught:
        found = sensitivity(table, sweep, ["harm"], resamples=50)
    said = [str(w.message) for w in caught]
    assert any("noise_share is NaN" in m and "replicates" in m for m in said)
    assert any(m.startswith("harm: the 95% interval of ST") and "samples = 8" in m
               for m in said)
    assert found["ST_conf"].max() > 0.2  # the warning reports a real property of the result


def test_noise_share_is_the_chance_part_of_the_analysed_variance():
    sweep = Sweep("classroom", vary=(Values("narcissist.envy", (0.0, 0.5, 1.0)),),
                  replicates=2).checked()
    runs = sweep.runs()
    value = [spec.point + (0.1 if spec.replicate else -0.1) for spec in runs]
    table = pd.DataFrame({"run": [r.run for r in runs], "point": [r.point for r in runs],
                          "narcissist.envy": [dict(r.varied)["narcissist.envy"] for r in runs],
                          "partner": 0, "name": "A", "harm": value, "error": None})
    # within-point variance 0.02, over 2 replicates 0.01; variance of the point means 1.0
    assert noise_share(table, sweep, "harm") == pytest.approx(0.01)


def test_what_cannot_be_analysed_is_refused():
    sweep = knob_sweep("sobol", 8)
    table = fabricated(sweep, lambda a, b, c: a)
    with pytest.raises(SweepError, match="'nope' is not in the table"):
        sensitivity(table, sweep, ["nope"])
    with pytest.raises(SweepError, match="'name' is not numeric"):
        sensitivity(table, sweep, ["name"])
    gap = table.assign(harm=table["harm"].where(table["point"] != 3))
    with pytest.raises(SweepError, match="missing at 1 of 40 design points"):
        sensitivity(gap, sweep, ["harm"])
    with pytest.raises(SweepError, match="does not vary"):
        sensitivity(table.assign(harm=1.0), sweep, ["harm"])
    factorial = Sweep("classroom", vary=(Values("narcissist.envy", (0.1, 0.9)),)).checked()
    with pytest.raises(SweepError, match="needs a sobol or morris sweep"):
        sensitivity(table, factorial, ["harm"])
    with pytest.raises(SweepError, match="no such partner"):
        sensitivity(table, sweep, ["harm"], partner=5)


def test_partners_are_averaged_within_a_run_and_failures_skipped():
    sweep = Sweep("classroom", vary=(Values("narcissist.envy", (0.1, 0.9)),)).checked()
    table = pd.DataFrame({"run": [0, 0, 1, 2], "point": [0, 0, 1, 1],
                          "narcissist.envy": [0.1, 0.1, 0.9, 0.9], "partner": [0, 1, 0, pd.NA],
                          "name": ["A", "B", "A", None], "harm": [1.0, 3.0, 5.0, np.nan],
                          "error": [None, None, None, "ValueError: x"]})
    runs = per_run(table, sweep, "harm")
    assert runs["value"].tolist() == [2.0, 5.0]
    assert per_run(table, sweep, "harm", partner=1)["value"].tolist() == [3.0]


def test_bands_are_the_mean_and_a_t_interval():
    observations = pd.DataFrame({"x": [0.0, 0.0, 0.0, 1.0, 1.0], "value": [1, 2, 3, 5, 5.0]})
    found = bands(observations, "x").set_index("x")
    assert found.loc[0.0, "mean"] == 2.0 and found.loc[0.0, "count"] == 3
    assert found.loc[0.0, "high"] - 2.0 == pytest.approx(4.302653 * 1.0 / np.sqrt(3))
    assert found.loc[1.0, "low"] == found.loc[1.0, "high"] == 5.0


def test_many_distinct_values_are_binned():
    x = np.linspace(0, 1, 101)
    found = bands(pd.DataFrame({"x": x, "value": x}), "x", bins=4)
    assert found["x"].tolist() == [0.125, 0.375, 0.625, 0.875]
    assert found["count"].sum() == 101


def test_labels_read_as_words():
    assert label("partners.*.boundary") == "boundary (every partner)"
    assert label("partners.0.rescue_fantasy") == "rescue fantasy (partner 0)"
    assert label("narcissist.supply_decay") == "supply decay (narcissist)"


def test_figures_have_a_panel_per_outcome_and_knob():
    sweep = knob_sweep("sobol", 16)
    table = fabricated(sweep, lambda a, b, c: a + b)
    table = table.assign(other=table["narcissist.charm"])
    fig = indices_figure(sensitivity(table, sweep, ["harm", "other"], resamples=20), "sobol")
    assert len(fig.axes) == 2
    fig = bands_figure(band_grid(table, sweep, ["harm"], list(KNOBS), by="name"))
    assert len(fig.axes) == 3 and fig.axes[0].get_legend_handles_labels()[1] == ["P0", "P1"]


@pytest.fixture(scope="module")
def small_sobol(tmp_path_factory):
    out = tmp_path_factory.mktemp("sobol") / "results"
    sweep = Sweep("classroom", vary=(Range("partners.*.boundary", 0.0, 1.0),
                                     Range("narcissist.reinforcement", 0.0, 1.0)),
                  design="sobol", samples=8, weeks=52, seed=1, outcomes=("harm", "weeks_to_exit",
                                                                         "end_reason"))
    execute(sweep, out, workers=1)
    return out


def test_sensitivity_command_writes_table_and_figure(small_sobol, capsys):
    assert main(["sensitivity", str(small_sobol), "--resamples", "50"]) == 0
    written = pd.read_csv(small_sobol / "sensitivity.csv")
    assert set(written["outcome"]) == {"harm", "weeks_to_exit"}
    assert {"S1", "S1_conf", "ST", "ST_conf", "rank", "noise_share"} <= set(written.columns)
    assert (small_sobol / "sensitivity.png").read_bytes()[:4] == b"\x89PNG"
    assert "Wrote" in capsys.readouterr().out


def test_sensitivity_command_says_when_the_design_is_too_small(small_sobol, capsys):
    assert main(["sensitivity", str(small_sobol), "--resamples", "50"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err and all(line.startswith("warning: ") for line in err)
    assert sum("noise_share is NaN" in line for line in err) == 1
    assert any(line.startswith("warning: harm: the 95% interval") for line in err)


def test_sensitivity_command_adds_interactions_for_second_order(tmp_path, capsys):
    sweep = Sweep("classroom", vary=(Range("partners.*.boundary", 0.0, 1.0),
                                     Range("narcissist.reinforcement", 0.0, 1.0)),
                  design="sobol", samples=8, second_order=True, weeks=30, seed=2,
                  outcomes=("harm", "weeks_to_exit"))
    execute(sweep, tmp_path / "s2", workers=1)
    assert main(["sensitivity", str(tmp_path / "s2"), "--resamples", "20"]) == 0
    pairs = pd.read_csv(tmp_path / "s2" / "interactions.csv")
    assert list(pairs.columns) == ["outcome", "parameter", "other", "S2", "S2_conf"]
    assert "Strongest pairwise interactions" in capsys.readouterr().out


@pytest.mark.parametrize("args, message", [
    (["--outcomes", "end_reason"], "'end_reason' is not numeric"),
    (["--outcomes", "harm,hram"], "'hram' is not in the table"),
    (["--partner", "x"], "expected a whole number"),
])
def test_sensitivity_command_mistakes(small_sobol, capsys, args, message):
    assert main(["sensitivity", str(small_sobol), *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err


def test_sensitivity_of_a_factorial_sweep_is_refused(tmp_path, capsys):
    sweep = Sweep("classroom", vary=(Values("narcissist.envy", (0.1, 0.9)),), weeks=5)
    execute(sweep, tmp_path / "f", workers=1)
    assert main(["sensitivity", str(tmp_path / "f")]) == 2
    assert "needs a sobol or morris sweep" in capsys.readouterr().err
    assert not (tmp_path / "f" / "sensitivity.csv").exists()


def test_plot_command_bins_a_sampled_knob(small_sobol, capsys):
    out = small_sobol.parent / "bands.png"
    assert main(["plot", str(small_sobol), "--by", "none", "--out", str(out)]) == 0
    assert out.read_bytes()[:4] == b"\x89PNG"
    _, table = read_results(small_sobol)
    assert table["partners.*.boundary"].nunique() > 12


@pytest.mark.slow
def test_boundary_and_alternatives_matter_for_harm_in_the_classroom(tmp_path):
    """The real model: a partner's boundary should be among the knobs that matter most for
    harm, and the intervals should be narrow enough to say so (about 2 CPU-minutes)."""
    sweep = Sweep("classroom", vary=(Range("partners.*.boundary", 0.0, 1.0),
                                     Range("partners.*.alternatives", 0.0, 1.0),
                                     Range("narcissist.reinforcement", 0.0, 1.0),
                                     Range("partners.*.therapy", 0.0, 1.0)),
                  design="sobol", samples=256, replicates=2, seed=4,
                  outcomes=("harm", "weeks_to_exit"))
    table = execute(sweep, workers=None).table
    found = sensitivity(table, sweep.checked(), ["harm"], resamples=200).set_index("parameter")
    assert found.loc["partners.*.boundary", "rank"] <= 2
    assert found.loc["partners.*.therapy", "ST"] < found.loc["partners.*.boundary", "ST"]
