"""Branching a run: the same history up to week k, then one setting changed from there on.

The model has no way to change a setting in the middle of a run, so this is built on its
public behaviour: a run is deterministic for a seed, so replaying the same settings to week k
gives exactly the history the page showed; the setting is then written into the agents (or
the world table) that read it each week, and the run continues. Settings that shape the
population or the run's length cannot change mid-run and are refused with a message.
"""

from __future__ import annotations

from typing import Any

from model.parameters import ParameterError
from model.scenario import declaration_for

from .frames import Frame, Run
from .settings import Settings

STRUCTURAL = {"weeks", "narcissists", "generated_partners", "partner_variation", "attached"}
"""Settings read only when a run is built: changing them from week k would change nothing."""


def apply_from_now(run: Run, path: str, value: Any) -> None:
    """Change one setting of a running model, checked by its declaration."""
    param = declaration_for(path)
    value = param.check(value, path)
    parts = path.split(".")
    name = parts[-1]
    if name in STRUCTURAL or param.kind == "text":
        raise ParameterError(f"{path} cannot change in the middle of a run (it is read only "
                             "when a run is built); compare from week 0 instead")
    model = run.model
    if parts[0] == "world":
        model.world[name] = value
        return
    agents = model.narcissists if parts[0].startswith("narcissist") else model.partners
    if len(parts) == 3 and parts[1] != "*":
        agents = [agents[int(parts[1])]]
    with run.lock:
        for agent in agents:
            if not hasattr(agent, name):
                raise ParameterError(f"{path} cannot change in the middle of a run")
            setattr(agent, name, value)
        model.traits_changed()


def branch_pair(settings: Settings, path: str, a: Any, b: Any, week: int) -> tuple[Frame, Frame]:
    """Two runs sharing the history to `week`; from then on `path` is `a` in one, `b` in the
    other. Both run to their last week."""
    frames = []
    for value in (a, b):
        run = Run(settings)
        run.step(week)
        apply_from_now(run, path, value)
        frames.append(run.step(run.model.world["weeks"]))
    return frames[0], frames[1]
