"""The live half of Explore: playback, the charts, the story, the outcomes and the downloads.

Playback (play, pause, step, run to the end, pause at an event) is the `use_playback` hook;
this module lays out its controls and what they show.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable

import solara

from ..chart_parts import MAX_PARTNERS, Cast, ChartStyle, cast_of
from ..components.chart import LiveChart
from ..components.chart_table import SCREEN_READER_ONLY
from ..components.controls import PlaybackControls
from ..components.event_log import EventLog
from ..components.exports import DataExport
from ..components.keys import Shortcuts
from ..components.network import NetworkChart
from ..components.notice import notices_markdown
from ..components.outcome_table import OutcomeTable
from ..components.prediction import PredictionPrompt, PredictionResult
from ..components.prose import Prose
from ..frames import Frame, Run
from model.text import shortened
from ..playback import Clock, Sleep, use_playback
from ..settings import Settings
from ..tables import event_lines, first_to_leave, most_harmed
from ..texts import CAPTIONS


@solara.component
def LiveRun(given: Run, predictions: dict[str, str], on_predict: Callable[[str, str], None],
            on_reset: Callable[[], None], large: bool = False,
            on_branch: Callable[[Run, int], None] | None = None, narrow: bool = False,
            clock: Clock = time.perf_counter, sleep: Sleep = time.sleep):
    """`given` is the Explore page's run; "Go back to week" replaces it by a replay of the
    same settings and seed to an earlier week (the model is deterministic for a seed).
    `clock` and `sleep` pace playback (see `use_playback`)."""
    replayed = solara.use_reactive(None)
    run = replayed.value[1] if replayed.value and replayed.value[0] is given else given
    back_error = solara.use_reactive("")
    initial = solara.use_memo(run.frame, dependencies=[run])
    cast = solara.use_memo(lambda: cast_of(initial.timeline, initial.supply, initial.weeks),
                           dependencies=[initial])
    playback = use_playback(run, initial, clock, sleep)
    frame = playback.frame
    Shortcuts(event_toggle=playback.toggle, event_step=playback.step)
    PlaybackControls(playing=playback.playing, finished=frame.finished, week=frame.week,
                     weeks=frame.weeks, speed=playback.speed, on_play=playback.toggle,
                     on_step=playback.step, on_reset=on_reset, on_end=playback.run_to_end,
                     on_speed=playback.set_speed, pause_at=playback.pause_at,
                     on_pause_at=playback.set_pause_at, stopped=playback.stopped)
    RunStatus(status_line(playback.playing, frame, playback.stopped))
    solara.Text("Keys: Space plays or pauses, Right arrow steps one week (when no control "
                "has the focus).", classes=["caption", "keys-hint"])
    names = list(frame.names)
    with solara.ColumnsResponsive(12, medium=6, classes=["predict-row"]):
        with solara.Column():
            if len(names) <= MAX_PARTNERS:
                PredictionPrompt(names, predictions, locked=frame.week > 0,
                                 on_predict=on_predict, finished=frame.finished)
            if frame.finished and len(names) <= MAX_PARTNERS:
                PredictionResult(predictions, {"leave": first_to_leave(frame.events),
                                               "harm": most_harmed(frame.outcomes)})
        with solara.Column():
            ScenarioNotes(run.settings, started=frame.week > 0)
    if len(names) > MAX_PARTNERS:
        solara.Text(CAPTIONS["crowd"].format(shown=MAX_PARTNERS, total=len(names)),
                    classes=["caption"])
    stem = run.settings.stem
    Charts(frame, cast, large, stem, narrow)
    with solara.ColumnsResponsive(12, large=12 if large else 6, classes=["results-row"]):
        with solara.Column():
            EventLog(event_lines(frame.events, limit=len(frame.events)), CAPTIONS["events"])
        with solara.Column():
            if cast.all_narcissists > 1:
                NetworkChart(frame, ChartStyle(large=large, narrow=narrow),
                             filename=f"{stem}-who-is-with-whom.png")
    with solara.Div(classes=["outcomes-box"]):
        if frame.finished:
            OutcomeTable(frame.outcomes, CAPTIONS["outcomes"])
        else:
            Prose("### Outcomes")
            solara.Text("The outcome table appears when the run reaches its last week.",
                        classes=["caption"])
    def go_back(text: str) -> None:
        try:
            target = int(str(text).strip())
            if not 0 <= target <= frame.week:
                raise ValueError
        except ValueError:
            back_error.set(f"week = '{shortened(str(text).strip())}' is not allowed: expected "
                           f"a whole number from 0 to {frame.week}")
            return
        back_error.set("")
        playback.pause()
        replayed.set((given, run.replay(target)))

    with solara.Row(gap="8px", style={"flex-wrap": "wrap", "align-items": "center"},
                    classes=["scrub-row"]):
        with solara.Div(classes=["back-input"]):
            solara.InputText("go back to week (replays the same seed)", value=str(frame.week),
                             on_value=go_back, continuous_update=False,
                             disabled=playback.playing or frame.week == 0)
        if on_branch is not None:
            solara.Button(f"What if, from week {frame.week}... (opens Compare)",
                          icon_name="mdi-source-branch", outlined=True,
                          disabled=playback.playing or frame.week == 0 or frame.finished,
                          on_click=lambda: on_branch(run, frame.week), classes=["branch-button"])
    with solara.Div(classes=["input-error-slot"], attributes={"role": "alert"}):
        if back_error.value:
            solara.Error(f"Not applied: {back_error.value}", classes=["input-error"])
    Prose("### Download this run")
    DataExport(frame, stem=stem, settings=run.settings)


def status_line(playing: bool, frame: Frame, stopped: str) -> str:
    """What the run's status region says: it changes when playback starts, pauses or ends,
    and stays the same while the run plays on, so a screen reader announces those moments and
    not every frame. A pause at an event is announced by the controls' own line, which is a
    live region too (`stopped`: this one then stays quiet rather than say it twice)."""
    if frame.finished:
        return (f"The run has ended after {frame.weeks} weeks. The outcome table and your "
                "predictions beside the result are below.")
    if playing:
        return "Playing."
    if stopped:
        return ""
    return f"Paused at week {frame.week}." if frame.week else ""


@solara.component
def RunStatus(line: str):
    """A polite live region, heard by screen readers and not shown (the controls show the
    same: the week, the paused-at line, the finished mark)."""
    solara.HTML(tag="div", unsafe_innerHTML=html.escape(line), style=SCREEN_READER_ONLY,
                classes=["run-status"], attributes={"role": "status", "aria-live": "polite"})


@solara.component
def ScenarioNotes(settings: Settings, started: bool):
    """The scenario's things to notice and to try, beside the running model.

    Before the run starts they are folded away (they would answer the prediction questions);
    one click shows them, and they unfold by themselves once the run is under way.
    """
    base = solara.use_memo(settings.base, dependencies=[settings.preset, settings.file])
    asked, set_asked = solara.use_state(False)
    if not (started or asked):
        with solara.Card("Things to notice and to try", margin=0, classes=["scenario-notes"]):
            solara.Text("Folded away until the run starts, so that they do not answer the "
                        "predictions.", classes=["caption"])
            solara.Button("Show them now", small=True, outlined=True,
                          on_click=lambda: set_asked(True))
        return
    parts = []
    if base.notice:
        parts.append("**Things to notice**\n\n" + notices_markdown(base.notice))
    if base.try_:
        parts.append("**Things to try**\n\n" + "\n".join(f"- {t}" for t in base.try_))
    with solara.Card("Things to notice and to try", margin=0, classes=["scenario-notes"]):
        Prose("\n\n".join(parts) or "*This scenario lists nothing to notice.*")


LIVE = (("phases", "phases"), ("wellbeing", "wellbeing"), ("bond", "trauma-bond-commitment"),
        ("harm", "harm-taken-perceived"), ("inner", "illusion-rescue-empathy"),
        ("supply", "supply"))


@solara.component
def Charts(frame: Frame, cast: Cast, large: bool, stem: str, narrow: bool = False):
    """The live charts, two to a row (one to a row in projector mode, each drawn as wide as
    it is shown, so its type reads at 18 px or more from the back of the room)."""
    chart = ChartStyle(large=large and not narrow, narrow=narrow)
    with solara.ColumnsResponsive(12, large=12 if large else 6, xlarge=12 if large else 6,
                                  classes=["charts"]):
        for kind, name in LIVE:
            LiveChart(kind, frame, cast, caption=CAPTIONS[kind], filename=f"{stem}-{name}.png",
                      chart=chart)
