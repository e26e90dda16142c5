"""Every parameter of the model, declared once.

Scenario files, dotted-path overrides, the command line, the dashboard's inputs and the
documentation's tables all read these declarations; nothing else types a default or a range.
Continuous traits live in [0, 1]: they are positions on a scale from "none" to "as much as the
model allows", not measurements, so a reader should compare them, never read them as units.
"""

from __future__ import annotations

import math
import numbers
import unicodedata
from dataclasses import dataclass
from typing import Any

from .text import unsafe


class ParameterError(ValueError):
    """A user's input names an unknown parameter or gives it a value it cannot take."""


NUMBER_KINDS = ("float", "int")
"""The kinds whose values are numbers with an allowed range (`low` to `high`)."""


BASES = ("published finding", "the essay's view", "modelling choice")
"""The source labels every claim carries, strongest first: a named published study, the view of
the essay the model is built on (an anonymous popular essay, not peer-reviewed), or a rule the
modellers picked because it is simple and lets the model run."""


@dataclass(frozen=True)
class TextRule:
    """How long a text field may be, and whether it may hold line breaks.

    No text field holds a control character (ESC, TAB, CR...) or a direction override (U+202E
    and its kin): a name printed raw could recolour or rewrite a terminal, a TAB or CR split a
    row of outcomes.csv, and an override makes text read backwards. Letters of every script,
    emoji, `$` and `\\` are text like any other: figures draw them literally.
    """

    length: int
    lines: bool = False
    """Whether line breaks are allowed (a description runs over paragraphs; a name does not)."""


TEXT_RULES = {
    "name": TextRule(40), "role": TextRule(40), "title": TextRule(200),
    "description": TextRule(2000, lines=True), "notice": TextRule(500, lines=True),
    "try": TextRule(500, lines=True),
}
"""Every text field a scenario has, by its key: a name (a person's, in every line of the story
and on every chart; 40 characters hold "Maria del Carmen Fernandez-Rodriguez" and make no chart
or page slow: a 100 kB name took matplotlib past 3 GB and a page 22 s), a role, the title (one
line above a figure), the description (presets use up to about 800 characters) and each thing
to notice or to try. The dashboard, the command line, files and the Python API all check
here (`check_text`)."""

MAX_TEXT_LENGTH = TEXT_RULES["name"].length
"""The most characters a name or a role may have (what a link or an input says to its user)."""

MAX_TEXT_ITEMS = 20
"""The most things to notice, and things to try, one scenario may list (presets list four)."""


_CONTROL_NAMES = {"\n": "a line break", "\r": "a carriage return", "\t": "a tab",
                  "\x1b": "escape"}


def check_text(value: str, key: str, where: str) -> str:
    """Return `value` if it keeps the rule for `key` (TEXT_RULES), or raise ParameterError
    naming the field, its length and the limit: a message that repeats only the start of a
    long value, and spells out an invisible character instead of printing it."""
    rule = TEXT_RULES[key]
    if len(value) > rule.length:
        raise ParameterError(f"{where} = {value[:20]!r}... ({len(value):,} characters) is not "
                             f"allowed: expected a piece of text of at most {rule.length:,} "
                             "characters")
    for char in value:
        if unsafe(char, keep="\n" if rule.lines else ""):
            what = _CONTROL_NAMES.get(char) or unicodedata.name(char, "") or "a control character"
            shape = "text" if rule.lines else "one line of text"
            raise ParameterError(f"{where} holds U+{ord(char):04X} ({what.lower()}), which is "
                                 f"not allowed: expected {shape} without control or "
                                 "direction-override characters")
    return value


