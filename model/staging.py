"""All-or-nothing output folders: files are written aside and moved in only when complete."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_folder(out: Path | str, prefix: str = ".staging-") -> Iterator[Path]:
    """Yield a scratch folder beside `out`; on success move its files into `out`.

    A crash, an interrupt or a user's mistake part-way leaves `out` as it was, so a reader
    never finds half a set of outputs. The scratch folder is removed either way.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise NotADirectoryError(f"{out} exists and is not a folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=out.parent))
    try:
        yield staging
        out.mkdir(exist_ok=True)
        for item in staging.iterdir():
            item.replace(out / item.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
