"""Keep the dashboard on this machine: no request to any other host unless the lecturer asks.

Solara, as installed, reaches out on its own. `solara run` asks pypi.org for its latest version
before it loads the app; once the app is loaded the server looks up its public address at
api.ipify.org and sends usage statistics to api.mixpanel.com (at start, daily, at stop); a page
served in development mode, and the first page shown in a notebook, embed a hidden solara.dev
page; a notebook's first page also looks up the public address. The page's scripts come from a
public CDN when Solara thinks it runs in a VS Code terminal, and the server downloads from that
CDN any front-end file the bundled `solara-assets` lacks. For a class on abuse nothing may leave
the machine by default, so all of these are off unless `SUPPLY_CYCLE_ALLOW_NETWORK=1`
(docs/dashboard.md, "Privacy"). The browser tests hold this (tests/test_privacy.py).

Two halves, because Solara reads its settings once, when its modules are imported:
`PRIVATE_ENV` is for a launcher to put in the environment before Solara is imported
(`make_private()` does that too), and `make_private()` also switches off what an already
running Solara would still do, which is all `solara run app.py` leaves to the app. The one
request the app cannot stop is the version check, made before the app is imported: only
`--no-check-version` (`SOLARA_RUN_FLAGS`) stops it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

ALLOW_NETWORK = "SUPPLY_CYCLE_ALLOW_NETWORK"
"""The lecturer's opt-in: 1 leaves Solara's own defaults (statistics, version check) alone."""

_YES, _NO = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")

NO_CDN = "offline:"
"""Where Solara looks for a front-end file that `solara-assets` lacks: a scheme no HTTP
library serves, so such a file is missing (a 404, which the browser tests catch) instead of
being downloaded from cdn.jsdelivr.net, with no connection attempted at all."""

PRIVATE_ENV: dict[str, str] = {
    # usage statistics to api.mixpanel.com, and the public-address look-up sent with them
    "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    # the page's scripts and styles from this server; Solara turns this off in VS Code terminals
    "SOLARA_ASSETS_PROXY": "True",
    "SOLARA_ASSETS_CDN": NO_CDN,
}
"""The environment that keeps Solara private from the moment it is imported."""

SOLARA_RUN_FLAGS: tuple[str, ...] = ("--no-check-version",)
"""`solara run`'s own switch for the one request it makes before the app is loaded."""

_warned = False


def network_allowed(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether the lecturer opted in; an unclear value keeps the dashboard private and says so
    in one line, since a typo must not be the thing that sends data away."""
    global _warned
    value = environ.get(ALLOW_NETWORK, "").strip().lower()
    if value in _YES:
        return True
    if value not in _NO and not _warned:
        _warned = True
        print(f"{ALLOW_NETWORK}={environ[ALLOW_NETWORK]!r} is not understood (allowed: 1 to let"
              " Solara reach the internet, 0 or unset to keep it private); the dashboard stays"
              " private.", file=sys.stderr)
    return False


def solara_run_flags() -> list[str]:
    """The flags a launcher adds to `solara run` (none once the lecturer opted in)."""
    return [] if network_allowed() else list(SOLARA_RUN_FLAGS)


def make_private() -> None:
    """Switch off every outside request Solara would make from now on in this process.

    Called first by the app module and by a launcher before it imports Solara; calling it
    again does no harm. Does nothing when the lecturer set `SUPPLY_CYCLE_ALLOW_NETWORK=1`.
    """
    if network_allowed():
        return
    os.environ.update(PRIVATE_ENV)
    _switch_off_in_process()


def _switch_off_in_process() -> None:
    """What the environment can no longer change once Solara is imported (`solara run` has
    imported it before the app): its settings objects, its calls home, its asset route."""
    import solara.checks
    import solara.server.settings
    import solara.server.telemetry
    import solara.settings

    solara.server.settings.telemetry.mixpanel_enable = False
    solara.settings.assets.proxy = True
    solara.settings.assets.cdn = NO_CDN
    # the hidden solara.dev page (development mode, and a notebook's first page) and the
    # notebook's public-address look-up, which Solara makes even with its statistics off
    solara.checks.should_perform_solara_check = _never
    solara.checks.should_perform_jupyter_check = _never
    solara.server.telemetry.jupyter_start = _nothing
    _serve_assets_locally()


def _serve_assets_locally() -> None:
    """Give a server that started without its asset route (Solara leaves it out when it thinks
    it runs in VS Code) the route, so the page loads its scripts from here, not from the CDN."""
    server = sys.modules.get("solara.server.starlette")
    if server is None:
        return
    from starlette.routing import Mount

    import solara.server.settings
    from solara.server.cdn_helper import cdn_url_path

    routes = server.app.router.routes
    path = f"/{cdn_url_path}"
    if any(isinstance(route, Mount) and route.path == path for route in routes):
        return
    cache = solara.server.settings.assets.proxy_cache_dir
    if not cache.is_dir():  # no solara-assets: the page cannot load offline either way
        return
    # before the last route, `/{fullpath:path}`, which would answer every path with the page
    routes.insert(len(routes) - 1, Mount(path, app=server.StaticCdn(directory=cache)))


def _never() -> bool:
    return False


def _nothing() -> None:
    return None
