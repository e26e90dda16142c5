"""Playback of a run: play, pause, step one week, run to the end, and pause at an event.

`use_playback` is the hook the Explore page uses; it keeps the state the controls show and
runs `play` in a background thread while playing. `play` steps the run as many weeks as the
chosen speed owes (see `Pacer`), publishes a frame, and sleeps until the next is due; the
redraw happens in that same thread, so a slow machine draws fewer frames but keeps the speed
in weeks per second. The clock and the sleep are parameters, so that a test can drive playback
with a clock of its own instead of waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import solara
import solara.lab

from model.events import Event, EventKind

from .frames import Frame, Run
from .phase_chart import MARKERS, SYMBOLS

SPEEDS = [1, 2, 5, 10, 20, 52, 104]
"""Weeks per second on offer (52 is a year a second)."""
DEFAULT_SPEED = 2
"""Slow enough to point at a chart and speak while it runs (a year takes 26 seconds)."""
MAX_FRAME_RATE = 12.0
"""Frames per second at most: a faster redraw shows nothing new and only costs CPU."""

PAUSE_KINDS = {
    "nothing (play on)": (),
    "a devaluation starts": (EventKind.DEVALUATION,),
    "a partner leaves": (EventKind.LEFT,),
    "the agent discards someone": (EventKind.DISCARDED,),
    "someone goes back": (EventKind.RETURNED,),
    "any of these": (EventKind.DEVALUATION, EventKind.LEFT, EventKind.DISCARDED,
                     EventKind.RETURNED),
}
"""What playback can stop at: the moments a lesson talks about, by event kind."""
NO_PAUSE = next(iter(PAUSE_KINDS))

Clock = Callable[[], float]
Sleep = Callable[[float], None]


class Pacer:
    """Turns a speed in weeks per second into whole weeks per frame, whatever a frame costs.

    A slow frame (a busy machine, a large population) is made up for by stepping more weeks
    in the next one, so the run keeps its pace and the charts simply update less often.
    """

    def __init__(self, weeks_per_second: float, clock: Clock = time.perf_counter) -> None:
        self.speed = float(weeks_per_second)
        self.clock = clock
        self.last = clock()
        self.owed = 0.0

    def due(self) -> int:
        """Whole weeks owed since the last call (the fraction carries over)."""
        now = self.clock()
        self.owed += (now - self.last) * self.speed
        self.last = now
        weeks = int(self.owed)
        self.owed -= weeks
        return weeks

    def wait(self, busy: float) -> float:
        """Seconds to sleep after a frame that took `busy` seconds, before the next is due.

        The next frame comes when at least one more week is owed, and never sooner than the
        frame rate allows; a frame that took longer than that is followed at once.
        """
        until_next_week = (1.0 - self.owed) / self.speed if self.speed > 0 else 0.1
        return max(0.0, 1.0 / MAX_FRAME_RATE - busy, until_next_week - busy)


def play(run: Run, playing: Callable[[], bool], speed: Callable[[], float],
         pause_kinds: Callable[[], tuple[str, ...]], publish: Callable[[Frame], None],
         on_event: Callable[[Event], None], clock: Clock = time.perf_counter,
         sleep: Sleep = time.sleep) -> None:
    """Step `run` at `speed()` weeks per second for as long as `playing()` says so.

    Each frame is handed to `publish`; a week with an event of `pause_kinds()` ends the frame
    there and is handed to `on_event` (which is expected to stop playing). The speed and the
    kinds are read every frame, so a change made during playback applies at once. Playback
    ends by itself with the run's last week.
    """
    pacer = Pacer(speed(), clock)
    while playing():
        started = clock()
        pacer.speed = speed()
        weeks = pacer.due()
        if weeks:
            frame, hit = run.step_until(weeks, pause_kinds())
            publish(frame)
            if hit is not None:
                on_event(hit)
            if frame.finished:
                return
        sleep(pacer.wait(clock() - started))


@dataclass(frozen=True)
class Playback:
    """What the playback controls show of a run, and what they can do to it."""

    frame: Frame
    playing: bool
    speed: int
    pause_at: str
    stopped: str
    """Why playback last stopped by itself (an event), in words; empty otherwise."""
    toggle: Callable[..., None]
    step: Callable[..., None]
    run_to_end: Callable[[], None]
    pause: Callable[[], None]
    set_speed: Callable[[int], None]
    set_pause_at: Callable[[str], None]


def use_playback(run: Run, first: Frame, clock: Clock = time.perf_counter,
                 sleep: Sleep = time.sleep) -> Playback:
    """Playback of `run` from its frame `first`; a new run starts paused at its own first frame.

    `clock` and `sleep` pace the background thread (see `play`).
    """
    latest = solara.use_reactive(None)
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(DEFAULT_SPEED)
    pause_at = solara.use_reactive(NO_PAUSE)
    stopped = solara.use_reactive("")
    frame: Frame = latest.value[1] if latest.value and latest.value[0] is run else first

    def stop_on_new_run():
        playing.set(False)
        stopped.set("")

    solara.use_effect(stop_on_new_run, [run])

    def publish(new: Frame) -> None:
        latest.set((run, new))
        if new.finished:
            playing.set(False)

    def stop_at(event: Event) -> None:
        playing.set(False)
        stopped.set(paused_line(event))

    def play_loop():
        play(run, lambda: playing.value and task.is_current(), lambda: speed.value,
             lambda: PAUSE_KINDS[pause_at.value], publish, stop_at, clock, sleep)

    task = solara.lab.use_task(play_loop, dependencies=[playing.value, run],
                               prefer_threaded=True)

    def toggle(*_):
        if frame.finished:
            return
        if not playing.value:
            stopped.set("")
        playing.set(not playing.value)

    def step(*_):
        if not playing.value and not frame.finished:
            stopped.set("")
            publish(run.step(1))

    def run_to_end():
        playing.set(False)
        stopped.set("")
        publish(run.step(frame.weeks))

    return Playback(frame=frame, playing=playing.value, speed=speed.value,
                    pause_at=pause_at.value, stopped=stopped.value, toggle=toggle, step=step,
                    run_to_end=run_to_end, pause=lambda: playing.set(False),
                    set_speed=speed.set, set_pause_at=pause_at.set)


def paused_line(event: Event) -> str:
    """What the bar says when playback stopped at an event: the kind in the lesson's words."""
    words = MARKERS[event.kind][1] if event.kind in MARKERS else event.kind
    return f"Paused at week {event.week} ({SYMBOLS.get(event.kind, '')} {words}): {event.text}"
