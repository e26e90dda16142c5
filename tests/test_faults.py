"""Faults a user does not type: a full or read-only disk, a mount point, signals, a damaged
part, two writers, a parent killed with its workers running.

Each test provokes the fault for real (a tiny tmpfs, SIGINT, SIGKILL, a truncated file) and
checks the promise of docs/reliability.md: one line and exit 2 (130 for an interrupt), nothing
half written, and a resumed sweep whose table equals the uninterrupted one. The filesystem
tests mount tmpfs and need root (as in CI); elsewhere they are skipped, saying why.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from helpers import cli, one_error_line
from model.experiments import Store, execute, plan, read_results, read_sweep, run_part

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
SWEEP = ["sweep", "classroom", "--vary", "partners.0.boundary=0:1:5", "--reps", "4",
         "--seed", "3", "--weeks", "300", "--runs-per-part", "2", "--quiet"]
"""20 runs in 10 parts: long enough to interrupt, short enough for CI."""

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mounting tmpfs needs root")


@contextlib.contextmanager
def tmpfs(where: Path, size: str, *options: str):
    """A fresh tmpfs of `size` mounted at `where`, unmounted afterwards."""
    where.mkdir(parents=True, exist_ok=True)
    flags = ",".join((f"size={size}", *options))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", flags, "tmpfs", str(where)],
                             capture_output=True, text=True)
    if mounted.returncode:  # root without CAP_SYS_ADMIN (some containers)
        pytest.skip(f"cannot mount tmpfs here: {mounted.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def interruptible() -> None:
    """Let Ctrl-C reach the child as it reaches a program started from a terminal. A shell
    starts background jobs with SIGINT ignored, children inherit that, and Python then never
    installs its KeyboardInterrupt handler: a test run from such a job would see no Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start_sweep(out: Path, *extra: str) -> subprocess.Popen:
    """A sweep in its own session (so signals reach only it), writing to `out`."""
    return subprocess.Popen([sys.executable, "-m", "model", *SWEEP, *extra, "--out", str(out)],
                            cwd=ROOT, env=ENV, start_new_session=True, preexec_fn=interruptible,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def wait_for_parts(process: subprocess.Popen, out: Path, count: int) -> None:
    deadline = time.monotonic() + 120
    while len(list((out / "parts").glob("part-*.parquet"))) < count:
        assert process.poll() is None, process.stderr.read()
        assert time.monotonic() < deadline, "no parts appeared"
        time.sleep(0.01)


def uninterrupted(out: Path, tmp_path: Path) -> pd.DataFrame:
    return execute(read_sweep(out / Store.DECLARATION), tmp_path / "whole", workers=1).table


# --- disks ----------------------------------------------------------------------------------------
@needs_root
def test_a_full_disk_is_one_line_and_leaves_nothing(tmp_path, capsys):
    with tmpfs(tmp_path / "tiny", "64k") as disk:
        code, _, err = cli(["run", "classroom", "--out", str(disk / "out")], capsys)
        assert code == 2 and "the disk is full" in one_error_line(err)
        assert list(disk.iterdir()) == []


@needs_root
def test_a_read_only_disk_is_refused_before_the_run(tmp_path, capsys):
    with tmpfs(tmp_path / "ro", "1m", "ro") as disk:
        code, _, err = cli(["run", "classroom", "--weeks", "3", "--out", str(disk / "out")],
                           capsys)
        assert code == 2 and "read-only" in one_error_line(err)
        code, _, err = cli([*SWEEP, "--workers", "1", "--out", str(disk / "sweep")], capsys)
        assert code == 2 and "read-only" in one_error_line(err)


@needs_root
def test_a_mount_point_as_out_is_filled_in_place(tmp_path, capsys):
    """The staging folder must be on the target's filesystem, not in its parent's."""
    with tmpfs(tmp_path / "mnt", "16m") as disk:
        code, _, _ = cli(["run", "classroom", "--weeks", "3", "--out", str(disk)], capsys)
        assert code == 0
        assert {p.name for p in disk.iterdir()} == {
            "outcomes.csv", "timeline.csv", "events.csv", "supply.csv", "scenario.toml",
            "run.json", "run.png", "outcomes.csv.json", "timeline.csv.json", "events.csv.json",
            "supply.csv.json"}


@needs_root
def test_a_sweep_that_fills_the_disk_resumes_once_there_is_room(tmp_path, capsys):
    with tmpfs(tmp_path / "small", "160k") as disk:
        out = disk / "sweep"
        code, _, err = cli([*SWEEP, "--timelines", "--workers", "1", "--out", str(out)],
                           capsys)
        line = one_error_line(err)
        assert code == 2 and "the disk is full" in line and "--resume" in line
        assert not list((out / "parts").glob(".*")), "a temporary part was left behind"
        subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
        code, _, _ = cli(["sweep", "--resume", "--workers", "1", "--quiet", "--out", str(out)],
                         capsys)
        assert code == 0
        pd.testing.assert_frame_equal(read_results(out)[1], uninterrupted(out, tmp_path))


# --- signals --------------------------------------------------------------------------------------
def test_ctrl_c_mid_sweep_then_resume_gives_the_whole_table(tmp_path, capsys):
    out = tmp_path / "sweep"
    process = start_sweep(out, "--workers", "2")
    wait_for_parts(process, out, 2)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal does: the whole process group
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "Traceback" not in err, err
    code, stdout, _ = cli(["sweep", "--resume", "--workers", "1", "--quiet", "--out", str(out)],
                          capsys)
    assert code == 0 and "from earlier parts" in stdout
    pd.testing.assert_frame_equal(read_results(out)[1], uninterrupted(out, tmp_path))


def session_members(session: int) -> list[int]:
    """Processes whose session id is `session` (field 6 of /proc/PID/stat)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) == session and fields[0] != "Z":
                members.append(int(stat.parent.name))
    return members


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_killing_the_parent_leaves_no_worker_and_the_sweep_resumes(tmp_path, capsys):
    out = tmp_path / "sweep"
    process = start_sweep(out, "--workers", "2")
    wait_for_parts(process, out, 2)
    assert len(session_members(process.pid)) >= 3  # parent, forkserver, workers
    os.kill(process.pid, signal.SIGKILL)  # the parent alone: nobody tells the workers
    process.wait()
    deadline = time.monotonic() + 10
    while session_members(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    survivors = session_members(process.pid)
    for pid in survivors:  # a failing test must not leave them running either
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    assert survivors == [], "workers outlived their parent by 10 s"
    code, _, _ = cli(["sweep", "--resume", "--workers", "1", "--quiet", "--out", str(out)],
                     capsys)
    assert code == 0
    pd.testing.assert_frame_equal(read_results(out)[1], uninterrupted(out, tmp_path))


def test_ctrl_c_during_run_out_is_one_line_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "model", "run", "classroom", "--weeks", "5000", "--set",
         "world.generated_partners=300", "--out", str(out)], cwd=ROOT, env=ENV,
        start_new_session=True, preexec_fn=interruptible, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True)
    time.sleep(4)  # past the imports, inside the run
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert "interrupted" in one_error_line(err)
    assert not out.exists() and list(tmp_path.iterdir()) == []


# --- the results folder ---------------------------------------------------------------------------
def half_finished(tmp_path: Path, capsys) -> Path:
    """A sweep folder as a kill leaves it: the declaration and the first five parts, written
    as a sweep writes them (each with its proof of origin), no table."""
    out = tmp_path / "half"
    assert cli([*SWEEP, "--weeks", "5", "--workers", "1", "--out", str(out)], capsys)[0] == 0
    (out / Store.RESULTS).unlink()
    store = Store(out)
    store.parts.mkdir()
    for job in plan(read_sweep(out / Store.DECLARATION)).jobs[:5]:
        store.write(run_part(job))
    return out


def test_a_truncated_part_is_set_aside_and_run_again(tmp_path, capsys):
    out = half_finished(tmp_path, capsys)
    part = out / "parts" / "part-000003.parquet"
    part.write_bytes(part.read_bytes()[:50])
    code, stdout, _ = cli(["sweep", "--resume", "--workers", "1", "--quiet", "--out", str(out)],
                          capsys)
    assert code == 0 and "part-000003.parquet" in stdout
    assert (out / "damaged" / "parts-part-000003.parquet").exists()
    pd.testing.assert_frame_equal(read_results(out)[1], uninterrupted(out, tmp_path))


def test_an_edited_declaration_is_refused_on_resume(tmp_path, capsys):
    out = half_finished(tmp_path, capsys)
    declaration = out / Store.DECLARATION
    declaration.write_text(declaration.read_text().replace("seed = 3", "seed = 4"))
    before = sorted(p.name for p in (out / "parts").iterdir())
    code, _, err = cli(["sweep", "--resume", "--workers", "1", "--out", str(out)], capsys)
    assert code == 2 and "was edited after the sweep started" in one_error_line(err)
    assert sorted(p.name for p in (out / "parts").iterdir()) == before


def test_a_part_of_another_sweep_is_refused_on_resume(tmp_path, capsys):
    out = half_finished(tmp_path, capsys)
    part = out / "parts" / "part-000001.parquet"
    table = pq.read_table(part)  # its proof of origin kept: only the seeds are changed
    seeds = pa.array([1] * table.num_rows, pa.int64())
    pq.write_table(table.set_column(table.schema.get_field_index("seed"), "seed", seeds), part)
    code, _, err = cli(["sweep", "--resume", "--workers", "1", "--out", str(out)], capsys)
    assert code == 2 and "part-000001.parquet holds runs or seeds" in one_error_line(err)


def test_a_second_writer_is_refused_and_a_dead_one_holds_nothing(tmp_path, capsys):
    out = half_finished(tmp_path, capsys)
    with Store(out).lock():
        code, _, err = cli(["sweep", "--resume", "--workers", "1", "--out", str(out)], capsys)
        assert code == 2 and "another sweep is writing" in one_error_line(err)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from model.experiments import Store\n"
         f"with Store({str(out)!r}).lock():\n    print('held', flush=True); time.sleep(60)"],
        cwd=ROOT, env=ENV, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait()
    code, _, _ = cli(["sweep", "--resume", "--workers", "1", "--quiet", "--out", str(out)],
                     capsys)
    assert code == 0
