"""Shared pytest configuration.

Browser tests (pytest-playwright, and Solara's ``solara_test`` / ``page_session``
fixtures from pytest-ipywidgets) use Debian's Chromium, because Playwright's own
browser download is not reachable here. Install it with
``apt-get install -y chromium``.
"""

import pytest
import solara.server.kernel
import solara.server.kernel_context


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            # Chromium's sandbox cannot start as root (CI); Playwright adds this by
            # default too, kept explicit in case chromium_sandbox=True is ever set.
            "--no-sandbox",
            # No GPU in headless CI; avoids GPU-process start-up errors.
            "--disable-gpu",
            # The rest stop Chromium from reaching out to Google services, which
            # this closed network refuses (QUIC, first-run, updates, sync).
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture()
def kernel():
    """A fresh virtual kernel per test, as each browser session gets in the server: the
    dashboard's state (reactive variables, memos) lives in it and dies with it."""
    context = solara.server.kernel_context.VirtualKernelContext(
        id="test-kernel", kernel=solara.server.kernel.Kernel(), session_id="test-session")
    try:
        with context:
            yield context
    finally:
        context.close()
