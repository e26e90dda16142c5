"""The stylized facts of the evidence table (docs/ODD.md, section 1), one module per fact.

Each module holds its fact's declaration (`FACT`), its experiment (`run`), its figure (a typed
dataclass with a `draw()`), and, beside it, its prose (`<key>.md`, shipped as package data).
Adding a fact means adding one module and one Markdown file and naming the module in
`MODULES`; nothing else changes.

Every claim carries one of three labels, shown in the report:

- "published finding": research agrees, and the model's number is emergent (it comes out of
  feedbacks between mechanisms, not out of one equation), so the test can fail;
- "the essay's view": only the essay makes the claim; the model shows what follows if it is
  true, not that it is;
- "modelling choice": the effect is written into an equation; it is measured and shown, never
  counted as evidence.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

from ..harness import Context, Result

KINDS = ("published finding", "the essay's view", "modelling choice")
"""What a fact's claim rests on, as strong as its weakest part: a claim whose published source
covers only its direction, while its sizes or bands are the modellers', is a modelling choice
(informed by the source). Effects built into an equation are "modelling choice" parts."""

MODULES = ("boundaries", "charm_then_decline", "admiration_rivalry", "intermittent_bond",
           "investment_model", "several_attempts", "no_contact", "slow_recovery",
           "recovery_time", "terminal_decline", "loss_reaction", "rescue_fantasy", "conditioning",
           "selection", "prevalence")
"""The facts in report order (the order of the evidence table (docs/ODD.md, section 1))."""


@dataclass(frozen=True)
class Fact:
    """One row of the evidence table (docs/ODD.md, section 1), declared as an experiment.

    `seed_scale` shrinks the number of runs for experiments on a whole town, which cost many
    times a single relationship; `robust_scale` gives facts with small or conditional effects
    more runs per robustness draw, so that a draw's significance test has the power to see the
    effect. `known_limit` is empty, or says in plain words where and why the model does not
    reproduce the fact (at the defaults, or in less than 80% of the plausible region); the
    report prints it in the summary table. `limited_parts` names the parts (or comparisons)
    known not to hold at the defaults; the tests check that they still do not, so the
    declaration cannot outlive the limit.
    """

    key: str
    title: str
    kind: str
    source: str
    published: str
    run: Callable[[Context], Result]
    seed_scale: float = 1.0
    min_seeds: int = 4
    robust_scale: float = 1.0
    known_limit: str = ""
    limited_parts: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"fact {self.key}: kind {self.kind!r} is not one of {KINDS}")

    def seeds_for(self, n: int) -> int:
        """Runs per arm for a suite asking for `n` runs per arm of a single relationship."""
        return max(self.min_seeds, int(math.ceil(n * self.seed_scale)))

    def robust_seeds_for(self, n: int) -> int:
        """Runs per arm at one robustness draw."""
        return self.seeds_for(int(math.ceil(n * self.robust_scale)))

    @property
    def prose(self) -> str:
        """The fact's Markdown (claim, source, caveat, experiment), read from package data."""
        return (resources.files(__package__) / f"{self.key}.md").read_text(encoding="utf-8")


def _load() -> tuple[Fact, ...]:
    return tuple(importlib.import_module(f"{__name__}.{name}").FACT for name in MODULES)


FACTS: tuple[Fact, ...] = _load()
FACTS_BY_KEY: dict[str, Fact] = {f.key: f for f in FACTS}
