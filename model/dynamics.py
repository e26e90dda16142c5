"""The model's equations: one small pure function for each piece of a mechanism.

Each function is the code twin of an equation in docs/ODD.md (section "Submodels"); the number
in brackets is the mechanism's number there and in docs/mechanisms.md. They take plain floats
and return plain floats, so they can be read beside the documentation and tested one by one.
Constants that are not user parameters are named here, once, and justified in the ODD.

All states are on a 0-1 scale. A week's harm of 0.05 lowers wellbeing by 0.05 before the
wellbeing's own pull back towards its set point.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the few rules the crowd applies to every partner at once take arrays too
    import numpy as np

# --- calibration constants (documented in docs/ODD.md, "Submodels") -------------------------
BASE_YIELD = 0.10            # supply an eager source gives in a week
GAP_NEED_WEIGHT = 0.5        # how much the grandiosity gap raises his need
WELLBEING_PULL = 0.10        # weekly pull of wellbeing towards its set point (emotional inertia)
SATISFACTION_PULL = 0.20     # weekly update rate of satisfaction
COMMITMENT_PULL = 0.30       # weekly update rate of commitment
HARM_COST = 8.0              # how strongly perceived harm lowers satisfaction
BOUNDARY_FILTER = 0.5        # share of harm a fully firm boundary keeps out
INJURY_MEMORY = 0.6          # share of last week's injury that remains
RAGE_ONSET = 0.2             # injury above which rage becomes possible
SETBACK_SIZE = 0.25          # how far a setback drops his real achievement
ACHIEVEMENT_BASE = 0.4       # his real achievement when nothing goes wrong
ACHIEVEMENT_PULL = 0.02      # weekly recovery of achievement after a setback
GRIEF_RATE = 0.02            # weekly grief progress with average support
NO_CONTACT_SPEEDUP = 1.6     # grief goes this much faster without contact
HOOVER_SETBACK = 0.12        # grief progress lost to a hoover that reaches her
HOOVER_OUTLOOK_WEEKS = 12.0  # weeks of silence after which he sees about a third of the supply
HOOVER_GIVE_UP = 0.1         # outlook below which he stops hoovering
REFUSAL_DISCOUNT = 0.5       # share of his outlook left after each time she turns him down
REKINDLE = 0.3               # share of the lost bond one hoover that reaches her brings back
GRIEF_LOAD_BASE = 0.2        # grief to work through after even the briefest relationship
GRIEF_LOAD_HARM = 0.25       # extra grief per unit of harm received
GRIEF_LOAD_BOND = 0.5        # extra grief from the bond left at the ending
GRIEF_LOAD_YEAR = 0.15       # extra grief per year spent together (counted up to five years)
RESOLVE_GAIN = 0.4           # share of the remaining way to full resolve one separation gives
RESOLVE_FLOOR = 0.6          # how much full resolve raises her floor (before conditioning)
BREAKING_POINT = 0.12        # weekly chance of leaving at the worst of the harm, any boundary
RAGE_TARGET_BASE = 0.2       # weight, as his rage's target, of a partner who added no wound
RETURN_BASE = 0.7            # chance of going back before her bond, hope and resources count
RETURN_BOUNDARY = 0.25       # how much a fully firm boundary lowers the chance of going back
RETURN_RESOLVE = 1.0         # how much full resolve lowers the chance of going back
RETURN_ESTEEM = 0.45          # how much a sound sense of her own worth keeps her from going back
SOMATIC_RESTLESSNESS = 1.8   # how much faster a somatic narcissist tires of the real partner
KIND_WARMTH = 0.6            # warmth of a kind spell, as a share of his charm
COLD_WARMTH = 0.05           # warmth of an ordinary week of devaluation
KIND_HARM_SHARE = 0.2        # share of the week's harm that still comes during a kind spell
ENVY_HARM = 0.08             # harm of one spoiling episode, before her boundary's filter
ENVY_COST = 0.08             # how much of her outside life one spoiling episode takes away
LASH_OUT_COST = 0.05         # outside life a lash-out costs her (the friend draws back)
TREATMENT_RATE = 0.004       # weekly fraction by which full treatment softens his traits
# the fixed numbers of the agents' and relationships' weekly updates (agents.py, relationship.py):
# modelling choices like those above, listed in docs/ODD.md, section 7.22
FLUSH_MARGIN = 0.3           # supply above his need at which he counts as fully flush [4]
RAGE_INJURY_LEFT = 0.3       # share of his injury left after a rage episode discharges it [5]
OUTSIDE_INDEPENDENCE = 0.2   # how much her outside life wounds him each week, as independence [5]
SATISFACTION_START = 0.5     # her satisfaction before any week with him: her own standard [9]
COMMITMENT_START = 0.5        # her commitment as a relationship begins, or begins again [9]
INVESTMENT_GAIN = 0.01       # share of the remaining way to full investment a week together adds
HARM_INTENSITY_SCALE = 8.0   # recent harm times this is the intensity relief bonds to (full at 1/8)
RECENT_HARM_PULL = 0.25      # weekly update rate of her running averages of recent harm
RECENT_HARM_KEPT = 1.0 - RECENT_HARM_PULL  # share of recent harm still felt after a week apart
SCAR_HARM = 10.0             # harm received at which her scar is full (self-esteem mends to half)
OUTSIDE_PULL = 0.02          # weekly recovery of her outside life towards where it started [12]
GRIEF_SET_POINT_START = 0.6  # share of her set point wellbeing can reach as grief begins [12]
CONTACT_GRIEF_COST = 0.01    # grief progress a week of contact with him costs her [12]
DISCARD_WEEKS = 2            # weeks of cold silence between his decision to discard and the end [7]
DISCARD_HARM = 0.08          # harm of being discarded, before her boundary's filter [7]
PULL_AWAY_HARM = 2.0         # weight of recent harm times boundary in his sense she pulls away [7]
NO_CONTACT_SETBACK = 0.25    # share of a hoover's grief setback that reaches her in no contact [8]
# his side of the cycle [1, 3, 7, 15]
ENTITLEMENT = 0.07           # weekly disappointment per unit of his grandiosity gap [3, 15]
HUNGER_HARM = 0.04           # extra weekly harm from a starved man, per unit of hunger [3]
DISCARD_UNPROFITABLE = 0.02  # weekly chance of dropping a source that gives nothing, at most [7]
FRESHER_ALTERNATIVE = 0.5    # how much a newly idealized source adds to his alternatives [7]
# erosion within a relationship [18]
GRIEVANCE_GAIN = 0.2         # grievance a unit of perceived harm adds, of the way left to full
GRIEVANCE_COST = 0.25        # how far full grievance lowers her satisfaction target
GRIEVANCE_FADE = 0.01        # weekly fading of grievance while apart
PROMISES_FORGIVEN = 0.5      # share of her grievance a return, with his promises, sets aside
ESTEEM_FLOOR = 0.1           # least self-esteem erosion leaves when nothing outside holds it up
ESTEEM_HELD = 0.2            # how much a full life outside raises that floor
# the ending and recovery [19]
LOSS_BASE = 0.1              # share of wellbeing even a brief relationship's ending takes
LOSS_BOND = 0.25             # extra share per unit of bond at the ending
LOSS_INVESTMENT = 0.15       # extra share per unit of investment
LOSS_YEAR = 0.03             # extra share per year together (counted up to five years)
LEFT_BEHIND = 1.4            # how much more being discarded takes than leaving
LOSS_MOST = 0.6              # the largest share of wellbeing an ending takes
GRIEF_LOAD_SPAN = 0.4        # how far the grief load can rise above its base, however much was lost
CHRONIC_RISK = 0.45          # chance of a chronic course after the heaviest loss with no support
CHRONIC_SLOWING = 0.15       # grief speed on a chronic course, as a share of the usual speed
HOOVER_CHRONIC = 0.3         # share of an ending's chance of a chronic course each hoover adds
RETURN_SUPPORT = 0.5         # how much full support after leaving lowers the chance of going back


def clip01(x: float) -> float:
    """Keep a state on its 0-1 scale."""
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


# --- [1] supply as an addiction ----------------------------------------------------------------
def effective_need(supply_need: float, gap: float) -> float:
    """need = supply_need + 0.5 * gap: a wider grandiosity gap makes him hungrier [1, 15]."""
    return clip01(supply_need + GAP_NEED_WEIGHT * gap)


def hunger(supply: float, need: float) -> float:
    """hunger = (need - supply) / need when below need, else 0 [1]."""
    if need <= 0.0 or supply >= need:
        return 0.0
    return (need - supply) / need


def next_supply(supply: float, decay: float, income: float) -> float:
    """S' = S * (1 - supply_decay) + income: supply wears off and must be replenished [1]."""
    return clip01(supply * (1.0 - decay) + income)


