"""Resume cannot mix runs; corrupt parts, dead workers and Dask faults end cleanly.

Each case of issue 25 (items 1, 5, 6 and the sweep parts of 8 and 9) is provoked for real: a
scenario file or preset edited between a kill and the resume, a part copied from another sweep
or under a second name, stray and foreign files, a worker or a whole Dask cluster killed
mid-sweep, a scheduler address that never answers. Each must end in exit 2 and one line (or a
correct table), leave the folder as it was, and never hang: every test runs under an alarm.
Dask clusters are started on 127.0.0.1 only.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import model.provenance as provenance
import model.scenario as scenario_module
from helpers import cli, one_error_line
from model.cli.main import main
from model.experiments import (Store, SweepError, Sweep, Values, execute, plan, read_results,
                               read_sweep, run_part)
from model.experiments import execution, executors, temporary
from model.extras import missing

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
DANA = """title = "Dana's town"
[world]
weeks = 40
[[partners]]
name = "Dana"
boundary = 0.9
[[partners]]
name = "Eli"
"""
SWEEP_FILE = """scenario = "town.toml"
replicates = 3
seed = 11
runs_per_part = 2
[set]
"narcissist.reinforcement" = 0.5
[vary]
"partners.1.boundary" = [0.2, 0.8]
"""
"""6 runs in 3 parts on a scenario file beside the sweep file."""


class Hung(BaseException):
    """Raised by the alarm; a BaseException, so that no `except Exception` can swallow it."""


@pytest.fixture(autouse=True)
def no_hang():
    """Every test here ends within two minutes, or fails saying it hung."""
    def hung(*_):
        raise Hung("the test hung for 120 s")
    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(120)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def sweep_folder(tmp_path: Path, name: str = "study", sweep_text: str = SWEEP_FILE) -> Path:
    """A sweep file and the scenario beside it, in a folder of their own."""
    folder = tmp_path / name
    folder.mkdir()
    (folder / "town.toml").write_text(DANA)
    (folder / "sweep.toml").write_text(sweep_text)
    return folder / "sweep.toml"


def half_finished(sweep_file: Path, out: Path, parts: int = 2) -> Path:
    """The folder a kill leaves: the declaration and the first parts, each written as a sweep
    writes it (with its proof of origin), no table."""
    with contextlib.redirect_stdout(None), contextlib.redirect_stderr(None):
        assert main(["sweep", str(sweep_file), "--workers", "1", "--quiet", "--out",
                     str(out)]) == 0
    (out / Store.RESULTS).unlink()
    store = Store(out)
    store.parts.mkdir()
    for job in plan(read_sweep(out / Store.DECLARATION, confined=False)).jobs[:parts]:
        store.write(run_part(job))
    return out


def resume(out: Path, capsys, *extra: str) -> tuple[int, str, str]:
    return cli(["sweep", "--resume", "--workers", "1", "--quiet", *extra, "--out", out], capsys)


def refused(out: Path, capsys, words: str) -> str:
    """Resume is refused with one line holding `words`, and the folder is as it was."""
    before = snapshot(out)
    code, _, err = resume(out, capsys)
    line = one_error_line(err)
    assert code == 2 and words in line, line
    assert snapshot(out) == before and not (out / Store.RESULTS).exists()
    return line


# --- 1. every part proves where it came from --------------------------------------------------
def test_a_scenario_file_edited_between_kill_and_resume_is_refused(tmp_path, capsys):
    sweep_file = sweep_folder(tmp_path)
    out = half_finished(sweep_file, tmp_path / "out")
    town = sweep_file.parent / "town.toml"
    town.write_text(town.read_text().replace("boundary = 0.9", "boundary = 0.05"))
    line = refused(out, capsys, "another version of the scenario")
    assert "part-000000.parquet" in line and "town.toml" in line
    town.write_text(DANA)  # the edit undone: the same experiment again, and it finishes
    code, stdout, _ = resume(out, capsys)
    assert code == 0 and "4 from earlier parts" in stdout


def test_a_changed_preset_is_refused_even_with_the_same_code(tmp_path, capsys, monkeypatch):
    presets = tmp_path / "presets"
    shutil.copytree(provenance.PRESET_ROOT, presets, ignore=shutil.ignore_patterns("__py*"))
    os.utime(presets)  # a folder of its own time: the list of presets is cached by it
    monkeypatch.setattr(scenario_module, "PRESET_DIR", presets)
    monkeypatch.setattr(provenance, "PRESET_ROOT", presets)
    sweep_file = sweep_folder(tmp_path, sweep_text=SWEEP_FILE.replace('"town.toml"',
                                                                      '"classroom"'))
    out = half_finished(sweep_file, tmp_path / "out")
    classroom = presets / "classroom.toml"  # a package upgrade changes a value in a preset
    text = classroom.read_text()
    found = re.search(r"^boundary = ([0-9.]+)$", text, re.MULTILINE)
    assert found is not None
    classroom.write_text(text.replace(found[0], "boundary = 0.05", 1))
    provenance.checksum_of.cache_clear()  # as a new process would compute it
    refused(out, capsys, "another version of the model's code or presets")


def test_any_module_of_the_package_counts_in_the_code_version(tmp_path):
    package = tmp_path / "model"
    shutil.copytree(provenance.PACKAGE_ROOT, package, ignore=shutil.ignore_patterns("__py*"))
    before = provenance.checksum_of(package, provenance.PRESET_ROOT)
    with (package / "scenario.py").open("a") as handle:
        handle.write("\n# edited\n")
    provenance.checksum_of.cache_clear()  # computed once per process: a new process sees it
    assert provenance.checksum_of(package, provenance.PRESET_ROOT) != before


def test_a_part_made_by_other_code_is_refused_even_under_the_same_declaration(
        tmp_path, capsys, monkeypatch):
    out = half_finished(sweep_folder(tmp_path), tmp_path / "out")
    part = out / "parts" / "part-000001.parquet"
    table = pq.read_table(part)
    proof = table.schema.metadata[b"part"].replace(
        provenance.code_checksum().encode(), b"0" * 64)
    pq.write_table(table.replace_schema_metadata({**table.schema.metadata, b"part": proof}),
                   part)
    assert "part-000001.parquet" in refused(out, capsys, "another version of the model's code")


def test_a_part_of_another_sweep_with_other_set_values_is_refused(tmp_path, capsys):
    out = half_finished(sweep_folder(tmp_path), tmp_path / "out")
    other = half_finished(sweep_folder(tmp_path, "other", SWEEP_FILE.replace("= 0.5", "= 0.6")),
                          tmp_path / "other_out")
    assert pd.read_parquet(other / "parts" / "part-000001.parquet")["seed"].tolist() == \
        pd.read_parquet(out / "parts" / "part-000001.parquet")["seed"].tolist()
    shutil.copy(other / "parts" / "part-000001.parquet", out / "parts")
    assert "part-000001.parquet" in refused(out, capsys, "belongs to another sweep")


def test_a_second_copy_of_a_part_is_refused(tmp_path, capsys):
    out = half_finished(sweep_folder(tmp_path), tmp_path / "out")
    shutil.copy(out / "parts" / "part-000000.parquet", out / "parts" / "part-000002.parquet")
    refused(out, capsys, "part-000002.parquet is a copy of part-000000.parquet")
    (out / "parts" / "part-000002.parquet").rename(out / "parts" / "part-000000 (2).parquet")
    refused(out, capsys, "part-000000 (2).parquet is not a part of a sweep")


def test_a_part_holding_a_run_twice_never_reaches_the_table(tmp_path, capsys):
    out = half_finished(sweep_folder(tmp_path), tmp_path / "out")
    part = out / "parts" / "part-000001.parquet"
    table = pq.read_table(part)  # the same runs and seeds, each row twice, its proof kept
    pq.write_table(pa.concat_tables([table, table]), part)
    refused(out, capsys, "holds run 2 twice")


# --- 2. corrupt or foreign files ----------------------------------------------------------------
def test_a_stray_text_file_in_parts_is_refused(tmp_path, capsys):
    out = half_finished(sweep_folder(tmp_path), tmp_path / "out")
    (out / "parts" / "notes.txt").write_text("my notes\n")
    assert "parts/notes.txt" in refused(out, capsys, "is not a part of a sweep")


def test_a_part_without_outcome_columns_is_refused(tmp_path, capsys):
    out = half_finished(sweep_folder(tmp_path), tmp_path / "out")
    part = out / "parts" / "part-000001.parquet"
    table = pq.read_table(part)
    pq.write_table(table.select(["run", "seed"]), part)  # the right runs and seeds, no outcomes
    refused(out, capsys, "lacks columns of this sweep's table")
    pd.read_parquet(part).to_parquet(part, index=False)  # and written by another program
    refused(out, capsys, "carries no record of how it was made")


def test_a_truncated_part_is_still_set_aside_and_run_again(tmp_path, capsys):
    out = half_finished(sweep_folder(tmp_path), tmp_path / "out")
    part = out / "parts" / "part-000001.parquet"
    part.write_bytes(part.read_bytes()[:100])
    code, stdout, _ = resume(out, capsys)
    assert code == 0 and "part-000001.parquet" in stdout
    whole = execute(read_sweep(out / Store.DECLARATION, confined=False), tmp_path / "w",
                    workers=1)
    pd.testing.assert_frame_equal(read_results(out)[1], whole.table)


def test_a_refused_resume_sets_nothing_aside(tmp_path, capsys):
    # Part 0 unreadable, and a part beyond the sweep: the refusal must leave part 0 where it
    # was (it was once moved to damaged/ before the later part was refused).
    out = half_finished(sweep_folder(tmp_path), tmp_path / "out")
    part = out / "parts" / "part-000000.parquet"
    shutil.copy(out / "parts" / "part-000001.parquet", out / "parts" / "part-000005.parquet")
    part.write_bytes(b"")
    refused(out, capsys, "numbered beyond this sweep's 3 parts")
    assert part.exists() and not (out / Store.DAMAGED).exists()


def silent_changes(part: Path, most: int) -> list[int]:
    """Offsets where one changed byte gives a part that a reader without checksums takes,
    with other values: the changes that once reached the table unseen."""
    good, data, found = pq.read_table(part).to_pandas(), part.read_bytes(), []
    for offset in range(4, min(len(data) - 8, 6000), 5):
        changed = bytearray(data)
        changed[offset] ^= 0x5A
        with contextlib.suppress(Exception):
            if not pq.read_table(pa.BufferReader(bytes(changed))).to_pandas().equals(good):
                found.append(offset)
    return found[:: max(1, len(found) // most)][:most]


def test_a_changed_byte_in_a_part_never_reaches_the_table(tmp_path, capsys):
    # Bytes changed inside a part's data (a disk error, a hand edit) once gave a traceback, or
    # a table with 0.203125 where 0.2 was run. Now the page checksums catch every change: the
    # part is set aside and run again, and the table is the uninterrupted one.
    folder = sweep_folder(tmp_path)
    whole = execute(read_sweep(folder, confined=True), tmp_path / "whole", workers=1).table
    probe = half_finished(folder, tmp_path / "probe") / "parts" / "part-000000.parquet"
    offsets = silent_changes(probe, most=8)
    assert len(offsets) >= 4, offsets
    rerun = 0
    for offset in offsets:
        out = half_finished(folder, tmp_path / f"out{offset}")
        part = out / "parts" / "part-000000.parquet"
        data = bytearray(part.read_bytes())
        data[offset] ^= 0x5A
        part.write_bytes(bytes(data))
        code, stdout, err = resume(out, capsys)
        if code == 2:  # a change to its proof of origin is refused: one line, nothing mixed
            assert "cannot be mixed" in one_error_line(err)
            assert not (out / Store.RESULTS).exists()
            continue
        assert code == 0 and "part-000000.parquet" in stdout, (offset, err)  # set aside
        pd.testing.assert_frame_equal(read_results(out)[1], whole, obj=f"byte {offset}")
        rerun += 1
    assert rerun >= len(offsets) // 2, (rerun, offsets)


@pytest.mark.parametrize("damage", ["truncated", "foreign"])
def test_a_finished_folder_with_a_broken_or_foreign_table_is_one_line(tmp_path, capsys,
                                                                      damage):
    sweep_file = sweep_folder(tmp_path)
    out = tmp_path / "out"
    assert cli(["sweep", sweep_file, "--workers", "1", "--quiet", "--out", out], capsys)[0] == 0
    results = out / Store.RESULTS
    if damage == "truncated":
        results.write_bytes(results.read_bytes()[:200])
    else:
        other = tmp_path / "other"
        assert cli(["sweep", "classroom", "--weeks", "5", "--workers", "1", "--quiet", "--out",
                    other], capsys)[0] == 0
        shutil.copy(other / Store.RESULTS, results)
    before = snapshot(out)
    code, _, err = resume(out, capsys)
    line = one_error_line(err)
    assert code == 2 and Store.RESULTS in line
    assert snapshot(out) == before


def worker_pids(parent: int) -> list[int]:
    """The sweep's worker processes: grandchildren of `parent` (children of its forkserver)."""
    def ppid(pid: int) -> int | None:
        with contextlib.suppress(OSError, IndexError, ValueError):
            return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        return None
    children = {int(p.name) for p in Path("/proc").glob("[0-9]*") if ppid(int(p.name)) == parent}
    return [int(p.name) for p in Path("/proc").glob("[0-9]*") if ppid(int(p.name)) in children]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_worker_killed_mid_sweep_is_a_resumable_stop(tmp_path, capsys, scratch):
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "model", "sweep", "classroom", "--vary",
         "partners.0.boundary=0:1:5", "--reps", "4", "--weeks", "2000", "--runs-per-part", "1",
         "--workers", "2", "--quiet", "--out", str(out)], cwd=ROOT,
        env={**ENV, "TMPDIR": str(scratch)}, start_new_session=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(list((out / "parts").glob("part-*.parquet"))) < 2 or not worker_pids(process.pid):
        assert process.poll() is None and time.monotonic() < deadline, process.stderr.read()
        time.sleep(0.01)
    os.kill(worker_pids(process.pid)[0], signal.SIGKILL)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 2, err
    line = one_error_line(err)
    assert "worker process ended abruptly" in line and "--resume" in line
    assert list(scratch.iterdir()) == [], "a temporary folder was left behind"
    assert list((out / "parts").glob("part-*.parquet"))
    code, stdout, err = resume(out, capsys)
    assert code == 0 and "from earlier parts" in stdout, err
    whole = execute(read_sweep(out / Store.DECLARATION), tmp_path / "whole", workers=1)
    pd.testing.assert_frame_equal(read_results(out)[1], whole.table)


