"""Keyboard shortcuts for a run (Space plays or pauses, Right arrow steps one week), and the
window's width."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import solara


@solara.component_vue(str(Path(__file__).with_name("keys.vue")))
def Shortcuts(event_toggle: Callable[[object], None], event_step: Callable[[object], None],
              event_resize: Callable[[int], None]):
    """Listens to the whole window while its page is shown (see keys.vue), and reports the
    window's width when the page opens and when it is resized."""
