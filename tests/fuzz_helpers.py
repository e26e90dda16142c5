"""The error contract and the tools the fuzz modules share (tests/test_fuzz*.py).

Every command-line call must end in one of two ways (docs/reliability.md): exit 0 with every
output it promises complete, or exit 2 with exactly one line on standard error that starts with
"error: ", no traceback, and the sandbox it ran in byte for byte as it was. Neither ending may
show a terminal a raw control or direction-override character.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import signal
import stat
import tempfile
from collections import Counter
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings

from model.cli.main import main
from model.text import unsafe

ROOT = Path(__file__).resolve().parent.parent
RUN_FILES = ("outcomes.csv", "timeline.csv", "events.csv", "supply.csv", "scenario.toml",
             "run.json", "run.png", "outcomes.csv.json", "timeline.csv.json", "events.csv.json",
             "supply.csv.json")
GOOD_SCENARIO = {"title": "fuzz", "world": {"weeks": 3},
                 "partners": [{"boundary": 0.2}, {"boundary": 0.8}]}
LONELY_SCENARIO = {"title": "one partner, who may never meet him",
                   "partners": [{"vulnerability": 0.0}]}
TALLY: Counter = Counter()
"""Cases by (family, outcome), printed at the end of each module (`closing_note`)."""


class Hung(BaseException):
    """A case ran past its alarm; a BaseException, so no `except Exception` swallows it."""


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every entry under `folder`, links not followed: a file's bytes, b"<dir>" for a folder,
    b"<link>" and its target for a symbolic link, b"<other>" for a pipe or device."""
    state = {}
    for top, dirs, files in os.walk(folder, followlinks=False):
        for name in sorted(dirs + files):
            path = Path(top, name)
            key = str(path.relative_to(folder))
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                state[key] = b"<link>" + os.readlink(path).encode("utf-8", "surrogateescape")
            elif stat.S_ISDIR(mode):
                state[key] = b"<dir>"
            elif stat.S_ISREG(mode):
                state[key] = path.read_bytes()
            else:
                state[key] = b"<other>"
    return state


def invoke(argv: list[str], cwd: Path, seconds: int = 0) -> tuple[int, str, str]:
    """`python -m model ARGV` in this process, in `cwd`, with its output captured; with
    `seconds`, a call still running after that long raises Hung instead of stopping the suite."""
    out, err = io.StringIO(), io.StringIO()
    previous = os.getcwd()
    os.chdir(cwd)
    if seconds:
        def hung(*_):
            raise Hung(f"{argv} still running after {seconds} s")
        before = signal.signal(signal.SIGALRM, hung)
        signal.alarm(seconds)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as stop:  # --help ends argparse with SystemExit(0)
                code = stop.code if isinstance(stop.code, int) else 2
    finally:
        if seconds:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, before)
        os.chdir(previous)
    return code, out.getvalue(), err.getvalue()


def shown_safely(text: str) -> bool:
    """No character in `text` would act on a terminal (ESC, CR, a right-to-left override...)."""
    return not any(unsafe(char, keep="\n") for char in text)


def check(family: str, argv: list[str], cwd: Path, outputs: tuple[str, ...] = (), *,
          terminal: bool = False, seconds: int = 0, may_change: tuple[str, ...] = ()
          ) -> tuple[int, str, str]:
    """Run one case, assert the contract, count its outcome for the closing note, and return
    what it printed. `terminal` also asserts that nothing printed holds an unsafe character;
    `may_change` names the only entries an exit 0 may create or change (anything, if empty)."""
    before = snapshot(cwd)
    code, out, err = invoke(argv, cwd, seconds)
    assert "Traceback" not in err, err
    if terminal:
        assert shown_safely(out) and shown_safely(err), (argv, out[-300:], err)
    if code == 0:
        missing = [name for name in outputs if not (cwd / name).is_file()]
        assert not missing, f"exit 0 but {missing} missing for {argv}"
        if may_change:
            after = snapshot(cwd)
            changed = [k for k in set(before) | set(after) if before.get(k) != after.get(k)
                       and not k.startswith(may_change)]
            assert not changed, f"exit 0 but {changed} changed for {argv}"
        TALLY[family, "exit 0, outputs complete"] += 1
        return code, out, err
    assert code == 2, f"exit {code} for {argv}: {err}"
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), f"{argv}: {err!r}"
    assert snapshot(cwd) == before, f"exit 2 but files changed for {argv}"
    TALLY[family, "exit 2, one line, nothing written"] += 1
    return code, out, err


@contextlib.contextmanager
def sandbox(finished: Path | None = None):
    """A fresh folder with a good scenario (and a copy of finished sweeps when given)."""
    with tempfile.TemporaryDirectory(prefix="fuzz-") as folder:
        root = Path(folder)
        (root / "good.toml").write_text(tomli_w.dumps(GOOD_SCENARIO), encoding="utf-8")
        (root / "lonely.toml").write_text(tomli_w.dumps(LONELY_SCENARIO), encoding="utf-8")
        if finished is not None:
            for sweep in finished.iterdir():
                shutil.copytree(sweep, root / sweep.name, symlinks=True)
        yield root


def fuzz(strategy, test, examples: int) -> None:
    """Run `test` on `examples` cases drawn from `strategy`, deterministically."""
    @settings(max_examples=examples, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck), print_blob=False)
    @given(strategy)
    def property_(case):
        test(case)
    property_()


def print_tally() -> None:
    """The count of cases by family and outcome (seen with -s, and in the report)."""
    for (family, outcome), count in sorted(TALLY.items()):
        print(f"\nfuzz {family:<12} {outcome:<34} {count:>6}", end="")
    print(f"\nfuzz total {sum(TALLY.values())}")
    TALLY.clear()