def audience_income(mean: float, noise: float, z: float) -> float:
    """Primary supply from strangers: lognormal with mean `mean` and coefficient of variation
    `noise`, so it is never negative and more noise does not change the average [1]."""
    sigma2 = math.log1p(noise * noise)
    return mean * math.exp(math.sqrt(sigma2) * z - 0.5 * sigma2)


def idealized_yield(domain_value: float, illusion: float) -> float:
    """An idealizing partner gives eagerly, more when she fits his ideal and believes it [1]."""
    return BASE_YIELD * (0.5 + 0.5 * domain_value) * (0.6 + 0.4 * illusion)


def devalued_yield(domain_value: float, wellbeing: float, commitment: float,
                   boundary: float) -> float:
    """A devalued partner gives grudgingly: less when worn down, on her own terms when firm [1]."""
    grudging = 0.6 * wellbeing * (0.4 + 0.6 * commitment)
    return BASE_YIELD * (0.5 + 0.5 * domain_value) * grudging * (1.0 - 0.5 * boundary)


# --- [2] idealization ---------------------------------------------------------------------------
def idealization_warmth(charm: float, domain_value: float) -> float:
    """Attention he showers on the idealized image: more charm, more fit to his ideal [2]."""
    return charm * (0.7 + 0.3 * domain_value)


