"""A sweep's declaration: what to run, checked before the first run starts.

Declared, not coded (as in the EMA workbench). A `Sweep` names the scenario, the factors to
vary (`Values`, `Range`, `Normal`), the design, the replicates, the horizon, the master seed and
the outcomes (the factors are in `factors.py`). Every path and value is checked against
`model.parameters` before the first run starts, so a typo costs one line of error, not an hour
of computing. The same declaration is a sweep file (`read_sweep`, `Sweep.to_toml`).

This module knows nothing of how runs are executed or stored: `model.experiments.execution`
runs a declaration, `model.experiments.store` keeps its results.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
import reprlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import tomli_w

from ..errors import MAX_SEED, PathError, check_path_text, path_error, read_toml
from ..model import RelationshipModel
from ..parameters import GROUPS, Parameter, ParameterError, check_text
from ..scenario import DEFAULT_SEED, MAX_PERSON_WEEKS, declaration_for, load, presets
from .factors import Factor, Normal, Range, SweepError, Values, factor_from_toml
from .seeds import design_seed, run_seed

DESIGNS = ("factorial", "latin", "sobol", "morris")
DEFAULT_SAMPLES = {"latin": 100, "sobol": 64, "morris": 10}
"""Design points for latin, the base sample N for sobol, trajectories for morris."""

IDENTITY = ("run", "point", "replicate", "seed")
"""Columns that say which run a row comes from; the varied paths follow them."""

DERIVED = {
    "weeks_to_exit": "Weeks from first meeting him to the final end of the relationship (she "
                     "left or he discarded her); counted to the horizon when it is still "
                     "going on (censored); missing when they never met.",
}
"""Outcomes a sweep adds to the model's own outcome table, each computed from its columns."""

MAX_RUNS = 1_000_000
"""Most runs in one sweep (about 10 CPU-hours of the classroom). Planning keeps one small
record per run in memory, so a sweep of a billion would take minutes and gigabytes to plan
before it started; a larger experiment is several sweeps, each in its own folder."""

CONFIRM_RUNS = 100_000
"""From this many runs the command line asks for --yes: about an hour on a laptop's cores."""


