"""All-or-nothing output folders: files are written aside and moved in only when complete."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from .errors import check_output_folder, path_error


@contextmanager
def staged_folder(out: Path | str, prefix: str = ".staging-", what: str = "--out",
                  inputs: tuple[Path, ...] = ()) -> Iterator[Path]:
    """Yield a scratch folder on the same filesystem as `out`; on success move it into place.

    A crash, an interrupt, a full disk or a user's mistake part-way leaves `out` as it was, so
    a reader never finds half a set of outputs. When `out` does not exist yet the scratch
    folder is made beside it and renamed to `out` in one step; when it exists, the scratch
    folder is made inside it (a mount point's parent may be another filesystem, where a rename
    cannot reach) and each file is renamed into place. The scratch folder, and any parent
    folders made for it, are removed on failure. OS errors become one PathError naming `what`.
    """
    out = Path(out)
    check_output_folder(out, what, inputs)
    made = _missing_parents(out)
    staging = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=prefix, dir=out if out.is_dir() else out.parent))
        yield staging
        _move_in(staging, out)
        made = []
    except OSError as err:
        raise path_error(what, out, err) from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        for folder in made:
            _remove_empty(folder)


def _move_in(staging: Path, out: Path) -> None:
    if staging.parent == out:
        for item in staging.iterdir():
            item.replace(out / item.name)
        return
    staging.chmod(0o777 & ~_umask())  # mkdtemp's folder is private; the outputs are not
    try:
        staging.rename(out)
    except OSError:  # `out` appeared meanwhile (another process): fall back to file by file
        out.mkdir(exist_ok=True)
        for item in staging.iterdir():
            item.replace(out / item.name)


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
