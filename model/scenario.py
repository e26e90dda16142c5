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

import functools
import reprlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, NoReturn

import tomli_w

import scenarios

from .errors import MAX_SEED, PathError, check_path_text, path_error, read_toml
from .mechanisms import label_for, mechanism
from .parameters import (GROUPS, MAX_TEXT_ITEMS, ParameterError, check_text, defaults,
                         lookup)

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

NARCISSIST_NAMES = ("Alex", "Blake", "Cole", "Dean", "Ellis", "Flynn", "Grant", "Hugo")
PARTNER_NAMES = ("Ana", "Bea", "Cara", "Dana", "Eva", "Fay", "Gia", "Hana", "Ida", "Jo",
                 "Kim", "Lena", "Mia", "Nora", "Olga", "Pia", "Rosa", "Sara", "Tess", "Uma")
"""The names people get when a scenario names them not: partner i is `nth_name(PARTNER_NAMES,
i)`, so generated partners' names are distinct; `check_size` keeps every partner's distinct."""


def nth_name(names: tuple[str, ...], i: int) -> str:
    return names[i % len(names)] + ("" if i < len(names) else f" {i // len(names) + 1}")

BYTES_PER_PERSON_WEEK = 150
"""What a weekly-recorded run keeps per person (partner or narcissist) per week: the measured
84 bytes of numpy columns, rounded up (docs/performance.md). Building the tables for export
costs about as much again for a moment (measured 215 bytes), as the refusal message says."""

MAX_PERSON_WEEKS = 12_000_000
"""A run's memory budget: people x (weeks + 1), about 1 GB recorded and 3.6 GB at its peak
while the tables are built (measured). A town of 20,000 people for ten years (520 weeks)
fits; larger runs are refused before they start."""


class Change(NamedTuple):
    """One setting changed from the file a scenario was read from, and the value it replaced
    (for a `*` path, the values it replaced, one per person where they differ)."""

    path: str
    value: Any
    was: Any


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


