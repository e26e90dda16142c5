"""Explore: pick a preset, change the settings, predict, then play the run and watch it unfold."""

from __future__ import annotations

from collections.abc import Callable

import solara

from ..components.exports import ScenarioExport
from ..components.island import Island
from ..components.parameter_input import ParameterPanel
from ..frames import Run
from ..settings import Settings, inputs, preset_names, slots, value_at
from .explore_live import LiveRun


@solara.component
def Explore(settings: Settings, on_settings: Callable[[Settings], None], large: bool = False):
    """The Explore page; `settings` belong to the session and are shared with the other pages."""
    resets, set_resets = solara.use_state(0)
    predictions, set_predictions = solara.use_state({})
    run = solara.use_memo(lambda: Run(settings), dependencies=[settings, resets])

    solara.use_effect(lambda: set_predictions({}), [settings.preset])

    def predict(key: str, value: str) -> None:
        set_predictions({**predictions, key: value})

    with solara.ColumnsResponsive(12, medium=[4, 8], large=[4, 8] if large else [3, 9]):
        with solara.Column(classes=["settings-column"]):
            SettingsColumn(settings, on_settings)
        with solara.Column(classes=["live-column"]):
            Island(LiveRun(run, predictions, on_predict=predict,
                           on_reset=lambda: set_resets(resets + 1), large=large))


@solara.component
def PresetPicker(settings: Settings, on_settings: Callable[[Settings], None]):
    """The preset, its title and description, and the seed."""
    base = solara.use_memo(settings.base, dependencies=[settings.preset])
    solara.Select("preset", values=preset_names(), value=settings.preset,
                  on_value=lambda name: on_settings(settings.with_preset(name)))
    solara.Markdown(f"**{base.title}**\n\n{base.description.strip()}")
    def set_seed(seed: int | None) -> None:
        if seed is not None:
            on_settings(settings.with_seed(seed))

    solara.InputInt("seed (same seed, same run)", value=settings.seed, on_value=set_seed)


@solara.component
def SettingsColumn(settings: Settings, on_settings: Callable[[Settings], None]):
    """Preset, seed, then one card of inputs per narcissist, partner and the run."""
    scenario = solara.use_memo(settings.scenario, dependencies=[settings])
    changed = frozenset(settings.changes())
    PresetPicker(settings, on_settings)
    solara.Text("Changing a setting starts the run again from week 0.", classes=["caption"])

    def change(path, value):
        on_settings(settings.with_value(path, value))

    for slot in slots(scenario):
        main, rest = inputs(slot.group)
        values = {p.name: value_at(scenario, f"{slot.prefix}.{p.name}") for p in main + rest}
        ParameterPanel(slot.label, slot.group, slot.prefix, values, on_change=change,
                       changed=changed)
    with solara.Row(gap="6px", style={"flex-wrap": "wrap"}):
        solara.Button("Undo all changes", icon_name="mdi-undo", disabled=not changed,
                      on_click=lambda: on_settings(Settings(settings.preset, settings.seed)))
        ScenarioExport(settings)
    if changed:
        solara.Text("Changed: " + ", ".join(f"{k} = {v}" for k, v in settings.overrides),
                    classes=["caption"])
