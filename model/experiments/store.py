"""A sweep's folder on disk: durable by parts, checked on resume, read back as one table.

Runs are grouped into parts of a fixed size that does not depend on the number of workers.
Each finished part is written atomically (a temporary file, then a rename), so a sweep killed
at any moment and restarted with `resume=True` runs only the missing parts. The model itself
writes no files; everything of a sweep that touches the disk is here.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import check_output_folder, path_error
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

CODE_FILES = ("parameters.py", "dynamics.py", "phases.py", "agents.py", "relationship.py",
              "model.py", "recording.py", "crowd.py", "pronouns.py", "events.py", "outcomes.py")
"""The modules whose code decides a run's outcome; their checksum is the code version."""


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
