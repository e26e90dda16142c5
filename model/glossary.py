"""Every term of the glossary, each with its source label, declared once.

docs/glossary.md and the dashboard's glossary are rendered from this table (model/cli/docs.py), so a
term cannot reach a student without saying where it comes from. A term's label is, in order of
preference, that of the parameter it names (model/parameters.py), that of the mechanisms it
belongs to (model/mechanisms.py), or its own. Words for the model's workings and the dashboard
(seed, step, projector mode) are labelled modelling choice: the makers chose them, and they
claim nothing about people.
"""

from __future__ import annotations

from dataclasses import dataclass

from .mechanisms import label_for, mechanism
from .parameters import BASES, GROUPS, ParameterError

ESSAY = "the essay's view"
TOOL = "modelling choice"
PAGES = ("docs", "dashboard")
"""docs: the model's terms (docs/glossary.md); dashboard: the words of the dashboard itself."""


@dataclass(frozen=True)
class Term:
    """One glossary entry and where its idea comes from.

    Exactly one of `param` ("group.name"), `mechanisms` or `basis` says where the idea comes
    from; `source` names a publication (author, year) or qualifies a basis.
    """

    name: str
    note: str
    text: str
    param: str = ""
    mechanisms: tuple[int, ...] = ()
    basis: str = ""
    source: str = ""
    page: str = "docs"

    def __post_init__(self) -> None:
        """Refuse a term without exactly one source of its label, or with an unknown one."""
        given = [bool(self.param), bool(self.mechanisms), bool(self.basis)]
        where = f"glossary term {self.name!r}"
        if sum(given) != 1:
            raise ParameterError(f"{where}: give exactly one of param, mechanisms or basis, "
                                 "so that the term says where it comes from")
        if self.page not in PAGES:
            raise ParameterError(f"{where}: page = {self.page!r} is not allowed: expected one "
                                 f"of {', '.join(PAGES)}")
        if self.param:
            group, _, name = self.param.partition(".")
            if name not in GROUPS.get(group, {}):
                raise ParameterError(f"{where}: param = {self.param!r} names no parameter")
        for number in self.mechanisms:
            mechanism(number, where)
        if self.basis and self.basis not in BASES:
            raise ParameterError(f"{where}: basis = {self.basis!r} is not allowed: expected "
                                 f"one of {', '.join(map(repr, BASES))}")
        if self.basis == "published finding" and not self.source:
            raise ParameterError(f"{where}: a published finding needs its source (author, year)")

    @property
    def label(self) -> str:
        """Where the term's idea comes from, in the words the pages show."""
        if self.param:
            group, _, name = self.param.partition(".")
            return GROUPS[group][name].label
        if self.mechanisms:
            return label_for(self.mechanisms)
        return self.basis + (f": {self.source}" if self.source else "")


