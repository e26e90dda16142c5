"""The nineteen mechanisms of the model, each with where it comes from and how strong that is.

This table is the one place that says, for each mechanism of docs/mechanisms.md (numbered as
there and as the `[n]` tags of model/dynamics.py), whether its central rule is a published
finding, the essay's view or a modelling choice, how strong the evidence for that rule is, and
which of the model's results follow from the rule by construction and which emerge from the
rules acting together. Labels of scenario notices are derived from it, and the documentation
tables are rendered from it, so a label cannot differ between pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from .parameters import BASES, ParameterError

GRADES = {
    "tested in several studies": "The central idea has been found in several published studies "
                                 "by different teams. The sizes the model gives it are still "
                                 "modelling choices.",
    "one or few studies": "One or a few published studies support the central idea, often in a "
                          "narrower group or setting than the model applies it to.",
    "a popular essay's view, untested": "The idea comes from the essay the model is built on, "
                                        "an anonymous popular essay that is not peer-reviewed. "
                                        "No study has tested it as the model states it; studies "
                                        "named beside it bear on a part of it only.",
    "no evidence: modelling choice": "No study stands behind the rule; the modellers picked it "
                                     "because it is simple and lets the model run.",
}
"""The evidence scale, strongest first, with what each grade means (shown on the page)."""


@dataclass(frozen=True)
class Mechanism:
    """One mechanism: its number and title, its label, its evidence and what rests on it.

    `basis` labels the central rule; `citations` are published sources for it or for parts of
    it (author, year); `built_in` names results that follow from the rule by construction;
    `emerges` names results no rule states, which come from rules acting together.
    """

    number: int
    title: str
    basis: str
    grade: str
    citations: tuple[str, ...]
    built_in: str
    emerges: str = ""

    def __post_init__(self) -> None:
        """Refuse a mechanism without a label or an evidence grade from the fixed lists."""
        if self.basis not in BASES:
            raise ParameterError(f"mechanism {self.number}: basis = {self.basis!r} is not "
                                 f"allowed: expected one of {', '.join(map(repr, BASES))}")
        if self.grade not in GRADES:
            raise ParameterError(f"mechanism {self.number}: grade = {self.grade!r} is not "
                                 f"allowed: expected one of {', '.join(map(repr, GRADES))}")
        if not self.built_in.strip():
            raise ParameterError(f"mechanism {self.number}: say which results are built in")


_ESSAY = "a popular essay's view, untested"

MECHANISMS = {m.number: m for m in [
    Mechanism(1, "Supply as an addiction", "the essay's view", _ESSAY, (),
              "He turns demanding and looks for new partners when his supply runs low: written "
              "into the rules. \"Narcissistic supply\" is a psychoanalytic idea, not a measured "
              "construct."),
    Mechanism(2, "Idealization", "the essay's view", _ESSAY,
              ("Paulhus 1998", "Back et al. 2010", "Leckelt et al. 2015"),
              "Every relationship starts warm, and a firmer boundary lets the illusion take "
              "less hold: written into the rules. That people high in narcissism make a good "
              "first impression is a published finding among strangers at zero acquaintance "
              "(Back et al. 2010, first-year students rating self-introductions); that it wears "
              "off over weeks of contact is a published finding from small groups meeting weekly "
              "(Paulhus 1998; Leckelt et al. 2015). Neither is about partners.",
              "How long a partner's illusion lasts with each agent."),
    Mechanism(3, "Devaluation", "the essay's view", _ESSAY,
              ("Back et al. 2013", "Leckelt et al. 2015"),
              "Devaluation follows idealization once disappointment passes a threshold, and it "
              "lowers her self-esteem and wellbeing: written into the rules.",
              "How long idealization lasts for each partner, and who is devalued first."),
    Mechanism(4, "Intermittent reinforcement", "modelling choice", "one or few studies",
              ("Dutton & Painter 1993",),
              "Relief after harm strengthens the trauma bond more than steady warmth does: "
              "written into the rules. Dutton & Painter 1993 did not test that comparison: "
              "they found, in abused women only and by correlation, that intermittent abuse "
              "together with a power imbalance went with a stronger attachment.",
              "How much longer partners stay under intermittent kindness than under the steady "
              "schedule."),
    Mechanism(5, "Narcissistic injury and rage", "the essay's view", "one or few studies",
              ("Back et al. 2013",),
              "His rage follows his injury, and a refusal injures him: written into the rules. "
              "The agent answers a partner's refusal with rage; the refusal does not cause it.",
              "Which partner meets his rage most often per week together."),
    Mechanism(6, "Envy", "the essay's view", _ESSAY, (),
              "He spoils a partner's outside life, more when it is fuller: written into the "
              "rules."),
    Mechanism(7, "Pre-emptive discard", "the essay's view", _ESSAY, (),
              "He ends relationships first when he senses a partner pulling away: written into "
              "the rules.",
              "The split between partners who left and partners who were discarded."),
    Mechanism(8, "Hoovering", "the essay's view", _ESSAY,
              ("Sbarra & Emery 2005", "O'Hara et al. 2020"),
              "He tries to pull an ex back when short of supply, and contact slows her "
              "recovery: written into the rules (the slowing after ordinary break-ups, not "
              "abusive ones, is a published finding).",
              "How many partners go back, and how often."),
    Mechanism(9, "Staying or leaving", "modelling choice", "tested in several studies",
              ("Rusbult 1980", "Rusbult & Martz 1995", "Le & Agnew 2003", "Okun 1988"),
              "Commitment rises with satisfaction and investment and falls with alternatives, "
              "and she leaves once it drops below what she will accept: written into the rules. "
              "That commitment follows satisfaction, investment and alternatives is a published "
              "finding (Rusbult 1980; Le & Agnew 2003), also in women at a shelter (Rusbult & "
              "Martz 1995); the leaving threshold, and the bond, rescue hope and compassion added "
              "to commitment, are modelling choices and the essay's view, so the mechanism as a "
              "whole is a modelling choice. The harm filter is mechanism 17, the erosion of "
              "satisfaction mechanism 18.",
              "Who leaves first, how many attempts leaving takes, and how long partners stay."),
    Mechanism(10, "Conditioning", "the essay's view", _ESSAY, (),
              "A conditioned partner notices less of the harm and accepts more before leaving: "
              "written into the rules (the essay's \"inverted narcissist\", one author's idea, "
              "not a diagnosis).",
              "How much longer a conditioned partner stays, and how much more harm she takes."),
    Mechanism(11, "Contagion", "the essay's view", _ESSAY, (),
              "With contagion on (it is off unless a scenario turns it on), long exposure "
              "wears a partner's empathy down and they sometimes lash out at others: written "
              "into the rules."),
    Mechanism(12, "Moving on", "modelling choice", _ESSAY,
              ("Sbarra & Emery 2005", "Sbarra 2006", "O'Hara et al. 2020",
               "Anderson & Saunders 2003", "Blasco-Ros et al. 2010"),
              "Grief moves through named stages, faster with support, therapy and no contact: "
              "written into the rules. The stages are the essay's view. That support, therapy "
              "and no contact speed it, and by how much, are modelling choices: the studies "
              "found that contact with an ex went with slower recovery after ordinary "
              "break-ups (Sbarra & Emery 2005; O'Hara et al. 2020), not that therapy speeds it.",
              "How long each partner takes to heal after a short or a long relationship."),
    Mechanism(13, "No cure by love", "the essay's view", _ESSAY, (),
              "Nothing a partner does changes his traits: written into the rules. The evidence "
              "on treatment is missing, not negative; the model's slow treatment is a "
              "modelling choice."),
    Mechanism(14, "Selection", "the essay's view", _ESSAY, (),
              "He approaches vulnerable people with low self-esteem and boundaries more often: "
              "written into the rules. Being chosen says nothing about what the partner did."),
    Mechanism(15, "Grandiosity gap", "the essay's view", _ESSAY, (),
              "A setback widens the gap between his self-image and his achievements and "
              "wounds him: written into the rules."),
    Mechanism(17, "The boundary filter", "modelling choice", "no evidence: modelling choice", (),
              "A firmer boundary lets less of each episode of the agent's harm through to the "
              "partner: written into the rules. So \"partners with firmer boundaries take less "
              "harm\" is built in, not discovered. The harm is the agent's doing either way."),
    Mechanism(18, "Erosion within a relationship", "modelling choice", "one or few studies",
              ("Karney & Bradbury 1995", "Lavner & Bradbury 2010"),
              "What she has lived through in this relationship accumulates as grievance and "
              "lowers her satisfaction week after week, and self-esteem erodes more slowly the "
              "lower it is, down to a floor her life outside holds up: written into the rules. "
              "That satisfaction declines over the years before a break-up is a published "
              "finding about couples in general (Karney & Bradbury 1995; Lavner & Bradbury "
              "2010); the grievance rule and the floor are modelling choices informed by it.",
              "That endings close a decline in satisfaction rather than arriving at random."),
    Mechanism(19, "The ending and recovery", "modelling choice", "one or few studies",
              ("Sbarra & Emery 2005", "Mancini, Bonanno & Clark 2011",
               "Blasco-Ros et al. 2010", "Sullivan & Bybee 1999"),
              "An ending takes a share of her wellbeing at once, more after a longer bond and "
              "more for a partner who was left; the load of grief is bounded; a minority, "
              "likelier after a heavy loss with little support, takes a chronic course; support "
              "after leaving lowers the chance of going back: written into the rules. That "
              "distress fell over four weeks in young adults after ordinary break-ups (Sbarra & "
              "Emery 2005), and that after a major life event most people are resilient or recover "
              "while a minority stayed less satisfied with life for years (Mancini, Bonanno & "
              "Clark 2011, a large German household panel), are published findings; the "
              "sizes, the draw of a chronic course and the effect of support on returns are "
              "modelling choices informed by it (Sullivan & Bybee 1999 for support).",
              "How long partners take to heal after short and long relationships, and how many "
              "are still grieving five years on."),
    Mechanism(16, "Two kinds of narcissist", "modelling choice", _ESSAY, (),
              "A somatic agent prizes looks and tires sooner, a cerebral one prizes intellect: "
              "written into the rules. The two types are the essay's, a popular typology, not a "
              "recognised classification; that a somatic agent tires sooner, and by how much, "
              "are modelling choices.",
              "Which partner he keeps idealizing longest."),
]}


MECHANISMS = dict(sorted(MECHANISMS.items()))


def mechanism(number: object, where: str) -> Mechanism:
    """Return mechanism `number`, or explain which numbers exist."""
    if isinstance(number, bool) or not isinstance(number, int) or number not in MECHANISMS:
        raise ParameterError(f"{where}: mechanism {number!r} is not allowed: expected a whole "
                             f"number from 1 to {len(MECHANISMS)} (see docs/mechanisms.md)")
    return MECHANISMS[number]


def weakest_basis(numbers: tuple[int, ...] | list[int]) -> str:
    """The weakest basis among these mechanisms: a claim that needs all of them is only as well
    founded as the least founded one."""
    return max((MECHANISMS[n].basis for n in numbers), key=BASES.index)


def label_for(numbers: tuple[int, ...] | list[int]) -> str:
    """The source label of a claim that rests on these mechanisms: their weakest basis, then
    which mechanisms it rests on.

    Only the weakest basis is named. Naming the stronger ones too ("published finding
    (mechanism 9); modelling choice (mechanism 17)") lets a reader hear "published finding" in
    a claim that a modelling choice decides.
    """
    if not numbers:
        return ""
    word = "mechanism" if len(numbers) == 1 else "mechanisms"
    return f"{weakest_basis(numbers)} ({word} {', '.join(map(str, numbers))})"