@dataclass(frozen=True)
class Parameter:
    """One knob: what it is called, what it may hold and what it means.

    `kind` is one of "float", "int", "bool", "choice" or "text". `prominent` knobs are shown
    first in the dashboard; the rest sit under "more". `basis` labels where the idea comes from
    (one of `BASES`); `source` names the publication (author, year) when there is one.
    `plausible` is the range the robustness check draws from (model/validation/plausible.py),
    narrower than the allowed one, and `plausible_why` justifies it; for a choice it is (0, 1),
    split evenly between the choices.
    """

    name: str
    default: Any
    meaning: str
    kind: str = "float"
    low: float | None = 0.0
    high: float | None = 1.0
    unit: str = "0-1 scale"
    choices: tuple[str, ...] = ()
    prominent: bool = False
    basis: str = ""
    source: str = ""
    plausible: tuple[float, float] | None = None
    plausible_why: str = ""

    def __post_init__(self) -> None:
        """Refuse a declaration without a source label: every setting says where it comes from."""
        if self.basis not in BASES:
            raise ParameterError(f"parameter {self.name!r}: basis = {self.basis!r} is not "
                                 f"allowed: expected one of {', '.join(map(repr, BASES))}")
        if self.basis == "published finding" and not self.source.strip():
            raise ParameterError(f"parameter {self.name!r}: a published finding needs its "
                                 "source (author, year)")
        if self.kind in NUMBER_KINDS and (self.low is None or self.high is None):
            raise ParameterError(f"parameter {self.name!r}: a number needs both low and high")
        if self.kind == "text" and self.name not in TEXT_RULES:
            raise ParameterError(f"parameter {self.name!r}: a text needs its rule in TEXT_RULES")
        if self.plausible is not None:
            self._check_plausible(self.plausible)

    @property
    def bounds(self) -> tuple[float, float]:
        """The allowed range of a number (`low`, `high`), which every "float" and "int" has;
        asking a switch, a choice or a text for it is a programming error."""
        if self.low is None or self.high is None:
            raise ParameterError(f"parameter {self.name!r}: a {self.kind} has no range")
        return self.low, self.high

    def _check_plausible(self, plausible: tuple[float, float]) -> None:
        """A plausible range is justified and lies inside what the parameter allows."""
        low, high = plausible
        bounds = (0.0, 1.0) if self.kind == "choice" else self.bounds
        if not self.plausible_why.strip() or not bounds[0] <= low < high <= bounds[1]:
            raise ParameterError(f"parameter {self.name!r}: plausible = {plausible} needs a "
                                 f"reason and must lie within {bounds[0]:g} to {bounds[1]:g}")

    @property
    def label(self) -> str:
        """Where the idea comes from, as every page shows it: the basis, then the source."""
        return self.basis + (f": {self.source}" if self.source else "")

    def allowed(self) -> str:
        """Describe the allowed values in the words a user's error message needs."""
        if self.kind == "bool":
            return "true or false"
        if self.kind == "choice":
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.kind == "text":
            return f"a piece of text of at most {TEXT_RULES[self.name].length} characters"
        number = "a whole number" if self.kind == "int" else "a number"
        return f"{number} from {_fmt(self.low)} to {_fmt(self.high)}"

    def plausible_text(self) -> str:
        """The plausible range in words, for the documentation's tables: the range the
        robustness check draws this parameter from, or "not varied"."""
        if self.plausible is None:
            return "not varied"
        if self.kind == "choice":
            return "each choice equally often"
        return f"{_fmt(self.plausible[0])} to {_fmt(self.plausible[1])}"

    def check(self, value: Any, where: str) -> Any:
        """Return `value` in its canonical type, or raise ParameterError naming `where`."""
        bad = ParameterError(f"{where} = {value!r} is not allowed: expected {self.allowed()}")
        if self.kind == "text":
            if not isinstance(value, str):
                raise bad
            return check_text(value, self.name, where)
        if self.kind == "bool":
            if type(value).__name__ not in ("bool", "bool_"):
                raise bad
            return bool(value)
        if self.kind == "choice":
            if value not in self.choices:
                raise bad
            return value
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise bad
        # A whole number stays exact (int); inf and nan have no whole-number value.
        number = int(value) if isinstance(value, numbers.Integral) else float(value)
        if isinstance(number, float) and (
                not math.isfinite(number) or (self.kind == "int" and not number.is_integer())):
            raise bad
        low, high = self.bounds
        if not (low <= number <= high):
            raise bad
        return int(number) if self.kind == "int" else float(number)

    def parse(self, text: str, where: str) -> Any:
        """Turn command-line text into a checked value of this parameter's kind."""
        if self.kind in ("text", "choice"):
            return self.check(text, where)
        if self.kind == "bool":
            lowered = text.strip().lower()
            if lowered in ("true", "yes", "1", "on"):
                return True
            if lowered in ("false", "no", "0", "off"):
                return False
            return self.check(text, where)
        try:
            number = float(text)
        except ValueError:
            return self.check(text, where)
        return self.check(number, where)


def _fmt(x: float | None) -> str:
    return "?" if x is None else f"{x:g}"


def _p(name: str, default: Any, meaning: str, **kw: Any) -> Parameter:
    return Parameter(name=name, default=default, meaning=meaning, **kw)


