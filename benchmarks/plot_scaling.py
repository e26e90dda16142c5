"""The scaling figure of docs/performance.md: what a 520-week town costs, from 100 to 20,000
people, beside Mesa's bare floor with as many agents.

Each town is `bench_model.town` (the community preset, 1% narcissists at every size, the
rest generated partners); each size is run once, model and floor one after the other.
Writes docs/img/scaling.png and prints the table the page quotes (CPU seconds, as
`bench_model` measures them).

Run: nice python benchmarks/plot_scaling.py [--weeks 520] [--out docs/img/scaling.png]
"""

from __future__ import annotations

import argparse
import os
import sys
import tracemalloc
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import matplotlib.pyplot as plt  # noqa: E402

from bench_model import community_costs, exponent, town  # noqa: E402

SIZES = (100, 200, 500, 1000, 2000, 5000, 10000, 20000)
ROOT = Path(__file__).resolve().parent.parent


def recorded_megabytes(people: int, weeks: int) -> float:
    """Memory a weekly-recorded town holds at its end (model and recording), in MB."""
    tracemalloc.start()
    model = town(people, weeks, seed=0).run()
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del model
    return held / 1e6


def figure(rows: list[dict], weeks: int, out: Path) -> None:
    people = [r["people"] for r in rows]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
    left.loglog(people, [r["seconds"] for r in rows], "o-", label="this model")
    left.loglog(people, [r["floor_seconds"] for r in rows], "s--", label="bare Mesa floor")
    left.set(xlabel="people in the town", ylabel=f"CPU seconds for {weeks} weeks",
             title=f"Total cost (fitted exponent {exponent(rows):.2f})")
    left.legend()
    right.semilogx(people, [r["us_per_person_week"] for r in rows], "o-", label="this model")
    right.semilogx(people, [r["floor_us_per_agent_step"] for r in rows], "s--",
                   label="bare Mesa floor")
    right.set(xlabel="people in the town", ylabel="microseconds per person-week",
              title="Cost per person-week", ylim=(0, None))
    right.legend()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=520)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "scaling.png")
    args = parser.parse_args()
    rows = []
    for size in SIZES:
        rows += community_costs((size,), args.weeks, rounds=2)
        r = rows[-1]
        narcissists = len(town(size, 1, seed=0).narcissists)
        print(f"| {size:,} | {narcissists} | {r['seconds']:.2f} | {r['us_per_person_week']:.2f} "
              f"| {r['floor_us_per_agent_step']:.2f} "
              f"| {r['us_per_person_week'] / r['floor_us_per_agent_step']:.1f} |", flush=True)
    fitted = exponent([r for r in rows if r["people"] >= 1000])
    print(f"fitted exponent, 1,000 to 20,000: {fitted:.3f}")
    figure(rows, args.weeks, args.out)
    biggest = SIZES[-1]
    print(f"{biggest:,} people, weekly recording, held at the end: "
          f"{recorded_megabytes(biggest, args.weeks):.0f} MB")


if __name__ == "__main__":
    main()
