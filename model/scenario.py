"""Scenarios: a TOML file (or a preset name) plus dotted-path overrides, checked and resolved.

A scenario file has a title, a description, things to notice, things to try, and tables
`[world]`, `[narcissist]` (shared by every narcissist), `[[narcissists]]` (one table per
narcissist, optional), `[partner]` (shared by every partner) and `[[partners]]` (one table per
listed partner). Overrides are flat keys whose names are dotted paths into that structure:
`world.weeks`, `narcissist.reinforcement`, `narcissists.1.subtype`, `partner.alternatives`,
`partners.0.boundary`, `partners.*.boundary`. Nothing here draws random numbers: partners that
the scenario asks to generate are drawn by the model, from its own generator.

A thing to notice is a table `{ text = "...", mechanisms = [3, 12] }`: the numbers name the
mechanisms of docs/mechanisms.md the claim rests on, and its source label is derived from theirs
(model/mechanisms.py). `built_in = true` marks a result that follows directly from an assumption
of the rules (a firmer boundary lets less harm through), so that no page presents it as a
discovery. Presets use tables; a plain string is still read, for a user's own file, and carries
no label.
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

import scenarios

from .errors import PathError, check_path_text, path_error, read_toml
from .mechanisms import label_for, mechanism
from .parameters import GROUPS, ParameterError, defaults, lookup

PRESET_DIR = Path(scenarios.__file__).resolve().parent
TEXT_KEYS = {"title": str, "description": str, "notice": list, "try": list}
TABLES = {"world": "world", "narcissist": "narcissist", "partner": "partner"}
LISTS = {"narcissists": "narcissist", "partners": "partner"}
DEFAULT_SEED = 42
"""The seed a scenario suggests when it names none; a preset names the seed at which all its
things to notice show, so that a lecturer who opens it sees what it promises."""

NOTICE_KEYS = {"text", "mechanisms", "built_in"}
"""The keys a thing to notice may have; text and mechanisms are required."""

MAX_LISTED_PARTNERS = 2000
"""Most `[[partners]]` tables in one scenario; larger crowds come from world.generated_partners."""

BYTES_PER_PERSON_WEEK = 150
"""What a weekly-recorded run keeps per person (partner or narcissist) per week: the measured
84 bytes of numpy columns, rounded up (docs/performance.md). Building the tables for export
costs about as much again for a moment (measured 215 bytes), as the refusal message says."""

MAX_PERSON_WEEKS = 12_000_000
"""A run's memory budget: people x (weeks + 1), about 1 GB recorded and 3.6 GB at its peak
while the tables are built (measured). A town of 20,000 people for ten years (520 weeks)
fits; larger runs are refused before they start."""


class Notice(str):
    """A thing to notice: its text, which every page shows, and the mechanisms it rests on.

    It is the text itself (a `str`), so a page or a test that reads notices as text keeps
    working; `mechanisms` and `label` add where the claim comes from, `built_in` whether the
    result follows directly from an assumption of the rules rather than emerging from them.
    """

    mechanisms: tuple[int, ...]
    built_in: bool

    def __new__(cls, text: str, mechanisms: tuple[int, ...] = (),
                built_in: bool = False) -> Notice:
        notice = super().__new__(cls, text)
        notice.mechanisms = tuple(mechanisms)
        notice.built_in = built_in
        return notice

    @property
    def label(self) -> str:
        """Where the claim comes from, from its mechanisms' labels; empty for a plain string."""
        return label_for(self.mechanisms)

    def to_toml(self) -> str | dict[str, Any]:
        """The form a scenario file writes: a table when labelled, else the plain text."""
        if not self.mechanisms:
            return str(self)
        table = {"text": str(self), "mechanisms": list(self.mechanisms)}
        return {**table, "built_in": True} if self.built_in else table