# --- the declaration ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Sweep:
    """What to run: scenario, factors, design, replicates, horizon, master seed and outcomes.

    Args:
        scenario: a preset name or a path to a scenario TOML file.
        vary: the factors (`Values`, `Range`, `Normal`).
        design: "factorial" (every combination of levels, as NetLogo's BehaviorSpace),
            "latin" (Latin hypercube), "sobol" (Saltelli's scheme for Sobol indices) or
            "morris" (elementary-effects trajectories).
        replicates: runs per design point, each with its own seed.
        weeks: the horizon (world.weeks); None keeps the scenario's.
        seed: the master seed every design draw and every run's seed derive from.
        samples: design size for latin (points), sobol (base N, a power of 2), morris
            (trajectories); None takes a default.
        fixed: dotted-path overrides held constant (the `[set]` table, `--set`).
        outcomes: outcome columns to keep; None keeps all of `RelationshipModel.outcomes()`
            plus the derived ones in DERIVED.
        timelines: also keep every run's weekly timeline.
        levels: Morris grid levels (even).
        second_order: also estimate Sobol second-order indices (costs more runs).
        common_seeds: give replicate r the same seed at every design point (common random
            numbers), which sharpens comparisons between points.
        runs_per_part: runs per durable part: at most this many runs per worker are lost to a
            kill, and parts do not depend on the number of workers.
        title: a line for people; not part of what makes two sweeps the same.
    """

    scenario: str = "classroom"
    vary: tuple[Factor, ...] = ()
    design: str = "factorial"
    replicates: int = 1
    weeks: int | None = None
    seed: int = DEFAULT_SEED
    samples: int | None = None
    fixed: Mapping[str, Any] = field(default_factory=dict)
    outcomes: tuple[str, ...] | None = None
    timelines: bool = False
    levels: int = 4
    second_order: bool = False
    common_seeds: bool = False
    runs_per_part: int = 20
    title: str = ""

    # -- checking --
    def checked(self, base_dir: Path | None = None) -> Sweep:
        """Return the sweep in canonical form, or raise SweepError naming the bad input."""
        if self.design not in DESIGNS:
            raise SweepError(f"design = {self.design!r} is not allowed: expected one of "
                             + ", ".join(DESIGNS))
        whole_number("replicates", self.replicates, 1)
        whole_number("seed", self.seed, 0, MAX_SEED)
        whole_number("runs_per_part", self.runs_per_part, 1)
        if isinstance(self.title, str):  # one line, as short as a scenario's title
            check_text(self.title, "title", "title")
        if self.weeks is not None:
            declaration_for("world.weeks").check(self.weeks, "weeks")
        factors = tuple(f.checked(_declaration(f.path, "vary")) for f in _checked_vary(self.vary))
        fixed = {path: _declaration(path, "set").check(v, f"set {path}")
                 for path, v in _checked_fixed(self.fixed).items()}
        self._check_overlaps(factors, fixed)
        sweep = dataclasses.replace(
            self, scenario=_scenario_ref(self.scenario, base_dir), vary=factors, fixed=fixed,
            samples=self._checked_samples(),
            outcomes=None if self.outcomes is None else tuple(self.outcomes))
        sweep.check_size()
        sweep.check_timelines()
        sweep.points()  # building the design finds what only it can: a range with no count
        return sweep

    def size(self) -> tuple[int, int]:
        """(design points, runs), counted without building the design, so it is instant for
        any declaration. A range of integers may give fewer distinct levels than its count."""
        dims = len(self.vary)
        if self.design == "factorial":
            points = math.prod(len(f.values) if isinstance(f, Values) else
                               (f.count or 1) if isinstance(f, Range) else 1 for f in self.vary)
        else:
            samples = self.samples or DEFAULT_SAMPLES[self.design]
            points = {"latin": samples, "morris": samples * (dims + 1),
                      "sobol": samples * ((2 * dims + 2) if self.second_order else (dims + 2))
                      }[self.design]
        return points, points * self.replicates

    def check_size(self, most: int = MAX_RUNS, advice: str = "") -> None:
        """Refuse a sweep of more than `most` runs, saying its size and how to split it."""
        points, runs = self.size()
        if runs > most:
            raise SweepError(
                f"the sweep has {runs:,} runs ({_count_of(points, 'design point')} x "
                f"{_count_of(self.replicates, 'replicate')}); at most {most:,} are allowed in "
                f"one sweep{advice}: split it into several sweeps (fewer levels, samples or "
                "replicates, or one level of a factor each), each with its own --out")

    def check_timelines(self) -> None:
        """Refuse keeping timelines beyond one run's memory budget (MAX_PERSON_WEEKS) in all:
        a part holds its runs' timelines until it is saved, and the finished sweep's timelines
        are one table, read whole. Counted at the largest town and horizon the design reaches,
        before any run starts."""
        if not self.timelines:
            return
        people, weeks = self._largest_run()
        runs = self.size()[1]
        cost = runs * people * (weeks + 1)
        if cost > MAX_PERSON_WEEKS:
            raise SweepError(
                f"timelines: {runs:,} runs x {people:,} people x {weeks + 1:,} weeks = "
                f"{cost:,} person-weeks is not allowed: a sweep keeps every timeline in one "
                f"table and the budget is {MAX_PERSON_WEEKS:,} person-weeks (as for one run); "
                "keep fewer runs, people or weeks, or leave out timelines")

    def _largest_run(self) -> tuple[int, int]:
        """(people, weeks) of the largest run the sweep can make."""
        spec = load(self.scenario, self.constant_overrides())
        world = {**{k: p.default for k, p in GROUPS["world"].items()}, **spec.world}
        for factor in self.vary:
            if factor.path in ("world.generated_partners", "world.narcissists", "world.weeks"):
                world[factor.path.split(".")[1]] = _largest(factor)
        people = len(spec.partners) + world["generated_partners"] + world["narcissists"]
        return int(people), int(world["weeks"])

    def _check_overlaps(self, factors: tuple, fixed: dict) -> None:
        paths = [f.path for f in factors]
        twice = sorted({p for p in paths if paths.count(p) > 1})
        if twice:
            raise SweepError(f"vary {twice[0]}: given more than once; give each path once")
        both = sorted(set(paths) & set(fixed))
        if self.weeks is not None and "world.weeks" in set(paths) | set(fixed):
            both.append("world.weeks (also given as weeks)")
        if both:
            raise SweepError(f"{both[0]}: both varied and set; a path is either varied or set")

    def _checked_samples(self) -> int | None:
        if self.design == "factorial":
            if self.samples is not None:
                raise SweepError(f"samples = {self.samples}: a factorial design runs every "
                                 "combination of levels; samples apply to latin, sobol, morris")
            return None
        samples = DEFAULT_SAMPLES[self.design] if self.samples is None else self.samples
        whole_number("samples", samples, 1)
        if self.design == "sobol" and samples & (samples - 1):
            raise SweepError(f"samples = {samples} is not allowed for the sobol design: expected "
                             "a power of 2 (e.g. 64, 128, 256), which keeps the Sobol sequence "
                             "balanced")
        if self.design == "morris" and (self.levels < 2 or self.levels % 2):
            raise SweepError(f"levels = {self.levels} is not allowed: expected an even number "
                             "of Morris grid levels, 2 or more (4 is usual)")
        if not self.vary:
            raise SweepError(f"the {self.design} design needs at least one factor to vary")
        return samples

    # -- the design --
    @property
    def paths(self) -> list[str]:
        return [f.path for f in self.vary]

    def problem(self) -> dict[str, Any]:
        """The SALib problem: every factor on the unit interval, mapped to its values later."""
        return {"num_vars": len(self.vary), "names": self.paths,
                "bounds": [[0.0, 1.0]] * len(self.vary)}

    def unit_sample(self) -> np.ndarray:
        """The sampling design in the unit cube, drawn from the master seed (not factorial)."""
        seed = design_seed(self.seed)
        samples = self.samples if self.samples is not None else DEFAULT_SAMPLES[self.design]
        if self.design == "latin":
            return latin_hypercube(samples, len(self.vary), seed)
        if self.design == "sobol":
            from SALib.sample import sobol

            return sobol.sample(self.problem(), samples,
                                calc_second_order=self.second_order, seed=seed)
        if self.design == "morris":
            from SALib.sample import morris

            return morris.sample(self.problem(), samples, num_levels=self.levels, seed=seed)
        raise SweepError(f"the {self.design} design has no unit sample")

    def points(self) -> pd.DataFrame:
        """One row per design point, one column per varied path, in run order."""
        if self.design == "factorial":
            rows = list(itertools.product(*(f.levels() for f in self.vary)))
            return pd.DataFrame(rows if self.vary else [()], columns=self.paths)
        unit = self.unit_sample()
        columns = {f.path: f.from_unit(unit[:, j], declaration_for(f.path))
                   for j, f in enumerate(self.vary)}
        return pd.DataFrame(columns)

    def runs(self) -> list[RunSpec]:
        """Every run: design point x replicate, each with its derived seed."""
        points = self.points().to_dict("records")
        return [RunSpec(run=i * self.replicates + r, point=i, replicate=r,
                        seed=run_seed(self.seed, i, r, self.common_seeds),
                        varied=tuple(point.items()))
                for i, point in enumerate(points) for r in range(self.replicates)]

    def constant_overrides(self) -> dict[str, Any]:
        """The overrides every run shares: the fixed ones and the horizon."""
        weeks = {} if self.weeks is None else {"world.weeks": self.weeks}
        return {**dict(self.fixed), **weeks}

    def model(self, run: int) -> RelationshipModel:
        """Rebuild run number `run`, unrun: `sweep.model(row.run).run().outcomes()` replays it."""
        spec = self.runs()[run]
        return RelationshipModel(self.scenario, rng=spec.seed, **self.constant_overrides(),
                                 **dict(spec.varied))

    # -- files --
    def to_dict(self) -> dict[str, Any]:
        """The sweep as a sweep file's tables; `from_dict` reads it back unchanged."""
        doc: dict[str, Any] = {"title": self.title, "scenario": self.scenario,
                               "design": self.design, "replicates": self.replicates,
                               "seed": self.seed}
        optional = {"weeks": self.weeks, "samples": self.samples,
                    "outcomes": None if self.outcomes is None else list(self.outcomes)}
        doc.update({k: v for k, v in optional.items() if v is not None})
        doc.update(timelines=self.timelines, levels=self.levels, second_order=self.second_order,
                   common_seeds=self.common_seeds, runs_per_part=self.runs_per_part,
                   set=dict(self.fixed), vary={f.path: f.to_toml() for f in self.vary})
        return doc

    def to_toml(self) -> str:
        """The sweep file text. Factors are written one per line, inline, because their order
        is the order of the design's columns, and with it every run's number and seed."""
        doc = self.to_dict()
        vary = doc.pop("vary")
        lines = [f"{json.dumps(path)} = {_inline(spec)}" for path, spec in vary.items()]
        return tomli_w.dumps(doc) + "\n[vary]\n" + "".join(line + "\n" for line in lines)

    def identity(self) -> dict[str, Any]:
        """What makes two sweeps the same experiment (the title does not)."""
        return {k: v for k, v in self.to_dict().items() if k != "title"}


