"""One relationship between a narcissist and a partner, and what a week of it does.

A relationship keeps its phase across endings and returns: when a hoover succeeds, the same
pair starts a new idealize-devalue cycle. `week` reads as the sentence of the phase it is in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import dynamics as d
from .events import EventKind
from .phases import ACTIVE, TRANSITIONS, Phase, Recovery
from .pronouns import of

if TYPE_CHECKING:
    from .agents import Narcissist, Partner

class Relationship:
    """A narcissist-partner pair with a phase and the narcissist's disappointment in her."""

    def __init__(self, narcissist: Narcissist, partner: Partner) -> None:
        self.narcissist = narcissist
        self.partner = partner
        self.model = narcissist.model
        self.phase = Phase.IDEALIZE
        self.weeks_in_phase = 0
        self.disappointment = 0.0
        self.returning = False
        self.gave_up = False
        self.refusals = 0
        self.needs = self.trigger = 0.0
        self.asserted = self.spoiled = self.raged = False

    def move_to(self, phase: Phase) -> None:
        """Change phase, refusing any move the transition table does not allow."""
        if phase not in TRANSITIONS[self.phase]:
            raise RuntimeError(f"illegal transition {self.phase.value} -> {phase.value}")
        self.phase = phase
        self.weeks_in_phase = 0

    def week(self) -> None:
        """One week of this relationship, by phase."""
        self.weeks_in_phase += 1
        if self.phase is Phase.ENDED:  # the most common phase first
            self.consider_hoover()
        elif self.phase in ACTIVE:
            self.together()
        elif self.phase is Phase.DISCARD:
            if self.weeks_in_phase >= d.DISCARD_WEEKS:
                self.move_to(Phase.ENDED)
        elif self.phase is Phase.HOOVER:
            self.settle_hoover()

    # --- together -------------------------------------------------------------------------------
    def wound(self) -> None:
        """First half of a week together: what she voices and does, and how it wounds him.

        Every relationship's wounds are added before he decides on rage (in
        `Narcissist.rage_target`), so no partner's place in the list changes her share [3, 5, 6].
        """
        n, p = self.narcissist, self.partner
        devalued = self.phase is Phase.DEVALUE
        self.needs = p.voiced_needs()
        self.asserted = p.asserts_boundary(devalued)
        self.trigger = 0.0
        if self.asserted:
            p.counts["boundary_assertions"] += 1
            self.trigger += n.be_injured(refusal=1.0)
        self.trigger += n.be_injured(criticism=self.needs if devalued else 0.0,
                                     independence=p.outside_now * d.OUTSIDE_INDEPENDENCE)
        self.spoiled = devalued and self.envy_spoils()
        if self.spoiled:
            self.trigger += n.be_injured(independence=1.0)
        self.raged = False

    def together(self) -> None:
        """He treats her by phase, she responds, supply flows, and one of them may end it."""
        n, p = self.narcissist, self.partner
        devalued = self.phase is Phase.DEVALUE
        value = n.value_of(p)  # what he prizes in her: the same all week
        warmth, raw_harm, kindness = self.treatment(self.needs, value)
        if self.raged:
            raw_harm += d.rage_harm(n.rivalry)
            p.counts["rage_episodes"] += 1
            self.narrate(EventKind.RAGE, f"{n.name} answers {p.name}'s refusal with rage."
                         if self.asserted else
                         f"{n.name} turns {of(n).possessive} rage on {p.name}.")
        if self.spoiled:
            raw_harm += d.ENVY_HARM
        p.feel(warmth, raw_harm, kindness)
        n.income += p.gives_supply(self.phase, value)
        self.count_week(devalued)
        self.advance(self.needs, value)

    def treatment(self, needs: float, value: float) -> tuple[float, float, bool]:
        """Warmth and harm he hands out this week, and whether it was a scrap of kindness."""
        n, p = self.narcissist, self.partner
        if self.phase is Phase.IDEALIZE:
            warmth = d.idealization_warmth(n.charm, value)
            p.illusion = d.clip01(p.illusion + d.illusion_gain(p.illusion, warmth, p.boundary))
            return warmth, 0.0, False
        p.illusion = d.clip01(p.illusion - d.illusion_fading(p.illusion, p.boundary))
        p.erode_esteem(d.pathologizing(n.rivalry, p.boundary))
        harm = d.devaluation_harm(n.rivalry, n.hunger, needs)
        threat = 1.0 - p.commitment
        chance = d.kindness_chance(n.reinforcement, n.hunger, threat, n.flush())
        if n.kindness_schedule == "steady":
            warmth, harm = d.steady_week(chance, n.charm, harm)
            return warmth, harm, False
        if self.model.random.random() < chance:
            p.counts["kindness_episodes"] += 1
            self.narrate(EventKind.KINDNESS, f"{n.name} is suddenly kind to {p.name} again.",
                         important=False)
            return (*d.kind_spell(n.charm, harm), True)
        return d.COLD_WARMTH, harm, False

    def envy_spoils(self) -> bool:
        """Her life outside stirs his envy, and he spoils some of it [6]."""
        n, p = self.narcissist, self.partner
        if self.model.random.random() >= d.envy_chance(n.envy, p.outside_now, p.wellbeing):
            return False
        p.outside_now = d.clip01(p.outside_now - d.ENVY_COST)
        p.counts["envy_episodes"] += 1
        self.narrate(EventKind.ENVY, f"{n.name} belittles {p.name}'s success outside the "
                     "relationship.", important=False)
        return True

    def count_week(self, devalued: bool) -> None:
        """Tally the week for the outcome table; bitterness may show [11]."""
        p = self.partner
        p.counts["weeks_in_relationship"] += 1
        p.counts["weeks_devalued"] += devalued
        if p.lashes_out():
            p.counts["lash_outs"] += 1
            p.outside_now = d.clip01(p.outside_now - d.LASH_OUT_COST)
            self.narrate(EventKind.LASH_OUT, f"{p.name}, worn down, snaps at a friend who did "
                         "nothing wrong.", important=False)

    def advance(self, needs: float, value: float) -> None:
        """Check this week's endings and turns, in order of who acts first."""
        n, p = self.narcissist, self.partner
        if p.wants_to_leave():
            self.end(left=True)
        elif self.phase is Phase.DEVALUE and self.he_discards(value):
            self.end(left=False)
        elif self.phase is Phase.IDEALIZE:
            z = self.model.random.gauss(0.0, 1.0)
            self.disappointment += d.disappointment_step(value, n.hunger, needs, z,
                                                         d.restlessness(n.subtype), n.gap)
            if self.disappointment >= n.disappointment_threshold:
                self.begin_devaluation()

    def begin_devaluation(self) -> None:
        """The ideal image fails once too often: criticism and coldness begin [3]."""
        p = self.partner
        self.move_to(Phase.DEVALUE)
        p.counts["cycles"] += 1
        if p.counts["cycles"] > 1:
            p.rescue -= d.rescue_fading(p.rescue)
        n = self.narcissist
        focus = "looks" if n.subtype == "somatic" else "intelligence"
        self.narrate(EventKind.DEVALUATION, f"{n.name} turns on {p.name}: the ideal image has "
                     f"failed, and {of(n).does('now belittles', 'now belittle')} "
                     f"{of(p).possessive} {focus}.")

    def he_discards(self, value: float) -> bool:
        """Pre-emptive discard, or dropping a source that no longer pays [7]."""
        n, p = self.narcissist, self.partner
        pull_away = max(1.0 - p.commitment,
                        d.clip01(d.PULL_AWAY_HARM * p.recent_perceived * p.boundary))
        ratio = d.clip01(p.gives_supply(Phase.DEVALUE, value) / d.idealized_yield(value, 1.0))
        # a list costs a quarter of `any` over a generator, once per devalued week
        fresher = Phase.IDEALIZE in [s.phase for s in n.sources if s is not self]
        others = d.his_alternatives(self.model.world["audience_supply"], n.supply_decay, n.need,
                                    fresher)
        return self.model.random.random() < d.discard_chance(n.abandonment_fear, pull_away,
                                                             ratio, others)

    def end(self, left: bool) -> None:
        """She leaves, or he discards her; either way she starts to grieve."""
        n, p = self.narcissist, self.partner
        p.end_reason = "left" if left else "discarded"
        p.end_step = self.model.steps
        p.weeks_since_contact = 0
        n.sources.remove(self)
        self.disappointment = 0.0
        if left:
            p.counts["exits"] += 1
            self.move_to(Phase.ENDED)
            n.be_injured(refusal=1.0, criticism=1.0)
            self.narrate(EventKind.LEFT, f"{p.name} leaves {n.name}.")
        else:
            p.counts["discards"] += 1
            self.move_to(Phase.DISCARD)
            p.feel(0.0, d.DISCARD_HARM, False)
            self.narrate(EventKind.DISCARDED, f"{n.name} discards {p.name}: "
                         f"{of(n).does('ends', 'end')} the relationship abruptly.")
        p.start_grieving(discarded=not left)

    # --- after the end --------------------------------------------------------------------------
    def consider_hoover(self) -> None:
        """While she still looks like supply and he is hungry, he tries to pull her back [8]."""
        n, p = self.narcissist, self.partner
        if p.relationship is not self or not n.has_room():
            return
        if self.gave_up:
            return
        outlook = d.ex_outlook(p.weeks_since_contact, p.trauma_bond, self.refusals)
        if outlook < d.HOOVER_GIVE_UP:
            self.gave_up = True
            self.narrate(EventKind.GAVE_UP, f"{n.name} no longer sees any supply in {p.name} and "
                         f"stops trying to win {of(p).object} back.")
            return
        if self.model.random.random() >= d.hoover_chance(n.hoover_propensity, n.hunger, outlook):
            return
        p.counts["hoover_attempts"] += 1
        self.move_to(Phase.HOOVER)
        if p.no_contact:
            if p.recovery is not Recovery.HEALED:
                p.set_back_grief(d.NO_CONTACT_SETBACK * d.HOOVER_SETBACK)
            self.returning = False
            self.narrate(EventKind.HOOVER, f"{n.name} tries to win {p.name} back; " + of(p).does(
                "keeps no contact and does not answer.", "keep no contact and do not answer."))
            return
        p.be_hoovered()
        self.returning = p.answers_hoover()
        self.narrate(EventKind.HOOVER, f"{n.name} reappears with flowers and promises, trying to "
                     f"win {p.name} back.")

    def settle_hoover(self) -> None:
        """She goes back, and a new cycle begins, or the door stays shut."""
        n, p = self.narcissist, self.partner
        if not (self.returning and n.has_room()):
            self.move_to(Phase.ENDED)
            self.refusals += not self.returning
            if not p.no_contact:
                self.narrate(EventKind.REFUSED, f"{p.name} turns {n.name} down.", important=False)
            return
        self.move_to(Phase.IDEALIZE)
        n.sources.append(self)
        p.counts["returns"] += 1
        p.counts["hoover_successes"] += 1
        p.end_reason = "ongoing"
        p.end_step = None
        p.stop_grieving()
        p.grievance = d.forgiven(p.grievance)
        p.commitment = max(p.commitment, d.COMMITMENT_START)  # going back is choosing him again
        self.gave_up = False
        self.refusals = 0
        self.narrate(EventKind.RETURNED,
                     f"{p.name} goes back to {n.name}; idealization starts again.")

    def narrate(self, kind: EventKind, text: str, important: bool = True) -> None:
        self.model.narrate(kind, (self.narcissist, self.partner), text, important)
