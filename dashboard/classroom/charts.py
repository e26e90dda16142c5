"""The projector's class charts, each with its text alternative and its data as a table.

Three charts: the room's answers to a choice question (a bar per option), the room's guesses
to a numeric question (a histogram), and the class experiment (every arrived run as a point,
the mean at each value as the trend, its 95% band). Like the other charts (`dashboard.charts`)
they are drawn with matplotlib's object interface in a `ChartStyle`, in the Okabe-Ito colours,
and nothing rests on colour alone: what happened in the run is also named and hatched, and the
points, the line and the band are in the legend. Each has a description in words
(`*_description`) that says what a sighted reader sees, for the picture's alt text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from model.plots.palette import LINE_COLOURS

from ..chart_parts import PLAIN, ChartStyle, inches, style
from ..describe import number, sweep_description
from .questions import shown_answer, spread
from .room import Plan, Question

WRAP = 28


def _wrapped(text: str, width: int = 60) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


def _figure(chart: ChartStyle, rows: float = 3.0, title_lines: int = 1) -> Figure:
    """A figure with room above the axes for a title of `title_lines` lines."""
    size = (inches(chart, 7), rows + 1.2) if chart.large else \
        (inches(chart, 4.0 if chart.narrow else 5.4), rows)
    line = (0.34 if chart.large else 0.2) * title_lines + 0.15  # inches for the title
    fig = Figure(figsize=(size[0], size[1] + line), dpi=100)
    fig.subplots_adjust(left=0.3, right=0.95, top=1 - line / (size[1] + line), bottom=0.2)
    return fig


def _title(question: Question, chart: ChartStyle) -> str:
    return _wrapped(question.text, 34 if not chart.large else 60)


def answers_chart(question: Question, counts: Mapping[str, int], actual: str | None = None,
                  chart: ChartStyle = PLAIN) -> Figure:
    """A bar per option, longest first in the order the question lists them; once revealed,
    the option that happened is hatched and named "(in the run)"."""
    options = list(question.options)
    values = [counts.get(o, 0) for o in options]
    with style(chart):
        title = _title(question, chart)
        fig = _figure(chart, rows=max(2.2, 0.45 * len(options) + 1.0),
                      title_lines=title.count("\n") + 1)
        ax = fig.subplots()
        y = np.arange(len(options))[::-1]
        bars = ax.barh(y, values, color=LINE_COLOURS[0], height=0.6)
        labels = []
        for bar, option in zip(bars, options, strict=True):
            if actual is not None and option == actual:
                bar.set_hatch("//")
                bar.set_facecolor(LINE_COLOURS[1])
                bar.set_edgecolor("black")
                labels.append(f"{option} (in the run)")
            else:
                labels.append(option)
        ax.set_yticks(y, labels)
        top = max(values + [1])
        ax.set_xlim(0, top * 1.15 + 0.5)
        for bar, value in zip(bars, values, strict=True):
            ax.annotate(str(value), (bar.get_width(), bar.get_y() + bar.get_height() / 2),
                        xytext=(4, 0), textcoords="offset points", va="center")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel("answers")
        ax.set_title(title)
    return fig


def answers_description(question: Question, counts: Mapping[str, int],
                        actual: str | None = None) -> str:
    total = sum(counts.values())
    said = "; ".join(f"{option} {counts.get(option, 0)}" for option in question.options)
    happened = f" In the run: {actual}." if actual is not None else ""
    return (f"The room's answers to: {question.text} {total} answer{'s' * (total != 1)}: "
            f"{said}.{happened}")


def answers_table(question: Question, counts: Mapping[str, int]) -> pd.DataFrame:
    return pd.DataFrame({"answer": list(question.options),
                         "answers": [counts.get(o, 0) for o in question.options]})


def guesses_chart(question: Question, numbers: Sequence[int], actual: int | None = None,
                  revealed: bool = False, chart: ChartStyle = PLAIN) -> Figure:
    """How many guessed each range of weeks; once revealed, a dashed line at the week it
    happened."""
    with style(chart):
        title = _title(question, chart)
        fig = _figure(chart, rows=2.6, title_lines=title.count("\n") + 1)
        fig.subplots_adjust(left=0.14)
        ax = fig.subplots()
        values = np.asarray(numbers, float)
        shown = [*numbers, *([actual] if revealed and actual is not None else [])]
        low, high = (min(shown), max(shown)) if shown else (0, 10)
        step = max(1, math.ceil((high - low + 1) / 12))  # whole weeks, at most 12 bars
        if len(values):
            ax.hist(values, bins=np.arange(low, high + step + 1, step), color=LINE_COLOURS[0],
                    edgecolor="white", label="the room's guesses")
        if revealed and actual is not None:
            ax.axvline(actual, color="black", ls="--", lw=2, label=f"in the run: week {actual}")
            ax.legend(loc="best", frameon=False)
        ax.set_xlim(max(0, low - 2 * step), high + 3 * step)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.set_xlabel("week (each bar: how many guessed it)")
        ax.set_ylabel("guesses")
        ax.set_title(title)
    return fig


def guesses_description(question: Question, numbers: Sequence[int], actual: int | None = None,
                        revealed: bool = False) -> str:
    happened = f" In the run: {shown_answer(question, actual)}." if revealed else ""
    return f"The room's guesses to: {question.text} {spread(numbers)}.{happened}"


def guesses_table(numbers: Sequence[int]) -> pd.DataFrame:
    values, counts = np.unique(np.asarray(numbers, int), return_counts=True)
    return pd.DataFrame({"week guessed": values, "answers": counts})


def experiment_chart(plan: Plan, runs: pd.DataFrame, summary: pd.DataFrame, outcome: str,
                     label: str, chart: ChartStyle = PLAIN) -> Figure:
    """Every arrived run as a point, the mean at each value (the trend) and its 95% band."""
    rows = summary[summary["outcome"] == outcome].sort_values("value")
    with style(chart):
        fig = Figure(figsize=(inches(chart, 8), 4.6) if chart.large else
                     (inches(chart, 4.0 if chart.narrow else 6.4), 3.4), dpi=100)
        fig.subplots_adjust(left=0.14, right=0.96, top=0.84, bottom=0.3 if chart.narrow
                            else 0.2)
        ax = fig.subplots()
        x = rows["value"].to_numpy(float)
        banded = rows.dropna(subset=["low", "high"])
        if len(banded):
            ax.fill_between(banded["value"].to_numpy(float), banded["low"].to_numpy(float),
                            banded["high"].to_numpy(float), color=LINE_COLOURS[4], alpha=0.35,
                            lw=0, label="95% band")
        if len(runs):
            ax.plot(runs[plan.setting].to_numpy(float), runs[outcome].to_numpy(float), "o",
                    color=LINE_COLOURS[1], alpha=0.55, ms=6 if chart.large else 4,
                    label="one student's run")
        if len(rows):
            ax.plot(x, rows["mean"].to_numpy(float), color=LINE_COLOURS[0], marker="s",
                    lw=2, label="mean")
        ax.set_xlim(min(plan.values) - 0.02 * _span(plan), max(plan.values) + 0.02 * _span(plan))
        ax.set_ylim(bottom=0)
        ax.set_xlabel(plan.label)
        ax.set_title(label)
        if chart.narrow:
            ax.legend(loc="upper left", bbox_to_anchor=(-0.1, -0.2), ncol=3, frameon=False)
        elif len(runs):
            ax.legend(loc="best", frameon=False)
    return fig


def _span(plan: Plan) -> float:
    return (max(plan.values) - min(plan.values)) or 1.0


def experiment_description(plan: Plan, summary: pd.DataFrame, outcome: str, label: str,
                           arrived: int) -> str:
    """The chart in words: how many runs have arrived, then the means and bands at the ends
    (`describe.sweep_description`, as for the Boundaries page's charts)."""
    head = f"{arrived} of {len(plan.runs)} runs have arrived."
    if not len(summary[summary["outcome"] == outcome]):
        return f"{label}: {head} No point is drawn yet."
    table = summary.rename(columns={"count": "n"})
    return f"{head} " + sweep_description(table, outcome, label, plan.label)


def experiment_table(summary: pd.DataFrame, outcome: str, setting: str) -> pd.DataFrame:
    rows = summary[summary["outcome"] == outcome].sort_values("value")
    return pd.DataFrame({setting: rows["value"].to_numpy(), "runs": rows["count"].to_numpy(),
                         "mean": rows["mean"].to_numpy(),
                         "95% band from": rows["low"].to_numpy(),
                         "95% band to": rows["high"].to_numpy()})


def overview(summary: pd.DataFrame, labels: Mapping[str, str], setting: str) -> pd.DataFrame:
    """The whole class table: a row per value, runs arrived, "mean (band)" per outcome."""
    values = sorted(summary["value"].unique()) if len(summary) else []
    table: dict[str, list] = {setting: values}
    first = summary[summary["outcome"] == next(iter(labels))].set_index("value")
    table["runs"] = [int(first.at[v, "count"]) if v in first.index else 0 for v in values]
    for outcome, label in labels.items():
        rows = summary[summary["outcome"] == outcome].set_index("value")
        table[label] = [_band(rows, v) for v in values]
    return pd.DataFrame(table)


def _band(rows: pd.DataFrame, value: float) -> str:
    if value not in rows.index:
        return "-"
    low, high = rows.at[value, "low"], rows.at[value, "high"]
    mean = number(rows.at[value, "mean"])
    if math.isnan(float(low)):
        return f"{mean} (one run: no band yet)"
    return f"{mean} ({number(low)} to {number(high)})"
