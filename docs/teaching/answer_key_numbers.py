"""The numbers in answer_key.md and lesson_plan.md, measured again: run from the repository root
with

    .venv/bin/python docs/teaching/answer_key_numbers.py            # every sentence with a number
    .venv/bin/python docs/teaching/answer_key_numbers.py --seeds    # seeds where the lesson holds
    .venv/bin/python docs/teaching/answer_key_numbers.py --help     # this text

The first form prints each sentence of the answer key that carries a number, as this model gives
it now. `tests/test_teaching.py` checks that every one of them is in answer_key.md (marked slow),
and that each demonstration the lesson plan scripts holds at the plan's seed, with its numbers in
the plan and the key (not slow), so a change to the model's dynamics cannot leave the lesson or
the key silently out of date. Under a minute.

The second form searches seeds 1 to 200 for those at which every scripted demonstration of the
lesson plan shows its point (`demonstrations`); the preset's own seed, where the page opens, is
preferred when it is one of them.

Everything goes through the public API: `RelationshipModel(scenario="classroom", rng=seed,
**overrides)`, `.run()`, `.outcomes()`, `.events`, and the Boundaries page's own seeds and runs
(`common_seeds`, `sweep_setting`), so the numbers are those the dashboard shows.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np
import pandas as pd

import model.dynamics as dynamics
from model import EventKind, RelationshipModel
from model.experiments.interactive import common_seeds, sweep_setting
from model.scenario import load
from model.validation.stats import t_bands

SEEDS = range(1, 41)
NAMES = ("Ana", "Bea", "Cara", "Dana")
LESSON_SEED = 3
"""The seed the lesson plan uses: the classroom preset's own (the page opens on it)."""
SWEEP = {"low": 0.1, "high": 0.9, "values": 10, "seeds": 20}
"""The plan's Boundaries sweep of Ana's boundary (what the page's sliders are set to)."""
RIVALRY_SWEEP_SEEDS = 20
KINDNESS, ALTERNATIVES = 0.35, 0.5
"""The preset's reinforcement and Ana's alternatives as shipped (run A of the plan's compares)."""


# --- many seeds ---------------------------------------------------------------------------------
def runs(seeds=SEEDS, **overrides) -> pd.DataFrame:
    frames = []
    for seed in seeds:
        m = RelationshipModel(scenario="classroom", rng=seed, **overrides)
        m.run()
        frame = m.outcomes()
        frame["seed"] = seed
        frame["rage_rate"] = frame.rage_episodes / frame.weeks_in_relationship.clip(lower=1)
        frames.append(frame)
    return pd.concat(frames).reset_index(drop=True)


def count(frame: pd.DataFrame, column: str, pick: str = "idxmax") -> dict[str, int]:
    rows = getattr(frame.groupby("seed")[column], pick)()
    return frame.loc[rows, "name"].value_counts().to_dict()


def mean(frame: pd.DataFrame, name: str, column: str) -> float:
    return float(frame.loc[frame.name == name, column].mean())


