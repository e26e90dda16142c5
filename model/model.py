"""RelationshipModel: narcissists, partners and the relationships between them, week by week."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd

from .agents import COUNTERS, Narcissist, Partner
from .errors import check_rng, check_whole
from .parameters import GROUPS, ParameterError
from .phases import ACTIVE, Phase
from .pronouns import of
from .relationship import Relationship
from .scenario import Scenario, apply_overrides, check_budget, load, resolve_group

FRIENDLY_CONTACT = 0.3
"""Weekly chance that a partner who did not cut contact hears from her ex anyway."""

NARCISSIST_NAMES = ("Alex", "Blake", "Cole", "Dean", "Ellis", "Flynn", "Grant", "Hugo")
PARTNER_NAMES = ("Ana", "Bea", "Cara", "Dana", "Eva", "Fay", "Gia", "Hana", "Ida", "Jo",
                 "Kim", "Lena", "Mia", "Nora", "Olga", "Pia", "Rosa", "Sara", "Tess", "Uma")

TIMELINE_COLUMNS = ("step", "partner", "name", "narcissist", "phase", "recovery", "wellbeing",
                    "trauma_bond", "commitment", "satisfaction", "self_esteem", "illusion",
                    "harm", "perceived_harm", "empathy")
SUPPLY_COLUMNS = ("step", "narcissist", "name", "supply", "need", "hunger",
                  "grandiosity_gap", "injury", "sources")


@dataclass(frozen=True)
class Event:
    """Something worth telling that happened in a given week."""

    week: int
    kind: str
    who: tuple[str, ...]
    text: str
    important: bool = True


class RelationshipModel(mesa.Model):
    """The idealize-devalue-discard cycle between narcissists and partners, one step a week.

    Args:
        scenario: a preset name from `scenarios/`, a path to a TOML file, or a `Scenario`.
        rng: the seed (or generator) every random draw of the run comes from.
        **overrides: dotted-path parameter overrides such as `partners.0.boundary=0.8`.
    """

    def __init__(self, scenario: str | Path | Scenario = "classroom", rng: Any = None,
                 **overrides: Any) -> None:
        rng = check_rng(rng)  # numpy's own errors for rng="abc" or -1 name no input
        super().__init__(rng=rng)
        if isinstance(scenario, Scenario):
            self.spec = apply_overrides(scenario, overrides)
        else:
            self.spec = load(scenario, overrides)
        self.seed = rng
        self.world = resolve_group(self.spec.world, "world")
        self.events: list[Event] = []
        self.relationships: list[Relationship] = []
        self.narcissists = [Narcissist(self, i, traits)
                            for i, traits in enumerate(self._narcissist_traits())]
        self.partners = [Partner(self, i, traits)
                         for i, traits in enumerate(self._partner_traits())]
        if not self.partners:
            raise ParameterError(f"{self.spec.source}: the scenario has no partners; list "
                                 "[[partners]] or set world.generated_partners to 1 or more")
        self._timeline_rows: list[tuple] = []
        self._supply_rows: list[tuple] = []
        self.datacollector = mesa.DataCollector(model_reporters={
            "mean_wellbeing": lambda m: float(np.mean([p.wellbeing for p in m.partners])),
            "with_narcissist": lambda m: sum(not p.is_free() for p in m.partners),
            "devalued": lambda m: sum(r.phase is Phase.DEVALUE for r in m.relationships),
            "mean_supply": lambda m: float(np.mean([n.supply for n in m.narcissists])),
        })
        self._attach_initial_partners()
        self.record()

    # --- building the population ----------------------------------------------------------------
    def _narcissist_traits(self) -> list[dict[str, Any]]:
        base = resolve_group(self.spec.narcissist, "narcissist")
        count = self.world["narcissists"]
        result = []
        for i in range(count):
            own = self.spec.narcissists[i] if i < len(self.spec.narcissists) else {}
            traits = {**base, **own}
            if "name" not in own and "name" not in self.spec.narcissist:
                traits["name"] = _nth_name(NARCISSIST_NAMES, i)
            result.append(traits)
        return result

    def _partner_traits(self) -> list[dict[str, Any]]:
        base = resolve_group(self.spec.partner, "partner")
        listed = [{**base, **own} for own in self.spec.partners]
        for i, traits in enumerate(listed):
            if "name" not in self.spec.partners[i]:
                traits["name"] = _nth_name(PARTNER_NAMES, i)
        generated = [self._generated_partner(base, len(listed) + i)
                     for i in range(self.world["generated_partners"])]
        return listed + generated

    def _generated_partner(self, base: dict[str, Any], index: int) -> dict[str, Any]:
        """Draw a partner's traits around the shared partner table, from the model's seed."""
        spread = self.world["partner_variation"]
        traits = dict(base, name=_nth_name(PARTNER_NAMES, index), attached=False)
        for name, param in GROUPS["partner"].items():
            if param.kind == "float":
                noise = spread * float(self.rng.standard_normal())
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
        order = [self.relationships[i] for i in self.rng.permutation(len(self.relationships))]
        self.wound_and_rage([r for r in order if r.phase in ACTIVE])
        for relationship in order:
            relationship.week()
        self.recruit()
        for partner in self.partners:
            rel = partner.relationship
            if rel is None or rel.phase not in ACTIVE:
                partner.live_apart(self.in_contact(partner))
        self.record()
        if self.steps >= self.world["weeks"]:
            self.running = False

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
        return self

    def wound_and_rage(self, together: list[Relationship]) -> None:
        """Everything that wounds him this week comes first; then each narcissist decides on
        rage once, from the whole week, so a partner's place in the list changes nothing [5]."""
        for relationship in together:
            relationship.wound()
        for narcissist in self.narcissists:
            target = narcissist.rage_target([r for r in together if r.narcissist is narcissist])
            if target is not None:
                target.raged = True

    def recruit(self) -> None:
        """Hungry narcissists with room court someone new, in random order [14]."""
        for i in self.rng.permutation(len(self.narcissists)):
            narcissist = self.narcissists[i]
            if not narcissist.wants_new_source():
                continue
            candidates = [p for p in self.partners if p.is_free() and
                          (p.relationship is None or p.relationship.narcissist is not narcissist)]
            target = narcissist.pick_target(candidates)
            if target is not None and target.accepts(narcissist):
                self.begin(narcissist, target)

    def begin(self, narcissist: Narcissist, partner: Partner) -> None:
        """A new relationship starts with idealization [2]."""
        rel = Relationship(narcissist, partner)
        self.relationships.append(rel)
        narcissist.sources.append(rel)
        partner.relationship = rel
        partner.commitment = 0.5
        partner.end_reason, partner.end_step = "ongoing", None
        partner.stop_grieving()
        if partner.first_step is None:
            partner.first_step = self.steps
        self.narrate("met", (narcissist, partner), f"{narcissist.name} meets {partner.name} "
                     f"({partner.role}) and showers {of(partner).object} with attention: "
                     "idealization begins.")

    def in_contact(self, partner: Partner) -> bool:
        """Whether a partner apart from him hears from her ex this week [8, 12]."""
        rel = partner.relationship
        if rel is None or rel.phase is not Phase.ENDED or partner.no_contact:
            return False
        return bool(self.rng.random() < FRIENDLY_CONTACT)

    def narrate(self, kind: str, who: tuple, text: str, important: bool = True) -> None:
        """Add a plain-language line to the story of the run."""
        names = tuple(agent.name for agent in who)
        self.events.append(Event(self.steps, kind, names, text, important))

    # --- recording and reporting ----------------------------------------------------------------
    def record(self) -> None:
        """Append this week's states as plain tuples; tables are built only when asked for."""
        step = self.steps
        for p in self.partners:
            rel = p.relationship
            self._timeline_rows.append((
                step, p.index, p.name, -1 if rel is None else rel.narcissist.index,
                "single" if rel is None else rel.phase.value, p.recovery.value, p.wellbeing,
                p.trauma_bond, p.commitment, p.satisfaction, p.self_esteem_now, p.illusion,
                p.harm, p.perceived_harm, p.empathy_now))
        for n in self.narcissists:
            self._supply_rows.append((step, n.index, n.name, n.supply, n.need, n.hunger, n.gap,
                                      n.injury, len(n.sources)))
        self.datacollector.collect(self)

    def timeline(self) -> pd.DataFrame:
        """One row per partner per week (week 0 is the start)."""
        return pd.DataFrame(self._timeline_rows, columns=list(TIMELINE_COLUMNS))

    def supply_timeline(self) -> pd.DataFrame:
        """One row per narcissist per week: supply, need, hunger, grandiosity gap, injury."""
        return pd.DataFrame(self._supply_rows, columns=list(SUPPLY_COLUMNS))

    def events_table(self) -> pd.DataFrame:
        """The narrated events as a table."""
        return pd.DataFrame([(e.week, e.kind, " & ".join(e.who), e.text, e.important)
                             for e in self.events],
                            columns=["week", "kind", "who", "text", "important"])

    def outcomes(self) -> pd.DataFrame:
        """One row per partner: how her story went, and the traits she started with."""
        rows = [self._outcome(p) for p in self.partners]
        table = pd.DataFrame(rows)
        for column in ("end_step", "recovered_step", "first_step"):
            table[column] = table[column].astype("Int64")
        return table

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


def _nth_name(names: tuple[str, ...], i: int) -> str:
    return names[i % len(names)] + ("" if i < len(names) else f" {i // len(names) + 1}")
