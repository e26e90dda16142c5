"""Explore: pick a preset, change the settings, predict, then play the run and watch it unfold."""

from __future__ import annotations

from collections.abc import Callable

import solara

from model.parameters import ParameterError

from ..components.exports import ScenarioExport
from ..components.file_picker import FilePicker
from ..components.island import Island
from ..components.parameter_input import ParameterPanel
from ..components.prose import Prose
from ..frames import Run
from model.text import brief
from ..settings import Settings, inputs, preset_names, slots, value_at
from ..share import settings_to_query
from .explore_live import LiveRun


@solara.component
def Explore(settings: Settings, on_settings: Callable[[Settings], None], large: bool = False,
            on_branch: Callable[[Run, int], None] | None = None, narrow: bool = False):
    """The Explore page; `settings` belong to the session and are shared with the other pages."""
    resets, set_resets = solara.use_state(0)
    predictions, set_predictions = solara.use_state({})
    run = solara.use_memo(lambda: Run(settings), dependencies=[settings, resets])

    solara.use_effect(lambda: set_predictions({}), [settings.preset])

    def predict(key: str, value: str) -> None:
        set_predictions({**predictions, key: value})

    with solara.ColumnsResponsive(12, medium=[4, 8], large=[3, 9],
                                  classes=["explore-columns"]):
        with solara.Column(classes=["settings-column"]):
            SettingsColumn(settings, on_settings)
        with solara.Column(classes=["live-column"]):
            Island(LiveRun(run, predictions, on_predict=predict,
                           on_reset=lambda: set_resets(resets + 1), large=large,
                           on_branch=on_branch, narrow=narrow))


@solara.component
def PresetPicker(settings: Settings, on_settings: Callable[[Settings], None],
                 on_error: Callable[[str], None]):
    """The preset, its title and description, the seed, a scenario file, and a link."""
    base = solara.use_memo(settings.base, dependencies=[settings.preset, settings.file])
    names = preset_names() + ([settings.preset] if settings.file else [])

    def pick(name: str) -> None:
        try:
            on_settings(settings.with_preset(name))
        except ParameterError as err:
            on_error(str(err))

    solara.Select("preset", values=names, value=settings.preset, on_value=pick)
    Prose(f"**{base.title}**\n\n{base.description.strip()}", classes=["preset-description"])

    def set_seed(text: str) -> None:
        try:
            on_settings(settings.with_seed(text))
        except ParameterError as err:
            on_error(brief(str(err)))

    solara.InputText("seed (same seed, same run)", value=str(settings.seed), on_value=set_seed,
                     continuous_update=False, classes=["seed-input"])

    def load_file(file: dict) -> None:
        try:
            text = file["data"].decode("utf-8")
            on_settings(settings.with_file(file["name"], text))
        except (UnicodeDecodeError, ParameterError) as err:
            on_error(brief(f"The file was not loaded: {err}"))

    with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"},
                    classes=["scenario-file"]):
        # a real file picker, for the keyboard, a phone and a tablet; dropping still works
        FilePicker(on_file=load_file, on_error=on_error)
        solara.FileDrop(label="or drop one here", on_file=load_file, lazy=False)


@solara.component
def SettingsColumn(settings: Settings, on_settings: Callable[[Settings], None]):
    """Preset, seed, then one card of inputs per narcissist, partner and the run."""
    scenario = solara.use_memo(settings.scenario, dependencies=[settings])
    changed = frozenset(settings.changes())
    error, set_error = solara.use_state("")

    def apply(new: Settings) -> None:
        set_error("")
        on_settings(new)

    PresetPicker(settings, apply, on_error=set_error)
    with solara.Div(classes=["input-error-slot"], attributes={"role": "alert"}):
        if error:
            solara.Error(error, classes=["input-error"])
    solara.Text("Changing a setting starts the run again from week 0.", classes=["caption"])

    def change(path, value):
        try:
            apply(settings.with_value(path, value))
        except ParameterError as err:
            set_error(brief(f"Not applied: {err}"))

    for slot in slots(scenario):
        main, rest = inputs(slot.group)
        values = {p.name: value_at(scenario, f"{slot.prefix}.{p.name}") for p in main + rest}
        ParameterPanel(slot.label, slot.group, slot.prefix, values, on_change=change,
                       changed=changed)
    with solara.Row(gap="6px", style={"flex-wrap": "wrap"}):
        solara.Button("Undo all changes", icon_name="mdi-undo", disabled=not changed,
                      on_click=lambda: apply(Settings(settings.preset, settings.seed,
                                                      file=settings.file)))
        ScenarioExport(settings)
    if changed:
        solara.Text("Changed: " + ", ".join(f"{k} = {v}" for k, v in settings.overrides),
                    classes=["caption"])
    ShareLink(settings)


@solara.component
def ShareLink(settings: Settings):
    """The address that reopens the page with this preset, seed and every change."""
    if settings.file:
        solara.Text("A loaded scenario file has no link: share the file (Scenario (TOML)).",
                    classes=["caption"])
        return
    query = settings_to_query(settings)
    solara.HTML(tag="div", unsafe_innerHTML=(
        f"Link to these settings: <a class='share-link' href='?{query}'>?{query}</a>"),
        classes=["caption", "share-box"])
