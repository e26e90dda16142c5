"""A sweep's folder on disk: durable by parts, checked on resume, read back as one table.

Runs are grouped into parts of a fixed size that does not depend on the number of workers.
Each finished part is written atomically (a temporary file, then a rename), so a sweep killed
at any moment and restarted with `resume=True` runs only the missing parts. The model itself
writes no files; everything of a sweep that touches the disk is here.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import check_output_folder, path_error
from ..provenance import SWEEP_SEEDS, code_checksum, sidecar, stamp, to_json
from ..text import csv_safe
from .design import IDENTITY, Sweep, read_sweep
from .factors import SweepError

fcntl: ModuleType | None
try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one writer per folder is then the user's care
    fcntl = None

if TYPE_CHECKING:
    from .execution import Plan
    from .parts import PartResult

PROVENANCE_KEY = b"provenance"
"""The key of the stamp (JSON) in the key-value metadata of results.parquet and
timelines.parquet: `pyarrow.parquet.read_schema(path).metadata[b"provenance"]`."""
PART_KEY = b"part"
"""The key of a part's proof of origin (JSON, `model.experiments.parts.part_proof`) in the
metadata of each part file."""
PART_NAME = re.compile(r"part-(\d{6})\.parquet")

class Store:
    """A sweep's folder: `sweep.toml` (the declaration), `parts/` while running, then
    `results.parquet` (and `timelines.parquet`) as one table, stamped with how it was made
    (`model.provenance`, in the Parquet metadata), and `results.csv` on request.

    Every file is written under a temporary name and renamed into place, so a reader or a
    resumed sweep sees whole parts or none. The declaration is saved with a checksum of itself
    and of the installed code, so a resume refuses to mix runs of two experiments; one process
    at a time writes (an advisory lock on the folder, which the kernel drops when the holder
    dies, however it dies); a part that cannot be read is moved to `damaged/` and run again.
    """

    DECLARATION, RESULTS, TIMELINES = "sweep.toml", "results.parquet", "timelines.parquet"
    CSV = "results.csv"
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
        saved = read_sweep(declaration, confined=False)
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

        Every part must prove it belongs to this plan (`_verified`): a part that cannot be
        read (cut short by a full disk or a crash of the machine) is moved to `damaged/` and
        run again; anything else that is not exactly one of the parts this declaration, the
        scenario as it is now and the code as it is now would make refuses the resume, with
        one line naming the file and what differs.
        """
        sweep = sweep_plan.sweep
        self.parts.mkdir(parents=True, exist_ok=True)
        if sweep.timelines:
            self.timeline_parts.mkdir(exist_ok=True)
        if not (self.root / self.DECLARATION).exists():
            _atomic_text(self.root / self.DECLARATION, stamped(sweep.to_toml()))
        unreadable: list[Path] = []
        done = {index for path in sorted(self.parts.iterdir()) if not path.name.startswith(".")
                and (index := self._verified(path, sweep_plan, unreadable)) is not None}
        # Only once every part has passed: a refused resume leaves the folder as it was.
        for path in unreadable:
            self._set_aside(path, self.timeline_parts / path.name)
        for stale in itertools.chain(self.parts.glob(".*"), self.timeline_parts.glob(".*")):
            stale.unlink()
        return done

    def _verified(self, path: Path, sweep_plan: Plan, unreadable: list[Path]) -> int | None:
        """The part's index if it is whole and belongs to this plan; None, with the part added
        to `unreadable`, if it cannot be read."""
        name = PART_NAME.fullmatch(path.name)
        if name is None:
            raise self._refused(path, "is not a part of a sweep (parts are named "
                                "part-NNNNNN.parquet)", "move it out of the folder")
        index = int(name[1])
        if index >= len(sweep_plan.jobs):
            raise self._refused(path, f"is numbered beyond this sweep's {len(sweep_plan.jobs)} "
                                "parts, so it belongs to another sweep", "move it out")
        timeline = self.timeline_parts / path.name
        try:
            found, proof, columns, twice = _read_part(path)
            if sweep_plan.sweep.timelines:
                timeline_proof = _read_proof(timeline)
        except Exception:  # noqa: BLE001 -- any unreadable part is set aside, whatever broke it
            unreadable.append(path)
            return None
        expected = sweep_plan.proof(index)
        self._check_proof(path, proof, expected, sweep_plan)
        if set(found) != {tuple(r) for r in expected["runs"]}:
            raise SweepError(f"--resume {self.root}: {path.name} holds runs or seeds this "
                             "declaration does not give, so the folder mixes two experiments; "
                             "start again in a new folder")
        missing = [c for c, _ in sweep_plan.jobs[index].schema if c not in columns]
        if missing:
            raise self._refused(path, f"lacks columns of this sweep's table ("
                                f"{', '.join(missing[:4])}{', ...' if len(missing) > 4 else ''})",
                                "move it out of the folder to run it again")
        if twice is not None:
            raise self._refused(path, f"holds run {twice} twice", "remove it to run it again")
        if sweep_plan.sweep.timelines and timeline_proof != proof:
            raise self._refused(timeline, "is not the timeline of the part of the same name",
                                "move both out of the folder to run them again")
        return index

    def _check_proof(self, path: Path, proof: Any, expected: dict[str, Any],
                     sweep_plan: Plan) -> None:
        """Say what differs between a part's proof of origin and what this plan would make."""
        if not isinstance(proof, dict) or not isinstance(proof.get("digest"), str):
            raise self._refused(path, "carries no record of how it was made (written by hand, "
                                "by another program or by an older version)",
                                "move it out of the folder to run it again")
        if proof.get("index") != expected["index"]:
            raise self._refused(path, f"is a copy of part-{proof.get('index'):06d}.parquet "
                                "under another name, which would count its runs twice"
                                if isinstance(proof.get("index"), int) else
                                "is numbered inconsistently", "remove it")
        if proof.get("declaration") != expected["declaration"]:
            raise self._refused(path, "belongs to another sweep (made from a declaration that "
                                f"differs from {self.DECLARATION})", "remove it")
        if proof.get("code") != expected["code"]:
            raise self._refused(path, "was made by another version of the model's code or "
                                "presets", "finish the sweep with that version")
        if proof.get("scenario") != expected["scenario"]:
            raise self._refused(path, f"was run from another version of the scenario "
                                f"{sweep_plan.sweep.scenario!r} (the file or preset was changed "
                                "since the sweep started)", "undo the change")
        if proof["digest"] != expected["digest"]:
            raise self._refused(path, "does not match the runs this declaration, scenario and "
                                "code give (its digest differs)", "remove it")

    def _refused(self, path: Path, problem: str, advice: str) -> SweepError:
        where = f"{path.parent.name}/{path.name}"
        return SweepError(f"--resume {self.root}: {where} {problem}; its runs cannot be mixed "
                          f"with this sweep's: {advice}, or start again in a new folder")

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
        """Save one part: its timeline first, so a saved part always has its timeline. Both
        carry the part's proof of origin in their metadata."""
        name = part_name(result.index)
        proof = {PART_KEY: to_json(result.proof or {}, indent=None).encode("utf-8")}
        if result.timeline is not None:
            _atomic_parquet(result.timeline, self.timeline_parts / name, metadata=proof)
        _atomic_parquet(result.table, self.parts / name, metadata=proof)

    def finish(self, sweep_plan: Plan) -> None:
        """Join the parts into one sorted table per kind, check that it holds every run of the
        plan exactly once, stamp it, and remove the parts."""
        schema = dict(sweep_plan.jobs[0].schema)
        made = sweep_stamp(sweep_plan)
        names = [part_name(job.index) for job in sweep_plan.jobs]
        table = _joined(self.parts, names, ["run", "partner"]).astype(schema)
        self._check_complete(table, sweep_plan)
        _atomic_parquet(table, self.root / self.RESULTS, made)
        if sweep_plan.sweep.timelines:
            _atomic_parquet(_joined(self.timeline_parts, names, ["run", "partner", "step"]),
                            self.root / self.TIMELINES, made)
        shutil.rmtree(self.parts, ignore_errors=True)
        shutil.rmtree(self.timeline_parts, ignore_errors=True)

    def _check_complete(self, table: pd.DataFrame, sweep_plan: Plan) -> None:
        """Refuse to write a table that lacks a run, holds one twice, or one of another seed."""
        expected = pd.DataFrame([(r.run, r.seed) for job in sweep_plan.jobs for r in job.runs],
                                columns=["run", "seed"])
        found = table[["run", "seed"]].drop_duplicates()
        twice = table.duplicated(["run", "partner"])
        if len(found) != len(expected) or twice.any() or \
                not found.sort_values("run").reset_index(drop=True).equals(expected):
            run = int(table.loc[twice, "run"].iloc[0]) if twice.any() else None
            problem = f"holds run {run} twice" if run is not None else \
                f"holds {found['run'].nunique()} runs where {len(expected)} were planned"
            raise SweepError(f"--resume {self.root}: the joined parts {problem}; nothing was "
                             "written: start again in a new folder")

    def finished_table(self, sweep_plan: Plan) -> pd.DataFrame:
        """The finished table, after checking that it is this sweep's (stamp and columns)."""
        path = self.root / self.RESULTS
        table = _read_table(path)
        saved = self.stamp().get("settings", {}).get("sweep")
        identity = {k: v for k, v in (saved or {}).items() if k != "title"} \
            if isinstance(saved, dict) else None
        missing = [c for c, _ in sweep_plan.jobs[0].schema if c not in table.columns]
        if identity != json.loads(to_json(sweep_plan.sweep.identity(), indent=None)) \
                or missing:
            raise SweepError(f"--resume {self.root}: {self.RESULTS} is not the table of the "
                             f"sweep in {self.DECLARATION} ("
                             + (f"no column {', '.join(missing[:4])}" if missing else
                                "its stamp names another sweep")
                             + "); move it out of the folder to run the sweep again, or choose "
                             "a new folder")
        return table

    def table(self) -> pd.DataFrame:
        return pd.read_parquet(self.root / self.RESULTS)

    def stamp(self) -> dict[str, Any]:
        """The stamp saved in the finished table's metadata ({} for a table saved without)."""
        import pyarrow.parquet as pq

        metadata = pq.read_schema(self.root / self.RESULTS).metadata or {}
        saved = metadata.get(PROVENANCE_KEY)
        return json.loads(saved) if saved else {}

    def write_csv(self) -> Path:
        """Write the finished table as results.csv (same rows and columns) with its stamp
        beside it (results.csv.json). Both are written under temporary names and renamed, the
        stamp first, so a reader finds the CSV whole, with its stamp, or not at all."""
        path = self.root / self.CSV
        made = self.stamp()
        _atomic_text(sidecar(path), to_json(made) + "\n")
        _atomic_text(path, csv_safe(self.table()).to_csv(index=False))  # formulas neutralised
        return path

    def timelines(self) -> pd.DataFrame | None:
        path = self.root / self.TIMELINES
        return pd.read_parquet(path) if path.exists() else None


