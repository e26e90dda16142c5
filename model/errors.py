"""One kind of user error, and the checks every entry point shares.

The promise (docs/reliability.md): a user's mistake ends in one line that names the input, the
value and what is allowed, with exit status 2 on the command line, and never a traceback. A
value is refused with `ParameterError`; a file or folder that cannot be read or written as
asked with `PathError`, which is a `ParameterError`, so every caller that catches the one
catches the other. Everything here is checked at the boundary, before any work starts, so a
mistake costs a second, not an hour of computing, and leaves nothing half written.
"""

from __future__ import annotations

import errno
import numbers
import os
import stat
import tomllib
from pathlib import Path
from typing import Any

import numpy as np

from .parameters import ParameterError

MAX_FILE_BYTES = 1_000_000
"""Largest scenario or sweep file read: the largest legitimate one is a few kilobytes."""

MAX_DEPTH = 16
"""Deepest nesting of tables and lists accepted in a scenario or sweep file (real ones use 3)."""

MAX_NAME_BYTES, MAX_PATH_BYTES = 255, 4095
"""Linux's limits for one name in a path and for a whole path."""

MAX_SEED = 2**63 - 1
"""Seeds are stored as int64 (Parquet) and TOML integers, both signed 64-bit."""

MAX_WORKERS = 256
"""Most local worker processes a command or the API starts (sweep, knobs, validate): more
would only exhaust memory and process slots, never add cores."""


class PathError(ParameterError):
    """A file or folder that cannot be read or written as asked (missing, unreadable, full...)."""