def illusion_gain(illusion: float, warmth: float, boundary: float) -> float:
    """dL = 0.15 * warmth * (1 - L) * (1 - 0.7 * boundary): a firm boundary sees the cracks [2]."""
    return 0.15 * warmth * (1.0 - illusion) * (1.0 - 0.7 * boundary)


def illusion_fading(illusion: float, boundary: float) -> float:
    """Under devaluation the ideal image fades, faster for a partner who sees clearly [3]."""
    return illusion * (0.04 + 0.06 * boundary)


# --- [3] devaluation ----------------------------------------------------------------------------
def expressed_needs(boundary: float, false_self: float, recent_perceived: float) -> float:
    """Needs and complaints she voices; a grown false self silences them [3]."""
    return clip01((1.0 - false_self) * (0.2 + 0.4 * boundary + 4.0 * recent_perceived))


def disappointment_step(domain_value: float, hunger_: float, needs: float, z: float,
                        restlessness: float = 1.0, gap: float = 0.3) -> float:
    """Reality failing the ideal: more when she fits it less, he is hungry, she has needs, and
    the wider his grandiosity gap (an entitled man finds no real person enough) [3, 15];
    `restlessness` scales it by what kind of supply he seeks [16]."""
    step = (ENTITLEMENT * gap + 0.10 * (1.0 - domain_value) + 0.04 * hunger_ + 0.05 * needs
            + 0.01 * z)
    return max(0.0, restlessness * step)


def restlessness(subtype: str) -> float:
    """A somatic narcissist seeks the novelty of conquest and tires of a real partner sooner;
    a cerebral one draws on admiration that lasts longer (the essay's view) [16]."""
    return SOMATIC_RESTLESSNESS if subtype == "somatic" else 1.0


def devaluation_harm(rivalry: float, hunger_: float, needs: float) -> float:
    """Weekly criticism and coldness: harsher with rivalry, with hunger (a starved man takes
    more from a source and gives less back), and with needs read as threats [1, 3]."""
    return 0.012 + 0.03 * rivalry + HUNGER_HARM * hunger_ + 0.02 * needs


def false_self_gain(false_self: float, harm: float) -> float:
    """Walking on eggshells grows with harm received [3]."""
    return 3.0 * harm * (1.0 - false_self)


def pathologizing(rivalry: float, boundary: float) -> float:
    """He casts her as the weak one: a weekly loss of self-esteem under devaluation, before
    what holds it up slows it (`eroded_esteem`) [3, 18]."""
    return 0.002 * rivalry * (1.0 - 0.5 * boundary)


# --- [4] intermittent reinforcement -------------------------------------------------------------
def kindness_chance(reinforcement: float, hunger_: float, threat: float, flush: float) -> float:
    """He turns kind when he wants something, feels threatened, or is flush with supply [4]."""
    return reinforcement * max(hunger_, threat, flush)




def kind_spell(charm: float, harm: float) -> tuple[float, float]:
    """Warmth and harm of a week in which he turns kind again [4]."""
    return KIND_WARMTH * charm, KIND_HARM_SHARE * harm