def latin_hypercube(n: int, dims: int, seed: int) -> np.ndarray:
    """n points in the unit cube whose every column hits each of n equal strata once."""
    rng = np.random.default_rng(seed)
    return np.column_stack([(rng.permutation(n) + rng.random(n)) / n for _ in range(dims)])


@dataclass(frozen=True)
class RunSpec:
    """One run: its number, design point, replicate, seed and varied values."""

    run: int
    point: int
    replicate: int
    seed: int
    varied: tuple[tuple[str, Any], ...]


FILE_KEYS = {
    "title": str, "description": str, "scenario": str, "design": str, "replicates": int,
    "weeks": int, "seed": int, "samples": int, "outcomes": list, "timelines": bool,
    "levels": int, "second_order": bool, "common_seeds": bool, "runs_per_part": int,
    "set": dict, "vary": dict,
}
FACTOR_KEYS = {"start", "stop", "count", "distribution", "mean", "sd"}


def from_dict(raw: dict[str, Any], where: str = "<sweep>",
              base_dir: Path | None = None) -> Sweep:
    """Check a sweep given as the tables of a sweep file, and return it in canonical form."""
    for key, value in raw.items():
        if key not in FILE_KEYS:
            raise SweepError(f"{where}: unknown key {key!r}; allowed: "
                             + ", ".join(sorted(FILE_KEYS)))
        kind = FILE_KEYS[key]
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise SweepError(f"{where}: {key} = {value!r} is not allowed: expected "
                             f"{_KIND_WORDS[kind]}")
    if "scenario" not in raw:
        raise SweepError(f"{where}: no scenario; add e.g. scenario = \"classroom\"")
    outcomes = raw.get("outcomes")
    if outcomes is not None and not all(isinstance(o, str) for o in outcomes):
        raise SweepError(f"{where}: outcomes = {outcomes!r} is not allowed: expected a list of "
                         "outcome names")
    vary = tuple(factor_from_toml(path, spec, where) for path, spec in
                 _flatten(raw.get("vary", {}), FACTOR_KEYS, f"{where}: vary").items())
    fixed = _flatten(raw.get("set", {}), set(), f"{where}: set")
    options = {k: raw[k] for k in FILE_KEYS if k in raw and k not in
               ("description", "set", "vary", "outcomes")}
    sweep = Sweep(**options, vary=vary, fixed=fixed,
                  outcomes=None if outcomes is None else tuple(outcomes))
    return sweep.checked(base_dir)