@dataclass
class Scenario:
    """A checked scenario: texts for people, and parameter tables for the model."""

    title: str
    description: str
    notice: list[Notice]
    try_: list[str]
    world: dict[str, Any]
    narcissist: dict[str, Any]
    narcissists: list[dict[str, Any]]
    partner: dict[str, Any]
    partners: list[dict[str, Any]]
    source: str = "<memory>"
    seed: int = DEFAULT_SEED

    def __post_init__(self) -> None:
        """Check every field, however the scenario was built: by `load`, by hand or by a copy.

        Values become their canonical types; an unknown name, a value out of range, more
        narcissist tables than narcissists, or a run beyond the memory budget is refused.
        """
        where = self.source
        self.title, self.description = (_checked_text(v, k, str, where) for k, v in
                                        (("title", self.title),
                                         ("description", self.description)))
        self.notice = _checked_notices(self.notice, where)
        self.try_ = _checked_text(self.try_, "try", list, where)
        for key, group in TABLES.items():
            setattr(self, key, _check_table(getattr(self, key), group, f"{where}: [{key}]"))
        for key, group in LISTS.items():
            setattr(self, key, _check_list(getattr(self, key), group, f"{where}: [[{key}]]"))
        check_size(self)

    def to_toml(self) -> str:
        """Write the scenario, overrides included, as a file that `load` reads unchanged."""
        doc = {"title": self.title, "description": self.description, "seed": self.seed,
               "notice": [n.to_toml() for n in self.notice], "try": list(self.try_),
               "world": dict(self.world), "narcissist": dict(self.narcissist),
               "partner": dict(self.partner)}
        if self.narcissists:
            doc["narcissists"] = [dict(t) for t in self.narcissists]
        if self.partners:
            doc["partners"] = [dict(t) for t in self.partners]
        return tomli_w.dumps(doc)


def presets() -> dict[str, Path]:
    """Return the preset names and their files, sorted by name.

    Listing the folder costs a fifth of building a classroom model, so the list is kept
    until the folder changes (a file added, removed or renamed changes its time)."""
    return dict(_presets_in(PRESET_DIR.stat().st_mtime_ns))


@functools.lru_cache(maxsize=1)
def _presets_in(stamp: int) -> dict[str, Path]:
    """`stamp` (the folder's time of change) only keys the cache."""
    return {p.stem: p for p in sorted(PRESET_DIR.glob("*.toml"))}