def steady_week(chance: float, charm: float, harm: float) -> tuple[float, float]:
    """The same warmth and harm as intermittent spells on average, spread over every week:
    the comparison arm for what intermittency itself adds [4]."""
    warmth = chance * KIND_WARMTH * charm + (1.0 - chance) * COLD_WARMTH
    return warmth, harm * (1.0 - chance * (1.0 - KIND_HARM_SHARE))


def bond_gain(bond: float, kindness: bool, harm_intensity: float, warmth: float,
              boundary: float) -> float:
    """Relief after harm bonds far more than steady warmth does [4]: a modelling choice (a
    counterfactual), informed by Dutton & Painter 1993, who found by correlation, in abused women
    only, that intermittent abuse with a power imbalance went with a stronger attachment."""
    pull = 0.2 * (0.2 + harm_intensity) if kindness else 0.01 * warmth
    return pull * (1.0 - bond) * (1.0 - 0.5 * boundary)


def bond_loss(bond: float, decay: float, in_contact: bool) -> float:
    """The bond fades slowly, at half speed while she still sees him [4]."""
    return bond * decay * (0.5 if in_contact else 1.0)


def rekindled_bond(bond: float, bond_at_end: float) -> float:
    """A hoover that reaches her revives part of the bond she had when it ended, never more:
    renewed charm re-opens an old wound rather than making a new one [4, 8]."""
    return bond + REKINDLE * max(0.0, bond_at_end - bond)


# --- [5] injury and rage ------------------------------------------------------------------------
def wound(sensitivity: float, refusal: float, criticism: float, independence: float,
          setback: float) -> float:
    """sensitivity * (0.5 refusal + 0.25 criticism + 0.15 independence + 0.6 setback) [5]."""
    return sensitivity * (0.5 * refusal + 0.25 * criticism + 0.15 * independence
                          + 0.6 * setback)


def added_injury(injury: float, wound_: float) -> float:
    """I' = clip01(I + wound): a new wound on top of what remains of earlier ones [5]."""
    return clip01(injury + wound_)


def faded_injury(injury: float) -> float:
    """Each week 60% of the injury remains [5]."""
    return INJURY_MEMORY * injury


def rage_chance(injury: float, rivalry: float) -> float:
    """Rage becomes likely once injury passes its onset, more so with rivalry's
    aggressiveness (Back et al. 2013) [5]."""
    return clip01(1.5 * (injury - RAGE_ONSET) * (0.5 + rivalry))


def rage_target_weight(trigger: float) -> float:
    """Whom he turns his rage on: mostly the partner whose refusal or life wounded him this
    week, sometimes anyone at hand. The rage is his act; the weight only says where it lands [5]."""
    return RAGE_TARGET_BASE + trigger


def rage_harm(rivalry: float) -> float:
    """A rage episode harms sharply, more so from a man high in rivalry [5]."""
    return 0.12 + 0.12 * rivalry


def assertion_chance(boundary: float, false_self: float, devalued: bool,
                     conditioning: float) -> float:
    """She refuses or states a limit; more often once mistreated, less with a false self, and
    less when early life taught her that mistreatment is normal [5, 10]."""
    return (boundary * (1.0 - false_self) * (0.5 if devalued else 0.15)
            * (1.0 - 0.8 * conditioning))


# --- [6] envy -----------------------------------------------------------------------------------
def envy_chance(envy: float, outside_life: float, wellbeing: float) -> float:
    """His envy of her happiness outside the relationship, and his spoiling of it [6]."""
    return 0.6 * envy * outside_life * wellbeing




# --- [7] pre-emptive discard --------------------------------------------------------------------
def his_alternatives(audience_supply: float, supply_decay: float, need: float,
                     fresher_at_hand: bool) -> float:
    """What he could live on without her: the share of his need strangers' attention alone
    would keep up (audience / decay is the supply it settles at), and a newly idealized
    source [7]."""
    settled = audience_supply / supply_decay if supply_decay > 0.0 else 1.0
    from_strangers = settled / need if need > 0.0 else 1.0
    return clip01(from_strangers + (FRESHER_ALTERNATIVE if fresher_at_hand else 0.0))


def discard_chance(abandonment_fear: float, pull_away: float, yield_ratio: float,
                   alternatives: float) -> float:
    """He ends it first when she pulls away, or drops a source that no longer pays, the sooner
    the more other supply he can turn to [7]."""
    fear = 0.1 * abandonment_fear * pull_away ** 2
    unprofitable = DISCARD_UNPROFITABLE * (1.0 - yield_ratio) * alternatives
    return clip01(fear + unprofitable)


