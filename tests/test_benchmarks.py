"""The benchmark code runs: `benchmarks/run_all.py --quick` measures every model target.

Timings are not asserted (they depend on the machine and its load); what a user of the
benchmarks would notice is a crash, a missing target or a value that is not a number.
"""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import bench_model  # noqa: E402
import run_all  # noqa: E402


@pytest.fixture(scope="module")
def quick_targets():
    return bench_model.targets(quick=True)


def test_every_model_target_is_measured_as_a_finite_number(quick_targets):
    names = [t.name for t in quick_targets]
    for words in ("classroom", "cost per person-week", "exponent", "bytes per recorded",
                  "outcomes only"):
        assert any(words in name for name in names), f"no target about {words!r}"
    for target in quick_targets:
        assert math.isfinite(target.measured), target


def test_the_recording_stays_within_its_memory_budget(quick_targets):
    """Sizes, unlike timings, do not depend on the machine's load."""
    memory = [t for t in quick_targets if t.unit in ("B", "MB")]
    assert memory and all(t.passed for t in memory), memory


def test_run_all_prints_a_table_of_targets_and_notes_skipped_sources(capsys, monkeypatch):
    monkeypatch.setattr(bench_model, "targets", lambda quick: [
        bench_model.Target("a target", 2.0, 4.0, "x"),
        bench_model.Target("another", 5.0, 4.0, "x")])
    status = run_all.main(["--quick"])
    out = capsys.readouterr().out
    assert "a target" in out and "pass" in out and "FAIL" in out
    assert status == 1, "a failing target makes the exit status 1"
    for name in ("bench_sweep", "bench_dask", "bench_dashboard", "bench_class"):
        module = sys.modules.get(name)
        if module is None or not hasattr(module, "targets"):
            assert f"{name}: skipped" in out


def test_counting_instructions_without_valgrind_says_what_is_missing(capsys, monkeypatch):
    import bench_instructions

    monkeypatch.setattr(bench_instructions.shutil, "which", lambda name: None)
    assert bench_instructions.main([]) == 2
    assert "valgrind is not installed" in capsys.readouterr().err


def test_counting_instructions_refuses_a_count_of_runs_out_of_range(capsys):
    import bench_instructions

    with pytest.raises(SystemExit) as stop:
        bench_instructions.main(["--runs", "0"])
    assert stop.value.code == 2
    assert "--runs" in capsys.readouterr().err


def test_class_mode_is_measured_for_simulated_students():
    """A few students through the class-mode benchmark: every figure a finite number, the
    projector counting every answer and result (a timeout would raise)."""
    import bench_class

    found = bench_class.measure(4, 0.0)
    for name in ("answer_to_projector_median_s", "answer_to_projector_p95_s",
                 "memory_per_student_mb", "room_bytes_per_seat", "frame_median_s",
                 "frame_max_s", "last_result_to_projector_s"):
        assert math.isfinite(found[name]), (name, found)
    assert found["results"] == 4 and found["frames_drawn"] >= 1
    assert "bench_class" in run_all.SOURCES
