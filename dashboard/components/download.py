"""A compact download button (Solara's FileDownload with a small text button inside).

A PNG downloaded through it carries the stamp of `model.provenance` in its text chunks (the
version, the code checksum, the time and the settings it is given, else its file name, which
names the preset and the seed), as the command line's figures do.
"""

from __future__ import annotations

import json
import struct
import zlib
from collections.abc import Callable
from typing import Any

import solara

from model import provenance

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HEADER_END = len(PNG_SIGNATURE) + 4 + 4 + 13 + 4
"""Where the header chunk (IHDR: length, type, 13 bytes, checksum) ends: text goes after it."""


@solara.component
def Download(data, filename: str, label: str, mime_type: str = "application/octet-stream",
             stamp: Callable[[], dict[str, Any]] | None = None):
    """`data` is bytes, text, or a function returning them, called only when clicked.

    `stamp`, for a PNG, returns the stamp to write into it (default: one naming the file)."""
    if filename.lower().endswith(".png"):
        data = _stamping(data, stamp or (lambda: file_stamp(filename)))
    with solara.FileDownload(data, filename=filename, mime_type=mime_type):
        solara.Button(label, icon_name="mdi-download", outlined=True, small=True,
                      classes=["download-button"])


def file_stamp(filename: str) -> dict[str, Any]:
    """A stamp for a download whose caller passes no settings: the file's name says them."""
    return provenance.stamp({"source": "dashboard", "file": filename})


def _stamping(data, stamp: Callable[[], dict[str, Any]]) -> Callable[[], bytes]:
    def stamped() -> bytes:
        return stamped_png(data() if callable(data) else data, stamp())
    return stamped


def stamped_png(png: bytes, made: dict[str, Any]) -> bytes:
    """`png` with the stamp added as text chunks after its header (other bytes as given)."""
    if not png.startswith(PNG_SIGNATURE):
        return png
    text = {"Description": json.dumps(made, default=str),
            "Source": f"{provenance.TOOL} {made['version']} dashboard"}
    chunks = b"".join(_text_chunk(key, value) for key, value in text.items())
    return png[:HEADER_END] + chunks + png[HEADER_END:]


def _text_chunk(key: str, value: str) -> bytes:
    data = key.encode("latin-1") + b"\0" + value.encode("latin-1")
    return (struct.pack(">I", len(data)) + b"tEXt" + data
            + struct.pack(">I", zlib.crc32(b"tEXt" + data)))
