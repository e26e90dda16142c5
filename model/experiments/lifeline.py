"""Worker processes die with the process that started them (Linux).

A sweep's parent can be killed with SIGKILL (an out-of-memory killer, `kill -9`, a closed
terminal on some systems); it then has no chance to stop its workers, which would run on for
minutes holding hundreds of megabytes. The kernel can send a signal to a process when its
parent dies (`prctl(PR_SET_PDEATHSIG)`), so each process asks for SIGKILL at start: the
forkserver (a child of the sweep's parent) when it starts, each worker (a child of the
forkserver) in its initializer. Elsewhere this does nothing.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Ask the kernel to SIGKILL this process when its parent dies; exit if it already has."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before the request was made: nobody would ask
        os._exit(1)