WORLD = {
    p.name: p
    for p in [
        _p("weeks", 520, "How many weeks a run lasts (one step is one week).",
           kind="int", low=1, high=5200, unit="weeks", prominent=True, basis="modelling choice"),
        _p("audience_supply", 0.04, "Mean weekly attention a narcissist agent gets from a "
           "background audience (strangers, colleagues): the primary supply outside close "
           "relationships.",
           high=0.5, unit="supply per week", basis="the essay's view",
           plausible=(0.02, 0.08),
           plausible_why="Strangers' attention is less than one eager partner gives (0.10 a week) "
                         "but never nothing."),
        _p("audience_noise", 0.5, "How unpredictable that audience attention is from week to week "
           "(coefficient of variation).", high=2.0, unit="ratio", basis="modelling choice",
           plausible=(0.25, 1.0),
           plausible_why="From a steady to a very fickle audience."),
        _p("bond_decay", 0.012, "Fraction of the trauma bond that fades each week without contact.",
           high=0.2, unit="per week", basis="modelling choice",
           source="calibrated to Dutton & Painter 1993 (attachment fell about 27% over six "
                  "months after leaving); the constant weekly fade is the model's",
           plausible=(0.008, 0.018),
           plausible_why="Six-month declines of 19% to 38%, a band around the 27% Dutton & "
                         "Painter (1993) measured."),
        _p("partner_variation", 0.15, "Spread of the traits of partners the scenario generates "
           "around the partner defaults (standard deviation).", high=0.5, unit="0-1 scale",
           basis="modelling choice"),
        _p("generated_partners", 0, "Extra partners drawn at random around the partner defaults, "
           "added after the listed ones.", kind="int", low=0, high=20000, unit="people",
           basis="modelling choice"),
        _p("narcissists", 1, "How many narcissists the run has.", kind="int", low=1, high=200,
           unit="people", basis="modelling choice"),
        _p("contagion", False, "Whether long exposure to the harm wears partners' empathy down "
           "and now and then turns into snapping at people around them (mechanism 11). Off by "
           "default: it is the essay's view, untested, and the harm stays the doing of the "
           "person who causes it.", kind="bool", low=None, high=None, unit="",
           basis="the essay's view"),
    ]
}

