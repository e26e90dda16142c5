"""A file picker (a real `<input type="file">`): the one way to open a scenario file from the
keyboard, a phone or a tablet, where nothing can be dragged onto the page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import solara

LIMIT = 1_000_000
"""The largest file read, in bytes: a scenario file is a few kilobytes."""


@solara.component_vue(str(Path(__file__).with_name("file_picker.vue")))
def _Picker(event_load: Callable[[dict], None], label: str, accept: str, limit: int):
    """The input and its visible face (file_picker.vue)."""


@solara.component
def FilePicker(on_file: Callable[[dict], None], on_error: Callable[[str], None],
               label: str = "Open a scenario file (TOML)", accept: str = ".toml,text/plain"):
    """Calls `on_file({"name": ..., "data": bytes})`, as `solara.FileDrop` does for a dropped
    file, so both go through the same loading code."""

    def load(picked: dict) -> None:
        name = str(picked.get("name", ""))[:200]
        if picked.get("text") is None:
            on_error(f"The file was not loaded: {name} is larger than {LIMIT:,} bytes; a "
                     "scenario file is a few kilobytes.")
            return
        on_file({"name": name, "data": str(picked["text"]).encode("utf-8")})

    _Picker(event_load=load, label=label, accept=accept, limit=LIMIT)
