"""What a run keeps of its weeks: packed binary rows, turned into tables only when asked for.

A run records every week (the default), every k-th week, or nothing but its outcomes. Each
recorded week adds a fixed, small number of bytes per courted partner and per narcissist
(measured in docs/performance.md) instead of a Python tuple per row; partners nobody has
courted are kept once, at week 0, since nothing changes them.
"""

from __future__ import annotations

import struct
import sys
from array import array
from collections.abc import Callable
from operator import attrgetter
from typing import Any

import numpy as np
import pandas as pd

from .errors import check_whole
from .parameters import ParameterError
from .phases import Phase, Recovery

TIMELINE_COLUMNS = ("step", "partner", "name", "narcissist", "phase", "recovery", "wellbeing",
                    "trauma_bond", "commitment", "satisfaction", "self_esteem", "illusion",
                    "harm", "perceived_harm", "empathy")
SUPPLY_COLUMNS = ("step", "narcissist", "name", "supply", "need", "hunger",
                  "grandiosity_gap", "injury", "sources")

PARTNER_FLOATS = ("wellbeing", "trauma_bond", "commitment", "satisfaction", "self_esteem_now",
                  "illusion", "harm", "perceived_harm", "empathy_now")
"""Partner attributes recorded each week, in the order of the timeline's float columns."""
NARCISSIST_FLOATS = ("supply", "need", "hunger", "gap", "injury")

PHASE_LABELS = ("single",) + tuple(phase.value for phase in Phase)
RECOVERY_LABELS = tuple(stage.value for stage in Recovery)
# Keyed by the members' plain `_value_` strings: hashing an Enum member runs Python code.
PHASE_CODE = {label: i for i, label in enumerate(PHASE_LABELS)}
RECOVERY_CODE = {label: i for i, label in enumerate(RECOVERY_LABELS)}
_PHASE_OF = {phase: PHASE_CODE[phase.value] for phase in Phase}
_RECOVERY_OF = {stage: RECOVERY_CODE[stage.value] for stage in Recovery}
_SINGLE = PHASE_CODE["single"]
_partner_floats = attrgetter(*PARTNER_FLOATS)

PARTNER_ROW = np.dtype([("floats", "<f8", (len(PARTNER_FLOATS),)), ("codes", "<i4", (3,)),
                        ("who", "<i4")])
"""One recorded partner-week, packed (88 bytes): PARTNER_FLOATS, then her narcissist, phase
code and recovery code, then her index."""
NARCISSIST_ROW = np.dtype([("floats", "<f8", (len(NARCISSIST_FLOATS),)), ("sources", "<i4")])


def _packer(layout: str, row: np.dtype) -> Callable[..., bytes]:
    """`struct`'s packing by `layout`, refused unless it fills exactly the bytes `row` reads
    (numpy's structured types are packed, with no padding, like `struct`'s "<" layouts)."""
    packing = struct.Struct(layout)
    if packing.size != row.itemsize:
        raise TypeError(f"{layout!r} packs {packing.size} bytes, {row} reads {row.itemsize}")
    return packing.pack


_pack_partner = _packer(f"<{len(PARTNER_FLOATS)}d4i", PARTNER_ROW)
_pack_narcissist = _packer(f"<{len(NARCISSIST_FLOATS)}di", NARCISSIST_ROW)


def partner_week(p: Any) -> bytes:
    """A partner's week as one packed row (`PARTNER_ROW`; -1 and "single" for a partner never
    courted, recorded weekly only once traits changed mid-run). `struct` turns the thirteen
    numbers into bytes in one C call, a third of the cost of moving them into an array one by
    one; spelled out, since an `attrgetter` of thirteen names costs twice as much."""
    rel = p.relationship
    if rel is None:
        who, phase = -1, _SINGLE
    else:
        who, phase = rel.narcissist.index, _PHASE_OF[rel.phase]
    return _pack_partner(p.wellbeing, p.trauma_bond, p.commitment, p.satisfaction,
                         p.self_esteem_now, p.illusion, p.harm, p.perceived_harm, p.empathy_now,
                         who, phase, _RECOVERY_OF[p.recovery], p.index)


def _narcissist_week(n: Any) -> bytes:
    """A narcissist's week (`NARCISSIST_ROW`): his floats, then how many sources he keeps."""
    return _pack_narcissist(n.supply, n.need, n.hunger, n.gap, n.injury, len(n.sources))


RECORD_CHOICES = '"weekly", "outcomes" or a whole number of weeks from 1 up'