# --- [8] hoovering ------------------------------------------------------------------------------
def ex_outlook(weeks_without_contact: int, bond: float, refusals: int) -> float:
    """How much supply he still expects from an ex: fades with her silence and with every
    time she turns him down, so he gives up on an ex who keeps refusing [8]."""
    return ((0.4 + 0.6 * bond) * math.exp(-weeks_without_contact / HOOVER_OUTLOOK_WEEKS)
            * REFUSAL_DISCOUNT ** refusals)


def hoover_chance(propensity: float, hunger_: float, outlook: float) -> float:
    """He tries to pull an ex back when hungry and she still looks like a source [8]."""
    if outlook < HOOVER_GIVE_UP:
        return 0.0
    return 0.3 * propensity * (0.1 + 0.9 * hunger_) * outlook


def return_chance(bond: float, rescue: float, alternatives: float, boundary: float,
                  empathy: float, resolve: float, grief: float, self_esteem: float,
                  support: float = 0.0) -> float:
    """She goes back when bond, hope and forgiveness outweigh alternatives, boundary, her sense
    of her own worth, what earlier separations taught her (resolve), how far she has grieved
    and the support she has had since leaving (a plan, a safe place, someone to call) [8, 9,
    12, 19]."""
    return clip01(RETURN_BASE + 0.7 * bond + 0.35 * rescue + 0.2 * (empathy - 0.5)
                  - 0.3 * alternatives - RETURN_BOUNDARY * boundary - RETURN_RESOLVE * resolve
                  - 0.2 * grief - RETURN_ESTEEM * (self_esteem - 0.5)
                  - RETURN_SUPPORT * support)


# --- [9] staying or leaving: the investment model -----------------------------------------------
def satisfaction_target(warmth: float, perceived_harm: float, boundary: float,
                        grievance: float = 0.0) -> float:
    """Outcomes against her own standard of 0.5; firm partners weigh violations more [9], and
    what she has lived through in this relationship weighs on every week [18].

    Not clipped: a week of rage can pull satisfaction down faster than a cold week.
    """
    return (0.5 + 0.5 * warmth - HARM_COST * perceived_harm * (0.5 + boundary)
            - GRIEVANCE_COST * grievance)


def commitment_target(satisfaction: float, investment: float, bond: float, rescue: float,
                      illusion: float, alternatives: float, empathy: float) -> float:
    """Rusbult: commitment rises with satisfaction, investment, bond and hope, falls with
    alternatives; an empathic partner's compassion for him holds her a little too [9]."""
    return clip01(0.6 * satisfaction + 0.35 * investment + 0.3 * bond + 0.3 * rescue
                  + 0.15 * illusion + 0.2 * (empathy - 0.5) - 0.5 * alternatives)


def effective_alternatives(alternatives: float, outside_life: float, resolve: float) -> float:
    """Alternatives count for more when her life outside is full, and grow with what each
    separation taught her (a place to go, people who know) [9]."""
    rebuilt = alternatives + (1.0 - alternatives) * 0.6 * resolve
    return rebuilt * (0.5 + 0.5 * outside_life)


def acceptance_floor(boundary: float, self_esteem: float, resolve: float,
                     conditioning: float) -> float:
    """The least commitment she will accept staying for: higher with boundary, esteem and
    resolve; lower for a partner taught early that mistreatment is normal [9, 10]."""
    return ((0.1 + 0.2 * boundary + 0.1 * self_esteem + RESOLVE_FLOOR * resolve)
            * (1.0 - 0.8 * conditioning))


def leave_chance(commitment: float, floor: float, recent_perceived: float) -> float:
    """Once commitment drops below her floor, leaving grows likely week by week; at the worst
    of the harm she registers even a partner with a weak boundary sometimes breaks away [9, 10]."""
    below_floor = clip01(4.0 * (floor - commitment))
    breaking = BREAKING_POINT * clip01((recent_perceived - 0.05) / 0.05)
    return 1.0 - (1.0 - below_floor) * (1.0 - breaking)


def next_resolve(resolve: float) -> float:
    """Each separation leaves her something: resources, clarity, a plan [9]. A modelling choice
    informed by Okun 1988, who found an association (women with more earlier separations were
    likelier to leave for good) and read it as a process of building resources."""
    return resolve + RESOLVE_GAIN * (1.0 - resolve)


