"""Boundaries: one numeric setting over a range, several seeds each, run in the background.

It opens on a partner's boundary, and two equal buttons start from either side: a partner's
boundary or the narcissist agent's need for supply. His settings are as much the subject as
hers: what he brings decides the harm, her boundary only how much of it reaches her.

The outcomes are those of the partner whose setting is swept, or the mean over everyone the
narcissist agent approached when the setting is the agent's or the run's (`interactive.whose`); the
result says which, in its heading, its charts and its table. Each chart has a description in
words and its data as a table; the whole result is also one table on the page.
"""

from __future__ import annotations

import html

import solara
import solara.lab

from model.parameters import ParameterError
from model.text import csv_safe

from .. import charts
from ..chart_parts import ChartStyle
from ..components.chart import Chart
from ..components.chart_table import html_table
from ..components.download import Download
from ..components.parameter_input import label_for
from ..components.prose import Prose
from ..settings import Settings, Slot, inputs, partner_targets, slots, value_at
from ..describe import sweep_description, sweep_overview, sweep_table
from ..sweep import (OUTCOMES, common_seeds, summarise, sweep_setting, sweep_values, warm_up,
                     whose)
from ..texts import text

CAPTIONS = {
    "harm": "The harm the narcissist agent does to {whom}, at each value of the setting.",
    "weeks_devalued": "Weeks the narcissist agent spends devaluing {whom}, at each value.",
    "weeks_to_exit": "How soon it ends for good, for {whom} (still together at the end counts "
                     "as the whole run).",
    "recovery_weeks": "Weeks from the final exit to healing, for {whom} (not healed by the end "
                      "counts to the end).",
    "rage_episodes": "Rage episodes the narcissist agent directs at {whom}: does their "
                     "number change with the setting?",
}
"""What each sweep chart shows; `{whom}` is `outcomes_of`'s answer."""
EVERYONE = "each partner the agent approached (the mean over them)"
POINTS = (2, 11)
PER_VALUE = (2, 50)


def outcomes_of(path: str, slot_label: str) -> tuple[str, str]:
    """Whose outcomes a sweep of `path` shows, in a sentence and for a chart's title: the
    partner whose setting it is, or everyone the agent approached."""
    if whose(path) == "partners.*":
        return EVERYONE, "mean of all approached"
    name = slot_label.split(" (")[0]
    return f"the partner, {slot_label}", name


def sweep_choices(scenario) -> dict[str, Slot]:
    """Whose setting a sweep can vary, by label: each narcissist, each partner, everyone at
    once (`partners.*`: every partner gets the value), and the run."""
    listed = slots(scenario)
    everyone = Slot(partner_targets(scenario)["partners.*"], "partner", "partners.*")
    after = max((i for i, s in enumerate(listed) if s.group == "partner"),
                default=len(listed) - 2)
    if any(s.prefix.startswith("partners.") for s in listed):  # else "everyone" is listed
        listed.insert(after + 1, everyone)
    return {s.label: s for s in listed}


NOT_SWEPT = ("weeks", "narcissists", "generated_partners")
"""Numbers a sweep over one setting does not offer: they change the run's size, not a trait."""


def use_setting_choice(scenario):
    """The state of a "whose setting, which setting" pair of drop-downs, shared by the
    Boundaries page and class mode's experiment form: the choices, the two reactive values,
    and the slot, the numeric settings and the setting they select now."""
    choices = sweep_choices(scenario)
    first = next((label for label, s in choices.items() if s.prefix.startswith("partners.")),
                 next(iter(choices)))
    who = solara.use_reactive(first)
    name = solara.use_reactive("boundary")
    slot = choices.get(who.value) or choices[first]
    numeric = {p.name: p for group in inputs(slot.group) for p in group
               if p.kind in ("float", "int") and p.name not in NOT_SWEPT}
    param = numeric.get(name.value) or next(iter(numeric.values()))
    return choices, who, name, slot, numeric, param


def starting_points(choices: dict[str, Slot]) -> dict[str, tuple[str, str]]:
    """Two starting sweeps of equal place, one on each side: button text -> (whose, which)."""
    sides = (("partner", "boundary", "A partner's boundary"),
             ("narcissist", "supply_need", "The narcissist agent's need for supply"))
    found = {}
    for prefix, name, words in sides:
        label = next((lb for lb, s in choices.items() if s.group == prefix
                      and not s.prefix.endswith("*")), None)
        if label is not None:
            found[words] = (label, name)
    return found


def check_sweep(param, low, high, points, per_value) -> tuple[float, float, int, int]:
    """The sweep's inputs checked on the server (a client can send anything)."""
    low = param.check(low, f"lowest {param.name}")
    high = param.check(high, f"highest {param.name}")
    for value, (least, most), words in ((points, POINTS, "values"),
                                        (per_value, PER_VALUE, "seeds per value")):
        if isinstance(value, bool) or not isinstance(value, int) or not least <= value <= most:
            raise ParameterError(f"{words} = {value!r} is not allowed: expected a whole number "
                                 f"from {least} to {most}")
    return min(low, high), max(low, high), points, per_value