# --- 3. Dask faults -----------------------------------------------------------------------------
@contextlib.contextmanager
def listening(answer: bytes | None):
    """A TCP service on 127.0.0.1 that accepts and says `answer` (None: nothing, ever)."""
    server = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def serve():
        server.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(TimeoutError, OSError):
                connection, _ = server.accept()
                held.append(connection)
                if answer is not None:
                    connection.sendall(answer)
    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"tcp://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        server.close()


needs_dask = pytest.mark.skipif(missing("dask"), reason="the dask extra is not installed")


@needs_dask
@pytest.mark.parametrize("answer", [None, b"SSH-2.0-OpenSSH_9.6\r\n"])
def test_a_scheduler_address_that_is_not_dask_is_refused_in_time(tmp_path, capsys,
                                                                 monkeypatch, answer):
    monkeypatch.setattr(executors, "CONNECT_SECONDS", 2)
    with listening(answer) as address:
        start = time.monotonic()
        code, _, err = cli(["sweep", "classroom", "--weeks", "5", "--quiet", "--scheduler",
                            address, "--out", tmp_path / "out"], capsys)
    assert code == 2 and time.monotonic() - start < 10
    line = one_error_line(err)
    assert ("no Dask handshake within 2 s" if answer is None else "does not answer as a Dask") \
        in line
    assert not (tmp_path / "out").exists()


