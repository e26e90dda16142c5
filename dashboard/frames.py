"""A running model behind a lock, and immutable frames of it for the page to draw.

Playback steps the model in a background thread while the page may redraw for other reasons
(a slider moved, the window resized). The page therefore never reads the live model: each
step produces a `Frame`, a snapshot whose tables nobody changes afterwards.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pandas as pd

from model.events import Event
from model.model import RelationshipModel

from .settings import Settings

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
    """A model built from settings, stepped under a lock, and read only through frames.

    The model's timeline has no column for a partner's rescue hope (the partner's belief that
    love will heal the agent, which fades with each cycle), so the run reads it from each partner
    after every week and adds it to the frame's timeline as `rescue_hope`.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.model = RelationshipModel(scenario=settings.scenario(), rng=settings.seed)
        self.lock = threading.Lock()
        self._rescue: list[float] = []
        self._record_rescue()

    def _record_rescue(self) -> None:
        self._rescue.extend(float(getattr(p, "rescue", float("nan")))
                            for p in self.model.partners)

    def _advance(self) -> None:
        self.model.step()
        self._record_rescue()

    def step(self, weeks: int = 1) -> Frame:
        """Advance up to `weeks` weeks (never past the end) and return the new frame."""
        return self.step_until(weeks)[0]

    def step_until(self, weeks: int, kinds: tuple[str, ...] = ()) -> tuple[Frame, Event | None]:
        """Advance up to `weeks` weeks, stopping after a week in which an event of `kinds`
        happened; return the frame and that event (None if none happened)."""
        with self.lock:
            for _ in range(weeks):
                if not self.model.running:
                    break
                seen = len(self.model.events)
                self._advance()
                hit = next((e for e in self.model.events[seen:] if e.kind in kinds), None)
                if hit is not None:
                    return self._frame(), hit
            return self._frame(), None

    def replay(self, week: int) -> Run:
        """A new run of the same settings, stepped to `week` (the model is deterministic for
        a seed, so it has exactly this run's history up to that week)."""
        copy = Run(self.settings)
        copy.step(week)
        return copy

    def frame(self) -> Frame:
        with self.lock:
            return self._frame()

    def _frame(self) -> Frame:
        m = self.model
        timeline = m.timeline()
        timeline["rescue_hope"] = (self._rescue if len(self._rescue) == len(timeline)
                                   else float("nan"))
        return Frame(week=int(m.steps), weeks=int(m.world["weeks"]), running=bool(m.running),
                     timeline=timeline, supply=m.supply_timeline(), events=tuple(m.events),
                     outcomes=None if m.running else m.outcomes(),
                     names=tuple(p.name for p in m.partners))

