"""Boundaries: one partner's boundary over a range, several seeds each, run in the background."""

from __future__ import annotations

import html

import solara
import solara.lab

from .. import charts
from ..components.chart import Chart
from ..components.download import Download
from ..settings import Settings, partner_targets
from ..sweep import OUTCOMES, boundary_values, run_sweep, seeds, summarise
from ..texts import text

CAPTIONS = {
    "harm": "Does the harm she takes fall as her boundary firms up?",
    "weeks_devalued": "Fewer weeks spent being devalued with a firmer boundary?",
    "weeks_to_exit": "How soon it ends for good (still together at the end counts as the "
                     "whole run).",
    "recovery_weeks": "Weeks from the final exit to healing (not healed by the end counts to "
                      "the end).",
    "rage_episodes": "The price of a firm boundary: more rage when she refuses him?",
}


@solara.component
def Boundaries(settings: Settings, large: bool = False):
    scenario = solara.use_memo(settings.scenario, dependencies=[settings])
    targets = partner_targets(scenario)
    target = solara.use_reactive(next(iter(targets)))
    low = solara.use_reactive(0.1)
    high = solara.use_reactive(0.9)
    points = solara.use_reactive(5)
    per_value = solara.use_reactive(8)
    chosen = target.value if target.value in targets else next(iter(targets))

    def sweep():
        values = boundary_values(min(low.value, high.value), max(low.value, high.value),
                                 points.value)
        run_seeds = seeds(settings.seed, per_value.value)

        def progress(fraction: float) -> None:
            task.progress = 100 * fraction

        runs = run_sweep(scenario, chosen, values, run_seeds, on_progress=progress,
                         cancelled=lambda: not task.is_current())
        return {"runs": runs, "summary": summarise(runs), "who": targets[chosen],
                "settings": settings}

    task = solara.lab.use_task(sweep, dependencies=None)
    solara.Markdown(text("boundaries"))
    labels = {label: path for path, label in targets.items()}
    with solara.ColumnsResponsive(12, medium=[4, 2, 2, 2, 2]):
        solara.Select("whose boundary", values=list(labels), value=targets[chosen],
                      on_value=lambda label: target.set(labels[label]), disabled=task.pending)
        for label, state in (("lowest boundary", low), ("highest boundary", high)):
            solara.SliderFloat(f"{label}: {state.value:g}", value=state, min=0.0, max=1.0,
                               step=0.05, disabled=task.pending)
        solara.SliderInt(f"boundary values: {points.value}", value=points, min=2, max=11,
                         disabled=task.pending)
        solara.SliderInt(f"seeds per value (N): {per_value.value}", value=per_value, min=2,
                         max=50, disabled=task.pending)
    with solara.Row(gap="8px", style={"align-items": "center"}):
        solara.Button("Run the sweep", color="primary", icon_name="mdi-play",
                      on_click=task, disabled=task.pending)
        solara.Button("Cancel", icon_name="mdi-stop", on_click=task.cancel,
                      disabled=not task.pending)
        solara.Text(f"{points.value * per_value.value} runs of {settings.preset}, seeds "
                    f"derived from seed {settings.seed}.", classes=["caption"])
    if task.pending:
        done = task.progress or 0
        solara.ProgressLinear(done if done else True)
        solara.Text(f"Running in the background: {done:.0f}% done. The other pages stay "
                    "usable.", classes=["sweep-status"])
    elif task.cancelled:
        solara.Text("Sweep cancelled.", classes=["sweep-status"])
    if task.finished and task.value is not None:
        SweepResult(task.value, large)


@solara.component
def SweepResult(result: dict, large: bool):
    summary, runs = result["summary"], result["runs"]
    n = int(runs["seed"].nunique())
    solara.HTML(tag="h4", unsafe_innerHTML=html.escape(
        f"Sweep finished: {result['who']}, {len(runs)} runs ({n} seeds at each of "
        f"{runs['boundary'].nunique()} boundary values)"), classes=["sweep-status"])
    solara.Text("Each point is the mean over the seeds; the shaded band is its 95% "
                "confidence interval. The same seeds are used at every value.",
                classes=["caption", "sweep-status"])
    with solara.ColumnsResponsive(12, medium=6 if large else 4):
        for outcome, label in OUTCOMES.items():
            Chart(lambda outcome=outcome, label=label: charts.sweep_chart(
                summary, outcome, label, large), key=(summary, large),
                caption=CAPTIONS[outcome], filename=f"sweep-{outcome}.png", alt=label)
    Download(lambda: runs.to_csv(index=False), filename="boundary-sweep.csv",
             label="Every run (CSV)", mime_type="text/csv")