def rescue_fading(rescue: float) -> float:
    """Each new devaluation shows that love did not heal him: hope fades a little [9, 13]."""
    return 0.15 * rescue


# --- [10] conditioning --------------------------------------------------------------------------
def perceived(harm: float, conditioning: float) -> float:
    """A conditioned partner registers less of the harm that still reaches her [10]."""
    return harm * (1.0 - 0.8 * conditioning)


# --- [11] contagion -----------------------------------------------------------------------------
def empathy_now(empathy: float, cumulative_harm: float) -> float:
    """Long exposure wears empathy down, by up to 60% [11]."""
    return empathy * (1.0 - 0.6 * (1.0 - math.exp(-cumulative_harm / 3.0)))


def lash_out_chance(empathy: float, empathy_left: float) -> float:
    """Bitterness (lost empathy) sometimes spills onto others [11]."""
    return 0.02 * clip01((empathy - empathy_left) / max(empathy, 1e-9))




# --- [12] moving on -----------------------------------------------------------------------------
def grief_load(harm: float, bond_at_end: float, weeks_together: int) -> float:
    """How much there is to grieve: a brief, mostly idealized relationship little, a long
    abusive one more, but never without bound: distress fell over four weeks in young adults
    after ordinary break-ups (Sbarra & Emery 2005; the model's months go beyond that, a modelling
    choice) and after a loss most people are resilient or recover, a minority
    staying distressed (Mancini, Bonanno & Clark 2011), so the load saturates at
    GRIEF_LOAD_BASE + GRIEF_LOAD_SPAN [12, 19]."""
    years = min(weeks_together / 52.0, 5.0)
    raw = GRIEF_LOAD_HARM * harm + GRIEF_LOAD_BOND * bond_at_end + GRIEF_LOAD_YEAR * years
    return GRIEF_LOAD_BASE + GRIEF_LOAD_SPAN * (1.0 - math.exp(-raw / GRIEF_LOAD_SPAN))


def grief_rate(alternatives: float, therapy: float, boundary: float, no_contact: bool,
               wellbeing: float, load: float, self_esteem: float,
               chronic: bool = False) -> float:
    """Grief moves faster with support, therapy, no contact, a firm boundary and a sound sense
    of her own worth, and slower the more there is to grieve [12]; far slower on a chronic
    course [19]."""
    support = 0.2 + 0.6 * alternatives + therapy + 0.3 * boundary + 0.4 * self_esteem
    contact = NO_CONTACT_SPEEDUP if no_contact else 1.0
    course = CHRONIC_SLOWING if chronic else 1.0
    return GRIEF_RATE * support * contact * course * (0.3 + 0.7 * wellbeing) / load


def wellbeing_set_point(self_esteem: float, outside_life: float) -> float:
    """Where wellbeing settles with no one acting on it (Gottman's uninfluenced set point)."""
    return 0.3 + 0.4 * self_esteem + 0.3 * outside_life


def next_wellbeing(wellbeing: float, set_point: float, warmth: float, harm: float) -> float:
    """W' = W + 0.1 (set point - W) + 0.03 warmth - harm [2, 3]."""
    return clip01(wellbeing + WELLBEING_PULL * (set_point - wellbeing) + 0.03 * warmth - harm)


def esteem_loss(harm: float) -> float:
    """Harm that gets through lowers her self-esteem [3], before what holds it up slows it
    (`eroded_esteem`) [18]."""
    return 0.15 * harm


def esteem_repair(self_esteem: float, start: float, scar: float, therapy: float,
                  alternatives: float) -> float:
    """Self-esteem mends slowly after the end, never fully past its scar [12]."""
    room = start * (1.0 - 0.5 * scar) - self_esteem  # up to the ceiling left by the scar
    return (room if room > 0.0 else 0.0) * 0.01 * (0.5 + therapy + alternatives)


# --- [13] no cure by love -----------------------------------------------------------------------
def treated(trait: float, treatment: float) -> float:
    """Only treatment softens his traits, and only very slowly [13]."""
    return trait * (1.0 - TREATMENT_RATE * treatment)