def load(source: str | Path, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load a preset name or a TOML path, check every key and value, apply the overrides."""
    path = _resolve(source)
    raw = read_toml(path, "scenario file")
    scenario = from_dict(raw, where=str(path))
    return apply_overrides(scenario, overrides or {})


def from_dict(raw: dict[str, Any], where: str = "<scenario>") -> Scenario:
    """Check a scenario given as nested dictionaries (the parsed form of a TOML file)."""
    known = set(TEXT_KEYS) | set(TABLES) | set(LISTS) | {"seed"}
    for key in raw:
        if key not in known:
            allowed = ", ".join(sorted(known))
            raise ParameterError(f"{where}: unknown key {key!r}; allowed: {allowed}")
    texts = {key: raw.get(key, "" if kind is str else []) for key, kind in TEXT_KEYS.items()}
    tables = {key: raw.get(key, {}) for key in TABLES}
    lists = {key: raw.get(key, []) for key in LISTS}
    return Scenario(title=texts["title"], description=texts["description"],
                    notice=texts["notice"], try_=texts["try"], source=where,
                    seed=_check_seed(raw.get("seed", DEFAULT_SEED), where), **tables, **lists)


def _check_seed(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ParameterError(f"{where}: seed = {value!r} is not allowed: expected a whole "
                             "number from 0 up")
    return value


def apply_overrides(scenario: Scenario, overrides: dict[str, Any]) -> Scenario:
    """Return a copy with dotted-path overrides applied, shared tables first.

    `partners.*.NAME` sets the shared partner table and every listed partner, so generated
    partners are drawn around the new value; `partners.I.NAME` must name a listed partner.
    """
    result = copy.deepcopy(scenario)
    ordered = sorted(overrides.items(), key=_override_order)
    for path, value in ordered:
        try:
            param = declaration_for(path)
        except ParameterError as err:
            raise ParameterError(f"{err} (value given: {value!r})") from None
        checked = param.check(value, path)
        parts = path.split(".")
        if len(parts) == 2:
            getattr(result, parts[0])[parts[1]] = checked
        else:
            _set_item(result, parts[0], parts[1], parts[2], checked, path)
    check_size(result)
    return result


def check_size(scenario: Scenario) -> None:
    """Refuse a scenario whose tables disagree or whose run would exceed the memory budget."""
    where = scenario.source
    count = scenario.world.get("narcissists", GROUPS["world"]["narcissists"].default)
    if len(scenario.narcissists) > count:
        raise ParameterError(
            f"{where}: [[narcissists]] has {len(scenario.narcissists)} tables but "
            f"world.narcissists = {count}; set world.narcissists = {len(scenario.narcissists)} "
            "or remove tables")
    if len(scenario.partners) > MAX_LISTED_PARTNERS:
        raise ParameterError(
            f"{where}: [[partners]] has {len(scenario.partners):,} tables; at most "
            f"{MAX_LISTED_PARTNERS:,} are allowed (use world.generated_partners for crowds)")
    world = {**defaults("world"), **scenario.world}
    people = len(scenario.partners) + world["generated_partners"] + count
    check_budget(people, world["weeks"], where)


def check_budget(people: int, weeks: int, where: str) -> None:
    """Refuse a run of `people` over `weeks` that would record more than the memory budget."""
    cost = people * (weeks + 1)
    if cost > MAX_PERSON_WEEKS:
        gigabytes = cost * BYTES_PER_PERSON_WEEK * 2 / 1e9
        raise ParameterError(
            f"{where}: {people:,} people x {weeks + 1:,} weeks = {cost:,} person-weeks is not "
            f"allowed: a run records about {BYTES_PER_PERSON_WEEK} bytes per person-week "
            f"(about {gigabytes:.1f} GB with its tables) and the budget is "
            f"{MAX_PERSON_WEEKS:,} person-weeks; use fewer partners or weeks")


def _override_order(item: tuple[str, Any]) -> tuple[int, int]:
    """Shared tables first, then `*` paths, then single items: the specific path wins."""
    path = item[0]
    return path.count("."), 0 if ".*." in path else 1


def _set_item(scenario: Scenario, key: str, index: str, name: str, value: Any,
              path: str) -> None:
    items = getattr(scenario, key)
    if index == "*":
        getattr(scenario, LISTS[key])[name] = value
        for item in items:
            item[name] = value
        return
    i = int(index)
    if key == "narcissists":
        count = scenario.world.get("narcissists", GROUPS["world"]["narcissists"].default)
        if i >= count:
            raise ParameterError(f"override {path!r}: the scenario has {count} narcissist(s), "
                                 f"indices 0 to {count - 1}")
        items.extend({} for _ in range(i + 1 - len(items)))
    elif i >= len(items):
        raise ParameterError(
            f"override {path!r}: the scenario lists {len(items)} partner(s), indices 0 to "
            f"{len(items) - 1}; generated partners follow partner.{name} or partners.*.{name}")
    items[i][name] = value


def parse_assignment(text: str) -> tuple[str, Any]:
    """Turn command-line `path=value` into a path and a value of the parameter's kind."""
    if "=" not in text:
        raise ParameterError(f"--set {text!r}: expected PATH=VALUE, e.g. partners.0.boundary=0.8")
    path, value = (s.strip() for s in text.split("=", 1))
    return path, declaration_for(path).parse(value, path)


def declaration_for(path: str):
    """Return the Parameter a dotted path names, or explain why it names none."""
    parts = path.split(".")
    if len(parts) == 2 and parts[0] in TABLES:
        return lookup(TABLES[parts[0]], parts[1], f"{path!r}")
    if len(parts) == 3 and parts[0] in LISTS:
        _check_index(parts[1], path)
        return lookup(LISTS[parts[0]], parts[2], f"{path!r}")
    raise ParameterError(f"{path!r}: not a parameter path; use world.NAME, narcissist.NAME, "
                         "partner.NAME, narcissists.I.NAME or partners.I.NAME (I a number or *)")


def _resolve(source: str | Path) -> Path:
    text = str(source)
    available = presets()
    if text in available:
        return available[text]
    path = check_path_text(text, "scenario")
    try:
        if path.suffix == ".toml" or path.exists():
            if path.is_dir():
                raise PathError(f"scenario file {text!r} is a folder, not a file")
            if not path.is_file():
                raise PathError(f"scenario file {text!r} does not exist")
            return path
    except OSError as err:
        raise path_error("scenario file", text, err) from None
    names = ", ".join(available)
    raise ParameterError(f"scenario {text!r} is neither a preset ({names}) nor a .toml file")


def _checked_text(value: Any, key: str, kind: type, where: str) -> Any:
    if kind is list and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        raise ParameterError(f"{where}: {key} = {value!r} is not allowed: expected a list of text")
    if kind is str and not isinstance(value, str):
        raise ParameterError(f"{where}: {key} = {value!r} is not allowed: expected text")
    return list(value) if kind is list else value


def _checked_notices(value: Any, where: str) -> list[Notice]:
    """Every notice as a Notice; a table must name known mechanisms, so that it has a label."""
    if not isinstance(value, list):
        raise ParameterError(f"{where}: notice = {value!r} is not allowed: expected a list of "
                             "text or of tables { text = \"...\", mechanisms = [3, 12] }")
    return [_checked_notice(item, f"{where}: notice {i + 1}") for i, item in enumerate(value)]


def _checked_notice(item: Any, where: str) -> Notice:
    if isinstance(item, Notice):
        item = item.to_toml()
    if isinstance(item, str):
        return Notice(item)
    if not isinstance(item, dict) or not {"text", "mechanisms"} <= set(item) <= NOTICE_KEYS:
        raise ParameterError(f"{where} = {item!r} is not allowed: expected text or a table "
                             "with the keys text and mechanisms (and, if the result is built "
                             "into the rules, built_in = true), e.g. "
                             "{ text = \"...\", mechanisms = [3, 12] }")
    text, numbers = item["text"], item["mechanisms"]
    if not isinstance(text, str) or not text.strip():
        raise ParameterError(f"{where}: text = {text!r} is not allowed: expected some text")
    if not isinstance(numbers, list) or not numbers:
        raise ParameterError(f"{where}: mechanisms = {numbers!r} is not allowed: expected a "
                             "list of at least one mechanism number (docs/mechanisms.md), "
                             "the mechanisms this claim rests on")
    for number in numbers:
        mechanism(number, f"{where}: mechanisms")
    built_in = item.get("built_in", False)
    if not isinstance(built_in, bool):
        raise ParameterError(f"{where}: built_in = {built_in!r} is not allowed: expected true "
                             "or false")
    return Notice(text, tuple(dict.fromkeys(numbers)), built_in)


def _check_table(table: Any, group: str, where: str) -> dict[str, Any]:
    if not isinstance(table, dict) or not all(isinstance(name, str) for name in table):
        raise ParameterError(f"{where}: expected a table of parameters, got {table!r}")
    return {name: lookup(group, name, f"{where} ({name} = {value!r})").check(
        value, f"{where} {name}") for name, value in table.items()}


def _check_list(items: Any, group: str, where: str) -> list[dict[str, Any]]:
    if not isinstance(items, list):
        raise ParameterError(f"{where}: expected a list of tables, got {items!r}")
    return [_check_table(item, group, f"{where} item {i}") for i, item in enumerate(items)]


def _check_index(index: str, path: str) -> None:
    if index != "*" and not (index.isascii() and index.isdigit()):
        raise ParameterError(f"override {path!r}: {index!r} is not an index (a number or *)")


def resolve_group(base: dict[str, Any], group: str) -> dict[str, Any]:
    """Fill a group's table with the declared defaults where the scenario is silent."""
    return {**defaults(group), **base}
