"""RelationshipModel: narcissists, partners and the relationships between them, week by week."""

from __future__ import annotations

import bisect
import hashlib
import os
import secrets
import stat
import threading
from operator import attrgetter
from pathlib import Path
from typing import Any

import mesa
import pandas as pd

from . import dynamics as d
from .agents import COUNTERS, Narcissist, Partner
from .crowd import Crowd
from .errors import MAX_FILE_BYTES, MAX_SEED, check_rng, check_whole
from .events import Event, EventKind, events_table
from .outcomes import outcome_table
from .parameters import GROUPS, ParameterError
from .phases import ACTIVE, Phase
from .pronouns import of
from .recording import (SUPPLY_COLUMNS, TIMELINE_COLUMNS, Recording, WeeklySummary,
                        check_record, partner_week)
from .relationship import Relationship
from .scenario import (NARCISSIST_NAMES, PARTNER_NAMES, PRESET_DIR, Scenario, apply_overrides,
                       check_budget, load, nth_name, presets, resolve_group)

FRIENDLY_CONTACT = 0.3
"""Weekly chance that a partner who did not cut contact hears from her ex anyway."""

__all__ = ["SUPPLY_COLUMNS", "TIMELINE_COLUMNS", "RelationshipModel"]


class RelationshipModel(mesa.Model):
    """The idealize-devalue-discard cycle between narcissists and partners, one step a week.

    Args:
        scenario: a preset name from `scenarios/`, a path to a TOML file, or a `Scenario`.
        rng: the seed (or numpy generator) of the run. Every random draw of the run comes
            from Mesa's `model.random`, which Mesa seeds from it: a whole number (0 to
            2**63 - 1, what a scenario file's `seed` holds) seeds it directly, a numpy
            generator by one draw. (Mesa's numpy `model.rng` is not used: a single number
            from it costs seven times as much.) None draws a seed from the operating
            system's entropy and seeds the run with it as if it had been given, so that every
            run has a seed to report and to repeat.
        record: which weeks the run keeps for `timeline()` and `supply_timeline()`:
            "weekly" (every week), a whole number k (every k-th week, plus week 0 and the
            last week of each `run`), or "outcomes" (no weeks: those two tables come back
            empty, with their columns; `outcomes()` and `events` are unaffected). Recording
            never changes a result.
        **overrides: dotted-path parameter overrides such as `partners.0.boundary=0.8`.

    `seed` is the whole number the run was seeded with (drawn, when `rng` is None), and
    `RelationshipModel(scenario, rng=model.seed, **overrides)` repeats the run exactly; for a
    numpy generator, which has no such number, it is that generator. `spec` is the scenario
    with the overrides applied and, for a whole-number seed, that seed as its own, so that
    `spec.to_toml()` saves a file that repeats the run without naming the seed again.

    A model can be copied at any week (`copy.deepcopy`, `pickle`) to branch a run: the copy
    holds its own partners, recording and random state, and goes on exactly as the original
    would. `spec` is read-only (see `Scenario`), so copies share it.
    """

    __slots__ = ("spec", "seed", "world", "events", "in_play", "narcissists",
                 "partners", "approached", "all_awake", "crowd", "recording", "datacollector")

    def __init__(self, scenario: str | Path | Scenario = "classroom", rng: Any = None,
                 record: str | int = "weekly", **overrides: Any) -> None:
        rng = check_rng(rng)  # numpy's own errors for rng="abc" or -1 name no input
        if rng is None:  # a seed of our own, not Mesa's unrecorded entropy
            rng = secrets.randbits(MAX_SEED.bit_length())
        elif isinstance(rng, int):  # a seed a scenario file can hold (a signed 64-bit integer)
            rng = check_whole(rng, "rng", 0, MAX_SEED)
        every = check_record(record)
        super().__init__(rng=rng)
        seed = rng if isinstance(rng, int) else None
        if isinstance(scenario, Scenario):
            self.spec = apply_overrides(scenario, overrides, seed=seed)
        else:
            self.spec = _load(scenario, overrides, seed)
        self.seed = rng
        self.world = resolve_group(self.spec.world, "world")
        self.events: list[Event] = []
        self.in_play: list[Relationship] = []
        """The relationships that may still act, in no particular order (see `acting`)."""
        self.narcissists = [Narcissist(self, i, traits)
                            for i, traits in enumerate(self._narcissist_traits())]
        self.partners = [Partner(self, i, traits)
                         for i, traits in enumerate(self._partner_traits())]
        if not self.partners:
            raise ParameterError(f"{self.spec.source}: the scenario has no partners; list "
                                 "[[partners]] or set world.generated_partners to 1 or more")
        self.approached: list[Partner] = []
        """Partners some narcissist has ever courted, in index order. The others rest at the
        fixed point of `Partner.live_apart` (nothing has changed them since week 0), so a week
        skips them: their states, and every draw of the week, are what they would be. Once a
        trait changes in the middle of a run, every partner is in it (`traits_changed`)."""
        self.all_awake = False
        """Whether every partner lives her weeks apart, courted or not (`traits_changed`)."""
        self.crowd = Crowd(self.partners)
        self.recording = Recording(every, self.partners, self.narcissists, self.approached)
        self.datacollector = WeeklySummary(self.recording)
        self._attach_initial_partners()
        self.recording.add(self.steps)

    # --- building the population ----------------------------------------------------------------
    def _narcissist_traits(self) -> list[dict[str, Any]]:
        base = resolve_group(self.spec.narcissist, "narcissist")
        count = self.world["narcissists"]
        result = []
        for i in range(count):
            own = self.spec.narcissists[i] if i < len(self.spec.narcissists) else {}
            traits = {**base, **own}
            if "name" not in own and "name" not in self.spec.narcissist:
                traits["name"] = nth_name(NARCISSIST_NAMES, i)
            result.append(traits)
        return result

    def _partner_traits(self) -> list[dict[str, Any]]:
        base = resolve_group(self.spec.partner, "partner")
        listed = [{**base, **own} for own in self.spec.partners]
        for i, traits in enumerate(listed):
            if "name" not in self.spec.partners[i]:
                traits["name"] = nth_name(PARTNER_NAMES, i)
        generated = [self._generated_partner(base, len(listed) + i)
                     for i in range(self.world["generated_partners"])]
        return listed + generated

    def _generated_partner(self, base: dict[str, Any], index: int) -> dict[str, Any]:
        """Draw a partner's traits around the shared partner table, from the model's seed."""
        spread = self.world["partner_variation"]
        traits = dict(base, name=nth_name(PARTNER_NAMES, index), attached=False)
        for name, param in GROUPS["partner"].items():
            if param.kind == "float":
                noise = spread * self.random.gauss(0.0, 1.0)
                traits[name] = min(param.high, max(param.low, base[name] + noise))
        return traits

    def _attach_initial_partners(self) -> None:
        for partner in self.partners:
            if not partner.attached:
                continue
            narcissist = next((n for n in self.narcissists if n.has_room()), None)
            if narcissist is None:
                raise ParameterError(
                    f"partners.{partner.index}.attached = true is not possible: every "
                    "narcissist already has max_sources partners; raise narcissist.max_sources "
                    "or attach fewer partners")
            self.begin(narcissist, partner)

    # --- the week -------------------------------------------------------------------------------
    def step(self) -> None:
        """One week: his supply and life, every relationship, new courtships, life apart."""
        for narcissist in self.narcissists:
            narcissist.start_week()
        order = self.acting()
        self.wound_and_rage([r for r in order if r.phase in ACTIVE])
        for relationship in order:
            relationship.week()
        if self.crowd.synced:
            # a relationship ended and still ended (weeks_in_phase is 0 only after a move
            # this week) changed nothing courtship reads
            ended = Phase.ENDED
            self.crowd.touched([r.partner for r in order
                                if r.phase is not ended or not r.weeks_in_phase])
        self.recruit()
        kept = self.recording.keeps(self.steps, self.world["weeks"])
        rows = self.live_apart_week(kept)
        if self.steps >= self.world["weeks"]:
            self.running = False  # type: ignore[misc]  # Mesa's own, in its __dict__
        if kept:
            self.recording.add(self.steps, rows)

    def run(self, weeks: int | None = None) -> RelationshipModel:
        """Run `weeks` more weeks, or to the scenario's horizon when `weeks` is None.

        `weeks` is checked: a negative or fractional count would otherwise run nothing
        silently, and a huge one would outgrow the memory budget (see `check_budget`).
        """
        if weeks is not None:
            weeks = check_whole(weeks, "run(weeks)", 0)
            check_budget(len(self.partners) + len(self.narcissists), self.steps + weeks,
                         f"run({weeks}) after week {self.steps}")
        if weeks is None:
            while self.running:
                self.step()
        else:
            for _ in range(weeks):
                self.step()
        self.recording.close(self.steps)
        return self

    def traits_changed(self) -> None:
        """Call after changing agents' traits in the middle of a run (as the dashboard's branch
        does). Courtship weighs partners from copies of their traits (`Crowd`), read again
        here. A partner nobody has courted rests at a fixed point of her week apart only while
        her traits are those she started with, so from now on every partner lives her weeks
        apart, courted or not, as the model did before it skipped them; every other step reads
        the agents themselves."""
        self.crowd.read_traits()
        if not self.all_awake:
            self.all_awake = True
            self.approached[:] = self.partners  # in place: the recording reads this list
            self.crowd.wake_all()

    def live_apart_week(self, kept: bool) -> list[bytes] | None:
        """Every courted partner who is not with him lives a week apart, in index order.

        This is the week's last touch of each courted partner, so what else reads her end of
        the week reads it here, while her object is in the cache (in a large town, a second
        pass over thousands of scattered objects costs a cache miss for each): in a week with
        courtship, her new self-esteem and life outside go into the crowd's arrays (see
        `Crowd`), and, in a week the recording keeps (`kept`), her row for it is returned in
        the order `Recording.add` would read it.
        """
        crowd = self.crowd
        write = crowd.synced = crowd.fresh_week == self.steps
        esteem, outside = crowd.esteem_slots, crowd.outside_slots
        ended, random = Phase.ENDED, self.random.random
        rows: list[bytes] = []
        keep = rows.append if kept else None
        for partner in self.approached:
            rel = partner.relationship
            phase = None if rel is None else rel.phase  # None: never courted (`all_awake`)
            if phase not in ACTIVE:
                # after an ending, unless she keeps no contact, she may hear from her ex this
                # week [8, 12] (spelled out here: a method call per partner-week costs more)
                partner.live_apart(phase is ended and not partner.no_contact
                                   and random() < FRIENDLY_CONTACT)
                if write:
                    i = partner.index
                    esteem[i] = partner.self_esteem_now
                    outside[i] = partner.outside_now
            if keep:
                keep(partner_week(partner))
        return rows if kept else None

    def acting(self) -> list[Relationship]:
        """This week's relationships, in random order.

        A relationship whose partner has since been courted by someone else, or that he has
        given up on (it stays ended: only a hoover could reopen it, and he no longer tries),
        can never act again: it leaves `in_play` for good, so neither the weekly shuffle nor
        a large town's later weeks touch it (its objects, scattered over a large heap, would
        cost a cache miss each).
        """
        order = [r for r in self.in_play if not r.gave_up and r.partner.relationship is r]
        self.in_play = order
        if len(order) > 1:  # the call alone costs more than the check
            self.shuffle(order)
        return order[:]  # `begin` adds to in_play while the week still reads its order

    def shuffle(self, items: list) -> None:
        """Put `items` in random order, in place (Fisher-Yates, each place from one uniform).

        `random.shuffle` draws each place by rejection from raw bits, which costs twice as
        much; a place taken as int(u * (i + 1)) from a 53-bit uniform u is off from exactly
        uniform by less than (i + 1) / 2**53, far below anything a run could show."""
        uniform = self.random.random
        for i in range(len(items) - 1, 0, -1):
            j = int(uniform() * (i + 1))
            items[i], items[j] = items[j], items[i]

    def wound_and_rage(self, together: list[Relationship]) -> None:
        """Everything that wounds him this week comes first; then each narcissist decides on
        rage once, from the whole week, so a partner's place in the list changes nothing [5]."""
        if not together:
            return  # a man with no partner this week draws nothing
        his: dict[Narcissist, list[Relationship]] = {}
        for relationship in together:
            relationship.wound()
            his.setdefault(relationship.narcissist, []).append(relationship)
        for narcissist in self.narcissists:  # as above
            target = narcissist.rage_target(his[narcissist]) if narcissist in his else None
            if target is not None:
                target.raged = True

    def recruit(self) -> None:
        """Hungry narcissists with room court someone new, in random order [14]."""
        order = self.narcissists[:]
        if len(order) > 1:
            self.shuffle(order)
        for narcissist in order:
            if not narcissist.wants_new_source():
                continue
            target = self.crowd.pick(narcissist, self.steps)
            if target is not None and target.accepts(narcissist):
                self.begin(narcissist, target)

    def begin(self, narcissist: Narcissist, partner: Partner) -> None:
        """A new relationship starts with idealization [2]."""
        rel = Relationship(narcissist, partner)
        self.in_play.append(rel)
        self.crowd.taken(partner, narcissist)
        narcissist.sources.append(rel)
        partner.relationship = rel
        partner.commitment = d.COMMITMENT_START
        partner.end_reason, partner.end_step = "ongoing", None
        partner.stop_grieving()
        if partner.first_step is None:
            partner.first_step = self.steps
            partner.weeks_since_contact = max(0, self.steps - 1)  # the weeks skipped apart
            if not self.all_awake:
                bisect.insort(self.approached, partner, key=_index)
        self.narrate(EventKind.MET, (narcissist, partner),
                     f"{narcissist.name} meets {partner.name} ({partner.role}) and showers "
                     f"{of(partner).object} with attention: idealization begins.")

    def narrate(self, kind: EventKind, who: tuple, text: str, important: bool = True) -> None:
        """Add a plain-language line to the story of the run."""
        names = tuple([agent.name for agent in who])  # a list: no generator to start
        self.events.append(Event(self.steps, kind, names, text, important))

    # --- recording and reporting ----------------------------------------------------------------
    def timeline(self) -> pd.DataFrame:
        """One row per partner per recorded week (week 0 is the start)."""
        return self.recording.timeline()

    def supply_timeline(self) -> pd.DataFrame:
        """One row per narcissist per recorded week: supply, need, hunger, grandiosity gap,
        injury."""
        return self.recording.supply_timeline()

    def events_table(self) -> pd.DataFrame:
        """The narrated events as a table."""
        return events_table(self.events)

    def outcomes(self) -> pd.DataFrame:
        """One row per partner: how her story went, and the traits she started with."""
        return outcome_table(self.outcome_rows())

    def outcome_rows(self) -> list[dict[str, Any]]:
        """The rows of `outcomes()` as plain dicts, for code that joins many runs: a pandas
        table costs about 1.5 ms to build whatever its size, a fifteenth of a classroom run,
        so a sweep builds one per batch of runs (`outcome_table`) instead of one per run."""
        return [self._outcome(p) for p in self.partners]

    def _outcome(self, p: Partner) -> dict[str, Any]:
        counts = {key: p.counts[key] for key in COUNTERS}
        traits = {name: getattr(p, name) for name in GROUPS["partner"] if name != "name"}
        rel = p.relationship
        return {
            "partner": p.index, "name": p.name,
            "narcissist": None if rel is None else rel.narcissist.name,
            "end_reason": p.end_reason, "end_step": p.end_step, **counts,
            "harm": p.harm, "perceived_harm": p.perceived_harm,
            "min_wellbeing": p.min_wellbeing, "final_wellbeing": p.wellbeing,
            "trauma_bond_peak": p.trauma_bond_peak, "final_trauma_bond": p.trauma_bond,
            "final_self_esteem": p.self_esteem_now, "final_empathy": p.empathy_now,
            "recovery": p.recovery.value, "recovered_step": p.recovered_step,
            "first_step": p.first_step, **traits,
        }


