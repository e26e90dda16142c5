"""Inputs generated from the parameter declarations: one control per declared kind.

Each input shows its meaning under it while it has the keyboard focus (and on hover), so a
keyboard user reads the same explanation as a mouse user. The values an input sends are not
trusted: `Settings.with_value` checks them against the declaration on the server.

A screen reader hears whose setting an input is: a slider's accessible name includes its
owner ("boundary: 0.1, Ana (spouse)" where the page shows "boundary: 0.1" in Ana's card),
and each card is a group named by its title.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import solara

from model.parameters import Parameter

from ..settings import inputs

WIDE_INT_RANGE = 100
"""Whole-number parameters with a wider range get a number box instead of a slider."""


def label_for(param: Parameter) -> str:
    """The words an input shows: the name with spaces, and the unit where it helps."""
    words = param.name.replace("_", " ")
    if param.kind in ("float", "int") and param.unit not in ("0-1 scale", "", words):
        return f"{words} ({param.unit})"
    return words


def step_for(param: Parameter) -> float:
    span = (param.high or 1.0) - (param.low or 0.0)
    return 0.05 if span <= 1.0 else round(span / 100, 3)


def accessible_name(label: str, owner: str) -> str:
    """The name a screen reader hears: the visible label, then whose setting it is
    ("boundary: 0.1, Ana (spouse)"); it begins with the words shown, so that speech control
    ("click boundary") finds it."""
    return f"{label}, {owner}" if owner else label


def number_in(text: str) -> Any:
    """Typed text as a number where it is one ("52" is 52, "52.5" is 52.5), else the text, for
    the declaration's check to refuse by name."""
    text = str(text).strip()
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _shown(value: Any) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) and not isinstance(value, bool) \
        else str(value)


@solara.component
def ParameterInput(param: Parameter, value: Any, on_value: Callable[[Any], None],
                   disabled: bool = False, owner: str = ""):
    """One control for one declared parameter, with its meaning shown on focus and hover;
    `owner` (a card's title) names whose setting it is, for screen readers."""
    label = label_for(param)
    if param.kind in ("float", "int"):
        label = f"{label}: {_shown(value)}"
    with solara.Div(classes=["param-input"]):
        if param.kind == "float":
            _slider(label, accessible_name(label, owner), float(value), param.low, param.high,
                    step_for(param), lambda v: on_value(float(v)), disabled)
        elif param.kind == "int" and param.high - param.low <= WIDE_INT_RANGE:
            _slider(label, accessible_name(label, owner), int(value), int(param.low),
                    int(param.high), 1, lambda v: on_value(int(v)), disabled)
        elif param.kind == "int":
            # plain text, so that "abc" or "52.5" reaches the server's check and is named in
            # its "Not applied" message, instead of being dropped with a small label
            solara.InputText(label, value=str(int(value)), disabled=disabled,
                             continuous_update=False,
                             on_value=lambda text: on_value(number_in(text)))
        elif param.kind == "bool":
            solara.Checkbox(label=label, value=bool(value), on_value=on_value,
                            disabled=disabled)
        elif param.kind == "choice":
            solara.Select(label, value=value, values=list(param.choices),
                          on_value=on_value, disabled=disabled)
        else:
            raise ValueError(f"no input for parameter kind {param.kind!r} ({param.name})")
        solara.Text(f"{param.meaning} ({param.allowed()}) Source: {param.label}.",
                    classes=["param-meaning"])


def _slider(label: str, name: str, value: float, low: Any, high: Any, step: float,
            on_value: Callable[[Any], None], disabled: bool):
    """Solara's slider, with an accessible name of its own (Solara's has no attributes).

    A value between two steps of the slider (audience supply 0.04 on a 0.05 grid) is snapped
    by the browser when the slider appears, and the snapped value comes back as if the user had
    moved it: opening "more" changed two of the run's settings unasked. Only a move to another
    step of the grid is a change."""
    def moved(new: Any) -> None:
        if round((float(new) - float(low)) / step) != round((value - float(low)) / step):
            on_value(new)

    solara.v.Slider(v_model=value, on_v_model=moved, label=label, min=low, max=high,
                    step=step, thumb_label=False, disabled=disabled,
                    attributes={"aria-label": name})


@solara.component
def ParameterPanel(title: str, group: str, prefix: str, values: dict[str, Any],
                   on_change: Callable[[str, Any], None], changed: frozenset[str] = frozenset(),
                   disabled: bool = False):
    """A card of inputs for one narcissist, partner or the run: the main few, then "more".

    `values` maps each parameter name to the value the run uses; `on_change(path, value)` is
    called with the dotted path (`prefix.name`). Changed inputs are marked with a dot.
    """
    more, set_more = solara.use_state(False)
    main, rest = inputs(group)
    shown = main + (rest if more else [])
    edits = sum(1 for p in main + rest if f"{prefix}.{p.name}" in changed)
    heading = title + (f"  ({edits} changed)" if edits else "")
    with solara.Card(heading, classes=["param-panel"], margin=0):
        with solara.Div(attributes={"role": "group", "aria-label": title}):
            for param in shown:
                path = f"{prefix}.{param.name}"
                ParameterInput(param, values[param.name], owner=title,
                               on_value=lambda v, path=path: on_change(path, v),
                               disabled=disabled)
        if rest:
            solara.Button("fewer" if more else f"more ({len(rest)})",
                          text=True, small=True, on_click=lambda: set_more(not more),
                          icon_name="mdi-chevron-up" if more else "mdi-chevron-down",
                          attributes={"aria-expanded": "true" if more else "false",
                                      "aria-label": ("fewer" if more else f"more ({len(rest)})")
                                      + f", settings of {title}"})
