"""Parameter sweeps: declare an experiment once, run it reproducibly, in parallel and durably.

Why it is built this way:

* **Declared, not coded** (as in the EMA workbench). A `Sweep` names the scenario, the factors
  to vary, the design, the replicates, the horizon, the master seed and the outcomes. Every
  path and value is checked against `model.parameters` before the first run starts, so a typo
  costs one line of error, not an hour of computing.
* **One master seed** (as in AgentPy). The design's own sampling and every run's seed are
  derived from the master seed with `numpy.random.SeedSequence`, keyed by (design point,
  replicate). A run depends only on its scenario, overrides and seed, never on which worker ran
  it or when, so the table is the same for 1, 2 or 200 workers and any row can be replayed.
* **Durable by parts.** Runs are grouped into parts of a fixed size that does not depend on the
  number of workers. Each finished part is written atomically (a temporary file, then a rename),
  so a sweep killed at any moment and restarted with `resume=True` runs only the missing parts.
* **Failures are data.** A run that raises is recorded with its error and the sweep goes on.

The model itself writes no files; everything here that touches the disk is in `Store`.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import math
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import tomli_w

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one writer per folder is then the user's care
    fcntl = None

from ..errors import (MAX_SEED, PathError, check_output_folder, check_path_text, path_error,
                     read_toml, reason)
from .lifeline import die_with_parent
from ..model import RelationshipModel
from ..parameters import Parameter, ParameterError
from ..scenario import Scenario, apply_overrides, declaration_for, load, presets

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

DESIGN_STREAM, RUN_STREAM, ANALYSIS_STREAM = 0, 1, 2
"""Independent seed streams under the master seed: design sampling, runs, bootstrap."""

MAX_RUNS = 1_000_000
"""Most runs in one sweep (about 10 CPU-hours of the classroom). Planning keeps one small
record per run in memory, so a sweep of a billion would take minutes and gigabytes to plan
before it started; a larger experiment is several sweeps, each in its own folder."""

MAX_WORKERS = 256
"""Most local worker processes: more would only exhaust memory, never add cores."""

CONFIRM_RUNS = 100_000
"""From this many runs the command line asks for --yes: about an hour on a laptop's cores."""

CODE_FILES = ("parameters.py", "dynamics.py", "phases.py", "agents.py", "relationship.py",
              "model.py", "recording.py", "crowd.py", "pronouns.py")
"""The modules whose code decides a run's outcome; their checksum is the code version."""


class SweepError(ParameterError):
    """A sweep that cannot start: a bad declaration, an unusable output folder, no scheduler.

    It is a ParameterError so that the command line reports it in one line with exit status 2.
    """


# --- factors ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Values:
    """Explicit levels. A factorial design runs each; a sampling design draws them equally often."""

    path: str
    values: tuple

    def checked(self, param: Parameter) -> Values:
        if not self.values:
            raise SweepError(f"vary {self.path}: an empty list of values; give at least one")
        return Values(self.path, tuple(param.check(v, f"vary {self.path}") for v in self.values))

    def levels(self) -> list:
        return list(self.values)

    def from_unit(self, u: np.ndarray, param: Parameter) -> list:
        index = np.minimum((u * len(self.values)).astype(int), len(self.values) - 1)
        return [self.values[i] for i in index]

    def to_toml(self) -> Any:
        return list(self.values)


@dataclass(frozen=True)
class Range:
    """Evenly spaced levels from start to stop (factorial, needs `count`), or a uniform
    distribution on [start, stop] (sampling designs, which ignore `count`)."""

    path: str
    start: float
    stop: float
    count: int | None = None

    def checked(self, param: Parameter) -> Range:
        where = f"vary {self.path}"
        _require_numeric(param, self.path)
        start = param.check(self.start, f"{where} start")
        stop = param.check(self.stop, f"{where} stop")
        if self.count is not None and (isinstance(self.count, bool) or
                                       not isinstance(self.count, int) or self.count < 1):
            raise SweepError(f"{where} count = {self.count!r} is not allowed: expected a whole "
                             "number of levels, 1 or more")
        return Range(self.path, start, stop, self.count)

    def levels(self) -> list:
        if self.count is None:
            raise SweepError(f"vary {self.path}: a range needs a count of levels in a factorial "
                             f"design, e.g. {self.path}={_fmt(self.start)}:{_fmt(self.stop)}:5")
        grid = np.linspace(self.start, self.stop, self.count)
        if isinstance(self.start, int):
            return list(dict.fromkeys(int(round(x)) for x in grid))
        return [round(float(x), 12) for x in grid]

    def from_unit(self, u: np.ndarray, param: Parameter) -> list:
        low, high = sorted((self.start, self.stop))
        if param.kind == "int":
            raw = np.floor(low + u * (high - low + 1))
            return [int(x) for x in np.clip(raw, low, high)]
        return [float(x) for x in np.clip(low + u * (high - low), low, high)]

    def to_toml(self) -> Any:
        table = {"start": self.start, "stop": self.stop}
        return table if self.count is None else {**table, "count": self.count}