class FrozenTable(dict):
    """A checked table of parameters: it reads as a `dict` (so JSON, TOML and `{**table}`
    take it as one) and refuses every change, so a value cannot skip the checks by being
    written into a scenario after they ran. Nothing in it can change, so a copy is itself."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("a checked scenario is read-only; make a changed copy with "
                        "apply_overrides(scenario, {'partners.0.boundary': 0.8}) or "
                        "dataclasses.replace(scenario, ...)")

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __reduce__(self) -> tuple[type, tuple[dict[str, Any]]]:
        return FrozenTable, (dict(self),)

    def __copy__(self) -> FrozenTable:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> FrozenTable:
        return self


@dataclass(frozen=True)
class Scenario:
    """A checked scenario: texts for people, and parameter tables for the model.

    Once checked it is read-only (its tables are `FrozenTable`s, its lists tuples, and an
    attribute cannot be assigned): `apply_overrides` and `dataclasses.replace` make a changed
    copy, checked in turn. A copy may thus share the tables it does not change, and the
    model's cache of parsed files can hand out the same scenario to every run.
    """

    title: str
    description: str
    notice: tuple[Notice, ...]
    try_: tuple[str, ...]
    world: FrozenTable
    narcissist: FrozenTable
    narcissists: tuple[FrozenTable, ...]
    partner: FrozenTable
    partners: tuple[FrozenTable, ...]
    source: str = "<memory>"
    seed: int = DEFAULT_SEED
    changes: tuple[Change, ...] = field(default=(), compare=False)
    """What differs from the file at `source`, oldest first: every override, and the seed when
    a run used another one. `to_toml` writes them as comments, so a saved file says what was
    changed and from what; the tables and `seed` themselves already hold the new values."""

    def __post_init__(self) -> None:
        """Check every field, however the scenario was built: by `load`, by hand or by a copy.

        Values become their canonical types; an unknown name, a value out of range, more
        narcissist tables than narcissists, or a run beyond the memory budget is refused.
        """
        where = self.source
        checked = {key: _checked_text(getattr(self, key), key, str, where)
                   for key in ("title", "description")}
        checked["notice"] = tuple(_checked_notices(_thawed(self.notice), where))
        checked["try_"] = tuple(_checked_text(_thawed(self.try_), "try", list, where))
        for key, group in TABLES.items():
            checked[key] = _check_table(getattr(self, key), group, f"{where}: [{key}]")
        for key, group in LISTS.items():
            checked[key] = _check_list(getattr(self, key), group, f"{where}: [[{key}]]")
        for key, value in checked.items():
            object.__setattr__(self, key, value)  # frozen: only the checks may set a field
        check_size(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> Scenario:
        return self  # nothing in it can change (a model copied mid-run shares it)

    def to_toml(self) -> str:
        """Write the scenario, overrides and seed included, as a file that `load` reads unchanged.

        The file's `seed` is the one a run without `--seed` uses, so a model's `spec` (which
        names the seed the model ran on) saves a file that repeats that run exactly. The changes
        go in comments above the tables: `load` ignores them, a reader sees what was changed.
        """
        doc = {"title": self.title, "description": self.description, "seed": self.seed,
               "notice": [n.to_toml() for n in self.notice], "try": list(self.try_),
               "world": dict(self.world), "narcissist": dict(self.narcissist),
               "partner": dict(self.partner)}
        if self.narcissists:
            doc["narcissists"] = [dict(t) for t in self.narcissists]
        if self.partners:
            doc["partners"] = [dict(t) for t in self.partners]
        return "".join(f"# {line}\n" for line in self._header()) + "\n" + tomli_w.dumps(doc)

    def _header(self) -> list[str]:
        lines = ["A supply-cycle scenario. `supply-cycle run THIS_FILE`, or dropping it on the",
                 "dashboard, runs it on the seed below: the same file and seed give the same run",
                 "(`--seed N` runs another)."]
        if self.changes:
            lines.append(f"Changed from {self.origin()}:")
            lines += [f"  {c.path} = {toml_value(c.value)} (was {toml_value(c.was)})"
                      for c in self.changes]
        return lines

    def origin(self) -> str:
        """The preset or file the scenario was read from, in words (a file by its name only:
        a saved scenario is shared, and the folders it came from are nobody else's business)."""
        if self.source.startswith("<"):  # built in memory, e.g. "<memory>"
            return self.source
        path = Path(self.source)
        if path.parent == PRESET_DIR:
            return f"the preset {path.stem!r}"
        return f"the file {path.name!r}"


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
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SEED:
        raise ParameterError(f"{where}: seed = {value!r} is not allowed: expected a whole "
                             f"number from 0 to {MAX_SEED:,}")
    return value


def apply_overrides(scenario: Scenario, overrides: dict[str, Any], *,
                    seed: int | None = None) -> Scenario:
    """Return a copy with dotted-path overrides applied, shared tables first, and `seed` (when
    given) as its own seed; each change is recorded with the value it replaced (`changes`).

    `partners.*.NAME` sets the shared partner table and every listed partner, so generated
    partners are drawn around the new value; `partners.I.NAME` must name a listed partner.
    """
    edits = _Edits(scenario)
    ordered = sorted(_checked_overrides(overrides).items(), key=_override_order)
    made = []
    for path, value in ordered:
        try:
            param = declaration_for(path)
        except ParameterError as err:
            raise ParameterError(f"{err} (value given: {value!r})") from None
        checked = param.check(value, path)
        made.append(Change(path, checked, _was(scenario, path)))
        parts = path.split(".")
        if len(parts) == 2:
            edits[parts[0]][parts[1]] = checked
        else:
            _set_item(edits, parts[0], parts[1], parts[2], checked, path)
    fields = edits.frozen()
    if seed is not None:
        made.append(Change("seed", _check_seed(seed, scenario.source), scenario.seed))
        fields["seed"] = seed
    fields["changes"] = _merged(scenario.changes, made)
    result = object.__new__(Scenario)  # every new value is checked above, the whole below
    result.__dict__.update(scenario.__dict__, **fields)
    check_size(result)
    return result


class _Edits:
    """Changeable copies of the tables that overrides change, each made at its first change;
    the copy `apply_overrides` returns shares every other table with the scenario."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.copies: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        """A table as a dict, or a list of tables (each still frozen until `_set_item`)."""
        if key not in self.copies:
            value = getattr(self.scenario, key)
            self.copies[key] = dict(value) if key in TABLES else list(value)
        return self.copies[key]

    def frozen(self) -> dict[str, Any]:
        return {key: FrozenTable(value) if key in TABLES else tuple(map(_frozen, value))
                for key, value in self.copies.items()}


def _frozen(table: dict[str, Any]) -> FrozenTable:
    return table if isinstance(table, FrozenTable) else FrozenTable(table)


def _checked_overrides(overrides: Any) -> Mapping[str, Any]:
    """Refuse overrides that are not a mapping of text paths, naming the first bad key."""
    if not isinstance(overrides, Mapping):
        raise ParameterError(f"overrides = {reprlib.repr(overrides)} "
                             f"({type(overrides).__name__}) is not allowed: expected a "
                             "mapping of dotted paths to values, e.g. "
                             "{'partners.0.boundary': 0.8}")
    for path in overrides:
        _check_path_type(path, "override")
    return overrides


def _check_path_type(path: Any, what: str) -> None:
    if not isinstance(path, str):
        raise ParameterError(f"{what} {reprlib.repr(path)} ({type(path).__name__}) is not "
                             "allowed: a parameter path is text, e.g. 'partners.0.boundary' "
                             "or 'world.weeks'")


def _was(scenario: Scenario, path: str) -> Any:
    """The value a path has before an override; for `*`, each person's value where they differ."""
    key, index, name = (path.split(".") + ["", ""])[:3]
    if index != "*":
        return value_at(scenario, path)
    count = len(scenario.partners) if key == "partners" else \
        scenario.world.get("narcissists", GROUPS["world"]["narcissists"].default)
    values = [value_at(scenario, f"{key}.{i}.{name}") for i in range(count)]
    values = list(dict.fromkeys(values or [value_at(scenario, path)]))
    return values[0] if len(values) == 1 else tuple(values)


def _merged(earlier: tuple[Change, ...], later: list[Change]) -> tuple[Change, ...]:
    """Earlier changes updated by later ones: a path keeps its first `was`, and a change back
    to that value is no change."""
    changes = {c.path: c for c in earlier}
    for change in later:
        was = changes[change.path].was if change.path in changes else change.was
        changes.pop(change.path, None)
        changes[change.path] = Change(change.path, change.value, was)
    return tuple(c for c in changes.values() if c.value != c.was)


def toml_value(value: Any) -> str:
    """A value as TOML writes it (a tuple as its items, comma-separated), for comments."""
    if isinstance(value, tuple):
        return ", ".join(toml_value(v) for v in value)
    return tomli_w.dumps({"v": value})[len("v = "):].rstrip("\n")


def value_at(scenario: Scenario, path: str) -> Any:
    """The value a run built from `scenario` uses for a dotted path (declared default if silent)."""
    parts = path.split(".")
    name = parts[-1]
    if len(parts) == 2:
        table = getattr(scenario, parts[0])
        return table.get(name, GROUPS[TABLES[parts[0]]][name].default)
    key, index = parts[0], parts[1]
    shared = getattr(scenario, LISTS[key])
    items = getattr(scenario, key)
    own = items[int(index)] if index != "*" and int(index) < len(items) else {}
    return own.get(name, shared.get(name, GROUPS[LISTS[key]][name].default))


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
    _check_names(scenario.partners, world["generated_partners"], where)


def _check_names(listed: Sequence[Mapping[str, Any]], generated: int, where: str) -> None:
    """Refuse two partners with one name: outcomes, charts and sweeps tell partners apart by
    name, so two Anas were averaged into one line labelled as one partner. A listed partner
    without a name, and every generated one, is named by `nth_name`, which gives each its
    own; a name given in the file may still meet one of those."""
    first: dict[str, int] = {}
    for i, own in enumerate(listed):
        name = own["name"] if "name" in own else nth_name(PARTNER_NAMES, i)
        if name in first:
            raise ParameterError(f"{where}: [[partners]] {first[name]} and {i} are both named "
                                 f"{name!r}; give each partner a different name (outcomes and "
                                 "charts tell partners apart by name)")
        first[name] = i
        k = _default_index(name) if "name" in own else None
        if k is not None and len(listed) <= k < len(listed) + generated:
            raise ParameterError(f"{where}: [[partners]] {i} is named {name!r}, the name of "
                                 f"generated partner {k}; give it a different name (outcomes "
                                 "and charts tell partners apart by name)")


def _default_index(name: str) -> int | None:
    """The partner number whose default name is `name` (the inverse of `nth_name`), or None."""
    base, _, number = name.rpartition(" ")
    if name in PARTNER_NAMES:
        return PARTNER_NAMES.index(name)
    if base in PARTNER_NAMES and number.isascii() and number.isdigit() and \
            number == str(int(number)) and int(number) >= 2:
        return (int(number) - 1) * len(PARTNER_NAMES) + PARTNER_NAMES.index(base)
    return None


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


def _set_item(edits: _Edits, key: str, index: str, name: str, value: Any, path: str) -> None:
    items = edits[key]
    if index == "*":
        edits[LISTS[key]][name] = value
        items[:] = [{**item, name: value} for item in items]
        return
    i = int(index)
    if key == "narcissists":
        world = edits.copies.get("world", edits.scenario.world)  # as overridden so far
        count = world.get("narcissists", GROUPS["world"]["narcissists"].default)
        if i >= count:
            raise ParameterError(f"override {path!r}: the scenario has {count} narcissist(s), "
                                 f"indices 0 to {count - 1}")
        items.extend({} for _ in range(i + 1 - len(items)))
    elif i >= len(items):
        raise ParameterError(
            f"override {path!r}: the scenario lists {len(items)} partner(s), indices 0 to "
            f"{len(items) - 1}; generated partners follow partner.{name} or partners.*.{name}")
    items[i] = {**items[i], name: value}


def parse_assignment(text: str) -> tuple[str, Any]:
    """Turn command-line `path=value` into a path and a value of the parameter's kind."""
    if not isinstance(text, str):
        raise ParameterError(f"--set {reprlib.repr(text)} ({type(text).__name__}) is not "
                             "allowed: expected text PATH=VALUE, e.g. partners.0.boundary=0.8")
    if "=" not in text:
        raise ParameterError(f"--set {text!r}: expected PATH=VALUE, e.g. partners.0.boundary=0.8")
    path, value = (s.strip() for s in text.split("=", 1))
    return path, declaration_for(path).parse(value, path)


def declaration_for(path: str):
    """Return the Parameter a dotted path names, or explain why it names none."""
    _check_path_type(path, "path")
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
    if kind is str:
        return check_text(value, key, f"{where}: {key}")
    _check_count(value, key, where)
    return [check_text(v, key, f"{where}: {key} {i + 1}") for i, v in enumerate(value)]


def _check_count(items: list, key: str, where: str) -> None:
    if len(items) > MAX_TEXT_ITEMS:
        raise ParameterError(f"{where}: {key} lists {len(items):,} items; at most "
                             f"{MAX_TEXT_ITEMS} are allowed")


def _checked_notices(value: Any, where: str) -> list[Notice]:
    """Every notice as a Notice; a table must name known mechanisms, so that it has a label."""
    if not isinstance(value, list):
        raise ParameterError(f"{where}: notice = {value!r} is not allowed: expected a list of "
                             "text or of tables { text = \"...\", mechanisms = [3, 12] }")
    _check_count(value, "notice", where)
    return [_checked_notice(item, f"{where}: notice {i + 1}") for i, item in enumerate(value)]


def _checked_notice(item: Any, where: str) -> Notice:
    if isinstance(item, Notice):
        item = item.to_toml()
    if isinstance(item, str):
        return Notice(check_text(item, "notice", where))
    if not isinstance(item, dict) or not {"text", "mechanisms"} <= set(item) <= NOTICE_KEYS:
        raise ParameterError(f"{where} = {item!r} is not allowed: expected text or a table "
                             "with the keys text and mechanisms (and, if the result is built "
                             "into the rules, built_in = true), e.g. "
                             "{ text = \"...\", mechanisms = [3, 12] }")
    text, numbers = item["text"], item["mechanisms"]
    if not isinstance(text, str) or not text.strip():
        raise ParameterError(f"{where}: text = {text!r} is not allowed: expected some text")
    check_text(text, "notice", f"{where}: text")
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


def _check_table(table: Any, group: str, where: str) -> FrozenTable:
    if not isinstance(table, dict) or not all(isinstance(name, str) for name in table):
        raise ParameterError(f"{where}: expected a table of parameters, got {table!r}")
    return FrozenTable({name: lookup(group, name, f"{where} ({name} = {value!r})").check(
        value, f"{where} {name}") for name, value in table.items()})


def _check_list(items: Any, group: str, where: str) -> tuple[FrozenTable, ...]:
    if not isinstance(items, list | tuple):  # a tuple: a checked scenario's, through replace
        raise ParameterError(f"{where}: expected a list of tables, got {items!r}")
    return tuple(_check_table(item, group, f"{where} item {i}") for i, item in enumerate(items))


def _thawed(value: Any) -> Any:
    """A checked scenario's tuple as the list a file gives, for checks that read files; any
    other value as it is, for them to judge."""
    return list(value) if isinstance(value, tuple) else value


def _check_index(index: str, path: str) -> None:
    if index != "*" and not (index.isascii() and index.isdigit()):
        raise ParameterError(f"override {path!r}: {index!r} is not an index (a number or *)")


def resolve_group(base: dict[str, Any], group: str) -> dict[str, Any]:
    """Fill a group's table with the declared defaults where the scenario is silent."""
    return {**defaults(group), **base}