def of(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    return frame[frame.name == name].set_index("seed")


def seeds_word(n: int) -> str:
    return f"{n} seed" if n == 1 else f"{n} seeds"


# --- one seed: what the page shows --------------------------------------------------------------
def one(seed: int, **overrides) -> RelationshipModel:
    m = RelationshipModel(scenario="classroom", rng=seed, **overrides)
    m.run()
    return m


def table(m: RelationshipModel) -> pd.DataFrame:
    return m.outcomes().set_index("name")


def exit_week(row) -> float:
    """The outcome table's exit week; still together at the end counts as after the run."""
    return float(row.end_step) if pd.notna(row.end_step) else np.inf


def ending_weeks(m: RelationshipModel, name: str) -> list[int]:
    return [e.week for e in m.events
            if e.kind in (EventKind.LEFT, EventKind.DISCARDED) and name in e.who]


def notices_hold(m: RelationshipModel) -> list[str]:
    """The classroom preset's four things to notice, checked on one run (as in
    tests/test_notices.py): the ones that do not show."""
    o = table(m)
    start = m.timeline().query("step in (0, 4)").pivot(index="name", columns="step",
                                                       values="wellbeing")
    first_end = {n: min(ending_weeks(m, n), default=np.inf) for n in NAMES}
    rate = o.rage_episodes / o.weeks_in_relationship.clip(lower=1)
    kinds = {e.kind for e in m.events}
    checks = {
        "warm start": bool(((start[4] - start[0]) > 0).all()),
        "Ana and Bea harmed more than Cara and Dana":
            min(o.harm["Ana"], o.harm["Bea"]) > max(o.harm["Cara"], o.harm["Dana"]),
        "Dana: most rage per week, first to end, by leaving":
            rate.idxmax() == "Dana" and min(first_end, key=first_end.get) == "Dana"
            and any(e.kind == EventKind.LEFT and "Dana" in e.who for e in m.events),
        "a hoover, and someone goes back": {EventKind.HOOVER, EventKind.RETURNED} <= kinds,
    }
    return [name for name, held in checks.items() if not held]


@dataclass(frozen=True)
class Demo:
    """One scripted demonstration of the lesson plan at one seed: does its point show, and
    the sentence (with the numbers on screen) that the plan and the answer key quote."""

    step: str
    holds: bool
    shows: str


def demonstrations(seed: int = LESSON_SEED, sweep: bool = True) -> list[Demo]:
    out = []
    m = one(seed)
    o = table(m)
    missing = notices_hold(m)
    first_left = next((e.who[-1] for e in m.events if e.kind == EventKind.LEFT), "nobody")
    out.append(Demo("Observe", not missing,
                    f"first to leave of her own accord: {first_left} (week "
                    f"{min(ending_weeks(m, first_left), default=0)}); harm: "
                    f"Ana {o.harm['Ana']:.2f}, "
                    f"Bea {o.harm['Bea']:.2f}, Cara {o.harm['Cara']:.2f}, "
                    f"Dana {o.harm['Dana']:.2f}"))
    out.append(noticed(m))

    a, b = (table(one(seed, **{"partners.0.boundary": v})) for v in (0.2, 0.8))
    out.append(Demo("What if: Ana's boundary",
                    b.harm["Ana"] < a.harm["Ana"]
                    and b.weeks_devalued["Ana"] < a.weeks_devalued["Ana"],
                    f"Ana's harm {a.harm['Ana']:.2f} with 0.2 and {b.harm['Ana']:.2f} with "
                    f"0.8; weeks devalued {a.weeks_devalued['Ana']} and "
                    f"{b.weeks_devalued['Ana']}"))

    # as the Compare table shows them (two decimals), and as a student adds and divides them
    a, b = (table(one(seed, **{"narcissist.rivalry": v})).assign(harm=lambda x: x.harm.round(2))
            for v in (0.2, 0.8))
    per_week = [x.harm["Ana"] / max(1, x.weeks_devalued["Ana"]) for x in (a, b)]
    totals = [x.harm.sum() for x in (a, b)]
    changed = bool(((b.harm - a.harm).round(2) != 0).all())
    out.append(Demo("What if: his rivalry",
                    changed and per_week[1] > per_week[0],  # the total may go either way
                    f"every partner's harm changes (Ana {a.harm['Ana']:.2f} to "
                    f"{b.harm['Ana']:.2f}, Bea {a.harm['Bea']:.2f} "
                    f"to {b.harm['Bea']:.2f}, Cara {a.harm['Cara']:.2f} to "
                    f"{b.harm['Cara']:.2f}, Dana {a.harm['Dana']:.2f} to "
                    f"{b.harm['Dana']:.2f}); Ana's harm per devalued week "
                    f"{per_week[0]:.3f} ({a.harm['Ana']:.2f} over {a.weeks_devalued['Ana']} "
                    f"weeks) against {per_week[1]:.3f} ({b.harm['Ana']:.2f} over "
                    f"{b.weeks_devalued['Ana']} weeks); all four together "
                    f"{totals[0]:.2f} against {totals[1]:.2f}"))

    a, b = table(m), table(one(seed, **{"narcissist.reinforcement": 0.0}))
    out.append(Demo("Question 2: intermittent kindness",
                    exit_week(b.loc["Ana"]) < exit_week(a.loc["Ana"])
                    and b.weeks_devalued["Ana"] < a.weeks_devalued["Ana"]
                    and b.trauma_bond_peak["Ana"] < a.trauma_bond_peak["Ana"],
                    f"Ana's exit week {a.end_step['Ana']} with {KINDNESS} and "
                    f"{b.end_step['Ana']} with 0; weeks devalued {a.weeks_devalued['Ana']} and "
                    f"{b.weeks_devalued['Ana']}; her trauma bond peaks at "
                    f"{a.trauma_bond_peak['Ana']:.2f} and {b.trauma_bond_peak['Ana']:.2f}"))

    b = table(one(seed, **{"partners.0.alternatives": 0.9}))
    out.append(Demo("Question 3: Ana's alternatives",
                    exit_week(b.loc["Ana"]) < exit_week(a.loc["Ana"])
                    and b.harm["Ana"] < a.harm["Ana"],
                    f"Ana's harm {a.harm['Ana']:.2f} with {ALTERNATIVES} and "
                    f"{b.harm['Ana']:.2f} with 0.9; exit week {a.end_step['Ana']} and "
                    f"{b.end_step['Ana']}"))
    if sweep:
        out.extend(sweep_demos(seed))
    return out


def noticed(m: RelationshipModel) -> Demo:
    """The things to notice at one seed, in numbers: the first devaluation (who, which week;
    what "pause when: a devaluation starts" stops at), his rage episodes per week together
    (the outcome table's rage episodes over the weeks each relationship lasted), and his
    hoover attempts (the table's "hoovers") with the returns that followed."""
    o = table(m)
    first = next((e for e in m.events if e.kind == EventKind.DEVALUATION), None)
    rate = o.rage_episodes / o.weeks_in_relationship.clip(lower=1)
    order = rate.sort_values(ascending=False, kind="stable").index
    returned = [e for e in m.events if e.kind == EventKind.RETURNED]
    went_back = "; ".join(f"{e.who[-1]} goes back in week {e.week}" for e in returned) \
        or "nobody goes back"
    return Demo("Observe: the things to notice",
                first is not None and rate.idxmax() == "Dana" and o.hoover_attempts.sum() > 0
                and bool(returned),
                f"the first devaluation: {first.who[-1] if first else 'none'} in week "
                f"{first.week if first else '-'}; rage episodes per week together: "
                + ", ".join(f"{n} {rate[n]:.3f} ({o.rage_episodes[n]} in "
                            f"{o.weeks_in_relationship[n]} weeks)" for n in order)
                + f"; hoover attempts: {o.hoover_attempts.sum()} (" + ", ".join(
                    f"{n} {o.hoover_attempts[n]}" for n in NAMES) + f"); {went_back}")


def boundary_sweep(seed: int) -> pd.DataFrame:
    values = [round(float(v), 4) for v in np.linspace(SWEEP["low"], SWEEP["high"],
                                                     SWEEP["values"])]
    return sweep_setting(load("classroom"), "partners.0.boundary", values,
                         common_seeds(seed, SWEEP["seeds"]), workers=1)


def sweep_demos(seed: int) -> list[Demo]:
    sweep = boundary_sweep(seed)
    harm = t_bands(sweep, "harm", ["value"]).set_index("value")
    half = harm["high"] - harm["mean"]
    rage = t_bands(sweep, "rage_episodes", ["value"]).set_index("value")["mean"]
    first, last = harm.index[0], harm.index[-1]
    demos = [Demo("Many runs: Ana's boundary",
                  harm["mean"].idxmax() == first and harm["mean"].idxmin() == last
                  and harm["low"][first] > harm["high"][last] and half[first] > half[last],
                  f"mean harm {harm['mean'][first]:.2f} ({harm['low'][first]:.2f} to "
                  f"{harm['high'][first]:.2f}) at {first:g} and {harm['mean'][last]:.2f} "
                  f"({harm['low'][last]:.2f} to {harm['high'][last]:.2f}) at {last:g}; rage "
                  f"episodes between {rage.min():.2f} and {rage.max():.2f} at every value "
                  f"({rage[first]:.2f} at {first:g} and {rage[last]:.2f} at {last:g})")]
    rivalry = sweep_setting(load("classroom"), "narcissist.rivalry", [0.2, 0.8],
                            common_seeds(seed, RIVALRY_SWEEP_SEEDS), workers=1)
    band = t_bands(rivalry, "harm", ["value"]).set_index("value")
    overlap = band["low"][0.8] < band["high"][0.2] and band["low"][0.2] < band["high"][0.8]
    demos.append(Demo("Many runs: his rivalry, the average", bool(overlap),
                      f"mean harm per partner {band['mean'][0.2]:.2f} ({band['low'][0.2]:.2f} "
                      f"to {band['high'][0.2]:.2f}) at 0.2 and {band['mean'][0.8]:.2f} "
                      f"({band['low'][0.8]:.2f} to {band['high'][0.8]:.2f}) at 0.8"))
    return demos


def lesson_seeds(limit: int = 200) -> list[int]:
    """Seeds (1 to `limit`) at which every demonstration of the plan shows its point."""
    found = []
    for seed in range(1, limit + 1):
        if all(d.holds for d in demonstrations(seed, sweep=False)) \
                and all(d.holds for d in sweep_demos(seed)):
            found.append(seed)
    return found


# --- the answer key's sentences -----------------------------------------------------------------
def story(seed: int = LESSON_SEED) -> list[str]:
    """The lesson seed's run in the order of the page's story."""
    m = one(seed)
    o = table(m)
    steps = []
    for e in m.events:
        who = e.who[-1]
        if e.kind == EventKind.LEFT:
            steps.append(f"{who} leaves in week {e.week}")
        elif e.kind == EventKind.DISCARDED:
            steps.append(f"he discards {who} in week {e.week}")
        elif e.kind == EventKind.RETURNED:
            steps.append(f"{who} goes back in week {e.week}")
        elif e.kind == EventKind.HEALED:
            steps.append(f"{who} has healed by week {e.week}")
    leaver = first_endings(m)[0]
    if leaver is not None:
        left_week = min(e.week for e in m.events if e.kind == EventKind.LEFT)
        rage = [e.week for e in m.events if e.kind == EventKind.RAGE and e.who[-1] == leaver
                and e.week < left_week]
        at = next(i for i, s in enumerate(steps) if s.startswith(f"{leaver} leaves"))
        steps.insert(at, f"he answers {leaver}'s refusal with rage in week {rage[-1]}" if rage
                     and any("refusal" in e.text for e in m.events if e.kind == EventKind.RAGE
                             and e.week == rage[-1] and e.who[-1] == leaver)
                     else f"he turns on {leaver} before she leaves")
    unhealed = [n for n in NAMES if pd.isna(o.recovered_step[n]) and pd.notna(o.end_step[n])]
    longest = o.weeks_in_relationship.idxmax()
    most = o.harm.idxmax()
    rest = [n for n in NAMES if n != most]
    return [
        "In week order: " + "; ".join(steps) + "."
        + (f" {' and '.join(unhealed)} had not healed by week 520." if unhealed else ""),
        f"{longest} is with him longest ({o.weeks_in_relationship[longest]} weeks, "
        f"{o.weeks_devalued[longest]} of them devalued) and "
        f"{'' if most == longest else most + ' '}takes the most harm: "
        f"{o.harm[most]:.2f} against {rest[0]}'s {o.harm[rest[0]]:.2f} ({rest[1]} "
        f"{o.harm[rest[1]]:.2f}, {rest[2]} {o.harm[rest[2]]:.2f})",
    ]


def sentences() -> list[str]:
    base = runs()
    most, least = count(base, "harm"), count(base, "harm", "idxmin")
    models = [one(seed) for seed in SEEDS]
    firsts = [first_endings(m) for m in models]  # as the page's story tells it
    devaluations = [next(e for e in m.events if e.kind == EventKind.DEVALUATION)
                    for m in models]
    devaluation_weeks = [e.week for e in devaluations]
    devaluation_who = pd.Series([e.who[-1] for e in devaluations]).value_counts()
    first_left = pd.Series([f[0] for f in firsts if f[0]]).value_counts()
    first_end = pd.Series([f[1] for f in firsts if f[1]]).value_counts()
    dana = base[base.name == "Dana"].end_reason.value_counts()
    h = {n: mean(base, n, "harm") for n in NAMES}
    nobody = 40 - int(first_left.sum())
    out = [
        f"Most often Dana: in {first_left['Dana']} of 40 seeds; Ana in {first_left.get('Ana', 0)}, "
        f"Bea in {first_left.get('Bea', 0)}, Cara in {first_left.get('Cara', 0)}; "
        f"in {seeds_word(nobody)} nobody left",
        f"first relationship to end at all ({first_end['Dana']} of 40)",
        f"she leaves in {dana.get('left', 0)} of 40 runs, is discarded in "
        f"{dana.get('discarded', 0)}",
        f"Ana in {most.get('Ana', 0)} of 40 seeds, Bea in {most.get('Bea', 0)}, Cara in "
        f"{most.get('Cara', 0)}, "
        f"Dana {'never' if not most.get('Dana') else 'in ' + str(most['Dana'])}. "
        f"Dana was harmed least in {least.get('Dana', 0)} of 40",
        f"Mean harm: Ana {h['Ana']:.2f}, Bea {h['Bea']:.2f}, Cara {h['Cara']:.2f}, "
        f"Dana {h['Dana']:.2f}",
        f"the first devaluation of a run starts between week {min(devaluation_weeks)} and "
        f"week {max(devaluation_weeks)} (half of the runs by week "
        f"{np.median(devaluation_weeks):.0f}); it is Dana's in "
        f"{devaluation_who.get('Dana', 0)} of 40, Ana's in {devaluation_who.get('Ana', 0)}, "
        f"Bea's in {devaluation_who.get('Bea', 0)}, Cara's in {devaluation_who.get('Cara', 0)}",
    ]
    rate = {n: mean(base, n, "rage_rate") for n in NAMES}
    rage_total = {n: mean(base, n, "rage_episodes") for n in NAMES}
    others = [rage_total[n] for n in NAMES if n != "Dana"]
    dana_rage = runs_rage_weeks(SEEDS, "Dana")
    other_halves = [float(np.median(runs_rage_weeks(SEEDS, n))) for n in ("Ana", "Bea", "Cara")]
    returns_runs = {n: int((of(base, n).returns > 0).sum()) for n in NAMES}
    out += [
        f"{rate['Dana']:.3f} against Ana's {rate['Ana']:.3f}; she had the highest rate in "
        f"{count(base, 'rage_rate').get('Dana', 0)} of 40 seeds",
        f"half of his rage episodes at Dana come by week {np.median(dana_rage):.0f}, none "
        f"after week {max(dana_rage)}; at the others half come by week "
        f"{min(other_halves):.0f} to {max(other_halves):.0f}",
        f"{rage_total['Dana']:.2f} episodes on average against {min(others):.2f} to "
        f"{max(others):.2f}",
        f"Ana goes back in {returns_runs['Ana']} of 40 runs and Dana "
        + ("never" if not returns_runs["Dana"] else f"in {returns_runs['Dana']}"),
        f"Per devalued week Ana and Dana take about {harm_per_week(base, 'Ana'):.3f} and "
        f"{harm_per_week(base, 'Dana'):.3f}; the difference is mostly exposure, "
        f"{mean(base, 'Ana', 'weeks_devalued'):.0f} weeks devalued against "
        f"{mean(base, 'Dana', 'weeks_devalued'):.0f}",
    ]

    off = runs(**{"narcissist.reinforcement": 0.0})
    out.append(f"its peak falls for Ana from {mean(base, 'Ana', 'trauma_bond_peak'):.2f} to "
               f"{mean(off, 'Ana', 'trauma_bond_peak'):.2f}, for Bea from "
               f"{mean(base, 'Bea', 'trauma_bond_peak'):.2f} to "
               f"{mean(off, 'Bea', 'trauma_bond_peak'):.2f}")
    out.append(f"Ana's relationship lasts {mean(off, 'Ana', 'weeks_in_relationship'):.0f} "
               f"weeks on average instead of {mean(base, 'Ana', 'weeks_in_relationship'):.0f}"
               f", her harm is {mean(off, 'Ana', 'harm'):.2f} instead of "
               f"{mean(base, 'Ana', 'harm'):.2f}, and she goes back "
               f"{mean(off, 'Ana', 'returns'):.2f} times on average instead of "
               f"{mean(base, 'Ana', 'returns'):.2f}")

    strong = runs(**{"partners.0.alternatives": 0.9})
    ana = strong[strong.name == "Ana"].end_reason.value_counts()
    ana_base = base[base.name == "Ana"].end_reason.value_counts()
    strong_most = count(strong, "harm")
    out.append(f"Her harm falls from {mean(base, 'Ana', 'harm'):.2f} to "
               f"{mean(strong, 'Ana', 'harm'):.2f} and her weeks devalued from "
               f"{mean(base, 'Ana', 'weeks_devalued'):.0f} to "
               f"{mean(strong, 'Ana', 'weeks_devalued'):.0f}; she is in the relationship "
               f"{mean(strong, 'Ana', 'weeks_in_relationship'):.0f} weeks instead of "
               f"{mean(base, 'Ana', 'weeks_in_relationship'):.0f}")
    out.append(f"she leaves of her own accord in {ana.get('left', 0)} of 40 (instead "
               f"of {ana_base.get('left', 0)}), and he discards her in {ana.get('discarded', 0)} "
               f"of 40 (instead of {ana_base.get('discarded', 0)})")
    out.append(f"he harms Ana most in {strong_most.get('Ana', 0)} of 40 seeds (instead of "
               f"{most.get('Ana', 0)}) and Bea most in {strong_most.get('Bea', 0)} (instead of "
               f"{most.get('Bea', 0)})")

    low, high = runs(**{"partners.0.boundary": 0.2}), runs(**{"partners.0.boundary": 0.8})
    a, b = of(low, "Ana"), of(high, "Ana")
    more, fewer = int((b.rage_episodes > a.rage_episodes).sum()), \
        int((b.rage_episodes < a.rage_episodes).sum())
    out.append(f"harm is lower with 0.8 in {int((b.harm < a.harm).sum())} (mean "
               f"{a.harm.mean():.2f} to {b.harm.mean():.2f}); weeks devalued fall from "
               f"{a.weeks_devalued.mean():.0f} to {b.weeks_devalued.mean():.0f}")
    out.append(f"she meets his rage more often per week together ({a.rage_rate.mean():.3f} "
               f"to {b.rage_rate.mean():.3f}), though she meets more episodes in total in "
               f"only {more} of the 40 seeds (fewer in {fewer}, as many in {40 - more - fewer})")

    saved = dynamics.BOUNDARY_FILTER
    dynamics.BOUNDARY_FILTER = 0.0  # the counterfactual of question 4, in this process only
    try:
        unfiltered = runs()
    finally:
        dynamics.BOUNDARY_FILTER = saved
    ana_over_dana = lambda f: int((f[f.name == "Ana"].harm.values  # noqa: E731
                                   > f[f.name == "Dana"].harm.values).sum())
    out.append(f"Dana was still harmed least in "
               f"{count(unfiltered, 'harm', 'idxmin').get('Dana', 0)} of 40 seeds "
               f"({least.get('Dana', 0)} with it) and Ana more than Dana in "
               f"{ana_over_dana(unfiltered)} of 40 ({ana_over_dana(base)} with it)")

    riv = [runs(**{"narcissist.rivalry": v}) for v in (0.2, 0.8)]
    total = [r.groupby("seed").harm.sum() for r in riv]
    devalued = [r.groupby("seed").weeks_devalued.sum() for r in riv]
    per_week = [t / d.clip(lower=1) for t, d in zip(total, devalued, strict=True)]
    ana_r = [of(r, "Ana") for r in riv]
    out.append(f"the total harm of the four partners is {total[0].mean():.2f} a run at 0.2 "
               f"and {total[1].mean():.2f} at 0.8; it rises in "
               f"{int((total[1] > total[0]).sum())} of the 40 seeds and falls in "
               f"{int((total[1] < total[0]).sum())}")
    out.append(f"harm per devalued week (all four together) rises from "
               f"{per_week[0].mean():.3f} to {per_week[1].mean():.3f}, in "
               f"{int((per_week[1] > per_week[0]).sum())} of 40 seeds, while weeks devalued "
               f"(all four together) fall from {devalued[0].mean():.0f} to "
               f"{devalued[1].mean():.0f}, in {int((devalued[1] < devalued[0]).sum())} of 40")
    out.append(f"Ana's harm is {ana_r[0].harm.mean():.2f} and {ana_r[1].harm.mean():.2f} "
               f"on average, higher at 0.8 in {int((ana_r[1].harm > ana_r[0].harm).sum())} "
               f"of 40 seeds")

    sweep = boundary_sweep(LESSON_SEED)
    harm = t_bands(sweep, "harm", ["value"]).set_index("value")
    steps = harm["mean"].diff().dropna()
    out.append(f"mean harm falls from {harm['mean'].iloc[0]:.2f} at "
               f"{harm.index[0]:g} to {harm['mean'].iloc[-1]:.2f} at {harm.index[-1]:g}")
    out.append(f"it falls at {int((steps < 0).sum())} of the {len(steps)} steps")
    out += story()
    out += [d.shows for d in demonstrations()]
    return out


def first_endings(m: RelationshipModel) -> tuple[str | None, str | None]:
    """Who first left of her own accord, and whose relationship first ended at all (left or
    discarded, even if she went back later), in the run's story."""
    left = next((e.who[-1] for e in m.events if e.kind == EventKind.LEFT), None)
    ended = next((e.who[-1] for e in m.events
                  if e.kind in (EventKind.LEFT, EventKind.DISCARDED)), None)
    return left, ended


def runs_rage_weeks(seeds, name: str) -> list[int]:
    weeks = []
    for seed in seeds:
        weeks += [e.week for e in one(seed).events
                  if e.kind == EventKind.RAGE and e.who[-1] == name]
    return weeks


def harm_per_week(frame: pd.DataFrame, name: str) -> float:
    mine = of(frame, name)
    return float(mine.harm.sum() / max(1, mine.weeks_devalued.sum()))


if __name__ == "__main__":
    if sys.argv[1:] not in ([], ["--seeds"]):
        print(__doc__)
        sys.exit(0 if sys.argv[1:] in (["--help"], ["-h"]) else 2)
    if sys.argv[1:] == ["--seeds"]:
        preset = load("classroom").seed
        found = lesson_seeds()
        print(f"seeds where every demonstration holds: {found}")
        print(f"the preset's own seed {preset} is {'one' if preset in found else 'not one'}")
    else:
        for demo in demonstrations():
            print(f"[{'holds' if demo.holds else 'FAILS'}] {demo.step}: {demo.shows}")
        for sentence in sentences():
            print(sentence)
