"""The live half of Explore: playback, the charts, the story, the outcomes and the downloads.

Playback runs in a background thread: it steps the run as many weeks as the chosen speed
owes (see `Pacer`), publishes a frame, and redraws. The redraw happens in that same thread,
so a slow machine draws fewer frames but keeps the speed in weeks per second.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import solara
import solara.lab

from ..charts import MAX_PARTNERS
from ..components.chart import LiveChart
from ..components.controls import PlaybackControls
from ..components.event_log import EventLog
from ..components.exports import DataExport
from ..components.outcome_table import OutcomeTable
from ..components.prediction import PredictionPrompt, PredictionResult
from ..frames import Frame, Pacer, Run
from ..run_charts import Cast, cast_of
from ..tables import event_lines, first_to_leave, most_harmed
from ..texts import CAPTIONS

DEFAULT_SPEED = 10


@solara.component
def LiveRun(run: Run, predictions: dict[str, str], on_predict: Callable[[str, str], None],
            on_reset: Callable[[], None], large: bool = False):
    latest = solara.use_reactive(None)
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(DEFAULT_SPEED)
    initial = solara.use_memo(run.frame, dependencies=[run])
    cast = solara.use_memo(lambda: cast_of(initial.timeline, initial.supply, initial.weeks),
                           dependencies=[initial])
    frame: Frame = latest.value[1] if latest.value and latest.value[0] is run else initial

    def stop_on_new_run():
        playing.set(False)

    solara.use_effect(stop_on_new_run, [run])

    def publish(new: Frame) -> None:
        latest.set((run, new))
        if new.finished:
            playing.set(False)

    def play_loop():
        if not playing.value:
            return
        pacer = Pacer(speed.value)
        while playing.value and task.is_current():
            started = time.perf_counter()
            pacer.speed = speed.value
            weeks = pacer.due()
            if weeks:
                publish(run.step(weeks))
            time.sleep(pacer.wait(time.perf_counter() - started))

    task = solara.lab.use_task(play_loop, dependencies=[playing.value, run],
                               prefer_threaded=True)

    def toggle():
        playing.set(not playing.value)

    def run_to_end():
        playing.set(False)
        publish(run.step(frame.weeks))

    PlaybackControls(playing=playing.value, finished=frame.finished, week=frame.week,
                     weeks=frame.weeks, speed=speed.value, on_play=toggle,
                     on_step=lambda: publish(run.step(1)), on_reset=on_reset, on_end=run_to_end,
                     on_speed=speed.set)
    names = list(frame.names)
    with solara.ColumnsResponsive(12, medium=6, classes=["predict-row"]):
        if len(names) <= MAX_PARTNERS:
            PredictionPrompt(names, predictions, locked=frame.week > 0, on_predict=on_predict)
        if frame.finished and len(names) <= MAX_PARTNERS:
            PredictionResult(predictions, {"leave": first_to_leave(frame.events),
                                           "harm": most_harmed(frame.outcomes)})
    if len(names) > MAX_PARTNERS:
        solara.Text(CAPTIONS["crowd"].format(shown=MAX_PARTNERS, total=len(names)),
                    classes=["caption"])
    Charts(frame, cast, large)
    with solara.ColumnsResponsive(12, medium=12 if large else 6):
        with solara.Column():
            EventLog(event_lines(frame.events), CAPTIONS["events"])
        with solara.Column():
            if frame.finished:
                OutcomeTable(frame.outcomes, CAPTIONS["outcomes"])
            else:
                solara.Markdown("#### Outcomes")
                solara.Text("The outcome table appears when the run reaches its last week.",
                            classes=["caption"])
    solara.Markdown("#### Download this run")
    DataExport(frame, stem=f"{run.settings.preset}-seed{run.settings.seed}")


LIVE = (("phases", "phases.png"), ("wellbeing", "wellbeing.png"),
        ("bond", "trauma-bond-commitment.png"), ("supply", "supply.png"))


@solara.component
def Charts(frame: Frame, cast: Cast, large: bool):
    """The four live charts, two to a row (one to a row, larger, in projector mode)."""
    with solara.ColumnsResponsive(12, medium=12 if large else 6, classes=["charts"]):
        for kind, filename in LIVE:
            LiveChart(kind, frame, cast, caption=CAPTIONS[kind], filename=filename, large=large)
