"""A compact download button (Solara's FileDownload with a small text button inside)."""

from __future__ import annotations

import solara


@solara.component
def Download(data, filename: str, label: str, mime_type: str = "application/octet-stream"):
    """`data` is bytes, text, or a function returning them, called only when clicked."""
    with solara.FileDownload(data, filename=filename, mime_type=mime_type):
        solara.Button(label, icon_name="mdi-download", outlined=True, small=True,
                      classes=["download-button"])
