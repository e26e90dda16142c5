"""A session's settings (preset, seed, overrides) and the inputs generated from the declarations.

Nothing here types a default or a range: the values an input starts from are read from the
scenario and, where it is silent, from `model.parameters.GROUPS`. Settings are immutable, so a
component can compare two of them and a page can pass them around without copying.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from model.errors import MAX_SEED
from model.model import NARCISSIST_NAMES, PARTNER_NAMES, nth_name
from model.parameters import GROUPS, Parameter, ParameterError
from model.scenario import (Scenario, apply_overrides, declaration_for, from_dict, load,
                            presets, value_at)

DEFAULT_PRESET = "classroom"
EDITABLE_KINDS = ("float", "int", "bool", "choice")
"""Text parameters (names, roles) label the inputs; they are not inputs themselves."""


@dataclass(frozen=True)
class Slot:
    """One group of inputs on the page: a narcissist, a partner, everyone else, or the world."""

    label: str
    group: str
    prefix: str


@dataclass(frozen=True)
class Settings:
    """What a run is built from: a preset, a seed, and dotted-path overrides."""

    preset: str = DEFAULT_PRESET
    seed: int = field(default_factory=lambda: load(DEFAULT_PRESET).seed)
    """A preset opens on its own seed, the one at which its things to notice all show."""
    overrides: tuple[tuple[str, Any], ...] = field(default=())
    file: str = ""
    """The text of a scenario file loaded into the page (then `preset` is its name)."""

    @property
    def stem(self) -> str:
        """A file-name stem naming the preset (or loaded file) and the seed."""
        name = re.sub(r"[^A-Za-z0-9_-]+", "-", self.preset.removeprefix("file: ")
                      .removesuffix(".toml")).strip("-") or "scenario"
        return f"{name}-seed{self.seed}"

    def changes(self) -> dict[str, Any]:
        """The overrides as a dictionary, in the order they were made."""
        return dict(self.overrides)

    def base(self) -> Scenario:
        """The preset (or the loaded file) as its file has it."""
        if self.file:
            return _parse(self.file, self.preset)
        return load(self.preset)

    def scenario(self) -> Scenario:
        """The preset with this session's overrides and seed applied (checked by the model's
        code): what the page runs, and what "Scenario (TOML)" saves."""
        return apply_overrides(self.base(), self.changes(), seed=self.seed)

    def with_value(self, path: str, value: Any) -> Settings:
        """Return settings with `path` set; setting the preset's own value drops the override.

        The value is checked against its declaration here, on the server, whatever the input
        that sent it allows: a client can send any value over the websocket. A value the
        declaration refuses raises `ParameterError` with a one-line message for the page.
        """
        value = declaration_for(path).check(value, path)
        changes = self.changes()
        changes.pop(path, None)
        if value != value_at(self.base(), path):
            changes[path] = value
        return replace(self, overrides=tuple(changes.items()))

    def with_preset(self, preset: str) -> Settings:
        """A different preset starts without overrides (their paths may not exist there), on
        its own seed, so that what its notes promise is what the room sees."""
        if preset not in preset_names():
            raise ParameterError(f"preset = {preset!r} is not a preset; known: "
                                 + ", ".join(preset_names()))
        return Settings(preset=preset, seed=load(preset).seed)

    def with_file(self, name: str, text: str) -> Settings:
        """Settings built on a scenario file's text (checked now; ParameterError if wrong), on
        the file's own seed: a file saved from a run names the seed that run used, so loading
        it shows that run again."""
        return Settings(preset=f"file: {name}", seed=_parse(text, name).seed, file=text)

    def with_seed(self, seed: Any) -> Settings:
        return replace(self, seed=check_seed(seed))

    def to_toml(self) -> str:
        """The scenario with every change and the seed, as a file `python -m model run` accepts
        unchanged and runs as this page does; its comments list the changes."""
        return "# Exported from the dashboard.\n" + self.scenario().to_toml()


@lru_cache(maxsize=8)
def _parse(text: str, name: str) -> Scenario:
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ParameterError(f"{name}: not a valid TOML file ({err})") from None
    return from_dict(raw, where=name)


def check_seed(seed: Any) -> int:
    """A seed as a whole number from 0 to MAX_SEED, or ParameterError (text is parsed)."""
    text = str(seed).strip()
    bad = ParameterError(f"seed = {text!r} is not allowed: expected a whole number from 0 to "
                         f"{MAX_SEED}")
    if isinstance(seed, bool):
        raise bad
    if isinstance(seed, float):
        if not seed.is_integer():
            raise bad
        seed = int(seed)
    elif not isinstance(seed, int):
        if not re.fullmatch(r"\+?[0-9]{1,19}", text):
            raise bad
        seed = int(text)
    if not 0 <= seed <= MAX_SEED:
        raise bad
    return int(seed)


def preset_names() -> list[str]:
    """The preset names, classroom first (it is the one lessons start from)."""
    names = list(presets())
    return sorted(names, key=lambda n: (n != DEFAULT_PRESET, n))


def slots(scenario: Scenario) -> list[Slot]:
    """The input groups a scenario needs: its narcissists, its partners, then the world."""
    world = _world(scenario)
    result: list[Slot] = []
    count = world["narcissists"]
    listed = scenario.narcissists
    for i, own in enumerate(listed[:count]):
        name = own.get("name", scenario.narcissist.get("name", nth_name(NARCISSIST_NAMES, i)))
        result.append(Slot(f"{name} (narcissist)", "narcissist", f"narcissists.{i}"))
    if count > len(listed):
        if count == 1:
            name = scenario.narcissist.get("name", NARCISSIST_NAMES[0])
            label = f"{name} (narcissist)"
        elif listed:
            label = f"the other {count - len(listed)} narcissists"
        else:
            label = f"all {count} narcissists"
        result.append(Slot(label, "narcissist", "narcissist"))
    for i, own in enumerate(scenario.partners):
        name = own.get("name", nth_name(PARTNER_NAMES, i))
        role = own.get("role", scenario.partner.get("role", GROUPS["partner"]["role"].default))
        result.append(Slot(f"{name} ({role})", "partner", f"partners.{i}"))
    generated = world["generated_partners"]
    if generated:
        who = "everyone else" if scenario.partners else "everyone"
        result.append(Slot(f"{who}: {generated} people drawn around these values", "partner",
                           "partner"))
    result.append(Slot("the run", "world", "world"))
    return result


def inputs(group: str) -> tuple[list[Parameter], list[Parameter]]:
    """The editable parameters of a group: the prominent ones, and the rest (under "more")."""
    editable = [p for p in GROUPS[group].values() if p.kind in EDITABLE_KINDS]
    return [p for p in editable if p.prominent], [p for p in editable if not p.prominent]


def partner_targets(scenario: Scenario) -> dict[str, str]:
    """Whom a sweep or a comparison can change: each listed partner, or everyone at once."""
    targets = {f"partners.{i}": label for i, label in
               enumerate(s.label for s in slots(scenario) if s.prefix.startswith("partners."))}
    targets["partners.*"] = "everyone (all partners at once)"
    return targets


def _world(scenario: Scenario) -> dict[str, Any]:
    return {name: scenario.world.get(name, p.default) for name, p in GROUPS["world"].items()}
