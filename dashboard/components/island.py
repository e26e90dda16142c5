"""Render a part of the page in its own render context, so its updates stay local.

Reacton reconciles the whole tree of a render context on every state change. Playback changes
state several times a second, and the Explore page's many inputs would be reconciled each
time for nothing. An island renders its element in a separate context: state changes inside it
(a new frame) reconcile only the island; new props from outside re-render it explicitly.
"""

from __future__ import annotations

import ipyvuetify as v
import reacton
import solara
from reacton.core import Element


@solara.component
def Island(element: Element, classes: list[str] | None = None):
    box = solara.use_memo(lambda: v.Html(tag="div", class_=" ".join(classes or [])),
                          dependencies=[])
    context = solara.use_ref(None)

    def show():
        if context.current is None:
            _, context.current = reacton.render(element, box, handle_error=False)
        else:
            context.current.render(element, box)

    def close_on_unmount():
        def close():
            if context.current is not None:
                context.current.close()
                context.current = None
        return close

    solara.use_effect(show, [element])
    solara.use_effect(close_on_unmount, [])
    return solara.Div(children=[box])
