"""The factors a sweep varies (`Values`, `Range`, `Normal`) and how they are read from a sweep
file or a command line, each checked against the parameter it varies.

`SweepError` is defined here, in the lowest module that raises it; `model.experiments` exports
it with the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..parameters import Parameter, ParameterError
from ..scenario import declaration_for


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
        low, high = param.bounds
        widest = MAX_SD_SPANS * (high - low)
        if isinstance(self.sd, bool) or not isinstance(self.sd, int | float) or \
                not 0 < self.sd <= widest:
            raise SweepError(f"{where} sd = {self.sd!r} is not allowed: expected a number "
                             f"above 0, at most {widest:g} ({MAX_SD_SPANS} times the range of "
                             f"{self.path}, {low:g} to {high:g}; a wider normal cut to that "
                             "range is a uniform one: use START:STOP)")
        checked = Normal(self.path, mean, float(self.sd))
        quartiles = checked.from_unit(np.array([0.25, 0.75]), param)
        if quartiles[0] == quartiles[1]:
            raise SweepError(f"{where} sd = {self.sd!r} is not allowed: so narrow that almost "
                             f"every draw is {quartiles[0]!r}, so nothing varies; use a larger "
                             f"sd or set {self.path} instead")
        return checked

    def levels(self) -> list:
        raise SweepError(f"vary {self.path}: a normal distribution needs a sampling design "
                         "(latin, sobol or morris), not factorial")

    def from_unit(self, u: np.ndarray, param: Parameter) -> list:
        from scipy.stats import truncnorm

        low, high = param.bounds
        a, b = (low - self.mean) / self.sd, (high - self.mean) / self.sd
        raw = np.clip(truncnorm.ppf(u, a, b, loc=self.mean, scale=self.sd), low, high)
        return [int(round(x)) if param.kind == "int" else float(x) for x in raw]

    def to_toml(self) -> Any:
        return {"distribution": "normal", "mean": self.mean, "sd": self.sd}


Factor = Values | Range | Normal

MAX_SD_SPANS = 10
"""The widest normal factor, in widths of its parameter's range. Cut to that range, a normal
of sd 10 widths has a density within 0.5% of uniform; a wider one adds nothing but numerical
trouble (at sd 1e300 every draw was the mean), so a wider sd is refused, pointing to a range."""


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
