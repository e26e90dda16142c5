"""Compare ("what if"): the same preset and seed run twice with one change, side by side."""

from __future__ import annotations

from dataclasses import dataclass

import solara

from ..components.prose import Prose, to_html
import solara.lab

from model.parameters import Parameter, ParameterError

from .. import charts
from ..branch import branch_pair
from ..chart_parts import ChartStyle, cast_of
from ..components.chart import Chart
from ..components.parameter_input import ParameterInput, label_for
from ..components.phase_legend import PhaseLegend
from ..describe import compare_description, compare_table
from ..frames import Frame, Run
from ..settings import Settings, inputs, slots, value_at
from ..tables import differences, markdown_table
from ..texts import CAPTIONS, text


DIFFERENCES_NOTE = ("Exit week: the week of the final ending (- if still together at the end). "
                    "Weeks from exit to healing: - if the partner had not healed by the end.")
"""The caption under the differences table, in role words: presets give anyone any pronouns."""


@dataclass(frozen=True)
class Change:
    """One setting at two values: the whole difference between run A and run B (from week
    `start` on; before it the two runs share their history)."""

    path: str
    a: object
    b: object
    start: int = 0


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
    if change.start > 0:
        return branch_pair(settings, change.path, change.a, change.b, change.start)
    frames = []
    for value in (change.a, change.b):
        run = Run(settings.with_value(change.path, value))
        frames.append(run.step(run.model.world["weeks"]))
    return frames[0], frames[1]


@solara.component
def Compare(settings: Settings, large: bool = False, branch: tuple | None = None,
            narrow: bool = False):
    """`branch`, if given, is (settings, week) from Explore's "What if, from week k"."""
    scenario = solara.use_memo(settings.scenario, dependencies=[settings])
    choices = {s.prefix: s for s in slots(scenario)}
    first = next((p for p in choices if p.startswith("partner")), next(iter(choices)))
    prefix = solara.use_reactive(first)
    name = solara.use_reactive("boundary")
    chosen = solara.use_reactive({})
    error = solara.use_reactive("")
    start = solara.use_reactive(0)

    def take_branch():
        if branch is not None and branch[0] == settings:
            start.set(branch[1])

    solara.use_effect(take_branch, [branch])
    from_week = 0 if branch is None or branch[0] != settings else start.value
    slot = choices.get(prefix.value, choices[first])
    editable = {p.name: p for group in inputs(slot.group) for p in group}
    param = editable.get(name.value) or next(iter(editable.values()))
    path = f"{slot.prefix}.{param.name}"
    now = value_at(scenario, path)
    a, b = chosen.value.get(path) or ((now, contrast(param, now)[1]) if from_week
                                      else contrast(param, now))
    change = Change(path, a, b, from_week)

    def compute():
        return settings, change, f"{slot.label}, {label_for(param)}", run_pair(settings, change)

    def set_side(index: int, value) -> None:
        try:
            value = param.check(value, f"run {'AB'[index]}: {path}")
        except ParameterError as err:
            error.set(f"Not applied: {err}")
            return
        error.set("")
        values = [a, b]
        values[index] = value
        chosen.set({**chosen.value, path: tuple(values)})

    task = solara.lab.use_task(compute, dependencies=None)
    Prose(text("compare"))
    Prose(text("responsibility"), classes=["responsibility"])
    with solara.Row(gap="12px", style={"flex-wrap": "wrap", "align-items": "center"},
                    classes=["compare-inputs"]):
        with solara.Div(classes=["compare-field"]):
            labels = {s.label: p for p, s in choices.items()}
            solara.Select("whose setting", values=list(labels), value=slot.label,
                          on_value=lambda label: prefix.set(labels[label]))
        with solara.Div(classes=["compare-field"]):
            words = {label_for(p): n for n, p in editable.items()}
            solara.Select("which setting", values=list(words), value=label_for(param),
                          on_value=lambda label: name.set(words[label]))
        for index, side in enumerate("AB"):
            with solara.Div(classes=["compare-field"]):
                solara.Text(f"run {side}", classes=["caption"])
                ParameterInput(param, (a, b)[index], owner=f"run {side}, {slot.label}",
                               on_value=lambda v, index=index: set_side(index, v))
        solara.Button("Run both", color="primary", icon_name="mdi-play", on_click=task,
                      disabled=task.pending)
    with solara.Div(classes=["input-error-slot"], attributes={"role": "alert"}):
        if error.value:
            solara.Error(error.value, classes=["input-error"])
    with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"}):
        if from_week:
            solara.Text(f"Both runs share the Explore run's history up to week {from_week}; "
                        "the setting differs from there on.", classes=["caption", "branch-note"])
            solara.Button("Compare from week 0 instead", small=True, outlined=True,
                          on_click=lambda: start.set(0))
    if task.pending:
        solara.ProgressLinear(True)
    if not (task.finished and task.value is not None):
        solara.Text("Press Run both to run the two versions to their last week.",
                    classes=["caption"])
        return
    ran_settings, ran, what, (frame_a, frame_b) = task.value
    if (ran_settings, ran) != (settings, change):
        solara.Warning(f"The last comparison ({what}: {ran.a} against {ran.b}) was for other "
                       "settings; its result is put away. Press Run both to compare "
                       f"{slot.label}, {label_for(param)}: {a} against {b}.",
                       classes=["stale-result"])
        return
    PairResult(ran_settings, ran, what, frame_a, frame_b, large and not narrow, narrow)


@solara.component
def PairResult(settings: Settings, change: Change, what: str, a: Frame, b: Frame,
               large: bool, narrow: bool = False):
    """The sentence on the shared seed, the two runs side by side, and their differences."""
    shared = (f" They share the same history up to week {change.start}; the change applies "
              "from then on." if change.start else "")
    Prose(text("compare_same_seed").format(
        seed=settings.seed, preset=settings.preset, what=what, a=change.a, b=change.b) + shared)
    PhaseLegend()
    chart = ChartStyle(large=large, narrow=narrow)
    with solara.ColumnsResponsive(12, medium=6, classes=["compare-pair"]):
        for side, frame, value in (("A", a, change.a), ("B", b, change.b)):
            title = f"Run {side}: {what} = {value}"
            cast = cast_of(frame.timeline, frame.supply, frame.weeks)
            Chart(lambda drawn, frame=frame, title=title: charts.compare_chart(
                frame.timeline, frame.weeks, title, drawn, change.start),
                key=frame, chart=chart,
                caption=CAPTIONS["compare"], filename=f"{settings.stem}-compare-{side}.png",
                alt=f"run {side}", ident=f"compare-{side}",
                description=compare_description(title, frame.timeline, frame.outcomes,
                                                frame.weeks, cast, change.start),
                table=lambda frame=frame, cast=cast: compare_table(frame.timeline,
                                                                   frame.supply, cast))
    Prose("### Differences (B - A)")
    table = differences(a.outcomes, b.outcomes)
    solara.HTML(tag="div", unsafe_innerHTML=to_html(markdown_table(table.rename(
        columns={"A": f"A ({change.a})", "B": f"B ({change.b})"}))),
        classes=["prose", "table-box", "differences"],
        attributes={"tabindex": "0", "role": "region",  # it may scroll sideways on a phone
                    "aria-label": "Differences (the table scrolls sideways)"})
    solara.Text(DIFFERENCES_NOTE, classes=["caption"])
