"""Leaving takes several attempts, and each leaving is likelier than the last to be final.

Okun (1988) followed women's own leavings. The model's separations include his discards, which
follow other rules (pre-emptive discard, a fresher source), so every measure here counts her
own leavings only; his discards are reported beside them, not mixed in.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...plots.palette import COLOURS, pyplot
from ...plots.validation import finish
from ..harness import HORIZON, Context, DyadRun, Result, dyad_arm
from ..stats import Comparison, against, independent, mean_ci
from . import Fact
from ...events import EventKind

FOLLOW_UP = 104
"""Okun followed women for two years after their shelter stay."""
TEMPORARY_SHARE = 0.25
"""Reference for "several attempts": more than a quarter of those who left for good had been
apart and gone back before (a modelling choice of threshold; Okun's women averaged several)."""


@dataclass(frozen=True)
class Figure:
    """Share of her leavings that were final, by rank; his discards beside them."""

    runs: int
    final_by_rank: dict[int, tuple[float, int]]
    discards_final: tuple[float, int]

    def draw(self):
        fig, ax = pyplot().subplots(figsize=(8, 4))
        ranks = self.final_by_rank
        labels = [f"leaving {k}{'+' if k == 4 else ''}" for k in ranks] + ["agent's discards"]
        values = [ranks[k][0] for k in ranks] + [self.discards_final[0]]
        counts = [ranks[k][1] for k in ranks] + [self.discards_final[1]]
        colours = [COLOURS[0]] * len(ranks) + [COLOURS[1]]
        ax.bar(labels, values, color=colours, alpha=0.7)
        for i, (value, n) in enumerate(zip(values, counts, strict=True)):
            ax.text(i, (0 if np.isnan(value) else value) + 0.02, f"n={n}", ha="center",
                    fontsize=8)
        ax.set_ylim(0, 1.1)
        ax.set_xlabel("the partner's leaving number (and, apart, the agent's discards)")
        ax.set_ylabel("share final (no return within two years)")
        ax.set_title("Is this separation the last?", fontsize=10)
        return finish(fig, FACT.title, self.runs)


def fates(r: DyadRun, kind: EventKind = EventKind.LEFT) -> list[tuple[int, bool]]:
    """(rank among separations of `kind`, final?) for each one that can be judged.

    Final: she did not go back within two years. A separation less than two years before the
    end of the run, after which she had not gone back, cannot be judged and is left out.
    """
    result = []
    rank = 0
    for week, k in r.separations:
        if k != kind:
            continue
        rank += 1
        back = r.next_return(week)
        if back is not None and back <= week + FOLLOW_UP:
            result.append((rank, False))
        elif week + FOLLOW_UP <= HORIZON:
            result.append((rank, True))
    return result


def left_for_good(r: DyadRun) -> bool:
    """Her last separation was her own leaving and she never went back."""
    return bool(r.separations) and r.separations[-1][1] == EventKind.LEFT and \
        r.next_return(r.separations[-1][0]) is None


def run(ctx: Context) -> Result:
    """Ten years with partners who differ around the defaults; every leaving's fate."""
    rng = ctx.rng()
    runs = dyad_arm(ctx, "ten years", {}, population=True)
    ended = [r for r in runs if left_for_good(r)]
    earlier = np.array([len(r.separations) > 1 for r in ended], dtype=float)
    leavings = [f for r in runs for f in fates(r)]
    first = np.array([final for rank, final in leavings if rank == 1], dtype=float)
    later = np.array([final for rank, final in leavings if rank >= 2], dtype=float)
    parts = [
        against("temporary", "those who leave for good have often separated before",
                "share of partners who left him for good who had already been apart from him "
                "(her leaving or his discard) and gone back at least once, minus one quarter",
                ("left for good", earlier), TEMPORARY_SHARE, "increase", rng),
        independent("progressive", "a later leaving is likelier than the first to be final",
                    "share of her leavings not followed by a return within two years: second "
                    "or later leavings minus first leavings",
                    ("first leavings", first), ("later leavings", later), "increase", rng),
    ]
    if ctx.robust:
        return Result(FACT.key, ctx.n, parts)
    judged = [r for r in runs if any(k == EventKind.LEFT for _, k in r.separations)]
    comparisons = []
    at_once = [float(fates(r)[0] == (1, True)) for r in judged if fates(r)]
    value, interval, n = mean_ci(at_once, rng)
    comparisons.append(Comparison(
        "share of partners whose first leaving was final (no return within two years)", value,
        interval, "over 30% ended the relationship with the shelter stay (Okun 1988)", 0.30,
        (0.20, 0.45), "Her own leavings only. Okun's women were at a shelter, not necessarily "
        "at their first leaving.", n=n, unit="share"))
    within = []
    for r in judged:
        start = next(w for w, k in r.separations if k == EventKind.LEFT)
        if start + FOLLOW_UP > HORIZON:
            continue
        final = r.separations[-1][0] if left_for_good(r) else None
        within.append(float(final is not None and final <= start + FOLLOW_UP))
    value, interval, n = mean_ci(within, rng)
    comparisons.append(Comparison(
        "share who had left for good within two years of her first leaving", value, interval,
        "over 43% had ended it within two years of the shelter stay (Okun 1988)", 0.43,
        (0.33, 0.60), "For good: her own leaving, with no return in the rest of the run.",
        n=n, unit="share"))
    by_rank: dict[int, list[bool]] = {}
    for rank, final in leavings:
        by_rank.setdefault(min(rank, 4), []).append(final)
    discards = [final for r in runs for _, final in fates(r, EventKind.DISCARDED)]
    figure = Figure(ctx.n, {k: (float(np.mean(v)), len(v)) for k, v in sorted(by_rank.items())},
                    (float(np.mean(discards)) if discards else float("nan"), len(discards)))
    notes = [f"{len(leavings)} of her leavings could be judged; his discards, kept apart: "
             f"{len(discards)}, of which {np.mean(discards) if discards else float('nan'):.0%} "
             "were final."]
    return Result(FACT.key, ctx.n, parts, comparisons, figure, notes)


FACT = Fact("several_attempts", "Leaving takes several attempts", "published finding",
            "Okun 1988 (N = 300)",
            "over 30% ended it with the shelter stay, over 43% within two years; later "
            "separations were likelier to be final", run, seed_scale=2.0, robust_scale=1.5,
            known_limit="Her own first leaving is usually final in the model (about 93%), and "
            "many of her returns follow his discards. Since the third fidelity revision (a "
            "return renews her commitment and sets part of her grievance aside) later "
            "leavings are no likelier than first ones to be final: over 800 runs at the "
            "defaults 94% of 49 later leavings against 94% of 728 first ones, so Okun's "
            "progressive process is not reproduced (a report that shows the part holding "
            "rests on a handful of later leavings that were all final, a sample with no "
            "spread); the share who left for good within two years of her first leaving is "
            "far above Okun's 43%; and where partners leave once and for good, those who "
            "leave for good have not separated before. At the defaults, since contagion went "
            "off by default (issue 22), about 31% of those who left for good had been apart "
            "before (0.306 of 170 in the report's runs): above the quarter the claim draws, "
            "but close to it, so that part holds in some samples of runs (CI's fresh ones) "
            "and not in others (the report's).",
            limited_parts=("two_years", "progressive"))
