"""The partners seen all at once, as numpy arrays: whom a narcissist can court this week, and
how strongly he is drawn to each [14].

Courtship is the one step of a week that looks at every partner, once for each narcissist
looking for someone new. Doing it partner by partner made a town's cost grow with narcissists
times people; here it is a few array operations on the same pure equations of `dynamics`, with
the same single draw and the same running subtraction, so the chosen partner is the one the
loop chose.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from . import dynamics as d

if TYPE_CHECKING:
    from .agents import Narcissist, Partner


class Crowd:
    """Array copies of what courtship reads from partners.

    Traits never change; the states it reads (self-esteem, life outside, whether she is free
    and with whom) change only for partners some narcissist has courted, so `refresh` copies
    those partners' states once a week, before the first courtship.
    """

    def __init__(self, partners: list[Partner]) -> None:
        def column(name: str) -> np.ndarray:
            return np.array([getattr(p, name) for p in partners], dtype=np.float64)

        self.vulnerability, self.boundary = column("vulnerability"), column("boundary")
        self.looks, self.intellect = column("looks"), column("intellect")
        self.self_esteem, self.outside = column("self_esteem_now"), column("outside_now")
        self.free = np.ones(len(partners), dtype=bool)
        self.courted_by = np.full(len(partners), -1, dtype=np.int64)
        self.partners = partners
        self.fresh_week = -1

    def refresh(self, approached: list[Partner], week: int) -> None:
        """Copy the courted partners' states, once a week."""
        if week == self.fresh_week or not approached:
            return
        self.fresh_week = week
        rows = np.array([p.index for p in approached], dtype=np.intp)
        self.self_esteem[rows] = [p.self_esteem_now for p in approached]
        self.outside[rows] = [p.outside_now for p in approached]
        self.free[rows] = [p.is_free() for p in approached]
        self.courted_by[rows] = [p.relationship.narcissist.index for p in approached]

    def taken(self, partner: Partner, narcissist: Narcissist) -> None:
        """A courtship succeeded: she is no longer free this week."""
        self.free[partner.index] = False
        self.courted_by[partner.index] = narcissist.index

    def pick(self, narcissist: Narcissist) -> Partner | None:
        """Choose whom he approaches, weighted by how vulnerable and outshone she is [14].

        Candidates are the free partners he is not already with, in index order; one draw
        lands in the weights' running total exactly as the partner-by-partner loop did.
        """
        rows = np.flatnonzero(self.free & (self.courted_by != narcissist.index))
        if len(rows) == 0:
            return None
        value = d.domain_value(narcissist.subtype, self.looks[rows], self.intellect[rows])
        weights = d.target_appeal(self.vulnerability[rows], self.self_esteem[rows],
                                  self.boundary[rows], value, self.outside[rows])
        total = math.fsum(weights.tolist())
        if total <= 0.0:
            return None
        pick = narcissist.model.rng.random() * total
        left = np.subtract.accumulate(np.concatenate(([pick], weights)))[1:]
        hit = np.flatnonzero(left <= 0.0)
        return self.partners[rows[hit[0]] if len(hit) else rows[-1]]