_KIND_WORDS = {str: "text", int: "a whole number", bool: "true or false", list: "a list",
               dict: "a table"}


def read_sweep(path: str | Path, *, scenario: str | None = None,
               confined: bool = True) -> Sweep:
    """Read a sweep file; a relative scenario path is taken from the file's folder.

    A sweep file may come from anyone, so the scenario it names must be a preset or a file in
    the sweep file's folder or below it (`confine_scenario`), checked before anything is
    opened. `scenario`, given by the user (`--scenario`), replaces the file's and may be any
    preset or file (a relative path from the working folder). `confined=False` reads a
    declaration this program saved (OUT/sweep.toml), which names its scenario by full path.
    """
    path = check_path_text(str(path), "sweep file")
    raw = read_toml(path, "sweep file")
    if scenario is not None:
        raw["scenario"] = scenario if scenario in presets() else \
            str(check_path_text(scenario, "--scenario").absolute())
    elif confined and isinstance(raw.get("scenario"), str):
        confine_scenario(raw["scenario"], path)
    return from_dict(raw, where=str(path), base_dir=path.parent)


def confine_scenario(text: str, sweep_file: Path) -> None:
    """Refuse a sweep file's scenario that is neither a preset nor a file in the sweep file's
    folder (or below it) or among the presets: `../../../etc/passwd` is refused unopened."""
    from ..provenance import PRESET_ROOT

    if text in presets():
        return
    path = check_path_text(text, "scenario")
    folder = sweep_file.parent
    try:
        found = (path if path.is_absolute() else folder / path).resolve()
        allowed = (folder.resolve(), PRESET_ROOT)
    except (OSError, RuntimeError) as err:  # a loop of symbolic links
        raise SweepError(f"{sweep_file}: scenario = {text!r} cannot be resolved ({err})") from None
    if not any(found.is_relative_to(root) for root in allowed):
        raise SweepError(f"{sweep_file}: scenario = {text!r} is outside the sweep file's folder "
                         f"and the presets, so it is not read; move the scenario beside the "
                         f"sweep file, or name it yourself with --scenario PATH")


