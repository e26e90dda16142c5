"""Serve the dashboard from the repository: `solara run app.py` (works offline; see
docs/dashboard.md). The app itself is `dashboard/app.py`, which `supply-cycle dashboard` serves
from an installed package; this file only keeps the repository's command working."""

from dashboard.privacy import make_private

make_private()  # first: Solara's calls home are off before anything else runs

from dashboard.app import Page  # noqa: E402

__all__ = ["Page"]