NARCISSIST = {
    p.name: p
    for p in [
        _p("name", "Alex", "A first name used in the story of the run.", kind="text",
           low=None, high=None, unit="", basis="modelling choice"),
        _p("pronouns", "he/him", "The pronouns the story of the run uses for this person. "
           "They change only words, never behaviour: nothing in the model depends on gender.",
           kind="choice", choices=("he/him", "she/her", "they/them"), low=None, high=None,
           unit="", basis="modelling choice"),
        _p("subtype", "cerebral", "Where the agent seeks supply: looks and sex (somatic) or "
           "intellect and admiration (cerebral). It decides which of a partner's traits the "
           "agent idealizes.",
           kind="choice", choices=("somatic", "cerebral"), low=None, high=None, unit="",
           basis="the essay's view",
           plausible=(0.0, 1.0),
           plausible_why="Either kind, with equal chance (below 0.5: somatic)."),
        _p("supply_need", 0.5, "The supply level below which the agent feels starved and "
           "turns demanding.", unit="supply", basis="the essay's view",
           plausible=(0.3, 0.7),
           plausible_why="Neither nearly sated nor insatiable."),
        _p("supply_decay", 0.15, "Fraction of the agent's supply that wears off each week: the "
           "faster it fades, the hungrier the agent is.", high=0.9, unit="per week", prominent=True,
           basis="the essay's view",
           plausible=(0.08, 0.3),
           plausible_why="Supply wears off within weeks, not days or months."),
        _p("reinforcement", 0.35, "How often, while devaluing, the agent turns warm again for a "
           "while (intermittent reinforcement).", unit="chance scale", prominent=True,
           basis="modelling choice",
           source="informed by Dutton & Painter 1993 (in abused women, by correlation, "
                  "intermittent abuse with a power imbalance went with stronger attachment)",
           plausible=(0.15, 0.7),
           plausible_why="Kind now and then, as the essay describes, but not every week."),
        _p("kindness_schedule", "intermittent", "How the agent's warmth arrives during "
           "devaluation: in unpredictable spells after harm (intermittent), or spread evenly "
           "over the weeks (steady), with the same warmth and harm on average. Steady is the "
           "comparison "
           "that shows what intermittency itself adds.", kind="choice",
           choices=("intermittent", "steady"), low=None, high=None, unit="",
           basis="modelling choice",
           source="a counterfactual; Dutton & Painter 1993 did not test it"),
        _p("hoover_propensity", 0.5, "How readily the agent tries to pull an ex back when supply "
           "is low.", prominent=True, basis="the essay's view",
           plausible=(0.2, 0.8),
           plausible_why="The essay says exes are pursued; how hard varies."),
        _p("envy", 0.5, "How strongly a partner's happiness or success outside the relationship "
           "stirs the agent's envy, and how hard the agent then tries to spoil it.", basis="the "
           "essay's view",
           plausible=(0.2, 0.8),
           plausible_why="Envy is part of the picture, in varying strength."),
        _p("injury_sensitivity", 0.5, "How easily refusal, criticism or a partner's independence "
           "wounds the agent and sets off rage.", prominent=True, basis="the essay's view",
           plausible=(0.25, 0.8),
           plausible_why="Easily wounded, from moderately to very."),
        _p("grandiosity", 0.7, "How far the agent's self-image rises above an ordinary level; the "
           "gap to real achievements drives the agent's demands.", basis="the essay's view",
           plausible=(0.5, 0.95),
           plausible_why="A self-image above ordinary, by definition."),
        _p("charm", 0.7, "How appealing the agent is at first (the admiration side of "
           "narcissism).",
           basis="modelling choice",
           source="informed by Back et al. 2013 and Wurst et al. 2017 (admiration, a measured "
                  "trait); its role here is the model's",
           plausible=(0.45, 0.9),
           plausible_why="People high in trait narcissism tend to be liked at first meeting "
                         "(Paulhus 1998; Back et al. 2010): charm at least middling."),
        _p("rivalry", 0.5, "How harsh the agent becomes once the ideal image fails (the "
           "rivalry side).",
           basis="modelling choice",
           source="informed by Back et al. 2013 and Wurst et al. 2017 (rivalry, a measured "
                  "trait); its role here is the model's",
           plausible=(0.25, 0.8),
           plausible_why="Rivalry varies widely between people (Back et al. 2013)."),
        _p("disappointment_threshold", 1.0, "How much accumulated disappointment in the real "
           "partner the agent tolerates before idealization turns to devaluation.", low=0.1,
           high=5.0,
           unit="disappointment units", basis="the essay's view",
           plausible=(0.6, 2.0),
           plausible_why="Idealization lasts from about two months to about a year."),
        _p("abandonment_fear", 0.5, "How quickly the agent ends a relationship first on sensing "
           "the partner pulling away (pre-emptive discard).", basis="the essay's view",
           plausible=(0.2, 0.8),
           plausible_why="Fear of abandonment in varying strength."),
        _p("max_sources", 2, "How many close sources of supply the agent keeps at once.",
           kind="int",
           low=1, high=10, unit="partners", basis="the essay's view"),
        _p("recruit_effort", 0.3, "How actively the agent looks for new partners when supply runs "
           "low.",
           unit="chance scale", basis="the essay's view",
           plausible=(0.15, 0.5),
           plausible_why="New sources are sought, more or less actively."),
        _p("setback_rate", 0.01, "Weekly chance of a life setback (lost job, public failure) that "
           "widens the gap between the agent's self-image and reality.", high=0.2,
           unit="chance per week", basis="the essay's view",
           plausible=(0.0, 0.03),
           plausible_why="From no setbacks to about one and a half a year (the default is one "
                         "every two years)."),
        _p("treatment", 0.0, "Intensity of professional treatment. Love from a partner does not "
           "change the agent; treatment can, very slowly. Off by default. The evidence on "
           "treatment is thin, not negative.", prominent=False,
           basis="modelling choice"),
    ]
}

