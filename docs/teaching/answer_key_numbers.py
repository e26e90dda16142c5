"""The numbers in answer_key.md, measured again: run from the repository root with

    .venv/bin/python docs/teaching/answer_key_numbers.py

It prints each sentence of the answer key that carries a number, as this model gives it now.
`tests/test_teaching.py` (marked slow) checks that every one of them is in answer_key.md, so a
change to the model's dynamics cannot leave the key silently out of date. About ten seconds.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import model.dynamics as dynamics
from model import RelationshipModel

SEEDS = range(1, 41)


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


def sentences() -> list[str]:
    base = runs()
    most, least = count(base, "harm"), count(base, "harm", "idxmin")
    left = base[base.end_reason == "left"]
    first_left = left.loc[left.groupby("seed").end_step.idxmin(), "name"].value_counts()
    first_end = count(base, "end_step", "idxmin")
    dana = base[base.name == "Dana"].end_reason.value_counts()
    h = {n: mean(base, n, "harm") for n in ("Ana", "Bea", "Cara", "Dana")}
    out = [
        f"Most often Dana: in {first_left['Dana']} of 40 seeds; Ana in {first_left.get('Ana', 0)}, "
        f"Bea in {first_left.get('Bea', 0)}, Cara in {first_left.get('Cara', 0)}; "
        f"in {40 - first_left.sum()} seeds nobody left",
        f"first relationship to end at all ({first_end['Dana']} of 40)",
        f"she leaves in {dana['left']} of 40 runs, is discarded in {dana['discarded']}",
        f"Ana in {most['Ana']} of 40 seeds, Bea in {most['Bea']}, Cara in {most['Cara']}, "
        f"Dana {'never' if not most.get('Dana') else 'in ' + str(most['Dana'])}. "
        f"Dana was harmed least in {least['Dana']} of 40",
        f"Mean harm: Ana {h['Ana']:.2f}, Bea {h['Bea']:.2f}, Cara {h['Cara']:.2f}, "
        f"Dana {h['Dana']:.2f}",
        f"{mean(base, 'Dana', 'rage_rate'):.3f} against Ana's "
        f"{mean(base, 'Ana', 'rage_rate'):.3f}; she had the highest rate in "
        f"{count(base, 'rage_rate')['Dana']} of 40 seeds",
        f"Ana goes back in {int((base[base.name == 'Ana'].returns > 0).sum())} of 40 runs",
    ]
    off = runs(**{"narcissist.reinforcement": 0.0})
    out.append(f"its peak falls for Ana from {mean(base, 'Ana', 'trauma_bond_peak'):.2f} to "
               f"{mean(off, 'Ana', 'trauma_bond_peak'):.2f}, for Bea from "
               f"{mean(base, 'Bea', 'trauma_bond_peak'):.2f} to "
               f"{mean(off, 'Bea', 'trauma_bond_peak'):.2f}")
    strong = runs(**{"partners.0.alternatives": 0.9})
    ana = strong[strong.name == "Ana"].end_reason.value_counts()
    ana_base = base[base.name == "Ana"].end_reason.value_counts()
    out.append(f"she leaves of her own accord more often ({ana['left']} of 40 instead "
               f"of {ana_base['left']}), and he discards her in {ana['discarded']} of 40 "
               f"(instead of {ana_base['discarded']})")
    low, high = runs(**{"partners.0.boundary": 0.2}), runs(**{"partners.0.boundary": 0.8})
    a, b = low[low.name == "Ana"].set_index("seed"), high[high.name == "Ana"].set_index("seed")
    out.append(f"harm is lower with 0.8 in {int((b.harm < a.harm).sum())} (mean "
               f"{a.harm.mean():.2f} to {b.harm.mean():.2f})")
    saved = dynamics.BOUNDARY_FILTER
    dynamics.BOUNDARY_FILTER = 0.0  # the counterfactual of question 4, in this process only
    try:
        unfiltered = runs()
    finally:
        dynamics.BOUNDARY_FILTER = saved
    ana_over_dana = lambda f: int((f[f.name == "Ana"].harm.values  # noqa: E731
                                   > f[f.name == "Dana"].harm.values).sum())
    out.append(f"Dana was still harmed least in {count(unfiltered, 'harm', 'idxmin')['Dana']} "
               f"of 40 seeds ({least['Dana']} with it) and Ana more than Dana in "
               f"{ana_over_dana(unfiltered)} of 40 ({ana_over_dana(base)} with it)")
    riv = [runs(**{"narcissists.0.rivalry": v}).groupby("seed").harm.sum().mean()
           for v in (0.2, 0.8)]
    out.append(f"{'rises' if riv[1] > riv[0] else 'falls'} from {riv[0]:.2f} to {riv[1]:.2f} "
               "a run")
    sweep = [np.mean([r.harm for r in runs(range(1, 31), **{"partners.0.boundary": b})
                      .itertuples() if r.name == "Ana"]) for b in (0.1, 0.9)]
    out.append(f"mean harm falls from {sweep[0]:.1f} at 0.1 to {sweep[1]:.1f} at 0.9")
    return out


if __name__ == "__main__":
    for sentence in sentences():
        print(sentence)
