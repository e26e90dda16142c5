"""A running model behind a lock, and immutable frames of it for the page to draw.

Playback steps the model in a background thread while the page may redraw for other reasons
(a slider moved, the window resized). The page therefore never reads the live model: each
step produces a `Frame`, a snapshot whose tables nobody changes afterwards.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import pandas as pd

from model.model import Event, RelationshipModel

from .settings import Settings

MAX_FRAME_RATE = 12.0
"""Frames per second at most: a faster redraw shows nothing new and only costs CPU."""


@dataclass(frozen=True, eq=False)
class Frame:
    """What the page shows of a run at one week (compared by identity: one frame, one week)."""

    week: int
    weeks: int
    running: bool
    timeline: pd.DataFrame
    supply: pd.DataFrame
    events: tuple[Event, ...]
    outcomes: pd.DataFrame | None
    names: tuple[str, ...]

    @property
    def finished(self) -> bool:
        return not self.running


class Run:
    """A model built from settings, stepped under a lock, and read only through frames."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.model = RelationshipModel(scenario=settings.scenario(), rng=settings.seed)
        self.lock = threading.Lock()

    def step(self, weeks: int = 1) -> Frame:
        """Advance up to `weeks` weeks (never past the end) and return the new frame."""
        with self.lock:
            for _ in range(weeks):
                if not self.model.running:
                    break
                self.model.step()
            return self._frame()

    def frame(self) -> Frame:
        with self.lock:
            return self._frame()

    def _frame(self) -> Frame:
        m = self.model
        return Frame(week=int(m.steps), weeks=int(m.world["weeks"]), running=bool(m.running),
                     timeline=m.timeline(), supply=m.supply_timeline(), events=tuple(m.events),
                     outcomes=None if m.running else m.outcomes(),
                     names=tuple(p.name for p in m.partners))


class Pacer:
    """Turns a speed in weeks per second into whole weeks per frame, whatever a frame costs.

    A slow frame (a busy machine, a large population) is made up for by stepping more weeks
    in the next one, so the run keeps its pace and the charts simply update less often.
    """

    def __init__(self, weeks_per_second: float, clock=time.perf_counter) -> None:
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