TERMS = (
    Term('Abandonment fear', '`abandonment_fear`',
         'How strongly the agent fears being left; in the model it makes the agent end a '
         'relationship first on sensing a partner pulling away.',
         param="narcissist.abandonment_fear"),
    Term('Acceptance', 'recovery stage',
         'The third stage of grief, in which the partner comes to accept what happened; it '
         'follows anger and comes before mourning.',
         mechanisms=(12,)),
    Term('Achievement', '',
         "The agent's real standing in life (work, status) in the model. Setbacks lower it and "
         "it recovers slowly; the distance from the agent's self-image is the grandiosity gap.",
         mechanisms=(15,)),
    Term('Alternatives', '`alternatives`',
         'What a partner could turn to outside the relationship: friends, family, money, work, '
         'other options. Better alternatives lower commitment, bring an earlier exit and speed '
         'recovery.',
         param="partner.alternatives"),
    Term('Anger', 'recovery stage',
         'The second stage of grief, a time of protest and outrage after the first shock.',
         mechanisms=(12,)),
    Term('Assertion', '',
         'A week in which a partner refuses something or states a limit. The agent takes it as '
         "an injury and may answer it with rage; the rage is the agent's doing, and the "
         'assertion is how a boundary shows.',
         mechanisms=(5,)),
    Term('Attached', '`attached`',
         'A scenario setting: the partner starts the run already in an idealizing relationship '
         'with a narcissist.',
         param="partner.attached"),
    Term('Audience noise', '`audience_noise`',
         "How much the background audience's attention varies from week to week; more noise "
         'means leaner and richer weeks for the agent, with the same average.',
         param="world.audience_noise"),
    Term('Audience supply', '`audience_supply`',
         'The small, irregular attention the agent gets from people outside its close '
         'relationships, such as strangers and colleagues.',
         param="world.audience_supply"),
    Term('Boundary', '`boundary`',
         'How firmly a partner holds their limits. In the model a firm boundary helps the '
         'partner see through the early facade, makes them refuse mistreatment, lets less harm '
         'through, makes each violation count for more, raises the least they will accept '
         'before leaving, makes going back less likely and speeds grief. It protects the '
         'partner in the model; it does not cause what the agent does.',
         param="partner.boundary"),
    Term('Boundary filter', 'harm filter',
         'The rule that a firmer boundary lets less of each episode of harm through to the '
         'partner: even the firmest lets half of it through. It is an assumption of the model, '
         'so a run in which partners with firmer boundaries take less harm confirms the rule '
         'rather than discovering anything. The harm is the doing of the person who causes it '
         'either way.',
         mechanisms=(17,)),
    Term('Breaking point', '',
         'In the model, a small weekly chance that a partner leaves when the harm is at its '
         'worst, whatever their boundary and commitment: even someone who has stayed through a '
         'great deal sometimes breaks away. A modelling choice, not a published finding.',
         basis="modelling choice"),
    Term('Chronic grief course', '',
         'In the model, the minority of endings after which grief moves far more slowly than '
         'usual. Whether it happens is drawn by chance at each ending (and, less likely, at '
         'each attempt to win the partner back that reaches them while still grieving): '
         'likelier after a heavy loss, less likely with support, therapy and self-worth. That '
         'after a major life event a minority of people stayed less satisfied with life for '
         'years is a published finding (Mancini, Bonanno & Clark 2011, a large German household '
         'panel); the draw and its sizes are modelling choices.',
         mechanisms=(19,)),
    Term('Cerebral', 'subtype',
         'A narcissist agent that seeks attention for intellect and for being admired; it '
         "idealizes a partner's mind (`intellect`). A popular type from the essay, not a "
         'recognised classification.',
         mechanisms=(16,)),
    Term('Charm', '`charm`',
         'How appealing the agent is at first. Research links this early appeal to the '
         '"admiration" side of narcissism.',
         param="narcissist.charm"),
    Term('Commitment', '',
         "A partner's intent to stay in the relationship, from 0 to 1. Following the investment "
         'model it rises with satisfaction, investment, the trauma bond, the rescue fantasy, '
         'the illusion and (a little) compassion for the agent, and falls with good '
         'alternatives. The partner leaves when it falls below what they will accept, or at a '
         'breaking point.',
         mechanisms=(9, 11)),
    Term('Conditioning', '`conditioning`',
         "How far early life taught a partner to treat mistreatment as normal (the essay's "
         'view). A conditioned partner notices less of the harm, though it still harms them, '
         'and accepts more before they would leave.',
         param="partner.conditioning"),
    Term('Confidence interval (95%)', '',
         'A range that would contain the true average in about 95 of 100 repeated experiments; '
         'on the Boundaries page it is the shaded band around each line. Narrow bands mean '
         'many seeds agree.',
         basis=TOOL),
    Term('Contagion', '',
         'The essay\'s idea that long exposure can make a partner bitter and less caring '
         'towards others, so that the harm spreads beyond the relationship. No study is '
         'behind it. Off unless a scenario turns it on (world.contagion).',
         mechanisms=(11,)),
    Term('Content note', '',
         'A short warning about difficult subject matter; see '
         '[content_note.md](content_note.md).',
         basis=TOOL),
    Term('Cycle', '',
         'One round of idealization followed by devaluation. The idealize-devalue-discard '
         'cycle is the essay\'s description, a popular idea, not a pattern research has '
         'established. The outcome column `cycles` counts how many times devaluation began '
         'for a partner.',
         mechanisms=(3,)),
    Term('Devalue, devaluation', '',
         'The phase in which the agent treats a partner with criticism, contempt or coldness, '
         'once the real person fails to match the ideal image the agent made of them.',
         mechanisms=(3,)),
    Term('Disappointment', '',
         "How far, in the agent's eyes, the real partner has fallen short of the ideal image; "
         "it builds up during idealization until it crosses the agent's threshold "
         '(`disappointment_threshold`).',
         mechanisms=(3,)),
    Term('Discard', '',
         'The phase in which the agent ends the relationship, abruptly; in the outcome table '
         '`end_reason` is then "discarded".',
         mechanisms=(7,)),
    Term('Empathy', '`empathy`',
         "A partner's capacity to feel for others. With contagion on (the essay's view), long "
         'exposure wears it down. In the model it also holds the partner a little in the '
         'relationship (compassion for the agent) and makes going back after a hoover more '
         "likely (forgiveness), following the essay's view.",
         param="partner.empathy"),
    Term('End reason', '',
         'How a partner\'s story stands at the end of the run: "left" (the partner ended it), '
         '"discarded" (the agent ended it), "ongoing" (still together) or "never" (never in a '
         'relationship).',
         basis=TOOL),
    Term('Envy', '`envy`',
         "The agent's resentment of a partner's happiness or success outside the relationship, "
         'on which the agent sometimes acts by belittling or spoiling it; each episode hurts '
         'the partner and costs them some outside life.',
         param="narcissist.envy"),
    Term('False self', '',
         'The guarded, silenced way of being a partner develops to avoid setting the agent off, '
         'often described as walking on eggshells. It grows with harm and makes the partner '
         'voice fewer needs.',
         mechanisms=(3,)),
    Term('Flush', '',
         "The agent's state when its supply runs well above its need; a flush agent can afford "
         'moments of generosity.',
         mechanisms=(1,)),
    Term('Generated partners', '`generated_partners`',
         'Extra people a scenario creates at random around the shared partner settings, for '
         'populations such as the community preset.',
         param="world.generated_partners"),
    Term('Grandiosity, grandiosity gap', '`grandiosity`',
         "The agent's inflated picture of itself, and the distance between that picture and its "
         "real achievements. A wider gap raises the agent's need for supply.",
         param="narcissist.grandiosity"),
    Term('Grief', '',
         'The process of coming to terms with the end of the relationship, tracked in the '
         'model as progress from 0 to 1 through the recovery stages.',
         mechanisms=(12,)),
    Term('Grief load', '',
         'How much there is to grieve after an ending, set when the relationship ends: more '
         'with the harm the partner has taken, the bond they still felt and the time they spent '
         'with the agent. Grief moves more slowly the heavier the load, so in the model a '
         'brief, mostly idealized relationship is grieved within months and a long, harmful one '
         'takes longer; the load has a ceiling, so even a long relationship is not grieved '
         'without end. Sbarra & Emery 2005 found that distress fell over four weeks in young '
         'adults after ordinary break-ups; the months and years of the model go beyond what '
         'they followed.',
         basis="modelling choice",
         source="informed by Sbarra & Emery 2005 and Mancini, Bonanno & Clark 2011"),
    Term('Grievance', 'erosion of satisfaction',
         'What a partner has lived through in a relationship, adding up week by week from the '
         'harm they noticed: criticism, coldness, broken promises. It weighs on their '
         'satisfaction every week, so satisfaction wears down over the relationship; going '
         'back sets part of it aside for a while, and apart it fades slowly. That satisfaction '
         'tends to decline before a break-up is a published finding about couples in general '
         '(Karney & Bradbury 1995; Lavner & Bradbury 2010); the grievance rule is a modelling '
         'choice.',
         mechanisms=(18,)),
    Term('Harm vs perceived harm', '',
         "Harm is what the agent's treatment actually does to a partner; perceived harm is the "
         'part the partner registers. They differ when the partner is conditioned. Harm lowers '
         'wellbeing; perceived harm is what lowers satisfaction.',
         mechanisms=(10,)),
    Term('Healed', 'recovery stage',
         'The end of grieving: the partner can trust and love again, though they remember. The '
         'week this happens is `recovered_step`.',
         mechanisms=(12,)),
    Term('Hoover propensity', '`hoover_propensity`',
         'How readily the agent tries to pull an ex back when short of supply.',
         param="narcissist.hoover_propensity"),
    Term('Hoover, hoovering', '',
         "The agent's attempt to pull an ex back into the relationship with renewed charm, "
         'named after the vacuum cleaner brand. The word is common usage, not a clinical term. '
         'In the model each time the ex turns the agent down (or, keeping no contact, does not '
         'answer) the agent expects less from them, and stops once it sees nothing left to gain.',
         mechanisms=(8,)),
    Term('Hunger', '',
         "How far the agent's supply has fallen below its need, as a share of the need. A "
         'hungry agent is harsher, more easily disappointed and more eager for new sources.',
         mechanisms=(1,)),
    Term('Idealize, idealization', '',
         'The opening phase in which the agent relates to a perfect image of the partner and '
         'showers them with attention.',
         mechanisms=(2,)),
    Term('Illusion', '',
         'How much the partner believes in the ideal image the agent presented at the start; it '
         'grows during idealization and fades during devaluation.',
         mechanisms=(2,)),
    Term('Injury', 'narcissistic injury; `injury_sensitivity`',
         'The hurt the agent feels when refused, criticized or reminded that others have lives '
         'of their own. Enough of it leads to rage.',
         param="narcissist.injury_sensitivity"),
    Term('Intermittent reinforcement', '`reinforcement`',
         'Kindness given unpredictably between episodes of harm. Among women who had left '
         'abusive partners, abuse that came and went, together with a power imbalance, went '
         'with a stronger attachment (Dutton & Painter 1993, a correlational study). That it '
         'ties more strongly than steady kindness would is what the model assumes, not what '
         'was tested. See also kindness schedule.',
         param="narcissist.reinforcement"),
    Term('Inverted narcissist', '',
         'A popular term for what the model calls conditioning; the model does not use it for '
         'people. In the essay it names a partner conditioned in childhood to accommodate a '
         "narcissist and to tune out the abuse. It is one author's notion, not a recognised "
         'diagnosis; the model represents the idea through `conditioning`.',
         mechanisms=(10,)),
    Term('Investment model', '',
         'A theory of commitment from relationship research (Rusbult): people stay committed '
         'when they are satisfied, have invested much, and see poor alternatives.',
         basis="published finding", source='Rusbult 1980; Rusbult & Martz 1995; Le & Agnew 2003'),
    Term('Investment', '',
         'What the partner has put into the relationship: time, shared life, effort. It grows '
         'week by week and makes leaving harder.',
         basis="published finding", source='Rusbult 1980'),
    Term('Kindness schedule', '`kindness_schedule`, steady vs intermittent',
         "How the agent's warmth arrives during devaluation. Intermittent (the default): now "
         'and then a sudden kind spell after harm, with cold weeks in between. Steady: the same '
         'warmth and harm on average, spread evenly over every week, with no spells of relief. '
         'Steady is a "what if" comparison, chosen by the modellers, that shows what the '
         'unpredictability itself adds; it has not been tested in real relationships.',
         param="narcissist.kindness_schedule"),
    Term('Loss reaction', '',
         'The drop in wellbeing at the moment a relationship ends, before recovery begins: '
         'larger after a long, close relationship with a strong bond and much invested, and '
         'larger for the partner who was left than for the one who left. A modelling choice; '
         'that distress after a break-up then eases over weeks is a published finding (Sbarra '
         '& Emery 2005).',
         mechanisms=(19,)),
    Term('Lash-out', '',
         'A moment when a worn-down partner snaps at someone who did nothing wrong; in the '
         "model it is counted and told, and the friend draws back a little, so the partner's "
         'outside life shrinks. It affects no other person in the model.',
         mechanisms=(11,)),
    Term('Max sources', '`max_sources`',
         'How many close partners the agent keeps at once.',
         param="narcissist.max_sources"),
    Term('Mourning', 'recovery stage',
         'The fourth stage of grief, the sadness for what was lost, including the person the '
         'partner thought the agent was.',
         mechanisms=(12,)),
    Term('Narcissist', '',
         'In this model, an agent that needs a steady flow of attention to hold up its '
         'self-image and treats partners as sources of it; it harms them by the rules the model '
         'gives it. The word follows the essay. The agent is not a portrait of people with '
         'narcissistic personality disorder or of people high in trait narcissism, and the '
         'model is not a tool for deciding whether anyone has a disorder.',
         basis=ESSAY),
    Term('Narcissistic personality disorder (NPD)', '',
         'A clinical diagnosis, made by a trained clinician after an assessment. Estimates of '
         'how many people meet it in their lifetime vary widely between studies: from 0 to '
         '6.2%, about 1% on average (Dhawan et al. 2010); 6.2% is the highest estimate '
         '(Stinson et al. 2008). The model simulates none of the diagnosis; see Narcissist.',
         basis="published finding", source="Dhawan et al. 2010; Stinson et al. 2008"),
    Term('Trait narcissism', '',
         'Narcissism as a personality trait that everyone has to some degree, measured by '
         'questionnaires in the general population; research splits it into an admiration '
         'side and a rivalry side. High trait narcissism is not a diagnosis.',
         basis="published finding", source="Back et al. 2013"),
    Term('Published finding', 'source label',
         'A claim that rests on a named, published study (author, year). The model still '
         'chooses the sizes; see the evidence grade of each mechanism.',
         basis=TOOL),
    Term("The essay's view", 'source label',
         'A claim that comes from the anonymous, popular essay the model is built on, not '
         'from tested research. The essay is not peer-reviewed and names no author or '
         'credentials.',
         basis=TOOL),
    Term('Modelling choice', 'source label',
         'A rule or a number the modellers picked so that the model can run, because it is '
         'simple and plausible; no study stands behind it.',
         basis=TOOL),
    Term('Evidence grade', '',
         'How strong the evidence for a mechanism is, on a four-step scale: tested in several '
         'studies, one or few studies, a popular essay\'s view (untested), no evidence '
         '(modelling choice). The Evidence section of Learn says what each grade means.',
         basis=TOOL),
    Term('Narcissists', '`narcissists`',
         'How many narcissists a scenario has.',
         param="world.narcissists"),
    Term('No contact', '`no_contact`',
         "A partner's decision to cut all contact after leaving: no replies, no meetings. In "
         'the model it speeds grief and makes every hoover fail; both are written into its '
         'rules, and their sizes are modelling choices. The published finding in the label is '
         'narrower: contact with an ex went with slower recovery after ordinary break-ups, not '
         "abusive ones (Sbarra & Emery 2005), and in O'Hara et al. 2020 only among people "
         'without children; where there are children, contact often cannot simply stop. Whether '
         'cutting contact helps after an abusive relationship has not been tested. Safety '
         'first: leaving can raise the risk of serious violence (Campbell et al. '
         '2003 found that separating from a highly controlling partner after living together '
         'went with a higher risk of being killed), so safety planning with a specialist '
         'domestic abuse service comes first.',
         param="partner.no_contact"),
    Term('Outcome table', '',
         "One row per partner at the end of a run: how the partner's story ended, how long they "
         "were with the agent, how many cycles, returns and hoovers, how much of the agent's "
         'harm reached them, and whether they recovered.',
         basis=TOOL),
    Term('Outside life', '`outside_life`',
         "How full a partner's life is beyond the relationship: work, friends, interests. It "
         'supports the partner; the agent may envy it.',
         param="partner.outside_life"),
    Term('Partner variation', '`partner_variation`',
         'How much generated partners differ from one another around the shared settings.',
         param="world.partner_variation"),
    Term('Partner', '',
         'Anyone close to the agent: spouse, lover, friend or colleague (`role`).',
         param="partner.role"),
    Term('Phase', '',
         'Where a relationship stands: idealize, devalue, discard, hoover or ended. In the '
         'timeline "single" means a partner who has never been in a relationship.',
         mechanisms=(3,)),
    Term('Preset', '',
         'A ready-made scenario shipped with the model, such as `classroom` (one narcissist '
         'agent, four partners with different boundaries; two of them stand out for looks, two for '
         'intellect).',
         basis=TOOL),
    Term('Rage episode', '',
         "An outburst of the agent's that harms a partner sharply. The agent's injury makes it "
         'likely, and an agent high in rivalry rages more readily and more harshly. In the '
         'model the agent rages at most once a week, mostly at the partner whose refusal or '
         'outside life wounded the agent that week. Counted as `rage_episodes`.',
         mechanisms=(5,)),
    Term('Recovery stages', '',
         "The model's stages of grief after an ending: shock, anger, acceptance, mourning and "
         'healed, plus stuck once grief has not moved on for two years. The stages follow the '
         'essay; '
         'they are not a sequence research has measured.',
         mechanisms=(12,)),
    Term('Recruit effort', '`recruit_effort`',
         'How actively the agent looks for new partners when short of supply; at 0 the agent '
         'courts no one new.',
         param="narcissist.recruit_effort"),
    Term('Rescue fantasy', '`rescue_fantasy`',
         "A partner's belief that enough love will heal the agent (the essay's view). In the "
         'model it keeps the partner in the relationship and fades slowly as cycles repeat; it '
         'changes nothing in the agent.',
         param="partner.rescue_fantasy"),
    Term('Resolve', '',
         'What each separation leaves a partner with: knowing where they could go, who would '
         'help, what going back costs. It starts at 0 and grows at every ending, whoever ended '
         'it. In the model it raises the least the partner will accept, widens their '
         'alternatives and makes going back less likely, so later attempts to leave hold better '
         '(after Okun 1988, who described leaving as a process over several separations).',
         basis="modelling choice", source="after Okun 1988"),
    Term('Return', '',
         'Going back to the agent after an ending, usually after a hoover. Counted as `returns`.',
         mechanisms=(8,)),
    Term('Rivalry', '`rivalry`',
         'The harsh, competitive side of narcissism that research links to conflict and to a '
         'decline in how others see a person over time. In the model it sets how harsh the '
         "agent's devaluation and rage are.",
         param="narcissist.rivalry"),
    Term('Satisfaction', '',
         'How good the relationship feels to the partner, measured against a neutral 0.5. '
         'Warmth raises it; perceived harm lowers it, and so does the grievance built up over '
         'the relationship.',
         mechanisms=(9, 18)),
    Term('Scenario', '',
         'A file in `scenarios/` that sets up a run: who is in it, their traits, how long it '
         'lasts, and what to watch and try.',
         basis=TOOL),
    Term('Seed', '',
         'The number that fixes every random event in a run. The same scenario, settings and '
         'seed always give the same story; a different seed shows another possible story.',
         basis=TOOL),
    Term('Selection', '',
         "Whom the agent approaches when looking for a new source: in the essay's view, the "
         'vulnerable, those with low self-esteem and weak boundaries, and those the agent can '
         'outshine. Being approached says nothing about what a person did; a study of student '
         'couples found no such partner profile (Lamkin et al. 2015).',
         mechanisms=(14,)),
    Term('Self-esteem', '`self_esteem`',
         "A partner's sense of their own worth. Devaluation wears it down, more slowly the "
         'lower it is and never below a floor (see self-esteem floor); it mends slowly '
         'afterwards, but not always to where it was.',
         param="partner.self_esteem"),
    Term('Self-esteem floor', '',
         "The lowest a partner's self-esteem can be worn down to in the model, however long "
         'the devaluation lasts: other parts of their life (work, friends, interests) hold it '
         'up, so the fuller their outside life, the higher the floor, and it is never above '
         'where they started. A modelling choice.',
         mechanisms=(18,)),
    Term('Set point', '',
         "The level a partner's wellbeing drifts back to when nobody acts on it; it depends on "
         "the partner's self-esteem and outside life, and is lower while they grieve.",
         basis="modelling choice"),
    Term('Setback', '`setback_rate`',
         "A blow in the agent's life, such as losing a job or a public failure, that widens the "
         'grandiosity gap and wounds the agent.',
         param="narcissist.setback_rate"),
    Term('Shock', 'recovery stage',
         'The first stage of grief right after an ending: numbness and disbelief.',
         mechanisms=(12,)),
    Term('Somatic', 'subtype',
         'A narcissist agent that seeks attention for looks and sexual appeal; it idealizes a '
         "partner's looks (`looks`). Somatic and cerebral are a popular typology from the "
         'essay, not a recognised classification.',
         mechanisms=(16,)),
    Term('Step', '',
         'One week of simulated time.',
         basis=TOOL),
    Term('Story of the run', '',
         'The list of events the model narrates week by week (they met, the agent turned on the '
         'partner, the partner left, the agent tried to win them back), shown beside the charts.',
         basis=TOOL),
    Term('Stuck', 'recovery stage',
         'The label the tables give (`stuck`) when a partner has spent two years in one stage '
         'of grief. It says where the run has got to, not what the person is: recovery can '
         'still come, and in the model support makes it likelier.',
         mechanisms=(12,)),
    Term('Subtype', '`subtype`',
         'Somatic or cerebral: where the agent seeks supply and what it idealizes in a partner.',
         param="narcissist.subtype"),
    Term('Supply', 'narcissistic supply',
         "Attention, admiration and reaction from others that, in the essay's view, the agent "
         'needs to feel worthy. It wears off each week (`supply_decay`), and the agent needs a '
         'level of it (`supply_need`). "Narcissistic supply" is a psychoanalytic idea taken up '
         'by popular writing, not a measured construct.',
         mechanisms=(1,)),
    Term('Therapy', '`therapy`',
         'Support after leaving: a therapist, an advocate, a group. In the model it speeds '
         'recovery, helps self-esteem mend, makes a chronic course of grief less likely and '
         'makes going back less likely: modelling choices. Sullivan & Bybee 1999 studied '
         'community advocacy for women leaving a shelter (less abuse and a better quality of '
         'life over two years), not therapy; Anderson & Saunders 2003 is a review of studies '
         'of leaving an abusive partner and well-being afterwards, not a test of therapy.',
         param="partner.therapy"),
    Term('Timeline', '',
         "The week-by-week record of each partner's phase, wellbeing, trauma bond, commitment "
         'and other states, which the charts draw.',
         basis=TOOL),
    Term('Trauma bond', '',
         'A strong attachment to someone who hurts them, which in the model grows when harm '
         'alternates with relief. Dutton & Painter (1993) measured such an attachment in women '
         'who had left abusive partners ("traumatic bonding"); in everyday use "trauma bond" is '
         'a looser, popular term. They did not compare it with steady treatment: that relief '
         "ties a partner more than steady kindness would is the model's counterfactual, a "
         'modelling choice. It fades slowly after the relationship ends (`bond_decay`). A '
         'hoover that reaches the partner can revive part of it, never beyond what they felt '
         'when it ended.',
         basis="published finding", source='Dutton & Painter 1993, abused women, correlational'),
    Term('Treatment', '`treatment`',
         'Professional treatment of the narcissist agent, off by default. It is the only thing '
         "in the model that changes the agent's traits, and only very slowly.",
         param="narcissist.treatment"),
    Term('Vulnerability', '`vulnerability`',
         'How exposed a person is to being targeted in the model, for example through '
         'loneliness, a life crisis or a strong need for approval. Being approached says '
         'nothing about what a person did; a study of student couples found no such partner '
         'profile (Lamkin et al. 2015).',
         param="partner.vulnerability"),
    Term('Weeks devalued', '',
         'In the outcome table, the total number of weeks a partner spent in devaluation, over '
         'all returns.',
         basis=TOOL),
    Term('Weeks to exit', '',
         'In sweeps and on the Boundaries page, the weeks from meeting the agent to the final '
         "end of the partner's last relationship with the agent (counted to the end of the run "
         'if they are still together).',
         basis=TOOL),
    Term('Weeks', '`weeks`',
         'How long a run lasts; one step of the model is one week, so 520 weeks are ten years.',
         param="world.weeks"),
    Term('Wellbeing', '',
         'How the partner is doing overall, from 0 to 1. It drifts towards a personal set point '
         'and is pushed up by warmth and down by harm.',
         basis="modelling choice"),
    Term('95% band (confidence interval)', '',
         'On the Boundaries page, the shaded band around each mean. If the sweep were repeated '
         'many times with fresh seeds, bands built this way would contain the true average of '
         'the model about 95 times in 100. A narrow band means the seeds agree; it says '
         'nothing about real people.',
         basis=TOOL, page="dashboard"),
    Term('Cycles', 'outcome table',
         'How many times devaluation of the partner began.',
         mechanisms=(3,), page="dashboard"),
    Term('Ended, healed / ended, recovering', 'phase colours',
         'After the relationship has ended the partner is either still grieving (recovering) '
         'or has reached the end of grief (healed).',
         mechanisms=(12,), page="dashboard"),
    Term('Exit week', 'outcome table, Compare',
         "The week the partner's relationship ended for the last time, by the partner leaving or "
         """by the agent's discard; "-" if it was still going on at the end of the run.""",
         basis=TOOL, page="dashboard"),
    Term('Hoovers', 'outcome table',
         'How many times the agent tried to pull the partner back after an ending.',
         mechanisms=(8,), page="dashboard"),
    Term('How it ended', 'outcome table',
         '"the partner left", "discarded by the agent", "still together" at the end of the '
         'run, or "never approached".',
         basis=TOOL, page="dashboard"),
    Term('Mean', '',
         'The average over the runs with different seeds at one boundary value.',
         basis=TOOL, page="dashboard"),
    Term('Need', 'supply chart',
         'The supply level below which the agent feels starved and turns demanding.',
         param="narcissist.supply_need", page="dashboard"),
    Term('No relationship', 'phase colours',
         'Weeks in which a person has no relationship with a narcissist.',
         basis=TOOL, page="dashboard"),
    Term('Predict first', '',
         'Writing down what you expect before a run, so that the result can surprise you.',
         basis=TOOL, page="dashboard"),
    Term('Pause when', 'Explore',
         'Playback stops by itself in the week the chosen kind of event happens (a devaluation '
         'starts, a partner leaves, the agent discards someone, someone goes back), and the bar '
         'above the charts says what happened. The phase chart and the story mark the same '
         'moments with the same symbols.',
         basis=TOOL, page="dashboard"),
    Term('Projector mode', '',
         'Large type and charts drawn for a lecture hall; nothing on the pages is lost when it '
         'is switched on or off.',
         basis=TOOL, page="dashboard"),
    Term('Rescue hope', 'Explore chart',
         "What is left of the partner's rescue fantasy: the belief that love will heal the "
         'agent. It fades slowly with each cycle.',
         param="partner.rescue_fantasy", page="dashboard"),
    Term('What if, from week k', 'Explore, Compare',
         "Two runs that share the Explore run's history up to week k and differ in one setting "
         'from then on.',
         basis=TOOL, page="dashboard"),
    Term('Who is with whom', 'Explore, presets with several narcissists',
         "This week's relationships: a thick line for one under way, in its phase's colour, a "
         'dotted one for one that has ended.',
         basis=TOOL, page="dashboard"),
    Term('Speed (weeks per second)', '',
         'How fast playback moves through simulated time (2 by default, slow enough to talk '
         'over). On a slow machine the charts update less often, but the weeks keep their '
         'pace.',
         basis=TOOL, page="dashboard"),
    Term('Weeks devalued', 'outcome table',
         'Weeks the partner spent in the devaluation phase, over all cycles.',
         basis=TOOL, page="dashboard"),
    Term('Weeks from exit to healing / weeks to heal', '',
         'Weeks from the final exit to the end of grief; "-" if not healed by the end '
         'of the run. In the Boundaries sweep a partner not healed by the end counts up to the '
         'last week.',
         basis=TOOL, page="dashboard"),
    Term('Weeks to final exit', 'Boundaries',
         'Weeks from first meeting the agent to the final end of the relationship; a relationship '
         'still going at the end counts as lasting the whole run.',
         basis=TOOL, page="dashboard"),
    Term('Went back', 'outcome table',
         'How many times the partner went back to the agent after an ending.',
         mechanisms=(8,), page="dashboard"),
)


def terms(page: str) -> list[Term]:
    """The terms of one page, in alphabetical order."""
    return sorted((t for t in TERMS if t.page == page), key=lambda t: t.name.lower())
