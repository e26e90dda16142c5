"""Every preset's "things to notice" hold as tendencies over seeds, and all at its own seed.

A notice is a claim a lecturer reads out. Each one has a check here, written over a list of
finished runs: applied to many seeds it tests the tendency (means, or a majority of runs);
applied to the preset's own seed (the `seed` of its file, where the dashboard starts) it tests
what the class will see on screen. The texts themselves live in the preset files; this file
keeps the count of checks equal to the count of notices, so a new notice cannot go unchecked.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

import numpy as np
import pandas as pd
import pytest

from model import EventKind, RelationshipModel
from model.scenario import load

Runs = Sequence[RelationshipModel]
TENDENCY_SEEDS = 50
FIRST = 7000
"""Seeds of the tendency checks: fresh, not those the presets' seeds were chosen from."""


@cache
def runs(preset: str, seeds: tuple[int, ...]) -> tuple[RelationshipModel, ...]:
    return tuple(RelationshipModel(preset, rng=s).run() for s in seeds)


def mean(models: Runs, name: str, column: str) -> float:
    return float(np.mean([m.outcomes().set_index("name").loc[name, column] for m in models]))


def share(models: Runs, holds: Callable[[RelationshipModel], bool]) -> float:
    return float(np.mean([holds(m) for m in models]))


def weeks_of(m: RelationshipModel, name: str, kinds: tuple[EventKind, ...]) -> list[int]:
    return [e.week for e in m.events if e.kind in kinds and name in e.who]


def first_end(m: RelationshipModel, name: str) -> float:
    return min(weeks_of(m, name, (EventKind.LEFT, EventKind.DISCARDED)), default=np.inf)


def first_devaluation(m: RelationshipModel, name: str) -> float:
    return min(weeks_of(m, name, (EventKind.DEVALUATION,)), default=np.inf)


def rage_rate(m: RelationshipModel, name: str) -> float:
    row = m.outcomes().set_index("name").loc[name]
    return row.rage_episodes / max(1, row.weeks_in_relationship)


def heal_weeks(m: RelationshipModel, name: str) -> float:
    row = m.outcomes().set_index("name").loc[name]
    if pd.isna(row.recovered_step) or pd.isna(row.end_step):
        return np.inf
    return float(row.recovered_step - row.end_step)


def wellbeing_change(m: RelationshipModel, name: str) -> float:
    mine = m.timeline().query("name == @name")
    return float(mine.wellbeing.iloc[-1] - mine.wellbeing.iloc[0])


# --- the checks, one per notice, in the order of each preset's file -----------------------------
def warm_start(models: Runs) -> bool:
    """Each partner's wellbeing four weeks in is above where it started, on average."""
    changes = [m.timeline().query("step in (0, 4)").pivot(index="name", columns="step",
                                                          values="wellbeing").diff(axis=1)[4]
               for m in models]
    return bool((sum(changes) > 0).all())


def happened(m: RelationshipModel, kind: EventKind) -> bool:
    return any(e.kind == kind for e in m.events)


def classroom_checks() -> list[Callable[[Runs], bool]]:
    return [
        warm_start,
        lambda ms: min(mean(ms, "Ana", "harm"), mean(ms, "Bea", "harm"))
        > max(mean(ms, "Cara", "harm"), mean(ms, "Dana", "harm")),
        lambda ms: max(("Ana", "Bea", "Cara", "Dana"),
                       key=lambda n: np.mean([rage_rate(m, n) for m in ms])) == "Dana"
        and share(ms, lambda m: min(("Ana", "Bea", "Cara", "Dana"),
                                    key=lambda n: first_end(m, n)) == "Dana") >= 0.5
        and share(ms, lambda m: bool(weeks_of(m, "Dana", (EventKind.LEFT,)))) >= 0.5,
        lambda ms: share(ms, lambda m: happened(m, EventKind.HOOVER)) >= 0.5
        and share(ms, lambda m: happened(m, EventKind.RETURNED)) >= 0.3,
    ]