@dataclass(frozen=True)
class Normal:
    """A normal distribution cut to the parameter's declared range; sampling designs only.

    Use it when a knob has a most plausible value and tails (a population of partners), rather
    than a range in which every value is equally interesting.
    """

    path: str
    mean: float
    sd: float

    def checked(self, param: Parameter) -> Normal:
        where = f"vary {self.path}"
        _require_numeric(param, self.path)
        mean = float(param.check(self.mean, f"{where} mean"))
        if isinstance(self.sd, bool) or not isinstance(self.sd, int | float) or \
                not 0 < self.sd < math.inf:
            raise SweepError(f"{where} sd = {self.sd!r} is not allowed: expected a number "
                             "above 0")
        return Normal(self.path, mean, float(self.sd))

    def levels(self) -> list:
        raise SweepError(f"vary {self.path}: a normal distribution needs a sampling design "
                         "(latin, sobol or morris), not factorial")

    def from_unit(self, u: np.ndarray, param: Parameter) -> list:
        from scipy.stats import truncnorm

        a, b = (param.low - self.mean) / self.sd, (param.high - self.mean) / self.sd
        raw = np.clip(truncnorm.ppf(u, a, b, loc=self.mean, scale=self.sd), param.low, param.high)
        return [int(round(x)) if param.kind == "int" else float(x) for x in raw]

    def to_toml(self) -> Any:
        return {"distribution": "normal", "mean": self.mean, "sd": self.sd}


Factor = Values | Range | Normal


def _require_numeric(param: Parameter, path: str) -> None:
    if param.kind not in ("float", "int"):
        raise SweepError(f"vary {path}: a range or distribution needs a number, but {path} takes "
                         f"{param.allowed()}; list its values instead, e.g. {path}="
                         + ",".join(_example_values(param)))


def _example_values(param: Parameter) -> list[str]:
    if param.kind == "bool":
        return ["false", "true"]
    return list(param.choices) or ["..."]


def _fmt(x: Any) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def factor_from_toml(path: str, spec: Any, where: str) -> Factor:
    """Read one `[vary]` entry of a sweep file: a list, a range table or a distribution table."""
    if isinstance(spec, list):
        return Values(path, tuple(spec))
    if isinstance(spec, dict) and spec.get("distribution") == "normal" and \
            set(spec) == {"distribution", "mean", "sd"}:
        return Normal(path, spec["mean"], spec["sd"])
    if isinstance(spec, dict) and set(spec) in ({"start", "stop"}, {"start", "stop", "count"}):
        return Range(path, spec["start"], spec["stop"], spec.get("count"))
    raise SweepError(f"{where}: vary {path} = {spec!r} is not allowed: expected a list of values, "
                     "{start = A, stop = B, count = N} or {distribution = \"normal\", mean = M, "
                     "sd = S}")


def parse_vary(text: str) -> Factor:
    """Read a command-line `--vary`: PATH=START:STOP:COUNT, PATH=START:STOP, PATH=V1,V2,...
    or PATH=normal:MEAN:SD. Values are parsed by the parameter's own kind."""
    usage = ("expected PATH=START:STOP:COUNT, PATH=START:STOP, PATH=V1,V2,... or "
             "PATH=normal:MEAN:SD, e.g. partners.0.boundary=0:1:11")
    if "=" not in text:
        raise SweepError(f"--vary {text!r}: {usage}")
    path, spec = (s.strip() for s in text.split("=", 1))
    try:
        param = declaration_for(path)
    except ParameterError as err:
        raise SweepError(f"--vary {text!r}: {err}") from None
    if not spec:
        raise SweepError(f"--vary {text!r}: no values; {usage}")
    if ":" not in spec:
        return Values(path, tuple(param.parse(v.strip(), f"--vary {path}")
                                  for v in spec.split(",")))
    parts = [s.strip() for s in spec.split(":")]
    if parts[0] == "normal" and len(parts) == 3:
        return Normal(path, _number(parts[1], text, "MEAN"), _number(parts[2], text, "SD"))
    if len(parts) not in (2, 3):
        raise SweepError(f"--vary {text!r}: {usage}")
    _require_numeric(param, path)
    start, stop = (param.parse(p, f"--vary {path} {name}")
                   for p, name in zip(parts, ("start", "stop"), strict=False))
    count = _count(parts[2], text) if len(parts) == 3 else None
    return Range(path, start, stop, count)


