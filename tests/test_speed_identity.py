"""Speed work must not change a single result: digests of every table a run reports.

The fixture `speed_identity.json` was first written by the code as it stood before the model
was made faster, and written again when its draws moved to `model.random` (a new stream of
draws with the same distribution, which tests/test_same_distribution.py checks; see
docs/performance.md, item 11); each case reruns a preset with a seed (and sometimes
overrides away from the defaults) and compares SHA-256 digests of `outcomes()`, `timeline()`,
`supply_timeline()` and the events. Floats are written with full precision (`repr`), and the
column types are part of the digest, so a changed last bit or dtype fails.

Regenerate only for a deliberate change of the model's dynamics:
    python tests/test_speed_identity.py --write
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import mesa
import numpy as np
import pandas as pd
import pytest
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from model import RelationshipModel  # noqa: E402

FIXTURE = Path(__file__).resolve().parent / "speed_identity.json"

CASES: dict[str, tuple[str, int, dict]] = {
    "classroom-0": ("classroom", 0, {}),
    "classroom-1": ("classroom", 1, {}),
    "classroom-42": ("classroom", 42, {}),
    "classroom-boundary": ("classroom", 5, {"partners.*.boundary": 0.8}),
    "classroom-no-reinforcement": ("classroom", 6, {"narcissist.reinforcement": 0.0}),
    "classroom-steady-treated": ("classroom", 8, {"narcissist.kindness_schedule": "steady",
                                                  "narcissist.treatment": 0.6}),
    "community-0": ("community", 0, {}),
    "dense-42": ("community_dense", 42, {}),
    "classroom-contagion": ("classroom", 4, {"world.contagion": True}),
    "community-42": ("community", 42, {}),
    "community-crowd": ("community", 9, {"world.generated_partners": 400, "world.weeks": 156,
                                         "partners.*.no_contact": True}),
    "intermittent-3": ("intermittent", 3, {}),
    "no_contact-4": ("no_contact", 4, {}),
    "somatic_vs_cerebral-7": ("somatic_vs_cerebral", 7, {}),
    "rescue_fantasy-2": ("rescue_fantasy", 2, {}),
    "conditioned_partner-11": ("conditioned_partner", 11, {}),
}


def _digest(table: pd.DataFrame) -> str:
    text = repr(list(table.columns)) + repr([str(t) for t in table.dtypes])
    text += table.to_csv(index=False)
    return hashlib.sha256(text.encode()).hexdigest()


def digests(scenario: str, seed: int, overrides: dict) -> dict[str, str]:
    """The digests of everything one run reports."""
    return reported(RelationshipModel(scenario, rng=seed, **overrides).run())


def reported(model: RelationshipModel) -> dict[str, str]:
    """The digests of everything a finished run reports."""
    events = "\n".join(f"{e.week}|{e.kind}|{'&'.join(e.who)}|{e.text}|{e.important}"
                       for e in model.events)
    return {"outcomes": _digest(model.outcomes()), "timeline": _digest(model.timeline()),
            "supply_timeline": _digest(model.supply_timeline()),
            "events": hashlib.sha256(events.encode()).hexdigest()}


@pytest.fixture(scope="module")
def expected() -> dict[str, dict[str, str]]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", list(CASES))
def test_results_are_bit_identical_to_before_the_speed_work(case, expected):
    assert digests(*CASES[case]) == expected[case]


def test_every_case_has_a_stored_digest(expected):
    assert set(expected) == set(CASES)


@pytest.mark.parametrize("case", ["classroom-1", "community-0", "community-crowd"])
def test_waking_every_partner_mid_run_changes_nothing_when_no_trait_changed(case, expected):
    """`traits_changed` puts every partner back in the weekly loop and the weekly recording,
    as the model was before it skipped the partners nobody had courted. With no trait
    changed, those partners sit at an exact fixed point, so the run reports what the code
    before the skipping reported."""
    scenario, seed, overrides = CASES[case]
    model = RelationshipModel(scenario, rng=seed, **overrides)
    model.run(30)
    model.traits_changed()
    assert model.approached == model.partners
    assert reported(model.run()) == expected[case]


if __name__ == "__main__" and sys.argv[1:] == ["--write"]:
    FIXTURE.write_text(json.dumps({case: digests(*args) for case, args in CASES.items()},
                                  indent=1, sort_keys=True) + "\n", encoding="utf-8")


def test_the_weekly_shuffle_gives_every_order_equally_often():
    """Relationships act in an order `RelationshipModel.shuffle` draws each week; a biased
    shuffle would favour whoever is listed first. All 24 orders of four items, over 48,000
    shuffles from the model's own generator, pass a chi-square test of equal frequency, and
    so does each item's place among 101 (the first and last places are where a wrong
    Fisher-Yates bound shows)."""
    model = RelationshipModel("classroom", rng=3)
    counts: dict[tuple, int] = {}
    for _ in range(48_000):
        items = [0, 1, 2, 3]
        model.shuffle(items)
        counts[tuple(items)] = counts.get(tuple(items), 0) + 1
    assert len(counts) == 24
    assert stats.chisquare(list(counts.values())).pvalue > 1e-4
    places = np.zeros((101, 101), dtype=int)
    for _ in range(5_000):
        items = list(range(101))
        model.shuffle(items)
        places[items, np.arange(101)] += 1
    for row in (places[0], places[-1], places[:, 0], places[:, -1]):
        assert stats.chisquare(row).pvalue > 1e-4


def test_agents_keep_every_state_in_their_slots():
    """Partners, narcissists and the model keep their own attributes in `__slots__`: with some
    fifty attributes each, a dictionary per agent (Python shares a class's keys only up to
    thirty) cost a classroom run 4% more instructions and a town of 20,000 about 15% more
    time, and the model's 34 cost 1.6%. An attribute added without a slot still works, only
    slower; this says which one it was."""
    mesa_own = set(vars(mesa.Agent(mesa.Model(rng=0))))
    mesa_model_own = set(vars(mesa.Model(rng=0)))
    for preset, seed in (("classroom", 3), ("community", 1), ("no_contact", 2)):
        model = RelationshipModel(preset, rng=seed)
        model.run(200)
        for agent in model.partners + model.narcissists:
            assert set(vars(agent)) <= mesa_own, (type(agent).__name__,
                                                  set(vars(agent)) - mesa_own)
        # the model too: under thirty keys, Mesa's own attributes share their keys again
        assert set(vars(model)) <= mesa_model_own, set(vars(model)) - mesa_model_own
