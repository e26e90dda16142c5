"""The partners seen all at once, as numpy arrays: whom a narcissist can court this week, and
how strongly he is drawn to each [14].

Courtship is the one step of a week that looks at every partner, once for each narcissist
looking for someone new. Doing it partner by partner made a town's cost grow with narcissists
times people; here it is a few array operations on the same pure equations of `dynamics`, with
the same single draw and the same running subtraction, so the chosen partner is the one the
loop chose.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from . import dynamics as d

if TYPE_CHECKING:
    from .agents import Narcissist, Partner


BLOCK = 128
"""Partners per block of the running total: a choice reads the block sums and one block, so
its cost grows with the square root of the town, not with the town."""


class Crowd:
    """Array copies of what courtship reads from partners.

    Traits change only when someone changes them in the middle of a run (the dashboard's
    branch does, and then calls `RelationshipModel.traits_changed`, which reads them again
    here); the states it reads (self-esteem, life outside, whether she is free
    and with whom) change only for partners some narcissist has courted. A refresh, once a
    week before the first courtship, used to copy every courted partner's states: in a large
    town, a pass over thousands of Python objects scattered in memory, every week. When
    courtship happens week after week (a town), the arrays are instead kept current as the
    states change (`synced`):

    * a partner apart writes her self-esteem and life outside into the arrays right after her
      week apart (`RelationshipModel.live_apart_week`, through `esteem_slots` and
      `outside_slots`), while her object is still in the cache;
    * a partner whose relationship had a week other than "ended, and still ended" is noted in
      `touched`, and only those are copied at the refresh;
    * a courtship is noted at once by `taken`.

    When a week passes without courtship (in a classroom, most weeks), the partners apart do
    not write, and the next refresh copies every courted partner, as before: writing every
    week would cost more than the rare copy.
    """

    def __init__(self, partners: list[Partner]) -> None:
        self.partners = partners
        self.weights: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        """Per subtype of narcissist: every partner's weight, and its sums by block."""
        self.read_traits()
        self.self_esteem, self.outside = self.column("self_esteem_now"), self.column("outside_now")
        self.esteem_slots: Any = memoryview(self.self_esteem)  # typeshed: items are ints;
        self.outside_slots: Any = memoryview(self.outside)    # these views hold doubles
        """Writable views of the two arrays: storing one float costs a third of numpy's
        item assignment."""
        self.free = np.ones(len(partners), dtype=bool)
        self.courted_by = np.full(len(partners), -1, dtype=np.int64)
        self.fresh_week = -1
        self.synced = True
        """Whether the partners apart wrote their states at the end of last week, so that a
        refresh need copy only the partners in `stale`."""
        self.stale: set[Partner] = set()
        """Partners whose relationship moved since the last refresh (kept while `synced`)."""
        self.ever: list[int] = []
        """Every partner ever courted (their states may have changed since week 0); every
        partner after `wake_all`."""
        self.his: dict[int, set[int]] = {}
        """Per narcissist, the partners he was the last to court (courted_by, as sets): when
        that is everyone, he has no one to court, and the week's copies and arrays can be
        skipped."""
        self.starts = np.arange(0, len(partners), BLOCK)

    def __getstate__(self) -> dict[str, Any]:
        """Everything but the two views, which cannot be pickled or deep-copied (a model is
        copied mid-run to branch it); `__setstate__` makes them again over the copied arrays."""
        state = dict(self.__dict__)
        del state["esteem_slots"], state["outside_slots"]
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.esteem_slots = memoryview(self.self_esteem)
        self.outside_slots = memoryview(self.outside)

    def column(self, name: str) -> np.ndarray:
        return np.array([getattr(p, name) for p in self.partners], dtype=np.float64)

    def read_traits(self) -> None:
        """Copy the traits courtship weighs; weights made from earlier copies are dropped, to
        be made again at the next courtship."""
        self.vulnerability, self.boundary = self.column("vulnerability"), self.column("boundary")
        self.looks, self.intellect = self.column("looks"), self.column("intellect")
        self.weights = {}

    def wake_all(self) -> None:
        """Every partner's states may change from now on, courted or not (a trait changed in
        the middle of a run: `RelationshipModel.traits_changed`): copy and weigh them all."""
        self.ever = list(range(len(self.partners)))
        self.synced = False  # the next refresh copies every partner in `ever`

    def touched(self, partners: list[Partner]) -> None:
        """These partners' relationship weeks may have changed what courtship reads (phase,
        self-esteem, life outside): copy them at the next refresh."""
        self.stale.update(partners)

    def refresh(self, week: int) -> None:
        """Once a week, before the first courtship: copy the states of the partners that are
        not current (see the class), and reweigh every courted partner."""
        if week == self.fresh_week or not self.ever:
            return
        self.fresh_week = week
        copied = list(self.stale) if self.synced else [self.partners[i] for i in self.ever]
        self.stale.clear()
        if copied:
            rows = np.array([p.index for p in copied], dtype=np.intp)
            self.self_esteem[rows] = [p.self_esteem_now for p in copied]
            self.outside[rows] = [p.outside_now for p in copied]
            self.free[rows] = [p.is_free() for p in copied]
            self.courted_by[rows] = [-1 if p.relationship is None  # woken, never courted
                                     else p.relationship.narcissist.index for p in copied]
        self.reweigh(np.array(self.ever, dtype=np.intp))

    def taken(self, partner: Partner, narcissist: Narcissist) -> None:
        """A courtship succeeded: she is no longer free this week."""
        before = int(self.courted_by[partner.index])
        if before >= 0:
            self.his[before].discard(partner.index)
        self.his.setdefault(narcissist.index, set()).add(partner.index)
        self.free[partner.index] = False
        if before < 0 and len(self.ever) < len(self.partners):  # not yet in it (`wake_all`)
            self.ever.append(partner.index)
        row = np.array([partner.index])
        for weights, sums in self.weights.values():
            weights[row] = 0.0
            self.resum(sums, weights, row)
        self.courted_by[partner.index] = narcissist.index

    def appeal(self, subtype: str) -> tuple[np.ndarray, np.ndarray]:
        """Every partner's weight for a man of `subtype` (0 for a partner who is not free), and
        the weights' sums by block, kept up to date as courtship changes who is free."""
        if subtype not in self.weights:
            value = d.domain_value(subtype, self.looks, self.intellect)
            weights = d.target_appeal(self.vulnerability, self.self_esteem, self.boundary,
                                      value, self.outside)
            weights = np.where(self.free, weights, 0.0)
            self.weights[subtype] = (weights, np.add.reduceat(weights, self.starts))
        return self.weights[subtype]

    def reweigh(self, rows: np.ndarray) -> None:
        """Recompute the weights of `rows` (their states were just copied) for every subtype."""
        for subtype, (weights, sums) in self.weights.items():
            value = d.domain_value(subtype, self.looks[rows], self.intellect[rows])
            fresh = d.target_appeal(self.vulnerability[rows], self.self_esteem[rows],
                                    self.boundary[rows], value, self.outside[rows])
            weights[rows] = np.where(self.free[rows], fresh, 0.0)
            sums[:] = np.add.reduceat(weights, self.starts)

    def resum(self, sums: np.ndarray, weights: np.ndarray, rows: np.ndarray) -> None:
        for block in np.unique(rows // BLOCK):
            sums[block] = weights[block * BLOCK:(block + 1) * BLOCK].sum()

    def pick(self, narcissist: Narcissist, week: int) -> Partner | None:
        """Choose whom he approaches, weighted by how vulnerable and outshone she is [14].

        One draw lands in the running total of the candidates' weights (the free partners he is
        not already with, in index order). The total is kept by blocks of `BLOCK` partners, so
        finding where the draw lands reads the block sums and one block, not the whole town:
        the chances are the partner-by-partner loop's; only the last bits of the running total
        are rounded differently, which could change a choice only for a draw within a
        rounding error of a boundary between two partners (about one in 10^12).
        """
        if len(self.his.get(narcissist.index, ())) == len(self.partners):
            return None  # every partner was last courted by him: no candidate, no draw
        self.refresh(week)
        weights, sums = self.appeal(narcissist.subtype)
        his = np.fromiter(self.his.get(narcissist.index, ()), dtype=np.intp)
        kept = weights[his].copy()
        weights[his] = 0.0  # not candidates for him: set aside while he chooses
        self.resum(sums, weights, his)
        try:
            return self.land(narcissist, weights, sums)
        finally:
            weights[his] = kept
            self.resum(sums, weights, his)

    def land(self, narcissist: Narcissist, weights: np.ndarray,
             sums: np.ndarray) -> Partner | None:
        total = float(sums.sum())
        if total <= 0.0:
            return None
        pick = narcissist.model.random.random() * total
        running = np.cumsum(sums)
        block = int(np.searchsorted(running, pick, side="left"))
        if block < len(sums):
            left = pick - (float(running[block - 1]) if block else 0.0)
            segment = weights[block * BLOCK:(block + 2) * BLOCK]  # a block, and rounding's spill
            hit = np.flatnonzero((left - np.cumsum(segment) <= 0.0) & (segment > 0.0))
            if len(hit):
                return self.partners[block * BLOCK + int(hit[0])]
        rows = np.flatnonzero(self.free & (self.courted_by != narcissist.index))
        return self.partners[int(rows[-1])]  # the draw ran past the total by rounding