@needs_dask
def test_a_web_server_as_scheduler_is_refused_without_a_huge_allocation(tmp_path, capsys,
                                                                        monkeypatch):
    monkeypatch.setattr(executors, "CONNECT_SECONDS", 2)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        code, _, err = cli(["sweep", "classroom", "--weeks", "5", "--quiet", "--scheduler",
                            f"tcp://127.0.0.1:{server.server_address[1]}", "--out",
                            tmp_path / "out"], capsys)
    finally:
        server.shutdown()
        server.server_close()
    assert code == 2 and "no Dask handshake" in one_error_line(err)


def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


@contextlib.contextmanager
def dask_cluster():
    """A scheduler and one worker, each a process of its own, on 127.0.0.1."""
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": ROOT,
             "env": ENV}
    scheduler = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler",
                                  "--host", "127.0.0.1", "--port", str(port),
                                  "--no-dashboard"], **quiet)
    worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address,
                               "--nthreads", "1", "--no-nanny", "--no-dashboard",
                               "--host", "127.0.0.1"], **quiet)
    try:
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(1, timeout=60)
        yield address, scheduler, worker
    finally:
        for process in (worker, scheduler):
            process.kill()
            process.wait()


def sweep_on(address: str, out: Path, capsys) -> tuple[int, str, str]:
    return cli(["sweep", "classroom", "--vary", "partners.0.boundary=0:1:4", "--reps", "3",
                "--weeks", "3000", "--runs-per-part", "1", "--quiet", "--scheduler", address,
                "--out", out], capsys)


