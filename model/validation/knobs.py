"""The knob table: what each parameter a preset shows does, low against high, with a 95% interval.

A teacher who moves a slider in class should know beforehand what it does. For every preset,
the knobs it exposes are the parameters the dashboard shows by default for it (the
`prominent=True` declarations of each group) plus every parameter its TOML file sets
explicitly (text fields such as names excepted). Each knob is set low and then high for
everyone at once (`world.NAME`, `narcissists.*.NAME` or `partners.*.NAME`) on the same seeds,
and the paired difference of the main outcomes (high minus low) is reported with a bootstrap
95% interval and a paired t-test.

It lives in the validation package because it is a check on the model (a shown knob that moves
nothing is a defect) and because it reuses `stats.py`; core modules never import it. Every run
is a pure function of (preset, knob, value, seed), and every seed is derived with numpy's
`SeedSequence` from one master seed and the preset's name, so the table is the same with any
number of worker processes.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import MAX_SEED, MAX_WORKERS, check_whole
from ..outcomes import weeks_to_exit
from ..parameters import GROUPS, Parameter
from ..provenance import doc_line, stamp
from ..scenario import Scenario, load, presets
from .harness import MASTER_SEED
from .stats import paired_difference

SEEDS = 40
"""Paired runs per knob in a small preset (one to four partners)."""
BIG_SEEDS = 10
"""Paired runs per knob in a preset of a hundred people or more, whose runs cost ~10 times as
much; their outcomes average over many partners, so fewer runs give a comparable interval."""
BIG = 50
"""A preset with at least this many partners counts as big."""
ALPHA = 0.05
"""Level at which a knob's effect on one outcome counts as shown."""
EDITABLE = ("float", "int", "bool", "choice")
"""Kinds of parameter the dashboard offers as inputs (text fields label, they do not act)."""
WORDING = ("pronouns",)
"""Choices that change only the story's words: like names, they label and do not act, so they
are not knobs (tests/test_pronouns.py shows that outcomes stay identical whatever they are)."""
PREFIX = {"world": "world", "narcissist": "narcissists.*", "partner": "partners.*"}
SEEDS_FROM = ("each preset's run seeds are derived from the master seed and the preset's name "
              "with numpy.random.SeedSequence (model.validation.knobs.seeds_for)")


@dataclass(frozen=True)
class Outcome:
    """One behavioural outcome of a run, averaged over the partners it concerns."""

    key: str
    label: str
    measure: Callable[[Any], float]


def _mean(values: Any) -> float:
    a = np.asarray(values, dtype=float)
    a = a[np.isfinite(a)]
    return float(a.mean()) if a.size else math.nan


def _weeks_to_exit(table: Any, weeks: int) -> float:
    """Mean weeks to exit (model.outcomes) of the partners he drew in."""
    drawn = table[table["first_step"].notna()]
    if drawn.empty:
        return math.nan
    return _mean(weeks_to_exit(drawn, weeks).to_numpy(dtype=float, na_value=np.nan))


OUTCOMES: tuple[Outcome, ...] = (
    Outcome("harm", "harm", lambda t: _mean(t["harm"])),
    Outcome("weeks_devalued", "weeks devalued", lambda t: _mean(t["weeks_devalued"])),
    Outcome("weeks_in_relationship", "weeks in relationship",
            lambda t: _mean(t["weeks_in_relationship"])),
    Outcome("rage_episodes", "rage episodes", lambda t: _mean(t["rage_episodes"])),
    Outcome("exits", "times she left", lambda t: _mean(t["exits"])),
    Outcome("returns", "returns", lambda t: _mean(t["returns"])),
    Outcome("hoover_attempts", "hoover attempts", lambda t: _mean(t["hoover_attempts"])),
)
"""Mean per partner over the run; `weeks_to_exit` is added per run (it needs the horizon)."""
EXIT = Outcome("weeks_to_exit", "weeks to exit", lambda t: math.nan)
ALL_OUTCOMES = (*OUTCOMES, EXIT)


