"""Provenance: the stamp every output carries, saying which code, seed and settings made it.

A table or figure found in a folder months later should say how to make it again. The stamp
names the tool and its version, a checksum of the code that decides a run, the Python version,
when it was made, the seed (or how the seeds were derived) and the full settings. The
simulation never calls this module: the command line, the sweep store, the reports and the
dashboard stamp what they write, so the model stays free of I/O and of the clock.

The code checksum covers every `.py` file of the `model` package and every preset `.toml` of
`scenarios`, read where they are installed (a source tree, an editable install or a wheel), so
no list of files has to be kept by hand and none can be forgotten.
"""

from __future__ import annotations

import functools
import hashlib
import json
import platform
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import scenarios

TOOL = "supply-cycle"
PACKAGE_ROOT = Path(__file__).resolve().parent
PRESET_ROOT = Path(scenarios.__file__).resolve().parent
SWEEP_SEEDS = ("each run's seed is derived from the master seed and the run's (design point, "
               "replicate) with numpy.random.SeedSequence (model.experiments.seeds)")
"""How a sweep's seeds are made, for stamps that carry a master seed rather than one seed."""
DOC_LINE = re.compile(r"^Provenance \(how this file was made\): `(\{.*\})`$", re.MULTILINE)


# --- the code checksum --------------------------------------------------------------------------
def code_checksum() -> str:
    """The sha256 of the installed code that decides a run (computed once per process)."""
    return checksum_of(PACKAGE_ROOT, PRESET_ROOT)


@functools.lru_cache(maxsize=8)
def checksum_of(package: Path, presets: Path) -> str:
    """The checksum of `package`'s `.py` files (all subpackages) and `presets`' `.toml` files.

    Each file enters with its path relative to its root, in sorted order, so the checksum does
    not depend on where the code is installed but changes when a file is edited, added,
    removed or renamed.
    """
    files = [(f"{package.name}/{p.relative_to(package).as_posix()}", p)
             for p in package.rglob("*.py") if "__pycache__" not in p.parts]
    files += [(f"{presets.name}/{p.name}", p) for p in presets.glob("*.toml")]
    digest = hashlib.sha256()
    for name, path in sorted(files):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


# --- the stamp ----------------------------------------------------------------------------------
def stamp(settings: Mapping[str, Any], *, seed: int | None = None,
          seed_scheme: str | None = None, created: bool = True) -> dict[str, Any]:
    """The stamp of one output: tool, version, code, Python, time, seed and settings.

    `created=False` leaves the time out, for generated documents that must come out the same
    from the same code and settings (the validation report, the knob table).
    """
    from . import __version__

    made: dict[str, Any] = {"tool": TOOL, "version": __version__, "code": code_checksum(),
                            "python": platform.python_version()}
    if created:
        made["created"] = datetime.now(UTC).isoformat(timespec="seconds")
    if seed is not None:
        made["seed"] = seed
    if seed_scheme is not None:
        made["seed_scheme"] = seed_scheme
    made["settings"] = dict(settings)
    return made


def to_json(made: Mapping[str, Any], indent: int | None = 2) -> str:
    """The stamp as JSON (a value JSON lacks, such as a path, is written as its text)."""
    return json.dumps(made, indent=indent, default=str, ensure_ascii=False)


def png_metadata(made: Mapping[str, Any]) -> dict[str, str]:
    """PNG text chunks for `savefig(..., metadata=...)`: the tool and the whole stamp."""
    return {"Software": f"{TOOL} {made['version']}", "Description": to_json(made, indent=None)}


FIGURE_KEYS = {".svg": "Description", ".pdf": "Subject"}
"""Where the stamp goes in the other figure types that take text metadata in matplotlib."""


def figure_metadata(made: Mapping[str, Any], suffix: str) -> dict[str, str] | None:
    """`savefig`'s metadata for a file ending in `suffix`; None where it takes none."""
    if suffix.lower() == ".png":
        return png_metadata(made)
    key = FIGURE_KEYS.get(suffix.lower())
    return None if key is None else {key: to_json(made, indent=None)}


def sidecar(csv_path: Path) -> Path:
    """Where a CSV's stamp lives: beside it, as NAME.csv.json (the rule for every CSV)."""
    return csv_path.with_name(csv_path.name + ".json")


def write_sidecar(csv_path: Path, made: Mapping[str, Any]) -> Path:
    """Write the stamp of `csv_path` beside it; the caller writes both in a staged folder."""
    path = sidecar(csv_path)
    path.write_text(to_json(made) + "\n", encoding="utf-8")
    return path


def doc_line(made: Mapping[str, Any]) -> str:
    """The stamp as one line of a generated Markdown document (DOC_LINE reads it back)."""
    return f"Provenance (how this file was made): `{to_json(made, indent=None)}`"


def read_doc_line(text: str) -> dict[str, Any] | None:
    """The stamp of a generated document, or None if it carries none."""
    found = DOC_LINE.search(text)
    return None if found is None else json.loads(found.group(1))
