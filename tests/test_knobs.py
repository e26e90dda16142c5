"""Every knob a preset shows must move some behavioural outcome there; docs/knobs.md must match.

A knob "moves" an outcome when the paired difference, high minus low on the same seeds, has a
paired t-test p below 0.05 / 8 (Bonferroni over the eight outcomes of the table), so a knob
that does nothing passes by chance at most 5% of the time; seeds are fixed, so each test either
always passes or always fails for a given model. The CI size uses 32 paired seeds (10 for the town
preset, whose outcomes average over a hundred people), enough for effects of about one
standard deviation of the paired differences; the slow version uses the table's own counts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from model.cli.main import main
from model.scenario import presets
from model.validation import knobs as k

DOCS = Path(__file__).resolve().parent.parent / "docs" / "knobs.md"
REGENERATE = ("docs/knobs.md is stale: run `python -m model knobs --out docs/knobs.md` "
              "(about 3 minutes on two cores)")
CI_SEEDS, CI_BIG_SEEDS = 32, 10
CI_BASE: dict[str, dict] = {}
"""Every preset runs its own length in CI. (The community used to run five years in CI; since it
became three agents among 300 people, most of whom are never approached, five years left the
effect of the partners' self-esteem, averaged over the town, below the corrected threshold,
while ten years shows it.)"""


def idle(results: list[k.KnobResult]) -> list[str]:
    """The knobs that move nothing, with their strongest (least unlikely) effect."""
    out = []
    for r in results:
        if not r.moves():
            e = r.strongest()
            out.append(f"{r.knob.path} ({r.knob.low} -> {r.knob.high}): strongest effect on "
                       f"{e.outcome} {e.difference:+.3g} [{e.ci[0]:+.3g}, {e.ci[1]:+.3g}], "
                       f"p = {e.p:.3g}")
    return out


HORIZON = "world.weeks"
"""The run's length is shown, and is seen as the length of every chart's time axis; it is the
window of observation, not a behaviour, so a preset whose relationships all end early rightly
shows no change in outcomes when the window grows. It stays in the table, not in this test."""


def shown(preset: str) -> list[k.Knob]:
    return [knob for knob in k.design([preset]) if knob.prominent and knob.path != HORIZON]


@pytest.fixture(scope="module")
def ci_table() -> dict[str, list[k.KnobResult]]:
    """Every shown knob of every preset at CI size, in one pool of two workers."""
    knobs = [knob for knob in k.design() if knob.prominent and knob.path != HORIZON]
    results = k.run_table(knobs, master=7, small=CI_SEEDS, big=CI_BIG_SEEDS, workers=2,
                          base=CI_BASE)
    table: dict[str, list[k.KnobResult]] = {}
    for result in results:
        table.setdefault(result.knob.preset, []).append(result)
    return table


@pytest.mark.parametrize("preset", list(presets()))
def test_every_shown_knob_moves_an_outcome(preset, ci_table):
    still = idle(ci_table[preset])
    assert not still, f"{preset}: knobs shown by default that move nothing: " + "; ".join(still)


@pytest.mark.slow
@pytest.mark.parametrize("preset", list(presets()))
def test_every_shown_knob_moves_an_outcome_full(preset):
    results = k.run_table(shown(preset), workers=2)
    still = idle(results)
    assert not still, f"{preset}: knobs shown by default that move nothing: " + "; ".join(still)


def test_a_knob_that_does_nothing_is_caught():
    """The test's own check: a knob set to the same value at both levels moves nothing."""
    knob = k.Knob("rescue_fantasy", "partner", "boundary", 0.3, 0.3, True)
    (result,) = k.run_table([knob], master=7, small=CI_SEEDS)
    assert not result.moves()
    boundary = k.Knob("rescue_fantasy", "partner", "boundary", 0.1, 0.9, True)
    (result,) = k.run_table([boundary], master=7, small=CI_SEEDS)
    assert result.moves()


def test_the_design_lists_shown_and_preset_set_knobs():
    knobs = {(x.preset, x.path): x for x in k.design()}
    assert ("classroom", "partners.*.boundary") in knobs
    assert ("classroom", "narcissists.*.max_sources") in knobs  # set by the preset's file
    assert not knobs[("classroom", "narcissists.*.max_sources")].prominent
    assert ("classroom", "partners.*.vulnerability") not in knobs  # neither shown nor set
    assert ("somatic_vs_cerebral", "partners.*.looks") in knobs  # set by the preset's file
    assert all(x.low != x.high for x in knobs.values())
    assert not any(x.name in ("name", "role", "pronouns") for x in knobs.values())


def test_table_is_the_same_with_any_number_of_workers():
    knobs = [x for x in k.design(["no_contact"]) if x.name in ("boundary", "no_contact")]
    one = k.run_table(knobs, master=3, small=4, workers=1)
    two = k.run_table(knobs, master=3, small=4, workers=2)
    assert [k.row(r) for r in one] == [k.row(r) for r in two]


# --- docs/knobs.md ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def knobs_page() -> str:
    return DOCS.read_text(encoding="utf-8")


def test_knobs_page_lists_exactly_the_designed_knobs(knobs_page):
    rows = re.findall(r"^\| `([^`]+)` \| [^|]+ \| ([^|]+) \|", knobs_page, flags=re.MULTILINE)
    sections = re.findall(r"^## (\S+): ", knobs_page, flags=re.MULTILINE)
    assert sections == list(presets()), REGENERATE
    designed = [(x.path, f"{k.value_text(x.low)} → {k.value_text(x.high)}")
                for x in k.design()]
    assert [(path, levels.strip()) for path, levels in rows] == designed, REGENERATE


def test_knobs_page_rows_match_a_fresh_run(knobs_page):
    """Recompute two rows with the page's own settings: the numbers must be identical."""
    settings = re.search(r"master seed (\d+); (\d+) paired runs per knob \((\d+) in", knobs_page)
    assert settings, REGENERATE
    master, small, big = (int(g) for g in settings.groups())
    assert (master, small, big) == (k.MASTER_SEED, k.SEEDS, k.BIG_SEEDS), REGENERATE
    knobs = [x for x in k.design(["no_contact"]) if x.name in ("boundary", "no_contact")]
    for result in k.run_table(knobs, master, small, big, workers=2):
        assert k.row(result) in knobs_page, REGENERATE


def test_knobs_command_writes_the_table(tmp_path, capsys):
    out = tmp_path / "knobs.md"
    assert main(["knobs", "--preset", "no_such_preset"]) == 2
    code = main(["knobs", "--preset", "rescue_fantasy", "--seeds", "2", "--workers", "1",
                 "--out", str(out)])
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert "## rescue_fantasy:" in text and "`partners.*.boundary`" in text
    assert "knobs in" in capsys.readouterr().err
