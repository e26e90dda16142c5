"""The alternative task: the lesson's method on a model with no personal subject.

Students do it in the browser, with no set-up: the dashboard's Learn page, section
"Alternative task" (dashboard/pages/alternative_task.py, the same model, seeds and numbers;
tests/test_teaching.py checks that the two agree). This script is the same task on the command
line, for anyone who prefers it.

Mesa's Boltzmann wealth model (shipped with Mesa, which the project installs): people meet at
random and hand one coin to someone they meet. Run from the repository root:

    .venv/bin/python docs/teaching/alternative_task.py 100 2
    .venv/bin/python docs/teaching/alternative_task.py 100 2 --sweep

The first form runs one model (100 people, seed 2) and prints its inequality (Gini) every 20
steps; the second runs 20 seeds for each of five crowd sizes and prints the mean Gini at step
200 with a 95% interval.
"""

from __future__ import annotations

import statistics
import sys

from mesa.examples.basic.boltzmann_wealth_model.model import BoltzmannScenario, BoltzmannWealth

STEPS = 200


def gini_after(people: int, seed: int, steps: int = STEPS) -> list[float]:
    model = BoltzmannWealth(BoltzmannScenario(n=people, rng=seed))
    trace = []
    for _ in range(steps):
        model.step()
        trace.append(model.gini)
    return trace


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3) or not all(a.isdigit() for a in argv[:2]) or argv[2:] not in (
            [], ["--sweep"]) or int(argv[0]) < 2:
        print("usage: alternative_task.py PEOPLE SEED [--sweep]   (PEOPLE a whole number >= 2)",
              file=sys.stderr)
        return 2
    people, seed = int(argv[0]), int(argv[1])
    if argv[2:] == ["--sweep"]:
        print("people  mean Gini at step 200  95% interval")
        for n in (10, 25, 50, 100, 200):
            values = [gini_after(n, seed + k)[-1] for k in range(20)]
            mean, half = statistics.mean(values), 1.96 * statistics.stdev(values) / 20 ** 0.5
            print(f"{n:>6}  {mean:>22.3f}  {mean - half:.3f} to {mean + half:.3f}")
        return 0
    for step, value in enumerate(gini_after(people, seed), 1):
        if step % 20 == 0:
            print(f"step {step:>3}: Gini {value:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