def check_record(record: Any) -> int:
    """Turn the `record` argument into weeks between recorded weeks; 0 means outcomes only."""
    if record == "weekly" and isinstance(record, str):
        return 1
    if record == "outcomes" and isinstance(record, str):
        return 0
    if isinstance(record, str):
        raise ParameterError(f"record = {record!r} is not allowed: expected {RECORD_CHOICES}")
    try:
        return check_whole(record, "record", 1)
    except ParameterError:
        raise ParameterError(f"record = {record!r} is not allowed: expected "
                             f"{RECORD_CHOICES}") from None


class _Rows:
    """Packed rows of one `np.dtype`, in a growing byte buffer; read as a structured array."""

    def __init__(self, dtype: np.dtype) -> None:
        self.dtype = dtype
        self.data = bytearray()

    def values(self) -> np.ndarray:
        """Every row so far, a copy (a view would stop the buffer from growing)."""
        return np.frombuffer(bytes(self.data), dtype=self.dtype)

    def nbytes(self) -> int:
        return sys.getsizeof(self.data)


class Recording:
    """The weekly states of a run's partners and narcissists.

    `every` is the number of weeks between recorded weeks (0: outcomes only). Week 0 and the
    last week of each `run` are always recorded (the model asks through `close`).

    A partner nobody has courted stays as she was at week 0 (see `RelationshipModel.approached`;
    unless traits change mid-run, which puts everyone in it), so week 0 keeps everyone and each
    later week keeps only the partners in `approached`: one packed row per partner-week,
    88 bytes. The tables fill in the rest.
    """

    def __init__(self, every: int, partners: list, narcissists: list,
                 approached: list) -> None:
        self.every = every
        self.partners, self.narcissists, self.approached = partners, narcissists, approached
        self.steps = array("q")
        self.start_floats = np.zeros((len(partners), len(PARTNER_FLOATS)))
        self.start_codes = np.zeros((len(partners), 3), dtype=np.int32)
        self.entries = array("q")  # partner entries per recorded week
        self.partner_weeks = _Rows(PARTNER_ROW)
        self.narcissist_weeks = _Rows(NARCISSIST_ROW)

    def keeps(self, step: int, last: int) -> bool:
        """Whether this week will be kept: every `every`-th week, and the scenario's `last`."""
        return self.every != 0 and (step % self.every == 0 or step == last)

    def add(self, step: int, rows: list[bytes] | None = None) -> None:
        """Keep this week's states. `rows` are the courted partners' `partner_week`s, in
        order, when the caller already read them (the weekly loop does, while each partner
        is in the cache); otherwise they are read here."""
        if self.every == 0 or (self.steps and self.steps[-1] == step):
            return
        if not self.steps:
            self.start_floats[:] = [_partner_floats(p) for p in self.partners]
            self.start_codes[:] = [_codes(p) for p in self.partners]
        self.steps.append(step)
        self.entries.append(len(self.approached))
        self.partner_weeks.data += b"".join(
            [partner_week(p) for p in self.approached] if rows is None else rows)
        self.narcissist_weeks.data += b"".join([_narcissist_week(n) for n in self.narcissists])

    def close(self, step: int) -> None:
        """The last week of a run is kept whatever `every` says."""
        self.add(step)

    def _places(self) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
        """The (week row, partner) of every recorded entry, and the entries."""
        rows = self.partner_weeks.values()
        return (np.repeat(np.arange(len(self.steps)), self.entries), rows["who"]), rows

    def _partner_column(self, start: np.ndarray, kept: np.ndarray, i: int,
                        places: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """Column `i` of every partner in every recorded week, shaped (weeks, partners); one
        column at a time, so a large town's table needs no second copy of the whole."""
        column = np.repeat(start[None, :, i], len(self.steps), axis=0)
        column[places] = kept[:, i]
        return column

    def _narcissist_weeks(self) -> tuple[np.ndarray, np.ndarray]:
        shape = (len(self.steps), len(self.narcissists))
        weeks = self.narcissist_weeks.values()
        return (weeks["floats"].reshape(*shape, len(NARCISSIST_FLOATS)),
                weeks["sources"].reshape(shape))

    # --- tables ---------------------------------------------------------------------------------
    def timeline(self) -> pd.DataFrame:
        """One row per partner per recorded week, in week order then partner order."""
        weeks, people = len(self.steps), len(self.partners)
        places, rows = self._places()

        def code(i: int) -> np.ndarray:
            return self._partner_column(self.start_codes, rows["codes"], i, places).ravel()

        names = np.array([p.name for p in self.partners], dtype=object)
        columns = {
            "step": np.repeat(np.array(self.steps, dtype=np.int64), people),
            "partner": np.tile(np.arange(people, dtype=np.int64), weeks),
            "name": np.tile(names, weeks),
            "narcissist": code(0).astype(np.int64),
            "phase": np.array(PHASE_LABELS, dtype=object)[code(1)],
            "recovery": np.array(RECOVERY_LABELS, dtype=object)[code(2)],
        }
        for i, column in enumerate(TIMELINE_COLUMNS[6:]):
            columns[column] = self._partner_column(self.start_floats, rows["floats"], i,
                                                   places).ravel()
        return _frame(columns, TIMELINE_COLUMNS)

    def supply_timeline(self) -> pd.DataFrame:
        """One row per narcissist per recorded week."""
        weeks, people = len(self.steps), len(self.narcissists)
        floats, sources = self._narcissist_weeks()
        names = np.array([n.name for n in self.narcissists], dtype=object)
        columns = {
            "step": np.repeat(np.array(self.steps, dtype=np.int64), people),
            "narcissist": np.tile(np.arange(people, dtype=np.int64), weeks),
            "name": np.tile(names, weeks),
        }
        for i, column in enumerate(SUPPLY_COLUMNS[3:8]):
            columns[column] = floats[:, :, i].ravel()
        columns["sources"] = sources.ravel().astype(np.int64)
        return _frame(columns, SUPPLY_COLUMNS)

    def summary(self) -> dict[str, list]:
        """The four whole-run figures of each recorded week (the old DataCollector's)."""
        weeks = len(self.steps)
        places, rows = self._places()
        wellbeing = self._partner_column(self.start_floats, rows["floats"], 0, places)
        phases = self._partner_column(self.start_codes, rows["codes"], 1, places)
        supply = self._narcissist_weeks()[0][:, :, 0]
        apart = [PHASE_CODE["single"], PHASE_CODE[Phase.ENDED.value]]
        together = np.isin(phases, apart, invert=True).sum(axis=1)
        return {
            "mean_wellbeing": [float(np.mean(wellbeing[w])) for w in range(weeks)],
            "with_narcissist": [int(c) for c in together],
            "devalued": [int(c) for c in (phases == PHASE_CODE[Phase.DEVALUE.value]).sum(axis=1)],
            "mean_supply": [float(np.mean(np.ascontiguousarray(supply[w])))
                            for w in range(weeks)],
        }

    def nbytes(self) -> int:
        """Bytes held by the recording (allocated, not only filled)."""
        return (self.start_floats.nbytes + self.start_codes.nbytes
                + self.partner_weeks.nbytes() + self.narcissist_weeks.nbytes())


def _codes(partner: Any) -> tuple[int, int, int]:
    rel = partner.relationship
    recovery = RECOVERY_CODE[partner.recovery._value_]
    if rel is None:
        return -1, 0, recovery
    return rel.narcissist.index, PHASE_CODE[rel.phase._value_], recovery


def _frame(columns: dict[str, np.ndarray], order: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(columns, columns=list(order))


class WeeklySummary:
    """What Mesa's DataCollector offered this model, read from the recording on demand.

    `mesa.batch_run` and the contract tests read `model_vars`, `_collection_steps` and
    `get_model_vars_dataframe()`; computing them from the columns costs nothing per week.
    """

    model_reporters = dict.fromkeys(("mean_wellbeing", "with_narcissist", "devalued",
                                     "mean_supply"))
    agent_reporters: dict = {}
    agenttype_reporters: dict = {}
    _agent_records: dict = {}
    _agenttype_records: dict = {}

    def __init__(self, recording: Recording) -> None:
        self._recording = recording
        self._cached: tuple[int, dict[str, list]] = (-1, {})

    @property
    def model_vars(self) -> dict[str, list]:
        """Rebuilt only when a week was recorded since: `batch_run` asks once per week."""
        weeks = len(self._recording.steps)
        if self._cached[0] != weeks:
            self._cached = (weeks, self._recording.summary())
        return self._cached[1]

    @property
    def _collection_steps(self) -> list[float]:
        return [float(step) for step in self._recording.steps]

    def get_model_vars_dataframe(self) -> pd.DataFrame:
        return pd.DataFrame(self.model_vars, index=list(self._recording.steps))
