"""Keyboard shortcuts for a run: Space plays or pauses, Right arrow steps one week."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import solara


@solara.component_vue(str(Path(__file__).with_name("keys.vue")))
def Shortcuts(event_toggle: Callable[[object], None], event_step: Callable[[object], None]):
    """Listens to the whole window while its page is shown (see keys.vue)."""
