"""Serve the dashboard: `solara run app.py` (works offline; see docs/dashboard.md)."""

from dashboard.layout import Page

__all__ = ["Page"]
