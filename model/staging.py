"""All-or-nothing outputs: files are written aside and moved in only when complete.

Every scratch name starts with one of STAGING_PREFIXES and the writer's process id, so that a
later run can tell its own leftovers (from a `kill -9` or a power cut) from anything else, and
remove those whose writer is gone (`clean_stale`).
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import PathError, check_output_file, check_output_folder, kind_of, path_error

STAGING_PREFIXES = (".staging-", ".run-", ".outputs-", ".validation-")
"""The scratch names this module makes; `clean_stale` removes nothing else."""

STALE_SECONDS = 24 * 3600
"""A scratch folder this old is stale even if a process with its writer's id still runs (ids
are reused); no output takes a day to write."""


@contextmanager
def staged_folder(out: Path | str, prefix: str = ".staging-", what: str = "--out",
                  inputs: tuple[Path, ...] = (), replace: bool = False) -> Iterator[Path]:
    """Yield a scratch folder on the same filesystem as `out`; on success move it into place.

    A crash, an interrupt, a full disk or a user's mistake part-way leaves `out` as it was, so
    a reader never finds half a set of outputs. When `out` does not exist yet the scratch
    folder is made beside it and renamed to `out` in one step; when it exists, the scratch
    folder is made inside it (a mount point's parent may be another filesystem, where a rename
    cannot reach) and each file is renamed into place. With `replace`, whatever else `out`
    held is removed once every new file is in, so that it ends holding the new set alone, not
    mixed with an older one (the caller decides what may be removed). The scratch folder, and
    any parent folders made for it, are removed on failure. OS errors become one PathError
    naming `what`.
    """
    out = Path(out)
    check_output_folder(out, what, inputs)
    if prefix not in STAGING_PREFIXES:
        raise ValueError(f"staging prefix {prefix!r} is not one of {STAGING_PREFIXES}")
    made = _missing_parents(out)
    staging = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        where = out if out.is_dir() else out.parent
        clean_stale(where)
        staging = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=where))
        yield staging
        _sync(staging)
        _move_in(staging, out, replace, what)
        made = []
    except OSError as err:
        raise path_error(what, out, err) from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        for folder in made:
            _remove_empty(folder)


@contextmanager
def staged_file(out: Path | str, what: str = "--out",
                inputs: tuple[Path, ...] = ()) -> Iterator[Path]:
    """Yield a scratch file beside `out`; on success sync it and rename it over `out`.

    A full disk, an error or a kill part-way leaves an earlier `out` whole and unchanged, and
    the target is never opened (a pipe or device there is refused before any work)."""
    out = Path(out)
    check_output_file(out, what, inputs)
    made = _missing_parents(out)
    scratch = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(out.parent)
        handle, name = tempfile.mkstemp(prefix=f".staging-{os.getpid()}-", dir=out.parent)
        os.close(handle)
        scratch = Path(name)
        yield scratch
        _sync_file(scratch)
        _check_replaceable(out, what)
        scratch.chmod(0o666 & ~_umask())  # mkstemp's file is private; the output is not
        scratch.replace(out)
        scratch, made = None, []
    except OSError as err:
        raise path_error(what, out, err) from None
    finally:
        if scratch is not None:
            with suppress(OSError):
                scratch.unlink()
        for folder in made:
            _remove_empty(folder)


def clean_stale(folder: Path) -> list[Path]:
    """Remove the scratch folders and files in `folder` whose writer is gone (no process with
    its id) or that are older than STALE_SECONDS; return what was removed. Only names made
    here (a prefix, then a process id) are touched: nothing of anyone else's."""
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        pid = _scratch_pid(entry.name)
        if pid is None or not _stale(entry, pid):
            continue
        with suppress(OSError):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(entry)
    return removed


def _scratch_pid(name: str) -> int | None:
    """The writer's process id in a scratch name made here, or None for any other name."""
    prefix = next((p for p in STAGING_PREFIXES if name.startswith(p)), None)
    pid = name[len(prefix):].split("-")[0] if prefix else ""
    return int(pid) if pid.isascii() and pid.isdigit() else None


def _stale(entry: Path, pid: int) -> bool:
    try:
        if time.time() - entry.lstat().st_mtime > STALE_SECONDS:
            return True
    except OSError:
        return False
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, owned by someone else
        return False
    return False


def _sync(staging: Path) -> None:
    """Flush every new file to disk before it replaces an old one, so that a power cut after
    the rename cannot leave an empty file where a complete one was."""
    for item in staging.iterdir():
        if item.is_file() and not item.is_symlink():
            _sync_file(item)


def _sync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check_replaceable(target: Path, what: str) -> None:
    """Refuse to rename a new file over anything but a regular file: a folder cannot be
    replaced by a file, and a pipe, device or link there means something other than an
    earlier output holds the name."""
    try:
        mode = target.lstat().st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise PathError(f"{what} {str(target)!r}: is {kind_of(target)}, which an output would "
                        "replace; move it away or choose another folder (nothing was changed)")


def _move_in(staging: Path, out: Path, replace: bool = False, what: str = "--out") -> None:
    """Every target is checked before the first is replaced: a blocking name found half-way
    would leave the folder mixing two runs."""
    if staging.parent == out:
        new = {item.name for item in staging.iterdir()}
        for name in sorted(new):
            _check_replaceable(out / name, what)
        for item in staging.iterdir():
            item.replace(out / item.name)
        if replace:
            _remove_all_but(out, new | {staging.name})
        return
    staging.chmod(0o777 & ~_umask())  # mkdtemp's folder is private; the outputs are not
    try:
        staging.rename(out)
    except OSError:  # `out` appeared meanwhile (another process): fall back to file by file
        out.mkdir(exist_ok=True)
        for item in staging.iterdir():
            _check_replaceable(out / item.name, what)
        for item in staging.iterdir():
            item.replace(out / item.name)


def _remove_all_but(folder: Path, keep: set[str]) -> None:
    """Remove what an earlier run left, but not another writer's scratch: the stale ones were
    removed before staging, so those left belong to a live process."""
    for item in folder.iterdir():
        if item.name in keep or _scratch_pid(item.name) is not None:
            continue
        if item.is_dir() and not item.is_symlink():
            shutil.rmtree(item)
        else:
            item.unlink()


def _umask() -> int:
    """The process's umask, read without changing it (os.umask would, for every thread)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    return 0o022


def _missing_parents(out: Path) -> list[Path]:
    """The folders above `out` that do not exist yet, deepest first (to remove on failure)."""
    missing = []
    for parent in out.absolute().parents:
        if parent.exists():
            break
        missing.append(parent)
    return missing


def _remove_empty(folder: Path) -> None:
    with suppress(OSError):
        folder.rmdir()