# --- [14] selection -----------------------------------------------------------------------------
def target_appeal[V: (float, np.ndarray)](vulnerability: V, self_esteem: V, boundary: V,
                                          domain_value: V, outside_life: V) -> V:
    """He is drawn to the vulnerable, to those he can outshine, and to his ideal type [14, 16]."""
    exposed = (vulnerability + (1.0 - self_esteem) + (1.0 - boundary)) / 3.0
    return exposed * (0.5 + 0.5 * (1.0 - outside_life)) * (0.5 + 0.5 * domain_value)


def recruit_chance(effort: float, hunger_: float) -> float:
    """A hungry narcissist looks harder for new sources [1, 14]."""
    return effort * (0.2 + 0.8 * hunger_)


def accept_chance(charm: float, boundary: float, vulnerability: float) -> float:
    """She says yes to his courtship: charm works, a firm boundary sees through it [2, 14]."""
    return charm * (1.0 - 0.6 * boundary) * (0.5 + 0.5 * vulnerability)


# --- [15] grandiosity gap -----------------------------------------------------------------------
def next_achievement(achievement: float, setback: bool) -> float:
    """Real achievement recovers towards its base; a setback knocks it down [15]."""
    recovered = achievement + ACHIEVEMENT_PULL * (ACHIEVEMENT_BASE - achievement)
    return clip01(recovered - (SETBACK_SIZE if setback else 0.0))


def grandiosity_gap(grandiosity: float, achievement: float) -> float:
    """The distance between his self-image and his reality [15]."""
    return clip01(grandiosity - achievement)


# --- [16] two kinds of narcissist ---------------------------------------------------------------
def domain_value[V: (float, np.ndarray)](subtype: str, looks: V, intellect: V) -> V:
    """What he values in a partner: looks for the somatic, intellect for the cerebral [16]."""
    return looks if subtype == "somatic" else intellect


# --- [17] the boundary filter ---------------------------------------------------------------
def harm_through(raw_harm: float, boundary: float) -> float:
    """A firm boundary limits how much of an episode's harm gets through: a modelling choice,
    so "firmer boundaries, less harm" is built in, not discovered [17]."""
    return raw_harm * (1.0 - BOUNDARY_FILTER * boundary)


# --- [18] erosion within a relationship --------------------------------------------------------
def next_grievance(grievance: float, perceived_harm: float) -> float:
    """What she has lived through in this relationship accumulates, week on week: harm she
    registered, promises broken, a rising sense of what she is owed [18]."""
    return grievance + GRIEVANCE_GAIN * perceived_harm * (1.0 - grievance)


def forgiven(grievance: float) -> float:
    """Going back on his promises sets part of what she holds against him aside, for now [18]."""
    return grievance * (1.0 - PROMISES_FORGIVEN)


def esteem_floor(start: float, outside_life: float) -> float:
    """The self-esteem that other parts of her life (work, friends, interests) hold up however
    long the devaluation lasts; never above where she started [18]."""
    return min(start, ESTEEM_FLOOR + ESTEEM_HELD * outside_life)


def eroded_esteem(self_esteem: float, loss: float, floor: float) -> float:
    """Self-esteem after a loss that slows as it deepens: `loss` is what it would take from
    full self-esteem, scaled by the share of the way left to the floor, so erosion never
    passes the floor [18]."""
    if self_esteem <= floor:
        return self_esteem
    return max(floor, self_esteem - loss * (self_esteem - floor) / (1.0 - floor))


# --- [19] the ending and recovery ---------------------------------------------------------------
def loss_reaction(bond: float, investment: float, weeks_together: int,
                  discarded: bool) -> float:
    """The share of her wellbeing an ending takes at once: more the more was lost (bond,
    investment, years), more again for a partner who was left than for one who left [19]."""
    years = min(weeks_together / 52.0, 5.0)
    loss = LOSS_BASE + LOSS_BOND * bond + LOSS_INVESTMENT * investment + LOSS_YEAR * years
    return min(LOSS_MOST, loss * (LEFT_BEHIND if discarded else 1.0))


def chronic_chance(load: float, alternatives: float, therapy: float,
                   self_esteem: float) -> float:
    """Chance that grief takes a chronic course after this ending: a minority outcome, likelier
    the more there was to grieve and the less support and self-worth she has (Mancini,
    Bonanno & Clark 2011) [19]."""
    heavy = (load - GRIEF_LOAD_BASE) / GRIEF_LOAD_SPAN
    unsupported = clip01(1.0 - 0.5 * alternatives - therapy - 0.5 * self_esteem)
    return CHRONIC_RISK * clip01(heavy) * unsupported