# --- operating-system errors in plain words ------------------------------------------------------
_REASONS = {
    errno.ENOENT: "does not exist",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the filesystem is read-only",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.ENAMETOOLONG: f"the name is too long (at most {MAX_NAME_BYTES} bytes a name, "
                        f"{MAX_PATH_BYTES} a path)",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "is a folder, not a file",
    errno.EEXIST: "already exists",
    errno.ELOOP: "too many symbolic links",
    errno.EXDEV: "is on another filesystem",
    errno.ENOTEMPTY: "the folder is not empty",
    errno.EBUSY: "is busy (a mount point or in use)",
}


def reason(err: OSError) -> str:
    """An OSError in words a user acts on, without errno numbers."""
    return _REASONS.get(err.errno or 0, err.strerror or type(err).__name__)


def path_error(what: str, path: Any, err: OSError) -> PathError:
    """A PathError naming the input (`what`), the path, and what went wrong."""
    return PathError(f"{what} {str(path)!r}: {reason(err)}")


# --- paths given by a user ------------------------------------------------------------------------
def check_path_text(text: str, what: str) -> Path:
    """Refuse a path that no filesystem call could use, before any call is made.

    An empty text would mean the working folder (outputs scattered there); a NUL byte makes
    Python raise ValueError; an over-long name makes the OS raise at an unpredictable point.
    """
    if not text:
        raise PathError(f"{what} '': an empty path is not allowed: expected a file or folder "
                        "name")
    if "\0" in text:
        raise PathError(f"{what} {text!r}: a path cannot hold a NUL character")
    encoded = os.fsencode(text)
    longest = max(len(part) for part in encoded.split(b"/"))
    if longest > MAX_NAME_BYTES or len(encoded) > MAX_PATH_BYTES:
        raise PathError(f"{what} {_short(text)}: the name is too long (at most {MAX_NAME_BYTES} "
                        f"bytes a name, {MAX_PATH_BYTES} a path)")
    return Path(text)


def _short(text: str, keep: int = 60) -> str:
    return repr(text) if len(text) <= keep else repr(text[:keep] + "...") + f" ({len(text)} chars)"


def check_output_folder(out: Path, what: str = "--out", inputs: tuple[Path, ...] = ()) -> None:
    """Refuse an output folder that cannot be made or would overwrite an input, before work.

    Checks without writing: `out` is a folder or does not exist yet; its nearest existing
    ancestor is a writable folder; it holds none of the `inputs` (a run writes scenario.toml,
    so writing into the folder of the input scenario could replace it).
    """
    _check_folder(check_target(out, what), what, inputs)


def _check_folder(out: Path, what: str, inputs: tuple[Path, ...] = ()) -> None:
    try:
        if out.exists() and not out.is_dir():
            raise PathError(f"{what} {str(out)!r}: exists and is not a folder")
        ancestor = out if out.exists() else _nearest_existing(out)
        if not ancestor.is_dir():
            raise PathError(f"{what} {str(out)!r}: {str(ancestor)!r} is a file, not a folder")
        if not os.access(ancestor, os.W_OK | os.X_OK):
            problem = "the filesystem is read-only" if _read_only(ancestor) else \
                "permission denied"
            raise PathError(f"{what} {str(out)!r}: cannot write in {str(ancestor)!r} ({problem})")
        folder = out.resolve()
        for source in inputs:
            if source.exists() and source.resolve().parent == folder:
                raise PathError(f"{what} {str(out)!r}: holds the input {str(source)!r}, which "
                                "the outputs could replace; choose another folder")
    except OSError as err:
        raise path_error(what, out, err) from None
    except RuntimeError:  # Path.resolve's "Symlink loop" (Python 3.12)
        raise path_error(what, out, OSError(errno.ELOOP, "loop")) from None


def check_output_file(out: Path, what: str, inputs: tuple[Path, ...] = ()) -> None:
    """Refuse an output file that is a folder, a pipe or a device, cannot be written, or is one
    of the inputs. Writing opens the target only as a new file beside it (`staged_file`), but
    a pipe or a device in its place means the user named the wrong thing."""
    out = check_target(out, what)
    try:
        if out.is_dir():
            raise PathError(f"{what} {str(out)!r}: is a folder; give a file name")
        if out.exists() and not out.is_file():
            raise PathError(f"{what} {str(out)!r}: is {kind_of(out)}, not a file; outputs are "
                            "written only to regular files")
        if any(out.resolve() == source.resolve() for source in inputs):
            raise PathError(f"{what} {str(out)!r}: is an input of this command; choose another "
                            "file name")
    except OSError as err:
        raise path_error(what, out, err) from None
    except RuntimeError:  # Path.resolve's "Symlink loop" (Python 3.12)
        raise path_error(what, out, OSError(errno.ELOOP, "loop")) from None
    _check_folder(out.parent, what)  # the folder may be reached through a link: it is named


def check_target(out: Path | str, what: str) -> Path:
    """Refuse an output path that is a symbolic link or goes through a missing folder with '..'.

    A link is refused rather than followed: as root, a planted link could send outputs
    anywhere, and a link to a folder would mix outputs into what it points to. `missing/..`
    would make the folder `missing` only to step out of it, leaving it behind empty."""
    out = check_path_text(str(out), what)
    try:
        os.stat(out)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise path_error(what, out, err) from None
    if out.is_symlink():
        try:
            target = f"to {str(out.resolve(strict=True))!r}; pass that path itself"
        except (OSError, RuntimeError):
            target = "that leads nowhere (a loop or a missing target); give a real path"
        raise PathError(f"{what} {str(out)!r}: is a symbolic link {target} (outputs never "
                        "follow a link)")
    parts = out.parts
    for i, part in enumerate(parts):
        above = Path(*parts[:i]) if i else Path(".")
        if part == ".." and not above.is_dir():
            raise PathError(f"{what} {str(out)!r}: goes through {str(above)!r}, which is not "
                            f"a folder; give the path without '..', e.g. "
                            f"{os.path.normpath(out)!r}")
    return out


def kind_of(path: Path) -> str:
    """What a non-regular file is, in words (for a refusal)."""
    mode = path.lstat().st_mode
    kinds = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"),
             (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a folder"))
    return next((words for test, words in kinds if test(mode)), "not a regular file")


def _nearest_existing(path: Path) -> Path:
    for ancestor in path.absolute().parents:
        if ancestor.exists() or ancestor.is_symlink():
            return ancestor
    return Path("/")


def _read_only(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


# --- reading files -------------------------------------------------------------------------------
def read_text(path: Path, what: str) -> str:
    """A small UTF-8 text file, or a PathError saying why it cannot be one."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise path_error(what, path, err) from None
    if len(data) > MAX_FILE_BYTES:
        raise PathError(f"{what} {str(path)!r}: larger than {MAX_FILE_BYTES:,} bytes; a "
                        "scenario or sweep file is a few kilobytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise PathError(f"{what} {str(path)!r}: not UTF-8 text (byte {err.start}); save it as "
                        "UTF-8") from None


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """A small, shallow TOML file as dictionaries; every failure is one PathError."""
    text = read_text(path, what)
    if _nesting(text) > MAX_DEPTH:  # before parsing: tomllib recurses once per level
        raise PathError(f"{path}: nested more than {MAX_DEPTH} levels deep; scenario and sweep "
                        "files use at most 3")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise PathError(f"{path}: not a valid TOML file ({err})") from None
    except RecursionError:
        raise PathError(f"{path}: not a valid TOML file (nested more than {MAX_DEPTH} "
                        "levels deep)") from None
    if _depth(raw) > MAX_DEPTH:
        raise PathError(f"{path}: nested more than {MAX_DEPTH} levels deep; scenario and sweep "
                        "files use at most 3")
    return raw


def _nesting(text: str) -> int:
    """The deepest run of open brackets and braces in TOML text, outside strings and comments.

    A table header counts (`[[partners]]` is 2), so it over-counts by at most 2, never under.
    """
    depth = deepest = i = 0
    while i < len(text):
        char = text[i]
        if char == "#":
            end = text.find("\n", i)
            i = len(text) if end < 0 else end
        elif char in "\"'":
            i = _string_end(text, i)
        else:
            if char in "[{":
                depth += 1
                deepest = max(deepest, depth)
            elif char in "]}":
                depth -= 1
            i += 1
    return deepest


def _string_end(text: str, start: int) -> int:
    """The index after the TOML string that opens at `start` (basic, literal, or multi-line)."""
    quote = text[start:start + 3] if text[start:start + 3] in ('"""', "'''") else text[start]
    i = start + len(quote)
    while i < len(text) and not text.startswith(quote, i):
        i += 2 if text[i] == "\\" and quote[0] == '"' else 1
    return i + len(quote)


def _depth(value: Any) -> int:
    """Nesting depth of tables and lists, without recursion (so no depth can overflow it)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


# --- numbers a user gives -------------------------------------------------------------------------
def check_whole(value: Any, what: str, least: int = 0, most: int | None = None) -> int:
    """A whole number in [least, most]; bools and floats are refused, numpy integers taken."""
    whole = not isinstance(value, bool | np.bool_) and isinstance(value, numbers.Integral)
    number = int(value) if whole else None
    if number is None or number < least or (most is not None and number > most):
        upper = f" to {most:,}" if most is not None else " or more"
        raise ParameterError(f"{what} = {value!r} is not allowed: expected a whole number, "
                             f"{least:,}{upper}")
    return number


def check_rng(rng: Any, what: str = "rng") -> Any:
    """A model's `rng`: None (fresh entropy), a seed 0 or more, or a numpy generator."""
    if rng is None or isinstance(rng, np.random.Generator | np.random.BitGenerator |
                                 np.random.SeedSequence):
        return rng
    if isinstance(rng, bool | np.bool_) or not isinstance(rng, numbers.Integral) or rng < 0:
        raise ParameterError(f"{what} = {rng!r} is not allowed: expected a whole number 0 or "
                             "more (a seed), None, or a numpy Generator")
    return int(rng)