def kill_when_parts(out: Path, process: subprocess.Popen, count: int = 2) -> threading.Thread:
    def watch():
        deadline = time.monotonic() + 90
        while len(list((out / "parts").glob("part-*.parquet"))) < count \
                and time.monotonic() < deadline:
            time.sleep(0.02)
        process.kill()
    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


@needs_dask
@pytest.mark.parametrize("victim", ["worker", "scheduler"])
def test_a_dask_cluster_dying_mid_sweep_is_a_resumable_stop(tmp_path, capsys, monkeypatch,
                                                            victim):
    monkeypatch.setattr(executors, "NO_WORKER_SECONDS", 3)
    out = tmp_path / "out"
    with dask_cluster() as (address, scheduler, worker):
        watcher = kill_when_parts(out, worker if victim == "worker" else scheduler)
        start = time.monotonic()
        code, _, err = sweep_on(address, out, capsys)
        watcher.join()
    line = one_error_line(err)
    assert code == 2 and "--resume" in line and time.monotonic() - start < 60
    assert ("no worker for 3 s" if victim == "worker" else "stopped answering") in line
    saved = list((out / "parts").glob("part-*.parquet"))
    assert saved and not (out / Store.RESULTS).exists()
    code, stdout, err = resume(out, capsys)
    assert code == 0 and "from earlier parts" in stdout, err
    whole = execute(read_sweep(out / Store.DECLARATION), tmp_path / "whole", workers=1)
    pd.testing.assert_frame_equal(read_results(out)[1], whole.table)


