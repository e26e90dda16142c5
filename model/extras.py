"""The optional parts of the install (pyproject.toml's extras) and the one line naming one.

The model and the command line install without the dashboard's Solara stack and without Dask,
so a researcher who scripts runs installs no web server. A command that needs an extra checks
for it before it does anything, so its user reads which extra to install, not a traceback.
"""

from __future__ import annotations

import importlib.util

EXTRAS = {"dashboard": ("solara", "ipyvue", "ipyvuetify"), "dask": ("distributed",)}
"""Each extra and the modules it brings that the code imports."""


def missing(extra: str) -> bool:
    """True when a module of the extra cannot be imported (looked up, not imported)."""
    return any(importlib.util.find_spec(module) is None for module in EXTRAS[extra])


def install_line(extra: str, needs: str) -> str:
    """The one line for a user: what needs the extra, and the command that installs it."""
    return (f'{needs} needs the "{extra}" extra, which is not installed: '
            f'pip install "supply-cycle[{extra}]"')
