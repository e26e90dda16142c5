"""Nothing leaves the machine: the served dashboard and its page reach no other host.

The server runs with a Python audit hook (a `sitecustomize` on PYTHONPATH, so it also sits in
every process the server starts) that writes down, then refuses, every connection and name
look-up for a host that is not this machine: Solara's version check, usage statistics and
public-address look-up are all of that kind. The browser visits every page (Explore run to the
end, Compare, a Boundaries sweep, each Learn section) and every request it makes is recorded;
its proxy is dead, so a request that slipped through would still go nowhere. Both records
must hold nothing but this machine. Each server has a fresh Solara home and a VS Code
terminal's variable set, the conditions in which Solara calls home the most. Development mode
adds a hidden solara.dev page, which the faster subprocess test below covers (a development
server also reloads, and breaks, whenever a file of the project changes while it runs).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from serving import DEAD_PROXY, ROOT, SOLARA, free_port, serving
from playwright.sync_api import Error as PlaywrightError

from dashboard import privacy
from dashboard.pages.learn import SECTIONS
from dashboard.privacy import ALLOW_NETWORK, solara_run_flags

"""Nothing listens on port 9 (discard): a request that escaped the page would fail."""

HOOK = '''
import ipaddress, json, os, socket, sys, traceback

_LOG = os.environ["PRIVACY_TEST_LOG"]
_LOCAL_NAMES = {"", "localhost", "ip6-localhost", "ip6-loopback"}
_NAME_EVENTS = ("socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr")


def _local(host):
    host = (host.decode() if isinstance(host, bytes) else str(host)).strip("[]").lower()
    if host in _LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return False  # a name that needs a look-up
    return address.is_loopback or address.is_unspecified


def _hook(event, args):
    if event in ("socket.connect", "socket.sendto", "socket.sendmsg"):
        address = args[1]
        if not isinstance(address, tuple):  # a Unix socket, or no address
            return
        host, port = address[0], address[1]
    elif event in _NAME_EVENTS:
        host, port = args[0], args[1] if event == "socket.getaddrinfo" else None
    else:
        return
    if host is None or _local(host):
        return
    record = {"pid": os.getpid(), "event": event, "host": str(host), "port": str(port),
              "where": traceback.format_stack(limit=20)[:-1]}
    with open(_LOG, "a") as log:
        log.write(json.dumps(record) + "\\n")
    raise PermissionError(f"tests/test_privacy.py refuses {event} to {host}")


sys.addaudithook(_hook)
'''
"""Installed in every Python process of the server: records and refuses outside requests."""


def hooked_env(tmp: Path) -> tuple[dict[str, str], Path]:
    """An environment whose Python processes carry the hook, and the file it writes to."""
    (tmp / "hook").mkdir()
    (tmp / "hook" / "sitecustomize.py").write_text(HOOK)
    log = tmp / "outside.jsonl"
    env = {**os.environ, "PRIVACY_TEST_LOG": str(log), "PYTHONUNBUFFERED": "1",
           "MPLBACKEND": "Agg", "SOLARA_HOME": str(tmp / "solara-home"),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(tmp / "hook"),
                                                       os.environ.get("PYTHONPATH")]))}
    for name in list(env):
        # whatever the caller's shell says, the dashboard decides alone; a proxy would hide the
        # outside host from the hook; Solara leaves its solara.dev page out under pytest
        if (name.startswith("SOLARA_") and name != "SOLARA_HOME") or name in (
                ALLOW_NETWORK, "PYTEST_CURRENT_TEST") or name.lower() in (
                "http_proxy", "https_proxy", "all_proxy", "no_proxy"):
            del env[name]
    return env, log


def attempts(log: Path) -> list[str]:
    """One line per refused attempt: the event, the host and the code that asked for it."""
    if not log.exists():
        return []
    lines = []
    for record in map(json.loads, log.read_text().splitlines()):
        origin = next((f.strip().splitlines()[0] for f in reversed(record["where"])
                       if not any(part in f for part in PLUMBING)), "")
        lines.append(f"{record['event']} {record['host']}:{record['port']} from {origin}")
    return lines


PLUMBING = ("/requests/", "/urllib3/", "/socket.py", "/http/", "/ssl.py", "/threading.py")
"""Frames that only carry a request; the first frame outside them is the one that asked."""


def has_launcher() -> bool:
    return importlib.util.find_spec("dashboard.__main__") is not None


COMMANDS = {
    # the README's command; it runs `python -m dashboard` in its place
    "supply-cycle dashboard": lambda port: [str(Path(sys.executable).with_name("supply-cycle")),
                                            "dashboard", "--host", "127.0.0.1", "--port",
                                            str(port)],
    # the repository's own command; the version check runs before app.py is imported, so
    # only this flag can stop it (dashboard/privacy.py)
    "solara run app.py": lambda port: [SOLARA, "run", "app.py", "--host", "127.0.0.1",
                                       "--port", str(port), "--production", "--no-open",
                                       "--no-check-version"],
}


@pytest.fixture(scope="module", params=list(COMMANDS))
def served(request, tmp_path_factory):
    """The dashboard served by `request.param`, with the hook in the server, and its log."""
    if request.param == "supply-cycle dashboard" and not has_launcher():
        pytest.skip("dashboard/__main__.py (the `supply-cycle dashboard` launcher) is not "
                    "there yet")
    tmp = tmp_path_factory.mktemp("privacy")
    env, log = hooked_env(tmp)
    env["VSCODE_PID"] = "1"  # Solara would then load the page's scripts from a public CDN
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    with serving(COMMANDS[request.param](port), url, tmp / "server.log", env):
        yield url, log


def visit_every_page(page, url: str) -> None:
    """What a class does in a lesson: a run to the end, a comparison, a sweep, the Learn page,
    a class session and a student's page in it."""
    shown = page.locator(".page:not(.hidden-page)")
    page.goto(url)
    page.get_by_text("Week 0 of 520").wait_for(timeout=60_000)
    page.get_by_role("button", name="Run to the end").click()
    page.get_by_text("Week 520 of 520 (finished)").wait_for()
    shown.locator(".outcomes-box table").wait_for()
    page.get_by_role("button", name="Compare", exact=True).click()
    shown.get_by_role("button", name="Run both").click()
    shown.get_by_text("is the only difference", exact=False).wait_for(timeout=60_000)
    page.get_by_role("button", name="Boundaries", exact=True).click()
    for name in ("seeds per value", "values"):
        shown.get_by_role("slider", name=re.compile(f"^{name}")).focus()
        page.keyboard.press("Home")
    shown.get_by_role("button", name="Run the sweep").click()
    page.get_by_text("Sweep finished").wait_for(timeout=60_000)
    page.get_by_role("button", name="Learn", exact=True).click()
    for section in SECTIONS:
        shown.get_by_role("button", name=section, exact=True).click()
        shown.locator(".learn-text").first.wait_for()
    # class mode: the join address and its QR code are found and drawn on this machine, and a
    # student's page (`/?join`) loads from here too
    page.get_by_role("button", name="Class mode", exact=True).click()
    page.get_by_role("button", name="Open a class session").click()
    code = page.locator(".room-code").inner_text()
    page.locator(".join-qr svg").wait_for()
    page.goto(url + "?join=" + code.replace("-", ""))
    page.get_by_role("button", name="Join").click()
    page.get_by_text("Answer before the run starts").wait_for()
    time.sleep(1.0)  # late requests (fonts, images, frames) would come now