def part_name(index: int) -> str:
    return f"part-{index:06d}.parquet"


def _read_part(path: Path) -> tuple[list[tuple[int, int]], Any, list[str], int | None]:
    """A part's (run, seed) pairs, its proof of origin, its columns and a run whose rows it
    holds twice (None if none); raises if unreadable."""
    import pyarrow.parquet as pq

    # Every page is read and its checksum verified: a part whose bytes changed after it was
    # written (a disk error, a hand edit) is unreadable, and run again, instead of entering the
    # table with wrong values. The table is also made a DataFrame here, as the join will: its
    # pandas metadata lies outside the pages, and a change there must make the part
    # unreadable, not break the join.
    frame = pq.read_table(path, page_checksum_verification=True).to_pandas()
    columns = list(frame.columns)
    if "run" not in columns or "seed" not in columns:
        return [], _read_proof(path), columns, None
    found = list(zip(frame["run"].tolist(), frame["seed"].tolist(), strict=True))
    return found, _read_proof(path), columns, _twice(frame) if "partner" in columns else None


def _twice(rows: pd.DataFrame) -> int | None:
    """A run whose rows a part holds twice (one row per run and partner), or None."""
    twice = rows[["run", "partner"]].duplicated()
    return int(rows.loc[twice, "run"].iloc[0]) if twice.any() else None