@dataclass(frozen=True)
class Knob:
    """One parameter of one preset, and the two values it is compared at."""

    preset: str
    group: str
    name: str
    low: Any
    high: Any
    prominent: bool

    @property
    def path(self) -> str:
        return f"{PREFIX[self.group]}.{self.name}"


def explicit(scenario: Scenario) -> set[tuple[str, str]]:
    """(group, name) of every parameter the scenario's file sets itself."""
    found = {("world", n) for n in scenario.world}
    found |= {("narcissist", n) for n in scenario.narcissist}
    found |= {("narcissist", n) for item in scenario.narcissists for n in item}
    found |= {("partner", n) for n in scenario.partner}
    found |= {("partner", n) for item in scenario.partners for n in item}
    return found


def preset_value(scenario: Scenario, group: str, name: str) -> Any:
    """The value the preset gives a parameter (its first listed item's, else the shared
    table's, else the declared default)."""
    shared = {"world": scenario.world, "narcissist": scenario.narcissist,
              "partner": scenario.partner}[group]
    items = {"world": [], "narcissist": scenario.narcissists,
             "partner": scenario.partners}[group]
    for item in items:
        if name in item:
            return item[name]
    return shared.get(name, GROUPS[group][name].default)


def levels(param: Parameter, centre: Any) -> tuple[Any, Any]:
    """The low and high values a knob is compared at.

    A 0-1 trait is compared near the ends of its slider (0.1 and 0.9); another number at half
    and twice the preset's value, inside its declared range; a switch off and on; a choice at
    its first and second option.
    """
    if param.kind == "bool":
        return False, True
    if param.kind == "choice":
        return param.choices[0], param.choices[1]
    least, most = param.bounds
    if param.kind == "float" and (least, most) == (0.0, 1.0):
        return 0.1, 0.9
    low = max(least, centre / 2)
    high = min(most, centre * 2 if centre > 0 else most / 2)
    if param.kind == "int":
        low, high = int(math.floor(low)), int(math.ceil(high))
        low = max(int(least), low)
        if high == low:
            high = min(int(most), low + 1)
        return low, high
    return round(float(low), 4), round(float(high), 4)


def design(names: Iterable[str] | None = None) -> list[Knob]:
    """Every knob of every preset (or of the named ones), in preset and declaration order."""
    knobs = []
    for preset in names or presets():
        scenario = load(preset)
        mine = explicit(scenario)
        for group, table in GROUPS.items():
            for name, param in table.items():
                if param.kind not in EDITABLE or name in WORDING:
                    continue
                if not (param.prominent or (group, name) in mine):
                    continue
                centre = preset_value(scenario, group, name)
                low, high = (v if _possible(preset, f"{PREFIX[group]}.{name}", v) else centre
                             for v in levels(param, centre))
                knobs.append(Knob(preset, group, name, low, high, param.prominent))
    return knobs


def _possible(preset: str, path: str, value: Any) -> bool:
    """Whether the preset can be built with this value (four attached partners need room for
    four: `max_sources` 2 is refused there). An impossible level falls back to the preset's
    own value, and the table shows the pair it used."""
    from ..model import RelationshipModel
    from ..parameters import ParameterError

    try:
        RelationshipModel(preset, rng=0, **{path: value})
    except ParameterError:
        return False
    return True


def partners_in(preset: str) -> int:
    scenario = load(preset)
    return len(scenario.partners) + int(scenario.world.get(
        "generated_partners", GROUPS["world"]["generated_partners"].default))


def seeds_for(preset: str, master: int = MASTER_SEED, small: int = SEEDS,
              big: int = BIG_SEEDS) -> list[int]:
    """The paired seeds of a preset: the same for its every knob and both of a knob's levels."""
    n = big if partners_in(preset) >= BIG else small
    sequence = np.random.SeedSequence([master, zlib.crc32(preset.encode("utf-8"))])
    return [int(s) for s in sequence.generate_state(n, dtype=np.uint32)]


def run_once(job: tuple[str, str, Any, int, tuple[tuple[str, Any], ...]]) -> tuple[float, ...]:
    """The outcomes of one run: a pure function of (preset, path, value, seed, base)."""
    from ..model import RelationshipModel

    preset, path, value, seed, base = job
    model = RelationshipModel(preset, rng=seed, **{**dict(base), path: value})
    model.run()
    table = model.outcomes()
    return (*(o.measure(table) for o in OUTCOMES), _weeks_to_exit(table, model.steps))


