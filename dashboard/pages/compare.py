"""Compare ("what if"): the same preset and seed run twice with one change, side by side."""

from __future__ import annotations

from dataclasses import dataclass

import solara
import solara.lab

from model.parameters import Parameter

from .. import charts
from ..components.chart import Chart
from ..components.parameter_input import ParameterInput, label_for
from ..components.phase_legend import PhaseLegend
from ..frames import Frame, Run
from ..settings import Settings, inputs, slots, value_at
from ..tables import differences, markdown_table
from ..texts import CAPTIONS, text


@dataclass(frozen=True)
class Change:
    """One setting at two values: the whole difference between run A and run B."""

    path: str
    a: object
    b: object


def contrast(param: Parameter, current: object) -> tuple[object, object]:
    """Two values worth comparing for a parameter: a low one and a high one, or both options."""
    if param.kind == "bool":
        return False, True
    if param.kind == "choice":
        others = [c for c in param.choices if c != current]
        return current, (others[0] if others else current)
    span = param.high - param.low
    a, b = param.low + 0.2 * span, param.low + 0.8 * span
    return (int(round(a)), int(round(b))) if param.kind == "int" else (round(a, 2), round(b, 2))


def run_pair(settings: Settings, change: Change) -> tuple[Frame, Frame]:
    """Both runs to their last week; they differ in `change` and nothing else."""
    frames = []
    for value in (change.a, change.b):
        run = Run(settings.with_value(change.path, value))
        frames.append(run.step(run.model.world["weeks"]))
    return frames[0], frames[1]


@solara.component
def Compare(settings: Settings, large: bool = False):
    scenario = solara.use_memo(settings.scenario, dependencies=[settings])
    choices = {s.prefix: s for s in slots(scenario)}
    first = next((p for p in choices if p.startswith("partner")), next(iter(choices)))
    prefix = solara.use_reactive(first)
    name = solara.use_reactive("boundary")
    chosen = solara.use_reactive({})
    slot = choices.get(prefix.value, choices[first])
    editable = {p.name: p for group in inputs(slot.group) for p in group}
    param = editable.get(name.value) or next(iter(editable.values()))
    path = f"{slot.prefix}.{param.name}"
    a, b = chosen.value.get(path) or contrast(param, value_at(scenario, path))
    change = Change(path, a, b)

    def compute():
        return settings, change, f"{slot.label}, {label_for(param)}", run_pair(settings, change)

    def set_side(index: int, value) -> None:
        values = [a, b]
        values[index] = value
        chosen.set({**chosen.value, path: tuple(values)})

    task = solara.lab.use_task(compute, dependencies=None)
    solara.Markdown(text("compare"))
    with solara.Row(gap="12px", style={"flex-wrap": "wrap", "align-items": "center"}):
        with solara.Div(style={"min-width": "260px"}):
            labels = {s.label: p for p, s in choices.items()}
            solara.Select("whose setting", values=list(labels), value=slot.label,
                          on_value=lambda label: prefix.set(labels[label]))
        with solara.Div(style={"min-width": "220px"}):
            solara.Select("which setting", values=list(editable), value=param.name,
                          on_value=name.set)
        for index, side in enumerate("AB"):
            with solara.Div(style={"min-width": "220px"}):
                solara.Text(f"run {side}", classes=["caption"])
                ParameterInput(param, (a, b)[index],
                               on_value=lambda v, index=index: set_side(index, v))
        solara.Button("Run both", color="primary", icon_name="mdi-play", on_click=task,
                      disabled=task.pending)
    if task.pending:
        solara.ProgressLinear(True)
    if not (task.finished and task.value is not None):
        solara.Text("Press Run both to run the two versions to their last week.",
                    classes=["caption"])
        return
    ran_settings, ran, what, (frame_a, frame_b) = task.value
    PairResult(ran_settings, ran, what, frame_a, frame_b, large)
    if (ran_settings, ran) != (settings, change):
        solara.Warning("The settings have changed since these runs: press Run both again.")


@solara.component
def PairResult(settings: Settings, change: Change, what: str, a: Frame, b: Frame,
               large: bool):
    """The sentence on the shared seed, the two runs side by side, and their differences."""
    solara.Markdown(text("compare_same_seed").format(
        seed=settings.seed, preset=settings.preset, what=what, a=change.a, b=change.b))
    PhaseLegend()
    with solara.ColumnsResponsive(12, medium=12 if large else 6):
        for side, frame, value in (("A", a, change.a), ("B", b, change.b)):
            title = f"Run {side}: {what} = {value}"
            Chart(lambda frame=frame, title=title: charts.compare_chart(
                frame.timeline, frame.weeks, title, large), key=(frame, large),
                caption=CAPTIONS["compare"], filename=f"compare-{side}.png", alt=f"run {side}")
    solara.Markdown("#### Differences (B - A)")
    table = differences(a.outcomes, b.outcomes)
    solara.Markdown(markdown_table(table.rename(columns={"A": f"A ({change.a})",
                                                         "B": f"B ({change.b})"})))
    solara.Text("Exit week: the week of the final ending (- if still together at the end). "
                "Weeks from exit to healing: - if she had not healed by the end.",
                classes=["caption"])
