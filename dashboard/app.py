"""The dashboard's Solara app: `supply-cycle dashboard` serves it (from any folder, from the
installed package), and `solara run app.py` serves it in the repository through app.py.

It lives in the package, not only at the repository root, because a wheel has no repository
around it: an installed package must be able to start its own dashboard (docs/dashboard.md).
"""

from .privacy import make_private

make_private()  # first: Solara's calls home are off before anything else of it runs

import solara.server.settings  # noqa: E402

from .layout import Page  # noqa: E402

# Solara's "This website runs on Solara" badge sits over the page's lower right corner
# (a chart legend, a button); the page credits nothing it needs to.
solara.server.settings.theme.show_banner = False

__all__ = ["Page"]