@solara.component
def Boundaries(settings: Settings, large: bool = False, narrow: bool = False):
    scenario = solara.use_memo(settings.scenario, dependencies=[settings])
    choices, who, name, slot, numeric, param = use_setting_choice(scenario)
    path = f"{slot.prefix}.{param.name}"
    low = solara.use_reactive(None)
    high = solara.use_reactive(None)
    points = solara.use_reactive(5)
    per_value = solara.use_reactive(8)
    span = param.high - param.low
    lo = low.value if low.value is not None else param.low + 0.1 * span
    hi = high.value if high.value is not None else param.high - 0.1 * span
    if param.kind == "int":
        lo, hi = int(round(lo)), int(round(hi))
    problem = None
    try:
        checked = check_sweep(param, lo, hi, points.value, per_value.value)
    except ParameterError as err:
        problem, checked = f"Not applied: {err}", None

    def sweep():
        low_v, high_v, n_points, n_seeds = checked
        values = sweep_values(low_v, high_v, n_points, param)
        run_seeds = common_seeds(settings.seed, n_seeds)

        def progress(fraction: float) -> None:
            task.progress = 100 * fraction

        runs = sweep_setting(scenario, path, values, run_seeds, on_progress=progress,
                         cancelled=lambda: not task.is_current())
        weeks = int(value_at(scenario, "world.weeks"))
        whom, short = outcomes_of(path, slot.label)
        return {"runs": runs, "summary": summarise(runs, weeks=weeks),
                "who": f"{slot.label}, {label_for(param)}", "setting": label_for(param),
                "settings": settings, "whom": whom, "short": short}

    def pick_setting(label: str) -> None:
        name.set(words[label])
        low.set(None)
        high.set(None)

    def start_from(whose_label: str, setting: str) -> None:
        who.set(whose_label)
        name.set(setting)
        low.set(None)
        high.set(None)

    task = solara.lab.use_task(sweep, dependencies=None)
    solara.use_effect(warm_up, [])  # the workers start while the user sets up the sweep
    Prose(text("boundaries"))
    Prose(text("responsibility"), classes=["responsibility"])
    labels = list(choices)
    words = {label_for(p): n for n, p in numeric.items()}
    with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"},
                    classes=["sweep-starts"]):
        solara.Text("Start from either side:", classes=["caption"])
        for button, (whose_label, setting) in starting_points(choices).items():
            solara.Button(button, outlined=True, disabled=task.pending,
                          on_click=lambda w=whose_label, s=setting: start_from(w, s))
    with solara.ColumnsResponsive(12, medium=[6, 6], large=[3, 3, 3, 3],
                                  classes=["sweep-inputs"]):
        solara.Select("whose setting", values=labels, value=slot.label, on_value=who.set,
                      disabled=task.pending)
        solara.Select("which setting", values=list(words), value=label_for(param),
                      on_value=pick_setting, disabled=task.pending)
        step = 1 if param.kind == "int" else (0.05 if span <= 1 else round(span / 100, 3))
        slider = solara.SliderInt if param.kind == "int" else solara.SliderFloat
        for label, state, value in (("lowest", low, lo), ("highest", high, hi)):
            slider(f"{label} {param.name.replace('_', ' ')}: {value:g}", value=value,
                   on_value=state.set, min=param.low, max=param.high, step=step,
                   disabled=task.pending, thumb_label=False)
        solara.SliderInt(f"values: {points.value}", value=points, min=POINTS[0],
                         max=POINTS[1], disabled=task.pending, thumb_label=False)
        solara.SliderInt(f"seeds per value (N): {per_value.value}", value=per_value,
                         min=PER_VALUE[0], max=PER_VALUE[1], disabled=task.pending,
                         thumb_label=False)
    with solara.Div(classes=["input-error-slot"], attributes={"role": "alert"}):
        if problem:
            solara.Error(problem, classes=["input-error"])
    with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button("Run the sweep", color="primary", icon_name="mdi-play",
                      on_click=task, disabled=task.pending or checked is None)
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
        SweepResult(task.value, large and not narrow, narrow)


@solara.component
def SweepResult(result: dict, large: bool, narrow: bool = False):
    summary, runs = result["summary"], result["runs"]
    n = int(runs["seed"].nunique())
    solara.HTML(tag="h3", unsafe_innerHTML=html.escape(
        f"Sweep finished: {result['who']}, {len(runs)} runs ({n} seeds at each of "
        f"{runs['value'].nunique()} values)"), classes=["sweep-status"])
    solara.Text(f"The outcomes shown are those of {result['whom']}. Each point is the mean "
                "over the seeds; the shaded band is its 95% confidence interval, cut off where "
                "values become impossible (below 0 weeks, beyond the run). The same seeds are "
                "used at every value.", classes=["caption", "sweep-status"])
    stem = result["settings"].stem
    chart = ChartStyle(large=large, narrow=narrow)
    with solara.ColumnsResponsive(12, medium=6, large=6 if large else 4):
        for outcome, label in OUTCOMES.items():
            title = f"{label}: {result['short']}"
            Chart(lambda drawn, outcome=outcome, title=title: charts.sweep_chart(
                summary, outcome, title, drawn, result["setting"]),
                key=summary, chart=chart, ident=f"sweep-{outcome}",
                caption=CAPTIONS[outcome].format(whom=result["whom"]),
                filename=f"{stem}-sweep-{outcome}.png", alt=title,
                description=sweep_description(summary, outcome, title, result["setting"]),
                table=lambda outcome=outcome: sweep_table(summary, outcome, result["setting"]))
    SweepTable(result)
    Download(lambda: csv_safe(runs).to_csv(index=False), filename=f"{stem}-sweep.csv",
             label="Every run (CSV)", mime_type="text/csv")


@solara.component
def SweepTable(result: dict):
    """The whole sweep as one table on the page: a row per value, each outcome's mean with its
    95% band."""
    caption = (f"The sweep in numbers: {result['who']}; outcomes of {result['whom']}; mean "
               "over the seeds (95% band)")
    markup = solara.use_memo(lambda: html_table(sweep_overview(
        result["summary"], OUTCOMES, result["setting"]), caption), dependencies=[result])
    solara.HTML(tag="div", unsafe_innerHTML=markup, classes=["table-box", "sweep-table"],
                attributes={"tabindex": "0", "role": "region",  # it may scroll sideways
                            "aria-label": "The sweep in numbers (the table scrolls sideways)"})
