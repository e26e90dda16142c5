"""What a run keeps of its weeks: columnar numpy arrays, filled in place, turned into tables
only when asked for.

A run records every week (the default), every k-th week, or nothing but its outcomes. Each
recorded week adds one row per partner and per narcissist to arrays sized for the scenario's
horizon, so memory grows by a fixed, small number of bytes per person-week (measured in
docs/performance.md) instead of a Python tuple per row.
"""

from __future__ import annotations

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
_partner_floats = attrgetter(*PARTNER_FLOATS)
_narcissist_floats = attrgetter(*NARCISSIST_FLOATS)

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
    """A growable block of rows, one row per recorded week, preallocated for the horizon."""

    def __init__(self, shape: tuple[int, ...], dtype: Any, capacity: int) -> None:
        self.data = np.empty((max(capacity, 1), *shape), dtype=dtype)

    def put(self, row: int, values: Any) -> None:
        if row >= len(self.data):  # a run past the scenario's horizon: grow by half
            grown = np.empty((len(self.data) + len(self.data) // 2 + 1, *self.data.shape[1:]),
                             dtype=self.data.dtype)
            grown[:len(self.data)] = self.data
            self.data = grown
        self.data[row] = values


class Recording:
    """The weekly states of a run's partners and narcissists, as columns.

    `every` is the number of weeks between recorded weeks (0: outcomes only). Week 0 and the
    last week of each `run` are always recorded (the model asks through `close`).
    """

    def __init__(self, every: int, partners: list, narcissists: list, weeks: int,
                 approached: list) -> None:
        self.every = every
        self.approached = approached
        self._approached_rows = np.zeros(0, dtype=np.intp)
        self.partners, self.narcissists = partners, narcissists
        capacity = 0 if every == 0 else weeks // every + 2
        p, n = len(partners), len(narcissists)
        self.steps: list[int] = []
        self.partner_floats = _Rows((p, len(PARTNER_FLOATS)), np.float64, capacity)
        self.partner_codes = _Rows((p, 3), np.int32, capacity)  # narcissist, phase, recovery
        self.narcissist_floats = _Rows((n, len(NARCISSIST_FLOATS)), np.float64, capacity)
        self.sources = _Rows((n,), np.int32, capacity)

    def due(self, step: int) -> bool:
        """Whether this week is one the run keeps."""
        return self.every != 0 and step % self.every == 0

    def add(self, step: int) -> None:
        """Copy this week's states into the next row."""
        if self.every == 0 or (self.steps and self.steps[-1] == step):
            return
        row = len(self.steps)
        self.steps.append(step)
        self._add_partners(row)
        self.narcissist_floats.put(row, [_narcissist_floats(n) for n in self.narcissists])
        self.sources.put(row, [len(n.sources) for n in self.narcissists])

    def _add_partners(self, row: int) -> None:
        """Partners nobody has courted are as they were: copy the last row, then read only
        the partners the model has `approached`."""
        if row == 0:
            self.partner_floats.put(row, [_partner_floats(p) for p in self.partners])
            self.partner_codes.put(row, [_codes(p) for p in self.partners])
            return
        self.partner_floats.put(row, self.partner_floats.data[row - 1])
        self.partner_codes.put(row, self.partner_codes.data[row - 1])
        if not self.approached:
            return
        if len(self._approached_rows) != len(self.approached):
            self._approached_rows = np.array([p.index for p in self.approached], dtype=np.intp)
        rows = self._approached_rows
        self.partner_floats.data[row, rows] = [_partner_floats(p) for p in self.approached]
        self.partner_codes.data[row, rows] = [_codes(p) for p in self.approached]

    def close(self, step: int) -> None:
        """The last week of a run is kept whatever `every` says."""
        if self.every != 0:
            self.add(step)

    # --- tables ---------------------------------------------------------------------------------
    def timeline(self) -> pd.DataFrame:
        """One row per partner per recorded week, in week order then partner order."""
        weeks, people = len(self.steps), len(self.partners)
        floats = self.partner_floats.data[:weeks]
        codes = self.partner_codes.data[:weeks]
        names = np.array([p.name for p in self.partners], dtype=object)
        columns = {
            "step": np.repeat(np.array(self.steps, dtype=np.int64), people),
            "partner": np.tile(np.arange(people, dtype=np.int64), weeks),
            "name": np.tile(names, weeks),
            "narcissist": codes[:, :, 0].ravel().astype(np.int64),
            "phase": np.array(PHASE_LABELS, dtype=object)[codes[:, :, 1].ravel()],
            "recovery": np.array(RECOVERY_LABELS, dtype=object)[codes[:, :, 2].ravel()],
        }
        for i, column in enumerate(TIMELINE_COLUMNS[6:]):
            columns[column] = floats[:, :, i].ravel()
        return _frame(columns, TIMELINE_COLUMNS)

    def supply_timeline(self) -> pd.DataFrame:
        """One row per narcissist per recorded week."""
        weeks, people = len(self.steps), len(self.narcissists)
        floats = self.narcissist_floats.data[:weeks]
        names = np.array([n.name for n in self.narcissists], dtype=object)
        columns = {
            "step": np.repeat(np.array(self.steps, dtype=np.int64), people),
            "narcissist": np.tile(np.arange(people, dtype=np.int64), weeks),
            "name": np.tile(names, weeks),
        }
        for i, column in enumerate(SUPPLY_COLUMNS[3:8]):
            columns[column] = floats[:, :, i].ravel()
        columns["sources"] = self.sources.data[:weeks].ravel().astype(np.int64)
        return _frame(columns, SUPPLY_COLUMNS)

    def summary(self) -> dict[str, list]:
        """The four whole-run figures of each recorded week (the old DataCollector's)."""
        weeks = len(self.steps)
        floats = self.partner_floats.data[:weeks]
        phases = self.partner_codes.data[:weeks, :, 1]
        supply = self.narcissist_floats.data[:weeks, :, 0]
        apart = [PHASE_CODE["single"], PHASE_CODE[Phase.ENDED.value]]
        together = np.isin(phases, apart, invert=True).sum(axis=1)
        return {
            "mean_wellbeing": [float(np.mean(np.ascontiguousarray(floats[w, :, 0])))
                               for w in range(weeks)],
            "with_narcissist": [int(c) for c in together],
            "devalued": [int(c) for c in (phases == PHASE_CODE[Phase.DEVALUE.value]).sum(axis=1)],
            "mean_supply": [float(np.mean(np.ascontiguousarray(supply[w])))
                            for w in range(weeks)],
        }

    def nbytes(self) -> int:
        """Bytes held by the recorded arrays (allocated, not only filled)."""
        return sum(block.data.nbytes for block in (self.partner_floats, self.partner_codes,
                                                   self.narcissist_floats, self.sources))


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

    @property
    def model_vars(self) -> dict[str, list]:
        return self._recording.summary()

    @property
    def _collection_steps(self) -> list[float]:
        return [float(step) for step in self._recording.steps]

    def get_model_vars_dataframe(self) -> pd.DataFrame:
        return pd.DataFrame(self.model_vars, index=self._recording.steps)
