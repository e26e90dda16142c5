"""The two kinds of agent: narcissists and their partners.

Agents hold traits (their declared parameters, fixed unless a mechanism says otherwise) and
states (what the weeks do to them). Each method is one thing an agent does in a week; the
equations it uses live in `dynamics`, and the order of a week lives in `Relationship.week`
and `RelationshipModel.step`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import mesa

from . import dynamics as d
from .events import EventKind
from .parameters import GROUPS, ParameterError, lookup
from .phases import STUCK_AFTER_WEEKS, Phase, Recovery, stage_for
from .pronouns import of

if TYPE_CHECKING:
    from .relationship import Relationship


TREATED = ("rivalry", "injury_sensitivity", "envy", "grandiosity", "supply_need")
"""The traits treatment softens [13]: his harshness, his touchiness, his envy, his inflated
self-image and the need for supply it feeds."""


def checked_traits(traits: dict[str, Any], group: str, where: str) -> dict[str, Any]:
    """Refuse a trait the declarations do not know, or one left out, as a scenario does.

    Agents take their traits by name, one assignment each, so an unknown key would otherwise
    be dropped without a word and a missing one would surface as a bare KeyError.
    """
    for name in traits:
        lookup(group, name, where)
    missing = [name for name in GROUPS[group] if name not in traits]
    if missing:
        raise ParameterError(f"{where}: no value for {group} parameter(s) "
                             f"{', '.join(map(repr, missing))}")
    return traits


class Narcissist(mesa.Agent):
    """A man who needs a steady flow of attention (supply) to hold up his self-image.

    His traits are the declared narcissist parameters (model/parameters.py), one attribute
    each; `treatment` alone changes four of them over a run [13].
    """

    __slots__ = (*GROUPS["narcissist"], "index", "start_traits", "supply", "achievement", "gap",
                 "injury", "income", "hunger", "need", "sources", "setbacks")

    name: str
    pronouns: str
    subtype: str
    supply_need: float
    supply_decay: float
    reinforcement: float
    kindness_schedule: str
    hoover_propensity: float
    envy: float
    injury_sensitivity: float
    grandiosity: float
    charm: float
    rivalry: float
    disappointment_threshold: float
    abandonment_fear: float
    max_sources: int
    recruit_effort: float
    setback_rate: float
    treatment: float

    def __init__(self, model: mesa.Model, index: int, traits: dict[str, Any]) -> None:
        super().__init__(model)
        self.index = index
        t = checked_traits(traits, "narcissist", f"narcissists.{index}")
        self.name = t["name"]
        self.pronouns = t["pronouns"]
        self.subtype = t["subtype"]
        self.supply_need = t["supply_need"]
        self.supply_decay = t["supply_decay"]
        self.reinforcement = t["reinforcement"]
        self.kindness_schedule = t["kindness_schedule"]
        self.hoover_propensity = t["hoover_propensity"]
        self.envy = t["envy"]
        self.injury_sensitivity = t["injury_sensitivity"]
        self.grandiosity = t["grandiosity"]
        self.charm = t["charm"]
        self.rivalry = t["rivalry"]
        self.disappointment_threshold = t["disappointment_threshold"]
        self.abandonment_fear = t["abandonment_fear"]
        self.max_sources = t["max_sources"]
        self.recruit_effort = t["recruit_effort"]
        self.setback_rate = t["setback_rate"]
        self.treatment = t["treatment"]
        self.start_traits = dict(traits)
        self.supply = traits["supply_need"]
        self.achievement = d.ACHIEVEMENT_BASE
        self.gap = d.grandiosity_gap(self.grandiosity, self.achievement)
        self.injury = 0.0
        self.income = 0.0
        self.hunger = 0.0
        self.need = d.effective_need(self.supply_need, self.gap)
        self.sources: list[Relationship] = []
        self.setbacks = 0

    def start_week(self) -> None:
        """Last week's supply arrives and wears off; life may deal him a setback."""
        draws = self.model.random
        world = self.model.world
        self.income += d.audience_income(world["audience_supply"], world["audience_noise"],
                                         draws.gauss(0.0, 1.0))
        self.supply = d.next_supply(self.supply, self.supply_decay, self.income)
        self.income = 0.0
        self.injury = d.faded_injury(self.injury)
        setback = draws.random() < self.setback_rate
        self.achievement = d.next_achievement(self.achievement, setback)
        self.gap = d.grandiosity_gap(self.grandiosity, self.achievement)
        self.need = d.effective_need(self.supply_need, self.gap)
        self.hunger = d.hunger(self.supply, self.need)
        if setback:
            self.setbacks += 1
            self.be_injured(setback=1.0)
            mine = of(self).possessive
            self.model.narrate(EventKind.SETBACK, (self,),
                               f"{self.name} suffers a setback at work; the gap between "
                               f"{mine} self-image and {mine} life widens.")
        if self.treatment > 0.0:
            self.undergo_treatment()

    def undergo_treatment(self) -> None:
        """Only treatment changes him, never a partner's love [13]."""
        if self.treatment > 0.0:
            for trait in TREATED:
                setattr(self, trait, d.treated(getattr(self, trait), self.treatment))

    def be_injured(self, refusal: float = 0.0, criticism: float = 0.0,
                   independence: float = 0.0, setback: float = 0.0) -> float:
        """Add a narcissistic injury on top of what remains of earlier ones [5].

        Returns the size of this wound before the scale's ceiling, so that the week's triggers
        can be compared whatever order they came in.
        """
        size = d.wound(self.injury_sensitivity, refusal, criticism, independence, setback)
        self.injury = d.added_injury(self.injury, size)
        return d.clip01(size)

    def rage_target(self, together: list[Relationship]) -> Relationship | None:
        """Once a week, after everything that wounded him, injury may spill over into rage.

        One decision per week from the week's whole injury, aimed mostly at the partner whose
        refusal, voiced needs or life outside wounded him most that week, so that the order in
        which partners are listed changes nothing. Rage discharges most of the injury [5].
        """
        draws = self.model.random
        if not together or draws.random() >= d.rage_chance(self.injury, self.rivalry):
            return None
        self.injury *= d.RAGE_INJURY_LEFT
        weights = [d.rage_target_weight(r.trigger) for r in together]
        pick = draws.random() * math.fsum(weights)
        for relationship, weight in zip(together, weights, strict=True):
            pick -= weight
            if pick <= 0.0:
                return relationship
        return together[-1]

    def value_of(self, partner: Partner) -> float:
        """How well she fits what his subtype idealizes [16]."""
        return d.domain_value(self.subtype, partner.looks, partner.intellect)

    def flush(self) -> float:
        """How far his supply runs above his need: a flush man can afford generosity [4]."""
        return d.clip01((self.supply - self.need) / d.FLUSH_MARGIN)

    def has_room(self) -> bool:
        """He keeps at most `max_sources` close sources at once."""
        return len(self.sources) < self.max_sources

    def wants_new_source(self) -> bool:
        """A hungry narcissist with room looks for someone new [1, 14]."""
        return self.has_room() and self.model.random.random() < d.recruit_chance(
            self.recruit_effort, self.hunger)


