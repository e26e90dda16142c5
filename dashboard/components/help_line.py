"""The first local help service, under the short content note on every page.

The short note (owned by `notice.py`) points to the Learn page; a student in distress should
not have to go looking, so the lecturer's first service is one line away on every page. If the
lecturer's file is broken the line says so, visibly, and still gives the generic pointer.
"""

from __future__ import annotations

import solara

from .prose import Prose

from .. import help_services


@solara.component
def HelpLine():
    chosen = solara.use_memo(help_services.current, dependencies=[])
    with solara.Div(classes=["content-notice", "help-line"]
                    + (["help-line-problem"] if chosen.problem else [])):
        Prose(help_services.short_line(chosen))