PARTNER = {
    p.name: p
    for p in [
        _p("name", "Partner", "A first name used in the story of the run.", kind="text",
           low=None, high=None, unit="", basis="modelling choice"),
        _p("pronouns", "she/her", "The pronouns the story of the run uses for this person. "
           "They change only words, never behaviour: nothing in the model depends on gender.",
           kind="choice", choices=("he/him", "she/her", "they/them"), low=None, high=None,
           unit="", basis="modelling choice"),
        _p("role", "partner", "Who the partner is to the narcissist agent (spouse, lover, friend, "
           "colleague).",
           kind="text", low=None, high=None, unit="", basis="the essay's view"),
        _p("attached", False, "Whether the run starts with this partner already in an "
           "idealizing relationship with the first narcissist with room for them.", kind="bool",
           low=None, high=None, unit="", basis="modelling choice"),
        _p("boundary", 0.5, "How firmly the partner holds their limits: sees the facade's "
           "cracks, refuses mistreatment, lets less harm through and weighs each violation "
           "more.", prominent=True, basis="modelling choice",
           source="the essay's view, with the harm filter (mechanism 17) a modelling choice",
           plausible=(0.15, 0.85),
           plausible_why="The span of the classroom preset, short of the extremes."),
        _p("self_esteem", 0.6, "The partner's sense of their own worth at the start; devaluation "
           "erodes it.",
           prominent=True, basis="the essay's view",
           plausible=(0.3, 0.8),
           plausible_why="From fragile to sound self-esteem."),
        _p("empathy", 0.7, "The partner's capacity to feel for others; with contagion on, long "
           "exposure can wear it down.",
           basis="the essay's view",
           plausible=(0.4, 0.9),
           plausible_why="From moderate to high empathy, a wide band across ordinary people; not a "
                         "claim about who partners are."),
        _p("rescue_fantasy", 0.2, "The partner's belief that enough love will heal the agent; it "
           "holds "
           "them in and "
           "fades only slowly with repeated cycles.", prominent=True, basis="the essay's view",
           plausible=(0.0, 0.5),
           plausible_why="From none to a moderate hope of healing the agent."),
        _p("alternatives", 0.5, "The quality of the partner's alternatives: friends, family, "
           "money, other options. In the model, better alternatives mean an earlier exit and "
           "faster recovery.", prominent=True,
           basis="modelling choice",
           source="informed by Rusbult 1980 and Le & Agnew 2003 (alternatives lower commitment) "
                  "and Rusbult & Martz 1995 (women at a shelter with poorer alternatives more "
                  "often went back); faster recovery is the model's",
           plausible=(0.25, 0.75),
           plausible_why="From few to good alternatives."),
        _p("vulnerability", 0.4, "How exposed the partner is to being targeted (loneliness, life "
           "crisis, "
           "need for approval).", basis="the essay's view",
           plausible=(0.15, 0.7),
           plausible_why="From little to much exposure to being targeted."),
        _p("conditioning", 0.0, "How far early life taught the partner to treat mistreatment as "
           "normal: less of the harm is perceived, though all of it still hurts.", prominent=True,
           basis="the essay's view",
           plausible=(0.0, 0.4),
           plausible_why="Assumed: most simulated partners low, some partly conditioned."),
        _p("no_contact", False, "Whether the partner cuts all contact after leaving. In life, "
           "leaving can raise the risk of serious violence (Campbell et al. 2003: "
           "separating from a highly controlling partner went with a higher risk of being "
           "killed), so safety planning with a specialist service comes first.",
           kind="bool", low=None, high=None, unit="", prominent=True,
           basis="modelling choice",
           source="informed by Sbarra & Emery 2005 and O'Hara et al. 2020 (ordinary break-ups; "
                  "O'Hara's link held in people without shared children), not studies of "
                  "abusive relationships"),
        _p("therapy", 0.0, "Support after leaving (a therapist, an advocate, a group): in the "
           "model it speeds recovery and makes going back less likely.",
           basis="modelling choice",
           source="informed by Sullivan & Bybee 1999 (advocacy after a shelter stay: less "
                  "re-abuse) and Blasco-Ros et al. 2010 (social support went with recovery)",
           plausible=(0.0, 0.4),
           plausible_why="From no help to some professional help after leaving."),
        _p("looks", 0.5, "Physical attractiveness as the agent sees it: what a somatic narcissist "
           "idealizes.", basis="the essay's view",
           plausible=(0.25, 0.75),
           plausible_why="An ordinary range."),
        _p("intellect", 0.5, "Intellect and the capacity to admire: what a cerebral narcissist "
           "idealizes.", basis="the essay's view",
           plausible=(0.25, 0.75),
           plausible_why="An ordinary range."),
        _p("outside_life", 0.5, "How full the partner's life outside the relationship is (work, "
           "friends, interests): a source of support, and of the agent's envy.", basis="the "
           "essay's view",
           plausible=(0.25, 0.75),
           plausible_why="From a thin to a full life outside."),
    ]
}

GROUPS = {"world": WORLD, "narcissist": NARCISSIST, "partner": PARTNER}


def defaults(group: str) -> dict[str, Any]:
    """Return the default value of every parameter in `group`."""
    return {name: p.default for name, p in GROUPS[group].items()}


def lookup(group: str, name: str, where: str) -> Parameter:
    """Return the declaration of `name`, or explain which names exist."""
    table = GROUPS[group]
    if name not in table:
        known = ", ".join(sorted(table))
        raise ParameterError(f"{where}: unknown {group} parameter {name!r}; known: {known}")
    return table[name]


def numeric(group: str) -> list[Parameter]:
    """Return the parameters of `group` that a sweep can vary over a range."""
    return [p for p in GROUPS[group].values() if p.kind in ("float", "int")]