class Partner(mesa.Agent):
    """A significant other: spouse, lover, friend or colleague.

    Her traits are the declared partner parameters (model/parameters.py), one attribute each,
    fixed for the run; what the weeks do to her lives in the states below them (`*_now`).
    """

    __slots__ = (*GROUPS["partner"], "index", "self_esteem_now", "outside_now", "wellbeing",
                 "empathy_now", "rescue", "illusion", "trauma_bond", "false_self",
                 "investment", "satisfaction", "commitment", "harm", "perceived_harm",
                 "recent_harm", "recent_perceived", "grief", "grief_load", "resolve", "grievance",
                 "chronic",
                 "bond_at_end", "recovery", "weeks_in_stage", "weeks_since_contact",
                 "relationship", "counts", "min_wellbeing", "trauma_bond_peak", "end_reason",
                 "end_step", "recovered_step", "first_step")

    name: str
    pronouns: str
    role: str
    attached: bool
    boundary: float
    self_esteem: float
    empathy: float
    rescue_fantasy: float
    alternatives: float
    vulnerability: float
    conditioning: float
    no_contact: bool
    therapy: float
    looks: float
    intellect: float
    outside_life: float

    def __init__(self, model: mesa.Model, index: int, traits: dict[str, Any]) -> None:
        super().__init__(model)
        self.index = index
        t = checked_traits(traits, "partner", f"partners.{index}")
        self.name = t["name"]
        self.pronouns = t["pronouns"]
        self.role = t["role"]
        self.attached = t["attached"]
        self.boundary = t["boundary"]
        self.self_esteem = t["self_esteem"]
        self.empathy = t["empathy"]
        self.rescue_fantasy = t["rescue_fantasy"]
        self.alternatives = t["alternatives"]
        self.vulnerability = t["vulnerability"]
        self.conditioning = t["conditioning"]
        self.no_contact = t["no_contact"]
        self.therapy = t["therapy"]
        self.looks = t["looks"]
        self.intellect = t["intellect"]
        self.outside_life = t["outside_life"]
        self.self_esteem_now = self.self_esteem
        self.outside_now = self.outside_life
        self.wellbeing = d.wellbeing_set_point(self.self_esteem, self.outside_life)
        self.empathy_now = self.empathy
        self.rescue = self.rescue_fantasy
        self.illusion = self.trauma_bond = self.false_self = self.investment = 0.0
        self.satisfaction = d.SATISFACTION_START
        self.commitment = 0.0
        self.harm = self.perceived_harm = 0.0
        self.recent_harm = self.recent_perceived = 0.0
        self.grief = 0.0
        self.grief_load = d.GRIEF_LOAD_BASE
        self.resolve = 0.0
        self.grievance = 0.0
        self.chronic = False
        self.bond_at_end = 0.0
        self.recovery = Recovery.NONE
        self.weeks_in_stage = 0
        self.weeks_since_contact = 0
        self.relationship: Relationship | None = None
        self.counts = {key: 0 for key in COUNTERS}
        self.min_wellbeing = self.wellbeing
        self.trauma_bond_peak = 0.0
        self.end_reason = "never"
        self.end_step: int | None = None
        self.recovered_step: int | None = None
        self.first_step: int | None = None

    def accepts(self, narcissist: Narcissist) -> bool:
        """She says yes to his courtship [2, 14]."""
        chance = d.accept_chance(narcissist.charm, self.boundary, self.vulnerability)
        return self.model.random.random() < chance

    # --- while with him -------------------------------------------------------------------------
    def is_free(self) -> bool:
        """Free to be approached: in no relationship, or one that has ended."""
        return self.relationship is None or self.relationship.phase is Phase.ENDED

    def voiced_needs(self) -> float:
        """Needs and complaints she voices this week [3]."""
        return d.expressed_needs(self.boundary, self.false_self, self.recent_perceived)

    def asserts_boundary(self, devalued: bool) -> bool:
        """She refuses, or states a limit, this week [5]."""
        chance = d.assertion_chance(self.boundary, self.false_self, devalued, self.conditioning)
        return self.model.random.random() < chance

    def feel(self, warmth: float, raw_harm: float, kindness: bool) -> None:
        """Take in a week of his treatment: actual and perceived harm part ways here [10]."""
        harm = d.harm_through(raw_harm, self.boundary)
        seen = d.perceived(harm, self.conditioning)
        intensity = d.clip01(d.HARM_INTENSITY_SCALE * self.recent_harm)
        self.harm += harm
        self.perceived_harm += seen
        self.recent_harm += d.RECENT_HARM_PULL * (harm - self.recent_harm)
        self.recent_perceived += d.RECENT_HARM_PULL * (seen - self.recent_perceived)
        set_point = d.wellbeing_set_point(self.self_esteem_now, self.outside_now)
        self.wellbeing = d.next_wellbeing(self.wellbeing, set_point, warmth, harm)
        self.erode_esteem(d.esteem_loss(harm))
        self.grievance = d.next_grievance(self.grievance, seen)
        self.false_self = d.clip01(self.false_self + d.false_self_gain(self.false_self, harm))
        gain = d.bond_gain(self.trauma_bond, kindness, intensity, warmth, self.boundary)
        loss = d.bond_loss(self.trauma_bond, self.model.world["bond_decay"], in_contact=True)
        self.trauma_bond = d.clip01(self.trauma_bond + gain - loss)
        self.empathy_now = (d.empathy_now(self.empathy, self.harm)
                            if self.model.world["contagion"] else self.empathy)
        self.update_commitment(warmth, seen)
        self.note_extremes()

    def erode_esteem(self, loss: float) -> None:
        """Lose self-esteem, more slowly the deeper it has fallen: her life outside holds up a
        floor that devaluation does not pass [3, 18]."""
        floor = d.esteem_floor(self.self_esteem, self.outside_now)
        self.self_esteem_now = d.eroded_esteem(self.self_esteem_now, loss, floor)

    def update_commitment(self, warmth: float, seen_harm: float) -> None:
        """The investment model, one week on [9], weighed down by what this relationship has
        already cost her [18]."""
        target = d.satisfaction_target(warmth, seen_harm, self.boundary, self.grievance)
        self.satisfaction = d.clip01(
            self.satisfaction + d.SATISFACTION_PULL * (target - self.satisfaction))
        self.investment += d.INVESTMENT_GAIN * (1.0 - self.investment)
        goal = d.commitment_target(self.satisfaction, self.investment, self.trauma_bond,
                                   self.rescue, self.illusion, self.alternatives_now(),
                                   self.empathy_now)
        self.commitment = d.clip01(self.commitment + d.COMMITMENT_PULL * (goal - self.commitment))

    def alternatives_now(self) -> float:
        """Her alternatives as they stand: support, outside life, what separations taught [9]."""
        return d.effective_alternatives(self.alternatives, self.outside_now, self.resolve)

    def wants_to_leave(self) -> bool:
        """She leaves once commitment falls below what she will accept [9]."""
        floor = d.acceptance_floor(self.boundary, self.self_esteem_now, self.resolve,
                                   self.conditioning)
        chance = d.leave_chance(self.commitment, floor, self.recent_perceived)
        return self.model.random.random() < chance

    def gives_supply(self, phase: Phase, value: float) -> float:
        """What she gives him this week, by phase and by her state [1]."""
        if phase is Phase.IDEALIZE:
            return d.idealized_yield(value, self.illusion)
        return d.devalued_yield(value, self.wellbeing, self.commitment, self.boundary)

    def lashes_out(self) -> bool:
        """Lost empathy sometimes turns into bitterness towards others [11], only where the
        scenario turns contagion on: it is the essay's view, untested."""
        if not self.model.world["contagion"]:
            return False
        return self.model.random.random() < d.lash_out_chance(self.empathy, self.empathy_now)

    # --- between relationships ------------------------------------------------------------------
    def start_grieving(self, discarded: bool) -> None:
        """An ending starts (or restarts) the stages of moving on, with as much to grieve as
        was lost: all the harm she has received and all her weeks with him, since a return
        does not undo what came before. The loss hits at once, and for a minority the grief
        that follows takes a chronic course. Each separation also leaves her some resolve
        [9, 12, 19]."""
        weeks = self.counts["weeks_in_relationship"]
        self.recovery = Recovery.SHOCK
        self.grief = 0.0
        self.bond_at_end = self.trauma_bond
        self.wellbeing *= 1.0 - d.loss_reaction(self.trauma_bond, self.investment, weeks,
                                                discarded)
        self.note_extremes()
        self.grief_load = d.grief_load(self.harm, self.trauma_bond, weeks)
        self.chronic = self.model.random.random() < self.chronic_chance()
        self.resolve = d.next_resolve(self.resolve)
        self.weeks_in_stage = 0
        self.recovered_step = None

    def chronic_chance(self) -> float:
        """How likely her grief is to take a chronic course now [19]."""
        return d.chronic_chance(self.grief_load, self.alternatives, self.therapy,
                                self.self_esteem_now)

    def stop_grieving(self) -> None:
        """Back with him, or with someone new: grief is interrupted."""
        self.recovery = Recovery.NONE
        self.recovered_step = None

    def live_apart(self, in_contact: bool) -> None:
        """A week away from any narcissist: the bond fades, grief moves, wellbeing mends [12]."""
        bond = self.trauma_bond
        # at most world.bond_decay's ceiling (0.2) of the bond fades: it stays on its 0-1 scale
        bond = self.trauma_bond = bond - d.bond_loss(bond, self.model.world["bond_decay"],
                                                     in_contact)
        self.weeks_since_contact = (self.weeks_since_contact // 2 if in_contact
                                    else self.weeks_since_contact + 1)
        self.recent_harm *= d.RECENT_HARM_KEPT
        self.recent_perceived *= d.RECENT_HARM_KEPT
        self.grievance *= 1.0 - d.GRIEVANCE_FADE
        scar = d.clip01(self.harm / d.SCAR_HARM)
        esteem = self.self_esteem_now
        esteem = self.self_esteem_now = esteem + d.esteem_repair(
            esteem, self.self_esteem, scar, self.therapy, self.alternatives)
        outside = self.outside_now
        outside = self.outside_now = outside + d.OUTSIDE_PULL * (self.outside_life - outside)
        set_point = d.wellbeing_set_point(esteem, outside)
        if self.recovery is not Recovery.NONE and self.recovery is not Recovery.HEALED:
            start = d.GRIEF_SET_POINT_START
            set_point *= start + (1.0 - start) * self.grief
            self.grieve(in_contact)
        wellbeing = self.wellbeing = d.next_wellbeing(self.wellbeing, set_point, 0.0, 0.0)
        # note_extremes, inline: this runs for every partner apart, every week
        if wellbeing < self.min_wellbeing:
            self.min_wellbeing = wellbeing
        if bond > self.trauma_bond_peak:
            self.trauma_bond_peak = bond

    def grieve(self, in_contact: bool) -> None:
        """Move through shock, anger, acceptance and mourning towards healing [12]."""
        rate = d.grief_rate(self.alternatives, self.therapy, self.boundary, self.no_contact,
                            self.wellbeing, self.grief_load, self.self_esteem_now, self.chronic)
        self.grief = d.clip01(self.grief + rate - (d.CONTACT_GRIEF_COST if in_contact else 0.0))
        stage = stage_for(self.grief)
        if stage is Recovery.HEALED:
            self.recovery = Recovery.HEALED
            self.recovered_step = self.model.steps
            self.model.narrate(EventKind.HEALED, (self,),
                               f"{self.name} has healed: {of(self).subject} "
                               "can trust and love again, though "
                               f"{of(self).does('remembers', 'remember')}.")
        elif stage is not self.recovery and self.recovery is not Recovery.STUCK:
            self.recovery, self.weeks_in_stage = stage, 0
            self.model.narrate(EventKind.STAGE, (self,), f"{self.name} moves on to {stage.value}.",
                               important=False)
        else:
            self.weeks_in_stage += 1
            if self.weeks_in_stage == STUCK_AFTER_WEEKS and self.recovery is not Recovery.STUCK:
                self.recovery = Recovery.STUCK
                self.model.narrate(EventKind.STUCK, (self,),
                                   f"{self.name} has been grieving for two years: "
                                   "for some people recovery takes this long, and it can "
                                   "still come.")

    def be_hoovered(self) -> None:
        """His renewed charm reaches her: part of the old bond revives and, while she still
        grieves, grief is set back a stage if need be and may turn chronic. A healed partner
        keeps her healing [8, 19]."""
        self.trauma_bond = d.clip01(d.rekindled_bond(self.trauma_bond, self.bond_at_end))
        self.weeks_since_contact = 0
        if self.recovery in (Recovery.NONE, Recovery.HEALED):
            return
        self.set_back_grief(d.HOOVER_SETBACK)
        if not self.chronic:  # the old wound, reopened, may not close again as it would have
            self.chronic = self.model.random.random() < d.HOOVER_CHRONIC * self.chronic_chance()

    def set_back_grief(self, amount: float) -> None:
        """Lose grief progress, and the stage with it, so stage and progress stay in step; a
        partner already counted as stuck keeps that label until she heals."""
        self.grief = d.clip01(self.grief - amount)
        stage = stage_for(self.grief)
        if self.recovery is not Recovery.STUCK and stage is not self.recovery:
            self.recovery, self.weeks_in_stage = stage, 0

    def answers_hoover(self) -> bool:
        """Whether she goes back to him; support since leaving (`therapy`) stands with her
        from the first week, before it has done much for her grief [8, 9, 19]."""
        chance = d.return_chance(self.trauma_bond, self.rescue, self.alternatives_now(),
                                 self.boundary, self.empathy_now, self.resolve, self.grief,
                                 self.self_esteem, self.therapy)
        return self.model.random.random() < chance

    def note_extremes(self) -> None:
        """Keep the lowest wellbeing and the strongest bond for the outcome table."""
        if self.wellbeing < self.min_wellbeing:  # as min() and max(), without the calls
            self.min_wellbeing = self.wellbeing
        if self.trauma_bond > self.trauma_bond_peak:
            self.trauma_bond_peak = self.trauma_bond


COUNTERS = ("weeks_in_relationship", "weeks_devalued", "cycles", "returns", "exits",
            "discards", "hoover_attempts", "hoover_successes", "rage_episodes",
            "boundary_assertions", "kindness_episodes", "envy_episodes", "lash_outs")
