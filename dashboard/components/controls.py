"""Play/pause, step, reset, skip to the end, the speed and where to pause: plain buttons and
lists (keyboard-operable), in a bar that stays in view while the charts scroll under it."""

from __future__ import annotations

from collections.abc import Callable

import solara

from ..playback import PAUSE_KINDS, SPEEDS


@solara.component
def PlaybackControls(playing: bool, finished: bool, week: int, weeks: int,
                     speed: int, on_play: Callable[[], None], on_step: Callable[[], None],
                     on_reset: Callable[[], None], on_end: Callable[[], None],
                     on_speed: Callable[[int], None], pause_at: str = "",
                     on_pause_at: Callable[[str], None] | None = None, stopped: str = ""):
    """One root element, so that it can stick to the top of the whole run below it."""
    with solara.v.Html(tag="div", attributes={"id": "run-controls", "tabindex": "-1"},
                       class_="controls-bar"):
        with solara.Row(gap="6px", style={"align-items": "center", "flex-wrap": "wrap"},
                        classes=["controls"]):
            solara.Button("Pause" if playing else "Play", on_click=on_play, disabled=finished,
                          color="primary", icon_name="mdi-pause" if playing else "mdi-play",
                          classes=["play-button"])
            solara.Button("Step one week", on_click=on_step, disabled=playing or finished,
                          icon_name="mdi-step-forward")
            solara.Button("Run to the end", on_click=on_end, disabled=finished,
                          icon_name="mdi-skip-forward")
            solara.Button("Reset", on_click=on_reset, icon_name="mdi-restore")
            solara.Text(f"Week {week} of {weeks}" + (" (finished)" if finished else ""),
                        classes=["week-counter"])
            with solara.Div(classes=["speed-select"]):
                solara.Select("speed (weeks per second)", values=SPEEDS, value=speed,
                              on_value=on_speed)
            if on_pause_at is not None:
                with solara.Div(classes=["pause-select"]):
                    solara.Select("pause when", values=list(PAUSE_KINDS), value=pause_at,
                                  on_value=on_pause_at)
        with solara.Div(classes=["stopped-line"], attributes={"aria-live": "polite"}):
            if stopped:
                solara.Text(stopped, classes=["stopped-at"])