def examples() -> dict[str, Path]:
    """The example sweep files by name (`sobol_classroom` for sweeps/sobol_classroom.toml).

    A wheel has no repository around it, so the files are installed as package data in
    model/sweeps/ (pyproject.toml maps the repository's sweeps/ there); a source tree reads
    sweeps/ itself. Either way `supply-cycle sweep NAME` finds them from any folder."""
    package = Path(__file__).resolve().parent.parent
    folder = package / "sweeps"
    if not folder.is_dir():
        folder = package.parent / "sweeps"
    return {p.stem: p for p in sorted(folder.glob("*.toml"))}


def is_sweep_file(path: str | Path) -> bool:
    """A sweep file names its scenario; a scenario file never has a `scenario` key."""
    path = check_path_text(str(path), "sweep")
    try:
        if path.suffix != ".toml" or not path.is_file():
            return False
    except OSError as err:
        raise path_error("sweep file", path, err) from None
    try:
        return "scenario" in read_toml(path, "sweep file")
    except PathError as err:
        if "not a valid TOML file" in str(err):
            return False  # `load` reports it as a broken scenario file, with its line
        raise


def _inline(value: Any) -> str:
    """A value as inline TOML (tomli_w would move a table to its own section)."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_inline(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    return tomli_w.dumps({"v": value}).split("=", 1)[1].strip()


def _flatten(table: dict[str, Any], stop_at: set[str], where: str,
             prefix: str = "") -> dict[str, Any]:
    """Turn TOML's nested tables back into dotted paths: an unquoted key `partners.0.boundary`
    reads as nested tables, and a quoted one as a single key; both mean the same path. An
    empty table names no path and no value: refused, not dropped, since it is a half-written
    entry (the run would otherwise silently not vary or set what the file seems to say)."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        path = f"{prefix}{key}"
        if value == {}:
            wanted = "a value" if where.endswith("set") else "a list of values or a range"
            raise SweepError(f"{where} {path} = {{}} is not allowed: an empty table; give "
                             f"{wanted}, or remove the line")
        if isinstance(value, dict) and not (set(value) & stop_at):
            flat.update(_flatten(value, stop_at, where, f"{path}."))
        else:
            flat[path] = value
    return flat


