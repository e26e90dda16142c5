"""`supply-cycle dashboard`: start the browser dashboard from the installed package.

The command line never imports the dashboard (imports run one way, docs/architecture.md), so
this command checks what it can and hands over to `python -m dashboard` (dashboard/__main__.py),
which makes the server private and starts it. On POSIX the hand-over replaces this process, so
the server is the process the user started: Ctrl-C, `kill` and the exit status reach it
directly. `-P` keeps the current folder off the module path, so a user's own `dashboard.py`
or `model.py` there is never run in its place.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from ..extras import install_line, missing
from .arguments import UserError, path_argument, whole_number

HOST = "127.0.0.1"
CLASS_HOST = "0.0.0.0"
"""Where `--class` listens unless --host says otherwise: students' devices must reach it."""
PORT = 8765


def add_options(parser: argparse.ArgumentParser) -> None:
    """The dashboard's options, declared once for `supply-cycle dashboard` and
    `python -m dashboard`."""
    parser.add_argument("--host", default=None, help=f"the address to listen on (default {HOST}:"
                        " this machine only; 0.0.0.0 lets students on the classroom network "
                        "connect, and is the default with --class)")
    parser.add_argument("--port", type=whole_number(1, 65535), default=PORT,
                        help=f"the port (default {PORT})")
    parser.add_argument("--help-services", type=path_argument, metavar="PATH",
                        help="the lecturer's help-services file, shown with the content note "
                        "(default: $SUPPLY_CYCLE_HELP_SERVICES, else help_services.toml in this "
                        "folder, else the packaged example with generic pointers)")
    parser.add_argument("--class", dest="class_mode", action="store_true",
                        help="open the page in class mode: students join on their own devices "
                        "(a join address, a QR code and a room code), predict together and "
                        f"run a class experiment; listens on {CLASS_HOST} (every address of "
                        "this machine, so students on the same network can connect) unless "
                        "--host is given")


def chosen_host(args: argparse.Namespace) -> str:
    """--host if given; else every address for a class (students must reach it), else this
    machine only."""
    if args.host is not None:
        return args.host
    return CLASS_HOST if args.class_mode else HOST


def register_dashboard(commands) -> None:
    dashboard = commands.add_parser(
        "dashboard", help="start the browser dashboard (the \"dashboard\" extra)",
        description="Serve the dashboard on this machine, private and offline: no version "
        "check, no usage statistics, no request leaves the machine. Open the address it "
        "prints in a browser; Ctrl-C stops it.")
    add_options(dashboard)
    dashboard.set_defaults(handler=command_dashboard)


def command_dashboard(args: argparse.Namespace) -> None:
    if missing("dashboard"):
        raise UserError(install_line("dashboard", "supply-cycle dashboard"))
    argv = [sys.executable, "-P", "-m", "dashboard", *launcher_options(args)]
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.execv(sys.executable, argv)
    raise SystemExit(subprocess.call(argv))  # pragma: no cover (Windows has no exec)


def launcher_options(args: argparse.Namespace) -> list[str]:
    """The options again as text; a relative help-services path made absolute, for a server
    that may look from another folder."""
    options = ["--host", chosen_host(args), "--port", str(args.port)]
    if args.class_mode:
        options.append("--class")
    if args.help_services is not None:
        options += ["--help-services", str(Path(args.help_services).absolute())]
    return options