def _read_proof(path: Path) -> Any:
    """The proof saved in a part's metadata (None when there is none or it is not JSON)."""
    import pyarrow.parquet as pq

    saved = (pq.read_schema(path).metadata or {}).get(PART_KEY)
    try:
        return json.loads(saved) if saved else None
    except ValueError:
        return None


def _joined(folder: Path, names: list[str], order: list[str]) -> pd.DataFrame:
    """The named parts as one table in `order`. Read as one dataset, not part by part: three
    times faster, and the join is the one step of a sweep no worker can share. Only the named
    files are read, so nothing else that lands in the folder can enter the table."""
    import pyarrow.parquet as pq

    if not names:
        return pd.DataFrame(columns=order)
    table = pq.ParquetDataset([str(folder / name) for name in names]).read().to_pandas()
    return table.sort_values(order, kind="stable", na_position="first").reset_index(drop=True)


def _atomic_parquet(frame: pd.DataFrame, path: Path, made: dict[str, Any] | None = None,
                    metadata: dict[bytes, bytes] | None = None) -> None:
    """Write `frame`; a stamp, when given, and `metadata` go into the schema's key-value
    metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    extra = dict(metadata or {})
    if made is not None:
        extra[PROVENANCE_KEY] = to_json(made, indent=None).encode("utf-8")
    with _removed_on_failure(temporary):
        # Page checksums let every reader tell a changed byte from data (`_read_part`).
        if not extra:
            frame.to_parquet(temporary, index=False, write_page_checksum=True)
        else:
            table = pa.Table.from_pandas(frame, preserve_index=False)
            pq.write_table(table.replace_schema_metadata(
                {**(table.schema.metadata or {}), **extra}), temporary,
                write_page_checksum=True)
        _sync_and_replace(temporary, path)


def sweep_stamp(sweep_plan: Plan) -> dict[str, Any]:
    """The stamp of a sweep's tables: the declaration, the scenario it starts from (every
    setting, before the sweep's own values) and the master seed with how seeds derive."""
    import tomllib

    sweep = sweep_plan.sweep
    scenario = tomllib.loads(sweep_plan.jobs[0].scenario.to_toml())
    return stamp({"sweep": sweep.to_dict(), "scenario": scenario}, seed=sweep.seed,
                 seed_scheme=SWEEP_SEEDS)


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


def stamped(text: str) -> str:
    """The declaration's text headed by its checksum and the code version."""
    checksum = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return f"{STAMP}# sha256 = {checksum}\n# code = {code_checksum()}\n{text}"


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
    if code != code_checksum():
        raise SweepError(f"{where}: the sweep was started with another version of the model's "
                         f"code or presets ({code[:12]}, now {code_checksum()[:12]}); its parts "
                         "cannot be "
                         "mixed with runs of this version: finish it with that version, or start "
                         "again in a new folder")


def read_results(folder: str | Path) -> tuple[Sweep, pd.DataFrame]:
    """The declaration and the table of a finished sweep folder."""
    store = Store(folder)
    if not (store.root / Store.DECLARATION).exists():
        raise SweepError(f"{folder}: not a sweep folder (no {Store.DECLARATION})")
    sweep = read_sweep(store.root / Store.DECLARATION, confined=False)
    if not store.finished():
        raise SweepError(f"{folder}: the sweep is not finished; finish it with `supply-cycle "
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
        return pd.read_parquet(path, page_checksum_verification=True)
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