# --- 4. bounds and confinement ------------------------------------------------------------------
@pytest.mark.parametrize("where", ["../../../../../../etc/passwd", "/etc/passwd", "outside"])
def test_a_sweep_files_scenario_outside_its_folder_is_refused_unopened(tmp_path, capsys,
                                                                      monkeypatch, where):
    outside = tmp_path / "elsewhere" / "town.toml"
    outside.parent.mkdir()
    outside.write_text(DANA)
    scenario = str(outside) if where == "outside" else where
    sweep_file = sweep_folder(tmp_path, sweep_text=SWEEP_FILE.replace(
        '"town.toml"', f'"{scenario}"'))
    opened = []
    real_read = scenario_module.read_toml
    monkeypatch.setattr(scenario_module, "read_toml",
                        lambda path, what: opened.append(path) or real_read(path, what))
    code, _, err = cli(["sweep", sweep_file, "--quiet", "--out", tmp_path / "out"], capsys)
    assert code == 2 and "is outside the sweep file's folder" in one_error_line(err)
    assert opened == [] and not (tmp_path / "out").exists()
    if where == "outside":  # named by the user, it is theirs to name
        code, _, _ = cli(["sweep", sweep_file, "--scenario", outside, "--workers", "1",
                          "--quiet", "--out", tmp_path / "out"], capsys)
        assert code == 0 and read_results(tmp_path / "out")[0].scenario == str(outside)


def test_a_link_out_of_the_folder_is_refused_and_a_file_beside_it_is_not(tmp_path, capsys):
    sweep_file = sweep_folder(tmp_path, sweep_text=SWEEP_FILE.replace('"town.toml"',
                                                                      '"linked.toml"'))
    (sweep_file.parent / "linked.toml").symlink_to("/etc/hostname")
    code, _, err = cli(["sweep", sweep_file, "--quiet", "--out", tmp_path / "out"], capsys)
    assert code == 2 and "outside the sweep file's folder" in one_error_line(err)
    read_sweep(sweep_folder(tmp_path, "fine"))  # town.toml beside it: accepted


