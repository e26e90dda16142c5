"""Serve the dashboard: `solara run app.py` (works offline; see docs/dashboard.md)."""

import solara.server.settings

from dashboard.layout import Page

# Solara's "This website runs on Solara" badge sits over the page's lower right corner
# (a chart legend, a button); the page credits nothing it needs to.
solara.server.settings.theme.show_banner = False

__all__ = ["Page"]
