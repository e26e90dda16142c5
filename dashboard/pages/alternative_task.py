"""The alternative task, on the Learn page: the lesson's method on a model with no personal
subject, for students who opt out of the relationship topic.

Mesa's Boltzmann wealth model (shipped with Mesa): people wander a 10 x 10 grid and hand one
coin to someone they meet. A student runs one crowd (people and seed), the same crowd with one
change or another seed, and a sweep over crowd sizes with 95% intervals, all in the browser,
with no set-up. The numbers are those of docs/teaching/alternative_task.py (the same model, the
same seeds, the same interval); tests/test_teaching.py checks that the two agree.

Nothing here names the relationship model or its subject: the section's text is
dashboard/texts/alternative_task.md.
"""

from __future__ import annotations

import statistics

import pandas as pd
import solara
import solara.lab

from ..components.prose import Prose, to_html
from ..tables import markdown_table
from ..texts import text

STEPS = 200
EVERY = 20
PEOPLE = (2, 300)
SEEDS = (0, 2**31 - 1)
SIZES = (10, 25, 50, 100, 200)
SWEEP_SEEDS = 20


def crowd(people: int, seed: int, steps: int = STEPS):
    """One run of the wealth model: its Gini after each step, and the model at the end."""
    from mesa.examples.basic.boltzmann_wealth_model.model import (BoltzmannScenario,
                                                                  BoltzmannWealth)

    model = BoltzmannWealth(BoltzmannScenario(n=people, rng=seed))
    trace = []
    for _ in range(steps):
        model.step()
        trace.append(model.gini)
    return trace, model


def run_table(people: int, seed: int) -> tuple[pd.DataFrame, str]:
    """The Gini every 20 steps, and a sentence on the coins at the end."""
    trace, model = crowd(people, seed)
    table = pd.DataFrame({"step": list(range(EVERY, STEPS + 1, EVERY)),
                          "Gini": [f"{trace[s - 1]:.3f}" for s in range(EVERY, STEPS + 1,
                                                                          EVERY)]})
    coins = sorted(a.wealth for a in model.agents)
    summary = (f"{people} people, seed {seed}, step {STEPS}: everyone started with 1 coin; "
               f"now {sum(c == 0 for c in coins)} have none and the most anyone has is "
               f"{coins[-1]}.")
    return table, summary


def sweep_rows(seed: int, sizes=SIZES, seeds: int = SWEEP_SEEDS) -> pd.DataFrame:
    """For each crowd size, the mean Gini at step 200 over `seeds` seeds (seed, seed + 1, ...,
    the same at every size) with its 95% interval (1.96 standard errors)."""
    rows = []
    for n in sizes:
        values = [crowd(n, seed + k)[0][-1] for k in range(seeds)]
        mean, half = statistics.mean(values), 1.96 * statistics.stdev(values) / seeds ** 0.5
        rows.append({"people": n, "mean Gini at step 200": f"{mean:.3f}",
                     "95% interval": f"{mean - half:.3f} to {mean + half:.3f}",
                     "seeds": f"{seed} to {seed + seeds - 1}"})
    return pd.DataFrame(rows)


def whole_number(value: str, words: str, low: int, high: int) -> int:
    """A typed whole number in [low, high], or a ValueError that names the box and the rule."""
    text_ = str(value).strip()
    if not text_.isdigit() or not low <= int(text_) <= high:
        raise ValueError(f"{words} = {text_[:20]!r} is not allowed: expected a whole number "
                         f"from {low} to {high}")
    return int(text_)


@solara.component
def AlternativeTask():
    people = solara.use_reactive("100")
    seed = solara.use_reactive("2")
    problem = ""
    checked = None
    try:
        checked = (whole_number(people.value, "people", *PEOPLE),
                   whole_number(seed.value, "seed", *SEEDS))
    except ValueError as err:
        problem = f"Not applied: {err}"

    one = solara.lab.use_task(lambda: run_table(*checked), dependencies=None)
    many = solara.lab.use_task(lambda: (checked[1], sweep_rows(checked[1])), dependencies=None)

    with solara.Div(classes=["learn-text", "alternative-task"]):
        Prose(text("alternative_task"))
        with solara.Row(gap="12px", style={"flex-wrap": "wrap", "align-items": "center"},
                        classes=["alternative-inputs"]):
            solara.InputText("people in the crowd", value=people, continuous_update=False)
            solara.InputText("seed", value=seed, continuous_update=False)
            solara.Button("Run one crowd", color="primary", icon_name="mdi-play",
                          on_click=one, disabled=one.pending or checked is None)
            solara.Button("Run the sweep over crowd sizes", icon_name="mdi-play",
                          on_click=many, disabled=many.pending or checked is None)
        with solara.Div(classes=["input-error-slot"], attributes={"role": "alert"}):
            if problem:
                solara.Error(problem, classes=["input-error"])
        if one.pending or many.pending:
            solara.ProgressLinear(True)
        if one.finished and one.value is not None:
            table, summary = one.value
            Prose(f"#### One crowd\n\n{summary}")
            _table(table, "One crowd: the Gini every 20 steps", "alternative-run")
        if many.finished and many.value is not None:
            first, rows = many.value
            Prose(f"#### The sweep over crowd sizes\n\n{SWEEP_SEEDS} seeds at each size "
                  f"({first} to {first + SWEEP_SEEDS - 1}, the same seeds at every size); "
                  "the interval is the 95% confidence interval of the mean.")
            _table(rows, "The sweep: mean Gini at step 200 by crowd size", "alternative-sweep")


def _table(table: pd.DataFrame, label: str, name: str) -> None:
    solara.HTML(tag="div", unsafe_innerHTML=to_html(markdown_table(table)),
                classes=["prose", "table-box", name],
                attributes={"tabindex": "0", "role": "region", "aria-label": label})
