"""`python -m dashboard`: serve the dashboard, private and offline (`supply-cycle dashboard`
runs this).

The help-services file in use is named first, and a problem with it is said on one line before
the class sees the page; the page still starts (with generic pointers and a notice, as
dashboard/help_services.py explains), since a typo must never keep a lesson from starting.
With `--class` the page opens in class mode and, unless --host says otherwise, the server
listens on every address (0.0.0.0), because students' devices must reach it; the terminal
says so and names the addresses students can use (dashboard/classroom/address.py). Then the
server is made private (dashboard/privacy.py: its environment is set
before Solara is imported) and Solara's own server starts on the packaged app (`dashboard.app`)
in production mode, with no browser opened and no version check, from whatever folder this
runs in.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys

from model.cli.dashboard import add_options, chosen_host
from model.extras import install_line, missing
from model.parameters import ParameterError

from . import help_services, privacy
from .classroom import CLASS_ENV
from .classroom.address import HOST_ENV, addresses, loopback_only

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
    host = chosen_host(args)
    announce()
    problem = port_problem(host, args.port)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    os.environ[HOST_ENV] = host
    if args.class_mode:
        os.environ[CLASS_ENV] = "1"
        announce_class(host, args.port)
    return serve(host, args.port)


def announce_class(host: str, port: int) -> None:
    """Say where students join, or why they cannot."""
    if loopback_only(host):
        print(f"Class mode: listening on {host} only, so students' devices cannot connect; "
              "use --host 0.0.0.0 (or leave --host out) for a class.", flush=True)
        return
    found = addresses() if host in ("0.0.0.0", "::") else [host]
    where = ", ".join(f"http://{a}:{port}/?join" for a in found) or (
        "no network address found: connect this machine to the room's network")
    print(f"Class mode: listening on {host}, port {port}. Students join at {where} (the page "
          "shows it with a QR code and the room code). Open the lecturer's page on this "
          f"machine: http://127.0.0.1:{port}/", flush=True)


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
