"""`python -m dashboard`: serve the dashboard, private and offline (`supply-cycle dashboard`
runs this).

The help-services file in use is named first, and a problem with it is said on one line before
the class sees the page; the page still starts (with generic pointers and a notice, as
dashboard/help_services.py explains), since a typo must never keep a lesson from starting.
Then the server is made private (dashboard/privacy.py: its environment is set
before Solara is imported) and Solara's own server starts on the packaged app (`dashboard.app`)
in production mode, with no browser opened and no version check, from whatever folder this
runs in.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys

from model.cli.dashboard import add_options
from model.extras import install_line, missing
from model.parameters import ParameterError

from . import help_services, privacy

APP = "dashboard.app"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Serve the "
                                     "dashboard on this machine, private and offline.")
    add_options(parser)
    args = parser.parse_args(argv)
    if missing("dashboard"):
        print(f"error: {install_line('dashboard', 'the dashboard')}", file=sys.stderr)
        return 2
    if args.help_services is not None:
        os.environ[help_services.ENV] = str(args.help_services.absolute())
    announce()
    problem = port_problem(args.host, args.port)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    return serve(args.host, args.port)


def announce() -> None:
    """Say which help-services file the page shows, or why it shows generic pointers."""
    try:
        chosen = help_services.load()
    except ParameterError as err:
        print(f"warning: {' '.join(str(err).split())}; the page shows generic pointers with "
              "a notice until the file is fixed", file=sys.stderr, flush=True)
        return
    count = len(chosen.services)
    print(f"Help services: {help_services.path()} ({count} service{'s' * (count != 1)}"
          + (", still the generic placeholder)" if chosen.placeholder else ")"), flush=True)


def port_problem(host: str, port: int) -> str:
    """Why the server could not listen there, in one line, or "" (the server would report it
    as a log record after a start-up banner)."""
    try:
        with socket.create_server((host, port)):
            return ""
    except OSError as err:
        return (f"--host {host!r} --port {port}: cannot listen there ("
                f"{os.strerror(err.errno) if err.errno else err}); "
                "choose another --port, or stop the program that uses it")


def serve(host: str, port: int) -> int:
    """Solara's `run` command, in this process: the same server `solara run` starts."""
    privacy.make_private()
    from solara.__main__ import cli

    cli(["run", APP, "--host", host, "--port", str(port), "--production", "--no-open",
         *privacy.solara_run_flags()], prog_name="solara", standalone_mode=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
