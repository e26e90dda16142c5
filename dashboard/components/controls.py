"""Play/pause, step, reset, skip to the end, and the speed, all plain buttons (keyboard-operable)."""

from __future__ import annotations

from collections.abc import Callable

import solara

SPEEDS = [1, 2, 5, 10, 20, 52, 104]
"""Weeks per second on offer (52 is a year a second)."""


@solara.component
def PlaybackControls(playing: bool, finished: bool, week: int, weeks: int,
                     speed: int, on_play: Callable[[], None], on_step: Callable[[], None],
                     on_reset: Callable[[], None], on_end: Callable[[], None],
                     on_speed: Callable[[int], None]):
    with solara.Row(gap="6px", style={"align-items": "center", "flex-wrap": "wrap"},
                    classes=["controls"]):
        solara.Button("Pause" if playing else "Play", on_click=on_play, disabled=finished,
                      color="primary", icon_name="mdi-pause" if playing else "mdi-play")
        solara.Button("Step one week", on_click=on_step, disabled=playing or finished,
                      icon_name="mdi-step-forward")
        solara.Button("Run to the end", on_click=on_end, disabled=finished,
                      icon_name="mdi-skip-forward")
        solara.Button("Reset", on_click=on_reset, icon_name="mdi-restore")
        with solara.Div(style={"width": "190px"}):
            solara.Select("speed (weeks per second)", values=SPEEDS, value=speed,
                          on_value=on_speed)
        solara.Text(f"Week {week} of {weeks}" + (" (finished)" if finished else ""),
                    classes=["week-counter"])