@dataclass(frozen=True)
class Effect:
    """High minus low on one outcome: mean paired difference, 95% CI, p, and the low mean."""

    outcome: str
    low_mean: float
    difference: float
    ci: tuple[float, float]
    p: float

    @property
    def shown(self) -> bool:
        """The interval excludes zero at the table's level (paired t-test p < ALPHA)."""
        return math.isfinite(self.p) and self.p < ALPHA


@dataclass(frozen=True)
class KnobResult:
    knob: Knob
    seeds: int
    effects: tuple[Effect, ...]

    def moves(self, alpha: float = ALPHA) -> bool:
        """Whether the knob moves any outcome, with a Bonferroni correction over outcomes so
        that a knob that does nothing passes by chance no more often than `alpha`."""
        level = alpha / len(self.effects)
        return any(math.isfinite(e.p) and e.p < level for e in self.effects)

    def strongest(self) -> Effect:
        """The outcome the knob moves most surely (smallest p)."""
        return min(self.effects, key=lambda e: e.p if math.isfinite(e.p) else 2.0)


def summarize(knob: Knob, low: list[tuple[float, ...]], high: list[tuple[float, ...]],
              master: int) -> KnobResult:
    """Paired differences for each outcome; the bootstrap generator is seeded by the knob."""
    rng = np.random.default_rng([master, zlib.crc32(f"{knob.preset}/{knob.path}".encode())])
    lows, highs = np.asarray(low, dtype=float), np.asarray(high, dtype=float)
    effects = []
    for i, outcome in enumerate(ALL_OUTCOMES):
        difference, ci, p = paired_difference(lows[:, i], highs[:, i], rng)
        effects.append(Effect(outcome.key, _mean(lows[:, i]), difference, ci, p))
    return KnobResult(knob, len(low), tuple(effects))


def run_table(knobs: list[Knob], master: int = MASTER_SEED, small: int = SEEDS,
              big: int = BIG_SEEDS, workers: int = 1, progress: bool = False,
              base: dict[str, dict[str, Any]] | None = None) -> list[KnobResult]:
    """Run every knob at both levels on its preset's seeds; same result with any `workers`.

    `base` may give a preset overrides applied under every knob (the CI test shortens the
    costly town preset's runs this way); the knob's own setting always wins.
    """
    check_whole(master, "master", 0, MAX_SEED)
    check_whole(workers, "workers", 1, MAX_WORKERS)
    jobs = []
    for knob in knobs:
        under = tuple(sorted((base or {}).get(knob.preset, {}).items()))
        for seed in seeds_for(knob.preset, master, small, big):
            jobs += [(knob.preset, knob.path, knob.low, seed, under),
                     (knob.preset, knob.path, knob.high, seed, under)]
    # The costly runs first, so that the workers finish together.
    size = {preset: partners_in(preset) for preset in {job[0] for job in jobs}}
    order = sorted(range(len(jobs)), key=lambda i: -size[jobs[i][0]])
    done: dict[int, tuple[float, ...]] = {}
    bar = _bar(len(jobs), progress)
    if workers > 1:
        import multiprocessing

        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            for i, out in zip(order, pool.imap(run_once, [jobs[i] for i in order],
                                               chunksize=8), strict=True):
                done[i] = out
                bar.update(1)
    else:
        for i in order:
            done[i] = run_once(jobs[i])
            bar.update(1)
    bar.close()
    outputs = [done[i] for i in range(len(jobs))]
    results, k = [], 0
    for knob in knobs:
        n = len(seeds_for(knob.preset, master, small, big))
        pairs = outputs[k:k + 2 * n]
        k += 2 * n
        results.append(summarize(knob, pairs[0::2], pairs[1::2], master))
    return results


def _bar(total: int, show: bool):
    from tqdm import tqdm

    return tqdm(total=total, disable=not show, unit="run", desc="knobs", leave=False)