CHECKS: dict[str, list[Callable[[Runs], bool]]] = {
    "classroom": classroom_checks(),
    "intermittent": [
        lambda ms: mean(ms, "Ana", "trauma_bond_peak") > mean(ms, "Bea", "trauma_bond_peak") + 0.2,
        lambda ms: share(ms, lambda m: first_end(m, "Bea") < first_end(m, "Ana")) >= 0.5,
        lambda ms: mean(ms, "Ana", "cycles") > mean(ms, "Bea", "cycles"),
    ],
    "conditioned_partner": [
        lambda ms: mean(ms, "Ana", "perceived_harm") < 0.5 * mean(ms, "Ana", "harm"),
        lambda ms: mean(ms, "Ana", "weeks_in_relationship") > mean(ms, "Bea",
                                                                   "weeks_in_relationship")
        and np.mean([wellbeing_change(m, "Ana") for m in ms]) < 0,
    ],
    "no_contact": [
        lambda ms: mean(ms, "Ana", "hoover_attempts") < mean(ms, "Bea", "hoover_attempts"),
        lambda ms: mean(ms, "Bea", "hoover_attempts") >= 1.5,
        lambda ms: share(ms, lambda m: heal_weeks(m, "Ana") < heal_weeks(m, "Bea")) >= 0.5,
    ],
    "rescue_fantasy": [
        lambda ms: mean(ms, "Ana", "cycles") > mean(ms, "Bea", "cycles"),
        lambda ms: mean(ms, "Ana", "harm") > mean(ms, "Bea", "harm"),
        lambda ms: share(ms, lambda m: first_end(m, "Bea") < first_end(m, "Ana")) >= 0.5,
    ],
    "somatic_vs_cerebral": [
        lambda ms: share(ms, lambda m: first_devaluation(m, "Ana") > first_devaluation(m, "Bea")
                         and first_devaluation(m, "Dana") > first_devaluation(m, "Cara")) >= 0.5,
        lambda ms: all(any("her looks" in e.text for e in m.events if "Alex" in e.who)
                       and any("her intelligence" in e.text for e in m.events if "Blake" in e.who)
                       for m in ms),
    ],
    "community": [
        lambda ms: np.mean([community_targeting(m) for m in ms]) < 0,
        lambda ms: all(never_approached(m) > 0.5 for m in ms)
        and share(ms, lambda m: max(narcissists_met(m).values()) >= 2) >= 0.5,
        lambda ms: np.mean([m.outcomes().returns.sum() for m in ms]) >= 1
        and np.mean([m.outcomes().hoover_attempts.sum() for m in ms]) >= 5,
    ],
    "any_gender": [
        lambda ms: share(ms, lambda m: first_end(m, "Robin") < first_end(m, "Jordan")) >= 0.5,
        lambda ms: mean(ms, "Jordan", "weeks_devalued") > mean(ms, "Robin", "weeks_devalued")
        and mean(ms, "Jordan", "harm") > mean(ms, "Robin", "harm"),
        lambda ms: share(ms, lambda m: happened(m, EventKind.HOOVER)) >= 0.5
        and share(ms, lambda m: happened(m, EventKind.RETURNED)) >= 0.3,
    ],
    "community_dense": [
        lambda ms: np.mean([community_targeting(m) for m in ms]) < 0,
        lambda ms: share(ms, lambda m: (m.outcomes().end_reason == "never").any()
                         and max(narcissists_met(m).values()) >= 2) >= 0.5,
        lambda ms: np.mean([m.outcomes().returns.sum() for m in ms]) >= 1
        and np.mean([m.outcomes().hoover_attempts.sum() for m in ms]) >= 5,
    ],
}


def never_approached(m: RelationshipModel) -> float:
    """Share of the partners no narcissist agent ever approached."""
    return float(m.outcomes().first_step.isna().mean())


def community_targeting(m: RelationshipModel) -> float:
    """Rank correlation of vulnerability with the week first approached (never = the end)."""
    out = m.outcomes()
    first = out.first_step.astype(float).fillna(m.steps + 1)
    return float(out.vulnerability.rank().corr(first.rank()))


def narcissists_met(m: RelationshipModel) -> dict[str, int]:
    met: dict[str, set[str]] = {}
    for e in m.events:
        if e.kind == EventKind.MET:
            met.setdefault(e.who[1], set()).add(e.who[0])
    return {name: len(men) for name, men in met.items()} or {"": 0}


def test_every_notice_has_a_check():
    for preset, checks in CHECKS.items():
        assert len(load(preset).notice) == len(checks), f"{preset}: notices and checks differ"


@pytest.mark.parametrize("preset", sorted(CHECKS))
def test_notices_hold_over_seeds(preset):
    models = runs(preset, tuple(range(FIRST, FIRST + TENDENCY_SEEDS)))
    failed = [text for text, check in zip(load(preset).notice, CHECKS[preset], strict=True)
              if not check(models)]
    assert not failed, f"{preset}: not a tendency over {TENDENCY_SEEDS} seeds: {failed}"


@pytest.mark.parametrize("preset", sorted(CHECKS))
def test_notices_show_at_the_presets_own_seed(preset):
    seed = load(preset).seed
    models = runs(preset, (seed,))
    failed = [text for text, check in zip(load(preset).notice, CHECKS[preset], strict=True)
              if not check(models)]
    assert not failed, f"{preset} at its seed {seed}: not on screen: {failed}"