def test_one_run_whose_timeline_passes_the_part_budget_is_refused_up_front(tmp_path, capsys):
    code, _, err = cli(["sweep", "classroom", "--set", "world.generated_partners=10000",
                        "--weeks", "520", "--timelines", "--quiet", "--out", tmp_path / "out"],
                       capsys)  # 5.2 million rows: within a sweep's budget, not a part's
    line = one_error_line(err)
    assert code == 2 and "timeline rows" in line and f"{execution.TIMELINE_PART_ROWS:,}" in line
    assert not (tmp_path / "out").exists()


def test_parts_with_timelines_are_sized_to_the_budget(tmp_path, monkeypatch):
    sweep = Sweep(vary=(Values("world.weeks", (10, 100)),), replicates=6, weeks=None,
                  timelines=True, runs_per_part=20).checked()
    rows = {10: 4 * 11, 100: 4 * 101}
    monkeypatch.setattr(execution, "TIMELINE_PART_ROWS", 1000)
    jobs = plan(sweep).jobs
    for job in jobs:
        assert sum(rows[dict(r.varied)["world.weeks"]] for r in job.runs) <= 1000
    assert [len(j.runs) for j in jobs] == [7, 2, 2, 1]  # 6 x 44 + 404, then 2 x 404 ...
    table = execute(sweep, tmp_path / "out", workers=1).timelines
    assert len(table) == sum(6 * n for n in rows.values())
    monkeypatch.setattr(execution, "TIMELINE_PART_ROWS", 400)
    with pytest.raises(SweepError, match="404 timeline rows"):
        plan(sweep)


# --- 5. temporary folders -----------------------------------------------------------------------
@pytest.fixture
def scratch(monkeypatch):
    """A temporary directory of the test's own, so what is left in it can be seen. Short, as
    TMPDIR usually is: a worker's socket lives in it, and a socket's path is at most 107
    bytes."""
    folder = Path(tempfile.mkdtemp(prefix="sc-", dir="/tmp"))
    monkeypatch.setattr("tempfile.tempdir", str(folder))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def small() -> Sweep:
    return Sweep(vary=(Values("partners.0.boundary", (0.2, 0.8)),), replicates=2, weeks=20,
                 runs_per_part=1)


def test_execute_in_memory_leaves_no_folder_however_it_ends(scratch, monkeypatch):
    assert len(execute(small(), workers=1).table) and list(scratch.iterdir()) == []
    real = executors.run_part
    calls = []

    def interrupted(job):
        calls.append(job)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(job)
    monkeypatch.setattr(executors, "run_part", interrupted)
    with pytest.raises(KeyboardInterrupt):
        execute(small(), workers=1)
    assert list(scratch.iterdir()) == []


def test_folders_of_a_killed_sweep_are_removed_by_the_next(scratch):
    process = subprocess.Popen(
        [sys.executable, "-c", "from model.experiments import Sweep, Values, execute\n"
         "execute(Sweep(vary=(Values('partners.0.boundary', (0.1, 0.5, 0.9)),), replicates=40,"
         " weeks=3000, runs_per_part=1), workers=2)"],
        cwd=ROOT, env={**ENV, "TMPDIR": str(scratch)}, start_new_session=True)
    deadline = time.monotonic() + 60
    while len(list(scratch.glob("supply-cycle-*"))) < 2:
        assert process.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    time.sleep(0.5)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    left = sorted(p.name for p in scratch.iterdir())
    assert any(n.startswith(f"supply-cycle-sweep-{process.pid}-") for n in left), left
    mine = scratch / "not-ours"
    mine.mkdir()  # another program's folder is never touched
    execute(small(), workers=1)
    assert [p.name for p in scratch.iterdir()] == ["not-ours"]


def test_a_live_owners_folder_is_kept(scratch):
    with temporary.owned_folder("sweep") as held:
        assert temporary.remove_stale(scratch) == [] and held.exists()
    assert not held.exists()
