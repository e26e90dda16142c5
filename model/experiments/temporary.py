"""Temporary folders a sweep owns, removed however it ends, and by the next run if it could not.

`execute(out=None)` keeps its parts in a temporary folder, and local worker processes need one
for the socket of their start server. A normal end, an exception, Ctrl-C or a dead worker
removes them (a `finally`, an `atexit`); only a kill of the whole process (SIGKILL, the
out-of-memory killer, a power cut) leaves one behind. So each is named with the project's
prefix and its owner's process id, and held with an advisory lock while its owner lives; the
next sweep removes those whose owner is gone, and any that nobody has held for a day.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import ModuleType

fcntl: ModuleType | None
try:
    import fcntl
except ImportError:  # Windows: no advisory locks; the owner's process id alone decides
    fcntl = None

PREFIX = "supply-cycle-"
OWNED = re.compile(rf"{PREFIX}[a-z]+-(\d+)-")
STALE_SECONDS = 24 * 3600
"""A folder of ours that nobody holds is removed once it is this old, whatever its pid says
(a process id can be reused by another program)."""


@contextmanager
def owned_folder(kind: str) -> Iterator[Path]:
    """A new folder in the temporary directory, held while this runs and then removed."""
    folder, handle = make_owned(kind)
    try:
        yield folder
    finally:
        release(folder, handle)


def make_owned(kind: str) -> tuple[Path, int | None]:
    """Create and hold a folder named PREFIX + kind + pid; stale ones of earlier runs go first."""
    remove_stale()
    folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{kind}-{os.getpid()}-"))
    handle = None
    if fcntl is not None:
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return folder, handle


def release(folder: Path, handle: int | None) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    if handle is not None:
        with suppress(OSError):
            os.close(handle)


def remove_stale(where: str | Path | None = None) -> list[Path]:
    """Remove folders of ours whose owner is gone, or that nobody has held for a day."""
    removed = []
    for folder in Path(where or tempfile.gettempdir()).glob(f"{PREFIX}*"):
        found = OWNED.match(folder.name)
        if found is None or int(found[1]) == os.getpid() or not folder.is_dir() \
                or folder.is_symlink():
            continue
        owner_gone = not _alive(int(found[1]))
        with suppress(OSError):
            old = time.time() - folder.stat().st_mtime > STALE_SECONDS
            if (owner_gone or old) and not _held(folder):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # another user's process, or a number we cannot ask about: leave it
    return True


def _held(folder: Path) -> bool:
    """Whether a live process holds the folder's lock (False where there are no locks)."""
    if fcntl is None:
        return False
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(handle)
    return False


_workers_folder: list[Path] = []


SOCKET_PATH_BYTES = 100
"""A Unix socket's path must be shorter than 108 bytes (Linux; 104 on macOS)."""


def worker_temporary_folder() -> Path | None:
    """The folder multiprocessing keeps its start server's socket in, owned like the others;
    None where the temporary directory's path is too long for a socket inside it.

    multiprocessing makes its own (`pymp-...`) and removes it at a normal exit, so a killed
    sweep left one behind each time; this one is found and removed by the next sweep."""
    if not _workers_folder:
        folder, handle = make_owned("workers")
        if len(os.fsencode(folder)) + len("/listener-12345678") > SOCKET_PATH_BYTES:
            release(folder, handle)
            return None
        atexit.register(release, folder, handle)
        _workers_folder.append(folder)
    return _workers_folder[0]