@pytest.mark.browser
def test_no_request_leaves_the_machine_from_server_or_page(served, browser):
    url, log = served
    context = browser.new_context(viewport={"width": 1366, "height": 768},
                                  proxy={"server": DEAD_PROXY, "bypass": "127.0.0.1"})
    page = context.new_page()
    page.set_default_timeout(30_000)
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    broken = None
    try:
        visit_every_page(page, url)
    except PlaywrightError as error:  # a page that waits for a CDN: say which, then why
        broken = error
    finally:
        context.close()
    local = (url, "blob:" + url, "data:", "about:blank")
    outside = sorted({u for u in requested if not u.startswith(local)})
    reached = [f"page: {u}" for u in outside] + [f"server: {a}" for a in attempts(log)]
    assert not reached, "outside requests:\n" + "\n".join(reached)
    if broken is not None:
        raise broken


NOTEBOOK = """
import sys, time
import solara.checks, solara.server.telemetry as telemetry
if sys.argv[1] == "private":
    import dashboard.notebook  # all a notebook imports to show the Explore page
# what Solara does when a notebook shows its first page, and when a server starts
telemetry.jupyter_start()
telemetry.server_start()
checks = solara.checks.should_perform_jupyter_check(), solara.checks.should_perform_solara_check()
time.sleep(1.0)
print("solara.dev checks:", checks)
"""


@pytest.mark.parametrize("private", [True, False], ids=["private", "solara-defaults"])
def test_notebook_and_server_start_make_no_outside_request(tmp_path, private):
    """Solara's own start-up calls, with and without the dashboard's privacy (which importing
    `dashboard.notebook` applies): without it, the hook must see them (so the browser test
    above can fail); with it, nothing, and no hidden solara.dev page (which Solara shows once
    per machine, in development mode and in a notebook)."""
    env, log = hooked_env(tmp_path)
    env["SOLARA_MODE"] = "development"  # the hidden solara.dev page is left out in production
    done = subprocess.run([sys.executable, "-c", NOTEBOOK, "private" if private else "default"],
                          env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    found = attempts(log)
    if private:
        assert not found, "\n".join(found)
        assert "solara.dev checks: (False, False)" in done.stdout
    else:
        hosts = {line.split()[1].split(":")[0] for line in found}
        assert {"api.ipify.org", "api.mixpanel.com"} <= hosts, found
        assert "solara.dev checks: (True, True)" in done.stdout


def test_the_lecturer_can_let_solara_reach_out(tmp_path, monkeypatch, capsys):
    """`SUPPLY_CYCLE_ALLOW_NETWORK=1` leaves Solara's defaults on; an unclear value keeps the
    dashboard private, with one line saying so."""
    script = ("import dashboard.app, solara.server.settings as s\n"
              "from dashboard.privacy import solara_run_flags\n"
              "print(s.telemetry.mixpanel_enable, solara_run_flags())")
    env, _ = hooked_env(tmp_path)
    done = subprocess.run([sys.executable, "-c", script], env={**env, ALLOW_NETWORK: "1"},
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip().splitlines()[-1:] == ["True []"], done.stderr
    monkeypatch.setattr(privacy, "_warned", False)
    for value in ("0", "maybe"):
        monkeypatch.setenv(ALLOW_NETWORK, value)
        assert solara_run_flags() == ["--no-check-version"]
    assert capsys.readouterr().err == (
        f"{ALLOW_NETWORK}='maybe' is not understood (allowed: 1 to let Solara reach the "
        "internet, 0 or unset to keep it private); the dashboard stays private.\n")