def _checked_vary(vary: Any) -> tuple[Factor, ...]:
    """The factors, or a SweepError naming the first item that is not one (or whose path is
    not text): Python code can pass anything, and a raw AttributeError names no input."""
    if not isinstance(vary, tuple | list):
        raise SweepError(f"vary = {reprlib.repr(vary)} ({type(vary).__name__}) is not allowed: "
                         "expected a tuple of factors, e.g. (Values('partners.0.boundary', "
                         "(0.3, 0.9)),)")
    for item in vary:
        if not isinstance(item, Values | Range | Normal):
            raise SweepError(f"vary item {reprlib.repr(item)} ({type(item).__name__}) is not "
                             "allowed: expected a factor (Values, Range or Normal)")
        _check_path_text(item.path, "vary")
    return tuple(vary)


def _checked_fixed(fixed: Any) -> dict[str, Any]:
    """The `[set]` overrides, or a SweepError naming the first key that is not a text path."""
    if not isinstance(fixed, Mapping):
        raise SweepError(f"fixed = {reprlib.repr(fixed)} ({type(fixed).__name__}) is not "
                         "allowed: expected a mapping of dotted paths to values, e.g. "
                         "{'world.weeks': 52}")
    for path in fixed:
        _check_path_text(path, "set")
    return dict(fixed)


def _check_path_text(path: Any, where: str) -> None:
    if not isinstance(path, str):
        raise SweepError(f"{where} path {reprlib.repr(path)} ({type(path).__name__}) is not "
                         "allowed: a parameter path is text, e.g. 'partners.0.boundary'")


def _declaration(path: str, where: str) -> Parameter:
    try:
        return declaration_for(path)
    except ParameterError as err:
        raise SweepError(f"{where} {err}") from None


def _largest(factor: Factor) -> int:
    """The largest value a whole-number factor takes (a normal one: its parameter's top)."""
    if isinstance(factor, Values):
        return int(max(factor.values))
    if isinstance(factor, Range):
        return int(max(factor.start, factor.stop))
    assert isinstance(factor, Normal)
    return int(declaration_for(factor.path).bounds[1])


def _count_of(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def whole_number(name: str, value: Any, least: int, most: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < least \
            or (most is not None and value > most):
        upper = f" to {most:,}" if most is not None else " or more"
        raise SweepError(f"{name} = {value!r} is not allowed: expected a whole number, "
                         f"{least}{upper}")


def _scenario_ref(scenario: str | Path, base_dir: Path | None) -> str:
    """A preset stays a name; a file becomes an absolute path, so the declaration saved with
    the results still finds it from any folder."""
    text = str(scenario)
    if text in presets():
        return text
    path = check_path_text(text, "scenario")
    if base_dir is not None and not path.is_absolute():
        path = base_dir / path  # relative to the sweep file, as docs/sweeps.md says
    try:
        if not path.is_file():
            names = ", ".join(presets())
            raise SweepError(f"scenario {text!r} is neither a preset ({names}) nor a scenario "
                             "file" + (f" (looked in {str(base_dir)!r})" if base_dir else ""))
        return str(path.resolve())
    except OSError as err:
        raise path_error("scenario", text, err) from None
