"""Keyboard shortcuts for a run (Space plays or pauses, Right arrow steps one week), and the
window's width (charts are drawn for a phone's screen below `NARROW`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import solara


@solara.component_vue(str(Path(__file__).with_name("keys.vue")))
def Shortcuts(event_toggle: Callable[[object], None], event_step: Callable[[object], None]):
    """Listens to the whole window while its page is shown (see keys.vue)."""


NARROW = 700
"""Windows narrower than this (in CSS pixels) get charts drawn for a phone."""


@solara.component_vue(str(Path(__file__).with_name("width.vue")))
def WindowWidth(event_resize: Callable[[int], None]):
    """Reports the window's width when the page opens and when it is resized (width.vue)."""


@solara.component_vue(str(Path(__file__).with_name("width.vue")))
def ShownWidth(event_resize: Callable[[int], None], parent: bool = True):
    """Reports the width its parent element is shown at, when it first shows and whenever it
    changes (width.vue): a chart is drawn as wide as it is shown."""


@solara.component_vue(str(Path(__file__).with_name("select_roles.vue")))
def SelectRoles():
    """Gives every drop-down on the page the roles of a combobox, and every progress bar a
    name (select_roles.vue)."""