def _number(text: str, whole: str, name: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise SweepError(f"--vary {whole!r}: {name} {text!r} is not a number") from None


def _count(text: str, whole: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise SweepError(f"--vary {whole!r}: COUNT {text!r} is not allowed: expected a whole "
                         "number of levels, 1 or more")
    return int(text)


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
    seed: int = 42
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
        _whole("replicates", self.replicates, 1)
        _whole("seed", self.seed, 0, MAX_SEED)
        _whole("runs_per_part", self.runs_per_part, 1)
        if self.weeks is not None:
            declaration_for("world.weeks").check(self.weeks, "weeks")
        factors = tuple(f.checked(_declaration(f.path, "vary")) for f in self.vary)
        fixed = {path: _declaration(path, "set").check(v, f"set {path}")
                 for path, v in dict(self.fixed).items()}
        self._check_overlaps(factors, fixed)
        sweep = dataclasses.replace(
            self, scenario=_scenario_ref(self.scenario, base_dir), vary=factors, fixed=fixed,
            samples=self._checked_samples(),
            outcomes=None if self.outcomes is None else tuple(self.outcomes))
        sweep.check_size()
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
        _whole("samples", samples, 1)
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
        if self.design == "latin":
            return latin_hypercube(self.samples, len(self.vary), seed)
        if self.design == "sobol":
            from SALib.sample import sobol

            return sobol.sample(self.problem(), self.samples,
                                calc_second_order=self.second_order, seed=seed)
        if self.design == "morris":
            from SALib.sample import morris

            return morris.sample(self.problem(), self.samples, num_levels=self.levels, seed=seed)
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

    def run(self, out: str | Path | None = None, **options: Any) -> pd.DataFrame:
        """Run the sweep and return its table; see `execute` for the options."""
        return execute(self, out, **options).table

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
    vary = tuple(factor_from_toml(path, spec, where)
                 for path, spec in _flatten(raw.get("vary", {}), stop_at=FACTOR_KEYS).items())
    fixed = _flatten(raw.get("set", {}), stop_at=set())
    options = {k: raw[k] for k in FILE_KEYS if k in raw and k not in
               ("description", "set", "vary", "outcomes")}
    sweep = Sweep(**options, vary=vary, fixed=fixed,
                  outcomes=None if outcomes is None else tuple(outcomes))
    return sweep.checked(base_dir)


_KIND_WORDS = {str: "text", int: "a whole number", bool: "true or false", list: "a list",
               dict: "a table"}


def read_sweep(path: str | Path) -> Sweep:
    """Read a sweep file; a relative scenario path is taken from the file's folder."""
    path = check_path_text(str(path), "sweep file")
    raw = read_toml(path, "sweep file")
    return from_dict(raw, where=str(path), base_dir=path.parent)


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


def _flatten(table: dict[str, Any], stop_at: set[str], prefix: str = "") -> dict[str, Any]:
    """Turn TOML's nested tables back into dotted paths: an unquoted key `partners.0.boundary`
    reads as nested tables, and a quoted one as a single key; both mean the same path."""
    flat: dict[str, Any] = {}
    for key, value in table.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and not (set(value) & stop_at):
            flat.update(_flatten(value, stop_at, f"{path}."))
        else:
            flat[path] = value
    return flat


def _declaration(path: str, where: str) -> Parameter:
    try:
        return declaration_for(path)
    except ParameterError as err:
        raise SweepError(f"{where} {err}") from None


def _count_of(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def _whole(name: str, value: Any, least: int, most: int | None = None) -> None:
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


# --- seeds and designs --------------------------------------------------------------------------
def run_seed(master: int, point: int, replicate: int, common: bool = False) -> int:
    """The seed of one run, from the master seed and its (point, replicate) key.

    Keyed, not spawned in sequence, so a run's seed does not depend on how many runs the sweep
    has or in which order they are done. 63 bits keep it a positive int64 in Parquet.
    """
    key = (RUN_STREAM, replicate) if common else (RUN_STREAM, point, replicate)
    state = np.random.SeedSequence(master, spawn_key=key).generate_state(1, np.uint64)[0]
    return int(state >> np.uint64(1))


def design_seed(master: int) -> int:
    """The seed handed to the design sampler (SALib or our Latin hypercube)."""
    return int(np.random.SeedSequence(master, spawn_key=(DESIGN_STREAM,)).generate_state(1)[0])


def analysis_seed(master: int) -> int:
    """The seed of the bootstrap behind confidence intervals of sensitivity indices."""
    return int(np.random.SeedSequence(master, spawn_key=(ANALYSIS_STREAM,)).generate_state(1)[0])


def latin_hypercube(n: int, dims: int, seed: int) -> np.ndarray:
    """n points in the unit cube whose every column hits each of n equal strata once."""
    rng = np.random.default_rng(seed)
    return np.column_stack([(rng.permutation(n) + rng.random(n)) / n for _ in range(dims)])


# --- one part of the work (runs in a worker) ----------------------------------------------------
@dataclass(frozen=True)
class PartJob:
    """Everything a worker needs for one part; plain data, so it travels to any process."""

    index: int
    scenario: Scenario
    constant: tuple[tuple[str, Any], ...]
    runs: tuple[RunSpec, ...]
    outcomes: tuple[str, ...]
    schema: tuple[tuple[str, str], ...]
    timelines: bool


@dataclass(frozen=True)
class PartResult:
    index: int
    table: pd.DataFrame
    timeline: pd.DataFrame | None


def run_part(job: PartJob) -> PartResult:
    """Run a part's runs one after another; a failing run becomes a row with its error.

    The runs' rows are joined, given the derived outcomes, stamped and typed once per part,
    not once per run: pandas costs about a millisecond a call whatever the size of the table,
    and five calls a run came to a tenth of a run once the model got faster.
    """
    finished, failed, timelines = [], [], []
    for spec in job.runs:
        outcome, horizon, timeline = run_one(job, spec)
        if isinstance(outcome, str):
            failed.append(_identified(pd.DataFrame([{"error": outcome}]), [spec], [1]))
        else:
            finished.append((spec, outcome, horizon))
        if timeline is not None:
            timelines.append(timeline)
    schema = dict(job.schema)
    frames = [_finished_rows(job, finished)] if finished else []
    table = pd.concat(frames + failed, ignore_index=True).reindex(columns=list(schema))
    timeline = pd.concat(timelines, ignore_index=True) if timelines else None
    return PartResult(job.index, table.astype(schema), timeline)


def run_one(job: PartJob, spec: RunSpec) -> tuple[pd.DataFrame | str, int, pd.DataFrame | None]:
    """One run's outcome table (or its error message), its horizon, and its timeline when
    asked for. A sweep that keeps no timelines asks the model to keep no weekly rows."""
    try:
        model = RelationshipModel(job.scenario, rng=spec.seed, record=_recording(job),
                                  **dict(job.constant), **dict(spec.varied))
        model.run()
        outcomes = model.outcomes()
    except Exception as err:  # noqa: BLE001 -- a failing run is recorded, the sweep goes on
        return " ".join(f"{type(err).__name__}: {err}".split()), 0, None
    timeline = model.timeline() if job.timelines else None
    if timeline is not None:
        timeline.insert(0, "run", spec.run)
    return outcomes, int(model.steps), timeline


def _recording(job: PartJob) -> str:
    """Weekly rows only for a sweep that keeps timelines; outcomes need none of them."""
    return "weekly" if job.timelines else "outcomes"


def _finished_rows(job: PartJob, finished: list) -> pd.DataFrame:
    """The rows of a part's finished runs, with their derived outcomes and identities."""
    specs, tables, horizons = zip(*finished, strict=True)
    counts = [len(t) for t in tables]
    joined = pd.concat(tables, ignore_index=True)
    joined = with_derived(joined, np.repeat(np.asarray(horizons, dtype=np.int64), counts))
    return _identified(joined[["partner", "name", *job.outcomes]].assign(error=None),
                       specs, counts)


def _identified(table: pd.DataFrame, specs: Sequence[RunSpec], counts: Sequence[int]
                ) -> pd.DataFrame:
    """Stamp each run's rows (`counts[i]` rows for `specs[i]`, in order) with its identity;
    `run_part` puts the columns in schema order."""
    def each(values: Sequence) -> list:
        return [v for v, n in zip(values, counts, strict=True) for _ in range(n)]

    columns = {name: each([getattr(s, name) for s in specs]) for name in IDENTITY}
    for j, (path, _) in enumerate(specs[0].varied):
        columns[path] = each([s.varied[j][1] for s in specs])
    return table.assign(**columns)


def with_derived(outcomes: pd.DataFrame, horizon: int | np.ndarray) -> pd.DataFrame:
    """Add the outcomes in DERIVED to a model's outcome table (`horizon`: the run's last
    week, or one per row for the joined rows of several runs)."""
    ended = outcomes["end_reason"].isin(["left", "discarded"])
    last = outcomes["end_step"].where(ended, horizon).astype("Int64")
    return outcomes.assign(weeks_to_exit=(last - outcomes["first_step"]).astype("Int64"))


# --- the plan: runs, parts and the table's schema -----------------------------------------------
@dataclass(frozen=True)
class Plan:
    sweep: Sweep
    jobs: tuple[PartJob, ...]
    total_runs: int


def plan(sweep: Sweep) -> Plan:
    """Split the checked sweep into parts, and fix the table's columns and types."""
    scenario = _load_scenario(sweep)
    probe = _probe(sweep, scenario)
    outcomes = _chosen_outcomes(sweep, probe)
    schema = tuple(table_schema(sweep, probe, outcomes).items())
    runs = sweep.runs()
    size = sweep.runs_per_part
    jobs = tuple(PartJob(index=i, scenario=scenario,
                         constant=tuple(sweep.constant_overrides().items()),
                         runs=tuple(runs[i * size:(i + 1) * size]), outcomes=outcomes,
                         schema=schema, timelines=sweep.timelines)
                 for i in range(math.ceil(len(runs) / size)))
    return Plan(sweep, jobs, len(runs))


def _load_scenario(sweep: Sweep) -> Scenario:
    """The scenario without overrides; each run applies its own, exactly as a replay does."""
    scenario = load(sweep.scenario)
    first = sweep.points().iloc[0].to_dict() if len(sweep.vary) else {}
    try:  # an index beyond the listed partners fails for every run: say so now
        apply_overrides(scenario, {**sweep.constant_overrides(), **first})
    except ParameterError as err:
        raise SweepError(f"scenario {sweep.scenario}: {err}") from None
    return scenario


def _probe(sweep: Sweep, scenario: Scenario) -> pd.DataFrame:
    """An unrun model's outcome table: the columns and types every run will report."""
    try:
        model = RelationshipModel(scenario, rng=0, **sweep.constant_overrides())
    except ParameterError as err:
        raise SweepError(f"scenario {sweep.scenario} with the set values cannot start: "
                         f"{err}") from None
    return with_derived(model.outcomes(), 0)


def _chosen_outcomes(sweep: Sweep, probe: pd.DataFrame) -> tuple[str, ...]:
    known = [c for c in probe.columns if c not in ("partner", "name")]
    if sweep.outcomes is None:
        return tuple(known)
    for name in sweep.outcomes:
        if name not in known:
            raise SweepError(f"outcomes: {name!r} is not an outcome; known: " + ", ".join(known))
    return tuple(dict.fromkeys(sweep.outcomes))


def table_schema(sweep: Sweep, probe: pd.DataFrame, outcomes: Sequence[str]) -> dict[str, str]:
    """Column types that hold a missing value (a failed run's row) without changing type."""
    schema = {name: "int64" for name in IDENTITY}
    schema.update({f.path: KIND_DTYPES[declaration_for(f.path).kind] for f in sweep.vary})
    schema.update(partner="Int64", name="str")
    schema.update({name: _nullable(probe[name].dtype) for name in outcomes})
    schema["error"] = "str"
    return schema


KIND_DTYPES = {"float": "float64", "int": "Int64", "bool": "boolean", "choice": "str",
               "text": "str"}


def _nullable(dtype: Any) -> str:
    if pd.api.types.is_bool_dtype(dtype):
        return "boolean"
    if pd.api.types.is_integer_dtype(dtype):
        return "Int64"
    if pd.api.types.is_float_dtype(dtype):
        return "float64"
    return "str"


# --- the output folder --------------------------------------------------------------------------
class Store:
    """A sweep's folder: `sweep.toml` (the declaration), `parts/` while running, then
    `results.parquet` (and `timelines.parquet`) as one table.

    Every file is written under a temporary name and renamed into place, so a reader or a
    resumed sweep sees whole parts or none. The declaration is saved with a checksum of itself
    and of the model's code, so a resume refuses to mix runs of two experiments; one process
    at a time writes (an advisory lock on the folder, which the kernel drops when the holder
    dies, however it dies); a part that cannot be read is moved to `damaged/` and run again.
    """

    DECLARATION, RESULTS, TIMELINES = "sweep.toml", "results.parquet", "timelines.parquet"
    DAMAGED = "damaged"

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.parts = self.root / "parts"
        self.timeline_parts = self.root / "timeline_parts"
        self.set_aside: list[str] = []

    def check(self, sweep: Sweep, resume: bool) -> None:
        """Refuse a folder that holds something else, before anything is written."""
        check_output_folder(self.root, "--out")
        declaration = self.root / self.DECLARATION
        if not declaration.exists():
            if self.root.exists() and any(self.root.iterdir()):
                raise SweepError(f"--out {self.root}: the folder is not empty and holds no "
                                 "sweep; choose a new folder")
            return
        if not resume:
            raise SweepError(f"--out {self.root}: already holds a sweep; add --resume to finish "
                             "it, or choose a new folder")
        check_stamp(declaration)
        saved = read_sweep(declaration)
        differs = [k for k in saved.identity() if saved.identity()[k] != sweep.identity().get(k)]
        if differs:
            raise SweepError(f"--resume {self.root}: the folder holds a different sweep (differs "
                             f"in {', '.join(differs)}); resume with {declaration} or choose a "
                             "new folder")

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the folder for this process alone, or refuse at once if another holds it."""
        made = not self.root.exists()
        self.root.mkdir(parents=True, exist_ok=True)
        if fcntl is None:
            yield
            return
        handle = os.open(self.root, os.O_RDONLY | os.O_DIRECTORY)
        try:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise SweepError(f"--out {self.root}: another sweep is writing to this folder "
                                 "now; wait for it to end (or stop it), then --resume") from None
            yield
        finally:
            os.close(handle)
            if made:  # a refusal before the first file leaves no empty folder behind
                with suppress(OSError):
                    self.root.rmdir()

    def prepare(self, sweep_plan: Plan) -> set[int]:
        """Create the folder, save the declaration, and return the parts already done.

        A part that cannot be read (cut short by a full disk or a crash of the machine) is
        moved to `damaged/` and run again; a readable part whose runs or seeds are not the
        plan's means the folder holds another experiment, and the resume is refused.
        """
        sweep = sweep_plan.sweep
        self.parts.mkdir(parents=True, exist_ok=True)
        if sweep.timelines:
            self.timeline_parts.mkdir(exist_ok=True)
        if not (self.root / self.DECLARATION).exists():
            _atomic_text(self.root / self.DECLARATION, stamped(sweep.to_toml()))
        for stale in itertools.chain(self.parts.glob(".*"), self.timeline_parts.glob(".*")):
            stale.unlink()
        return {index for path in sorted(self.parts.glob("part-*.parquet"))
                if (index := self._verified(path, sweep_plan)) is not None}

    def _verified(self, path: Path, sweep_plan: Plan) -> int | None:
        """The part's index if it is whole and belongs to this plan; None if set aside."""
        import pyarrow.parquet as pq

        stem = path.stem.split("-")[-1]
        index = int(stem) if stem.isascii() and stem.isdigit() else -1
        timeline = self.timeline_parts / path.name
        try:
            found = pq.read_table(path, columns=["run", "seed"]).to_pydict()
            if sweep_plan.sweep.timelines:
                pq.read_metadata(timeline)
        except Exception:  # noqa: BLE001 -- any unreadable part is set aside, whatever broke it
            self._set_aside(path, timeline)
            return None
        expected = {(r.run, r.seed) for r in sweep_plan.jobs[index].runs} \
            if 0 <= index < len(sweep_plan.jobs) else set()
        if set(zip(found["run"], found["seed"], strict=True)) != expected:
            raise SweepError(f"--resume {self.root}: {path.name} holds runs or seeds this "
                             "declaration does not give, so the folder mixes two experiments; "
                             "start again in a new folder")
        return index

    def _set_aside(self, *paths: Path) -> None:
        aside = self.root / self.DAMAGED
        aside.mkdir(exist_ok=True)
        for path in paths:
            if path.exists():
                path.replace(aside / f"{path.parent.name}-{path.name}")
        self.set_aside.append(paths[0].name)

    def finished(self) -> bool:
        return (self.root / self.RESULTS).exists()

    def write(self, result: PartResult) -> None:
        """Save one part: its timeline first, so a saved part always has its timeline."""
        name = f"part-{result.index:06d}.parquet"
        if result.timeline is not None:
            _atomic_parquet(result.timeline, self.timeline_parts / name)
        _atomic_parquet(result.table, self.parts / name)

    def finish(self, sweep_plan: Plan) -> None:
        """Join the parts into one sorted table per kind and remove the parts."""
        schema = dict(sweep_plan.jobs[0].schema)
        table = _joined(self.parts, ["run", "partner"]).astype(schema)
        _atomic_parquet(table, self.root / self.RESULTS)
        if sweep_plan.sweep.timelines:
            _atomic_parquet(_joined(self.timeline_parts, ["run", "partner", "step"]),
                            self.root / self.TIMELINES)
        shutil.rmtree(self.parts, ignore_errors=True)
        shutil.rmtree(self.timeline_parts, ignore_errors=True)

    def table(self) -> pd.DataFrame:
        return pd.read_parquet(self.root / self.RESULTS)

    def timelines(self) -> pd.DataFrame | None:
        path = self.root / self.TIMELINES
        return pd.read_parquet(path) if path.exists() else None


def _joined(folder: Path, order: list[str]) -> pd.DataFrame:
    """The parts as one table in `order`. Read as one dataset, not part by part: three times
    faster, and the join is the one step of a sweep no worker can share (files whose names
    start with a dot, a write in progress, are skipped, as the dataset reader always does)."""
    if not any(folder.glob("part-*.parquet")):
        return pd.DataFrame(columns=order)
    table = pd.read_parquet(folder)
    return table.sort_values(order, kind="stable", na_position="first").reset_index(drop=True)


def _atomic_parquet(frame: pd.DataFrame, path: Path) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with _removed_on_failure(temporary):
        frame.to_parquet(temporary, index=False)
        _sync_and_replace(temporary, path)


def _atomic_text(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with _removed_on_failure(temporary):
        temporary.write_text(text, encoding="utf-8")
        _sync_and_replace(temporary, path)


@contextmanager
def _removed_on_failure(temporary: Path) -> Iterator[None]:
    """A write that fails (full disk) leaves no temporary file behind to fill it further."""
    try:
        yield
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _sync_and_replace(temporary: Path, path: Path) -> None:
    with open(temporary, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, path)


# --- the declaration's checksum -------------------------------------------------------------------
STAMP = "# Saved when the sweep started; a resume checks these lines against the text below.\n"


def code_version() -> str:
    """A checksum of the modules that decide a run's outcome (CODE_FILES)."""
    digest = hashlib.sha256()
    folder = Path(__file__).resolve().parent.parent
    for name in CODE_FILES:
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:16]


def stamped(text: str) -> str:
    """The declaration's text headed by its checksum and the code version."""
    checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return f"{STAMP}# sha256 = {checksum}\n# code = {code_version()}\n{text}"


def check_stamp(declaration: Path) -> None:
    """Refuse to resume a sweep whose saved declaration was edited or whose code changed."""
    from ..errors import read_text

    text = read_text(declaration, "sweep file")
    lines = text.split("\n", 3)
    where = f"--resume {declaration.parent}"
    if len(lines) < 4 or lines[0] + "\n" != STAMP or not lines[1].startswith("# sha256 = ") \
            or not lines[2].startswith("# code = "):
        raise SweepError(f"{where}: {declaration.name} has no checksum (saved by an older "
                         "version, or its first lines were edited); start the sweep again in a "
                         "new folder")
    saved, code, body = lines[1][11:].strip(), lines[2][9:].strip(), lines[3]
    if hashlib.sha256(body.encode("utf-8")).hexdigest() != saved:
        raise SweepError(f"{where}: {declaration.name} was edited after the sweep started (its "
                         "checksum differs); its parts were run from the original declaration, "
                         "so they cannot be mixed with new runs: undo the edit, or run the "
                         "edited sweep in a new folder")
    if code != code_version():
        raise SweepError(f"{where}: the sweep was started with another version of the model's "
                         f"code ({code}, now {code_version()}); its parts cannot be mixed with "
                         "runs of this version: finish it with that version, or start again in "
                         "a new folder")


def read_results(folder: str | Path) -> tuple[Sweep, pd.DataFrame]:
    """The declaration and the table of a finished sweep folder."""
    store = Store(folder)
    if not (store.root / Store.DECLARATION).exists():
        raise SweepError(f"{folder}: not a sweep folder (no {Store.DECLARATION})")
    sweep = read_sweep(store.root / Store.DECLARATION)
    if not store.finished():
        raise SweepError(f"{folder}: the sweep is not finished; finish it with `python -m model "
                         f"sweep --out {folder} --resume`")
    table = _read_table(store.root / Store.RESULTS)
    needed = [*IDENTITY, *sweep.paths, "partner", "error"]
    missing = [c for c in needed if c not in table.columns]
    if missing:
        raise SweepError(f"{store.root / Store.RESULTS}: not the table of the sweep in "
                         f"{Store.DECLARATION} (no column {', '.join(missing)}); run the sweep "
                         "again in a new folder")
    return sweep, table


def _read_table(path: Path) -> pd.DataFrame:
    """A Parquet table, or one line saying it cannot be read (empty, cut short, not Parquet)."""
    try:
        return pd.read_parquet(path)
    except OSError as err:
        if err.errno is not None:
            raise path_error("results", path, err) from None
        problem = " ".join(str(err).split())[:120]
    except Exception as err:  # noqa: BLE001 -- pyarrow raises many types for a broken file
        problem = " ".join(f"{type(err).__name__}: {err}".split())[:120]
    raise SweepError(f"{path}: cannot be read as a results table ({problem}); run the sweep "
                     "again in a new folder") from None


def read_timelines(folder: str | Path) -> pd.DataFrame:
    """The weekly timelines of a finished sweep that asked for them (`timelines = true`)."""
    timelines = Store(folder).timelines()
    if timelines is None:
        raise SweepError(f"{folder}: holds no timelines; declare timelines = true (--timelines)")
    return timelines


# --- execution ----------------------------------------------------------------------------------
@dataclass
class Execution:
    """What a sweep produced, and how the work went (for the summary)."""

    sweep: Sweep
    table: pd.DataFrame
    timelines: pd.DataFrame | None
    total_runs: int
    resumed_runs: int
    seconds: float
    workers: str
    out: Path | None
    set_aside: list[str] = field(default_factory=list)
    """Parts found damaged (unreadable) on resume, moved to `damaged/` and run again."""

    @property
    def new_runs(self) -> int:
        return self.total_runs - self.resumed_runs

    @property
    def failed_runs(self) -> pd.DataFrame:
        return self.table[self.table["error"].notna()]

    @property
    def runs_per_second(self) -> float:
        return self.new_runs / self.seconds if self.seconds > 0 else math.nan


def execute(sweep: Sweep, out: str | Path | None = None, *, workers: int | None = None,
            scheduler: Any = None, resume: bool = False, progress: bool = False) -> Execution:
    """Run a sweep to the end and return its table.

    Args:
        out: the results folder; None works in a temporary folder and keeps nothing on disk.
        workers: local worker processes (default: every available core); 1 runs in this
            process.
        scheduler: a Dask scheduler address ("tcp://host:8786") or a `distributed.Client`;
            when given, the parts run on that cluster instead of local processes.
        resume: finish the sweep already in `out`, running only the parts it lacks.
        progress: show a progress bar with the time left (tqdm, on standard error).
    """
    sweep = sweep.checked()
    if workers is not None and scheduler is not None:
        raise SweepError("--workers and --scheduler: choose one; a scheduler's cluster decides "
                         "its own workers")
    if workers is not None:
        _whole("workers", workers, 1, MAX_WORKERS)
    sweep_plan = plan(sweep)
    with _folder(out) as root:
        store = Store(root)
        store.check(sweep, resume)
        try:
            with store.lock():
                store.check(sweep, resume)  # again: another process may have just finished
                with _executor(workers, scheduler) as (submit, label):
                    return _run_plan(sweep_plan, store, submit, label, progress,
                                     None if out is None else Path(out))
        except OSError as err:  # a full or read-only disk, a folder removed under us
            raise SweepError(f"--out {str(root)!r}: {reason(err)}; the finished parts are "
                             "saved: fix that, then run the same command with --resume") from None


@contextmanager
def _folder(out: str | Path | None) -> Iterator[Path]:
    if out is not None:
        yield Path(out)
        return
    with tempfile.TemporaryDirectory(prefix="sweep-") as temporary:
        yield Path(temporary) / "results"


def _run_plan(sweep_plan: Plan, store: Store, submit, label: str, progress: bool,
              out: Path | None) -> Execution:
    from tqdm import tqdm

    done = set() if store.finished() else store.prepare(sweep_plan)
    pending = [] if store.finished() else [j for j in sweep_plan.jobs if j.index not in done]
    resumed = sweep_plan.total_runs - sum(len(j.runs) for j in pending)
    start = time.perf_counter()
    results = submit(pending)
    with closing(results), _saving(store) as save, \
            tqdm(total=sweep_plan.total_runs, initial=resumed, unit="run", desc="sweep",
                 disable=not progress, dynamic_ncols=True, smoothing=0.05) as bar:
        for result in results:  # closing: an interrupt while saving stops the workers too
            save(result)
            bar.update(len(sweep_plan.jobs[result.index].runs))
    if not store.finished():
        store.finish(sweep_plan)
    return Execution(sweep_plan.sweep, store.table(), store.timelines(), sweep_plan.total_runs,
                     resumed, time.perf_counter() - start, label, out, store.set_aside)


@contextmanager
def _saving(store: Store) -> Iterator[Any]:
    """Yield a function that saves a part in a thread of its own, so that the next part runs
    (on one worker: in this process) while the last is written and synced to disk, which
    took a twentieth of a part's time. Every part handed over is saved before this ends,
    even on an interrupt; a failed write (a full disk) is raised here, at the latest."""
    writer = ThreadPoolExecutor(1, thread_name_prefix="sweep-save")
    saving: list = []

    def save(result: PartResult) -> None:
        for future in [f for f in saving if f.done()]:
            saving.remove(future)
            future.result()
        saving.append(writer.submit(store.write, result))

    try:
        yield save
    finally:
        writer.shutdown(wait=True)
    for future in saving:
        future.result()


@contextmanager
def _executor(workers: int | None, scheduler: Any):
    """Yield a function that runs jobs and yields their results as they complete."""
    if scheduler is not None:
        with _dask_client(scheduler) as client:
            yield (lambda jobs: _dask_results(client, jobs)), f"Dask at {_address(client)}"
        return
    count = workers or available_cores()
    if count == 1:
        yield _serial_results, "1 worker (this process)"
        return
    yield (lambda jobs: _pool_results(jobs, count)), f"{count} worker processes"


def _serial_results(jobs: list[PartJob]) -> Iterator[PartResult]:
    for job in jobs:
        yield run_part(job)


def _pool_results(jobs: list[PartJob], count: int) -> Iterator[PartResult]:
    """Local worker processes; results come back as parts complete, in any order."""
    if not jobs:
        return
    pool = ProcessPoolExecutor(min(count, len(jobs)), mp_context=_process_context(),
                               initializer=_start_worker)
    futures = [pool.submit(run_part, job) for job in jobs]
    try:
        for future in as_completed(futures):
            yield future.result()
    except BaseException:  # interrupted or failed: do not wait for parts nobody will save
        for future in futures:  # cancelled here: shutdown's own cancel is lost once the pool
            future.cancel()     # object is collected, and the workers would run on for minutes
        pool.shutdown(wait=False)
        raise
    pool.shutdown()


def _start_worker() -> None:
    """Each worker ignores Ctrl-C (the parent answers it) and dies with its parent."""
    _leave_interrupts_to_the_parent()
    die_with_parent()


def _leave_interrupts_to_the_parent() -> None:
    """Ctrl-C reaches every process in the terminal's group; the parent alone should answer
    it (saving what is done), not each worker with a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _process_context():
    """How workers start. `forkserver` where the platform has it: one server process imports
    the model once and every worker is a fork of it, so workers start in milliseconds rather
    than a second each, and it is safe in a parent with threads (progress bar, Dask, a
    notebook), which plain `fork` is not. `spawn` elsewhere (Windows)."""
    if "forkserver" not in get_all_start_methods():
        return get_context("spawn")
    context = get_context("forkserver")
    # the server imports the model once, and dies with this process (see model.lifeline)
    context.set_forkserver_preload(["model.experiments.sweep", "model.experiments.lifeline_forkserver"])
    return context


@contextmanager
def _dask_client(scheduler: Any):
    from distributed import Client

    if isinstance(scheduler, Client):
        yield scheduler
        return
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as err:
        raise SweepError(f"--scheduler {scheduler!r}: cannot connect ({err})") from None
    try:
        yield client
    finally:
        client.close()


def _dask_results(client, jobs: list[PartJob]) -> Iterator[PartResult]:
    from distributed import as_completed as dask_completed

    futures = [client.submit(run_part, job, pure=False) for job in jobs]
    try:
        for future in dask_completed(futures):
            yield future.result()
            future.release()
    finally:
        client.cancel([f for f in futures if not f.done()])


def _address(client) -> str:
    return getattr(client.scheduler, "address", None) or "a scheduler"


def available_cores() -> int:
    """The cores this process may use (a container or `taskset` may allow fewer than exist)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1