_index = attrgetter("index")


def _load(source: str | Path, overrides: dict[str, Any], seed: int | None) -> Scenario:
    """`scenario.load`, parsing each file's content once: parsing and checking a preset costs
    as much as a tenth of a classroom run. The cache is keyed by the bytes the file holds,
    read each time (a few microseconds), not by its time of change, which a copy or an editor
    may keep: a file replaced by another with its time restored runs the new values. The
    scenario it keeps is read-only, so every run may share it."""
    text = str(source)
    path = PRESET_DIR / f"{text}.toml" if text in presets() else Path(text)
    try:
        where = os.path.abspath(path)
        content = _content(where)
    except (OSError, ValueError):
        content = None
    if content is None:
        return apply_overrides(load(source), overrides, seed=seed)  # `load` names the problem
    key = (text, where, content)
    scenario = _PARSED.get(key)
    if scenario is None:
        scenario = load(text)
        if _content(where) == content:  # unchanged while `load` read it: safe to keep
            with _PARSED_LOCK:  # the dashboard builds models in several threads
                _PARSED[key] = scenario
                while len(_PARSED) > _PARSED_MOST:
                    del _PARSED[next(iter(_PARSED))]
    return apply_overrides(scenario, overrides, seed=seed)


_PARSED: dict[tuple[str, str, bytes], Scenario] = {}
"""Parsed scenarios by (name given, full path, digest of the file's bytes), oldest first."""
_PARSED_MOST = 64
_PARSED_LOCK = threading.Lock()


def _content(where: str) -> bytes | None:
    """A digest of the file's bytes; None for what is not a regular file of a scenario's size
    (`load` says why; a FIFO is never opened, which would wait for a writer). Read in one
    call of the file's size: a buffer of the largest size allowed costs 30 microseconds."""
    found = os.stat(where)
    if not stat.S_ISREG(found.st_mode) or found.st_size > MAX_FILE_BYTES:
        return None
    handle = os.open(where, os.O_RDONLY)
    try:
        data = os.read(handle, found.st_size + 1)
    finally:
        os.close(handle)
    return hashlib.blake2b(data).digest()