# --- the table ---------------------------------------------------------------------------------
def fmt(x: float) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    a = abs(x)
    text = f"{x:.0f}" if a >= 100 else f"{x:.1f}" if a >= 10 else f"{x:.2f}"
    return text.replace("-", "−")


def value_text(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def cell(e: Effect) -> str:
    """A difference with its interval; bold where the interval excludes zero."""
    if not math.isfinite(e.difference):
        return "–"
    text = f"{fmt(e.difference)} [{fmt(e.ci[0])}, {fmt(e.ci[1])}]"
    return f"**{text}**" if e.shown else text


def row(result: KnobResult) -> str:
    k = result.knob
    where = "shown" if k.prominent else "set by the preset"
    return (f"| `{k.path}` | {where} | {value_text(k.low)} → {value_text(k.high)} | "
            + " | ".join(cell(e) for e in result.effects) + " |")


def knobs_stamp(results: list[KnobResult], master: int, small: int, big: int) -> dict[str, Any]:
    """The table's stamp: version, code checksum, master seed, how seeds derive, settings.
    No time, so the same code and settings give the same file."""
    return stamp({"command": "knobs", "presets": list(dict.fromkeys(r.knob.preset
                                                                   for r in results)),
                  "seeds": small, "big_seeds": big}, seed=master, seed_scheme=SEEDS_FROM,
                 created=False)


def markdown(results: list[KnobResult], master: int, small: int, big: int) -> str:
    """docs/knobs.md: one table per preset, one row per knob."""
    head = ("| knob | why listed | low → high | "
            + " | ".join(o.label for o in ALL_OUTCOMES) + " |")
    rule = "| --- | --- | --- |" + " --- |" * len(ALL_OUTCOMES)
    lines = [
        "# What each knob does", "",
        "<!-- Generated by `python -m model knobs --out docs/knobs.md`; do not edit by hand: "
        "tests/test_knobs.py fails when this file and the generator disagree. -->", "",
        "Before class, look up what a slider does in the preset you will show. For each preset, "
        "the knobs listed are the ones the dashboard shows by default (marked *shown*) and the "
        "ones the preset's file sets (*set by the preset*). Each knob was set low and then high "
        "for everyone in the run at once, on the same seeds, and every cell is the change "
        "**high minus low** in the mean per partner over the run, with a 95% bootstrap "
        f"interval. **Bold**: the interval excludes zero (paired t-test, p < {ALPHA}). "
        "Weeks to exit: from her first week with him to the ending that lasted (the end of the "
        "run if she is still with him). A 0-1 trait is compared at 0.1 and 0.9, another number "
        "at half and twice the preset's value, a switch off and on.", "",
        f"Settings: master seed {master}; {small} paired runs per knob ({big} in presets of "
        f"{BIG} people or more). Regenerate with `python -m model knobs --seeds {small} "
        f"--big-seeds {big} --seed {master} --out docs/knobs.md`; the same command gives the "
        "same file with any number of workers.", "",
        doc_line(knobs_stamp(results, master, small, big)), "",
        "The model illustrates ideas; it diagnoses no one. A knob that moves an outcome here "
        "shows what the model's mechanisms do with it, not what would happen to a person.", "",
        "Harm is the responsibility of the person who causes it. Where a row varies one of "
        "her traits (`partners.*`), it shows how much of his harm reaches her and how soon she "
        "gets out: her traits are protective factors in the model, never causes of what he "
        "does. That a firmer boundary means less harm is built into the model's harm filter "
        "(mechanism 17 of [mechanisms.md](mechanisms.md)), not discovered by it.", ""]
    for preset in dict.fromkeys(r.knob.preset for r in results):
        scenario = load(preset)
        mine = [r for r in results if r.knob.preset == preset]
        lines += [f"## {preset}: {scenario.title}", "", head, rule]
        lines += [row(r) for r in mine]
        still = [r.knob.path for r in mine if not r.moves()]
        lines.append("")
        if still:
            lines += ["Moves no outcome here (no difference significant after correcting for "
                      f"{len(ALL_OUTCOMES)} outcomes): " + ", ".join(f"`{p}`" for p in still)
                      + ".", ""]
    return "\n".join(lines)
