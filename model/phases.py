"""The phases a relationship passes through and the recovery stages after it ends.

The allowed transitions live in one table so that the model, its tests and its documentation
agree on them; `Relationship.move_to` refuses any other move.
"""

from __future__ import annotations

from enum import Enum


class Phase(Enum):
    """Where a relationship stands, as the narcissist drives it."""

    IDEALIZE = "idealize"
    DEVALUE = "devalue"
    DISCARD = "discard"
    HOOVER = "hoover"
    ENDED = "ended"

    # Members are singletons compared by identity, so identity hashing is exact; Enum's own
    # __hash__ runs Python code on every `phase in ACTIVE`, several times per person-week.
    # No output iterates a set of phases unsorted, so the order it gives never shows.
    __hash__ = object.__hash__


ACTIVE = frozenset({Phase.IDEALIZE, Phase.DEVALUE})
"""Phases in which the partner is with him and gives supply."""

TRANSITIONS: dict[Phase, frozenset[Phase]] = {
    Phase.IDEALIZE: frozenset({Phase.DEVALUE, Phase.ENDED}),
    Phase.DEVALUE: frozenset({Phase.DISCARD, Phase.ENDED}),
    Phase.DISCARD: frozenset({Phase.ENDED}),
    Phase.ENDED: frozenset({Phase.HOOVER}),
    Phase.HOOVER: frozenset({Phase.IDEALIZE, Phase.ENDED}),
}


class Recovery(Enum):
    """The partner's grief after a relationship ends (the essay's stages of moving on)."""

    NONE = ""
    SHOCK = "shock"
    ANGER = "anger"
    ACCEPTANCE = "acceptance"
    MOURNING = "mourning"
    STUCK = "stuck"
    HEALED = "healed"

    __hash__ = object.__hash__  # as for Phase


GRIEF_STAGES: tuple[tuple[float, Recovery], ...] = (
    (0.10, Recovery.SHOCK),
    (0.30, Recovery.ANGER),
    (0.50, Recovery.ACCEPTANCE),
    (1.00, Recovery.MOURNING),
)
"""Upper bounds of grief progress for each stage; at 1.0 the partner has healed."""

STUCK_AFTER_WEEKS = 104
"""Weeks in one stage after which a partner counts as stuck in grief."""


def stage_for(progress: float) -> Recovery:
    """Map grief progress in [0, 1] to its stage."""
    for upper, stage in GRIEF_STAGES:
        if progress < upper:
            return stage
    return Recovery.HEALED
