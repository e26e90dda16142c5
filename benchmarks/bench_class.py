"""Class mode under load: 40 and 100 simulated students on one server process.

Measured in one process, as the served dashboard runs them: the lecturer's projector page is
rendered without a browser (`solara.render` in a kernel of its own, as the server gives each
page), and each student's page too, each in its own kernel; students act through the room
(`dashboard.classroom.room.ROOMS`), exactly as their pages' buttons do.

1. **Answer to projector**: students answer one after another, `--gap` seconds apart (a room
   answering over a few seconds); for each answer, the time until the projector page's status
   line counts it (the room wakes the page's watch, which redraws at most every
   `REDRAW_SECONDS`). Median and 95th percentile.
2. **Server memory per student**: the growth of this process's resident memory while N
   student pages are opened (each a Solara session with its widgets and its watch thread) and
   each joins and answers, divided by N; and the room's own bytes per seat (tracemalloc).
3. **Projector frame time while results arrive**: N students each send a run of a class
   experiment; the work of one projector frame (the class table, the chart drawn at projector
   size and encoded, the table of means) at each number of arrived runs, median and largest;
   and how many frames the page actually drew, and the time from the last result to the
   projector showing it.

The model's runs are done once beforehand (`run_replicate`), so that what is timed is class
mode's own cost, not the model's. `targets(quick)` (for `benchmarks/run_all.py`) reports the
100-student figures against the limits below (10 students in quick mode).

Run: `nice python benchmarks/bench_class.py [--students 40 100] [--gap 0.05]`.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the dashboard package
sys.path.insert(0, str(Path(__file__).resolve().parent))  # common.py

import solara  # noqa: E402
import solara.server.app  # noqa: E402,F401 -- threads and widgets per kernel, as served
import solara.server.kernel  # noqa: E402
import solara.server.kernel_context  # noqa: E402

from common import Target  # noqa: E402

from dashboard.chart_parts import ChartStyle, png  # noqa: E402
from dashboard.classroom import charts, lecturer  # noqa: E402
from dashboard.classroom.experiment import (OUTCOMES, class_summary, class_sweep,  # noqa: E402
                                            per_run_values, plan_for, run_replicate)
from dashboard.classroom.questions import questions_for  # noqa: E402
from dashboard.classroom.room import ROOMS  # noqa: E402
from dashboard.classroom.student import Seat  # noqa: E402
from dashboard.classroom.views import REDRAW_SECONDS  # noqa: E402
from dashboard.components.chart_table import html_table  # noqa: E402
from dashboard.settings import Settings  # noqa: E402

LATENCY_SECONDS = 1.0
"""An answer shows on the projector within this (95th percentile, 100 students)."""
FRAME_SECONDS = 0.25
"""One projector frame while results arrive takes at most this (median, 100 results)."""
MEMORY_MB = 8.0
"""Server memory per student page at most this (MB)."""
PROJECTOR = ChartStyle(large=True, width=1300)


class Kernel:
    """A page's own kernel, as the server gives each browser tab."""

    def __init__(self, name: str) -> None:
        self.context = solara.server.kernel_context.VirtualKernelContext(
            id=name, kernel=solara.server.kernel.Kernel(), session_id=name)

    def render(self, element):
        with self.context:
            self.box, self.rc = solara.render(element, handle_error=False)
        return self

    def close(self) -> None:
        with self.context:
            self.rc.close()
        self.context.close()


def resident_mb() -> float:
    with open("/proc/self/status") as status:
        line = next(row for row in status if row.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def _shows(kernel: Kernel, text: str) -> bool:
    with kernel.context:
        return any(text in w.unsafe_innerHTML
                   for w in kernel.rc.find(solara.widgets.HTML).widgets)


def _wait_for(kernel: Kernel, text: str, timeout: float = 30.0) -> float:
    """Seconds until the page shows `text`."""
    start = time.perf_counter()
    while not _shows(kernel, text):
        if time.perf_counter() - start > timeout:
            raise TimeoutError(f"the page never showed {text!r}")
        time.sleep(0.002)
    return time.perf_counter() - start


def open_projector(code: str, key: str) -> Kernel:
    return Kernel(f"projector-{code}").render(lecturer.ClassRoom(
        code, key, None, True, False, on_end=lambda: None, me="bench-lecturer"))


def answer_latency(students: int, gap: float) -> dict[str, float]:
    """(1) and (2): open N student pages, each joins; then each answers in turn."""
    settings = Settings()
    questions = questions_for(settings)
    code, key = ROOMS.open(settings.preset, settings.seed, questions)
    projector = open_projector(code, key)
    gc.collect()
    before = resident_mb()
    tracemalloc.start()
    room_before = tracemalloc.get_traced_memory()[0]
    tokens = [ROOMS.join(code, f"bench-{i}")[1] for i in range(students)]
    room_bytes = (tracemalloc.get_traced_memory()[0] - room_before) / students
    tracemalloc.stop()
    pages = [Kernel(f"student-{i}").render(Seat(code, token, on_leave=lambda: None))
             for i, token in enumerate(tokens)]
    leave = questions[0]
    latencies = []
    for i, token in enumerate(tokens):
        ROOMS.student(code, token, {"kind": "answer", "question": "leave",
                                    "value": leave.options[i % len(leave.options)]})
        latencies.append(_wait_for(projector, f"Answers so far: {i + 1} to"))
        time.sleep(gap)
    for i, token in enumerate(tokens):
        ROOMS.student(code, token, {"kind": "answer", "question": "devalue",
                                    "value": str(5 + i % 60)})
    gc.collect()
    per_student = (resident_mb() - before) / students
    for page in pages:
        page.close()
    projector.close()
    ROOMS.close(code, key)
    latencies.sort()
    return {"answer_to_projector_median_s": statistics.median(latencies),
            "answer_to_projector_p95_s": latencies[int(0.95 * (len(latencies) - 1))],
            "memory_per_student_mb": per_student, "room_bytes_per_seat": room_bytes}


def results_arriving(students: int, gap: float) -> dict[str, float]:
    """(3): a class experiment of N runs whose results arrive `gap` seconds apart."""
    settings = Settings()
    values = 4
    sweep = class_sweep(settings.preset, "partners.0.boundary", 0.1, 0.9, values,
                        -(-students // values), settings.seed)
    plan = plan_for(sweep, "Ana (spouse), boundary")
    done = {r.run: run_replicate(plan.declaration, r.run) for r in plan.runs}  # the model
    frames = []
    class_summary(plan, {plan.runs[0].run: done[plan.runs[0].run]})  # SciPy's import: not a frame
    for arrived in range(1, len(plan.runs) + 1):  # the work of one frame at each count
        results = {r.run: done[r.run] for r in plan.runs[:arrived]}
        start = time.perf_counter()
        summary = class_summary(plan, results)
        runs = per_run_values(plan, results)
        png(charts.experiment_chart(plan, runs, summary, OUTCOMES[0], "harm", PROJECTOR),
            PROJECTOR)
        html_table(charts.overview(summary, {o: o for o in OUTCOMES}, plan.label), "table")
        frames.append(time.perf_counter() - start)
    code, key = ROOMS.open(settings.preset, settings.seed, questions_for(settings))
    projector = open_projector(code, key)
    ROOMS.lecturer(code, key, {"kind": "experiment", "step": 0, "plan": plan})
    tokens = [ROOMS.join(code, f"bench-run-{i}")[1] for i in range(len(plan.runs))]
    _wait_for(projector, f"0 of {len(plan.runs)}")
    drawn: list[int] = []
    real = charts.experiment_chart

    def counted(plan_, runs, *args, **kwargs):
        drawn.append(len(runs))
        return real(plan_, runs, *args, **kwargs)

    charts.experiment_chart = counted  # the page draws through the module: count its frames
    sent = time.perf_counter()
    for token in tokens:
        mine = ROOMS.student(code, token, {"kind": "claim"}).assignment
        ROOMS.student(code, token, {"kind": "result", "run": mine.run,
                                    "outcomes": done[mine.run]})
        sent = time.perf_counter()
        time.sleep(gap)
    total = len(plan.runs)
    _wait_for(projector, f"{total} of {total}")
    shown = time.perf_counter() - sent
    charts.experiment_chart = real
    projector.close()
    ROOMS.close(code, key)
    return {"frame_median_s": statistics.median(frames), "frame_max_s": max(frames),
            "frames_drawn": len(set(drawn)), "results": total,
            "last_result_to_projector_s": shown}


def measure(students: int, gap: float) -> dict[str, float]:
    return {"students": students, **answer_latency(students, gap),
            **results_arriving(students, gap)}


def targets(quick: bool) -> list[Target]:
    """The figures for 100 students (10 in quick mode) against their limits."""
    students = 10 if quick else 100
    found = measure(students, 0.02 if quick else 0.05)
    load = f"load average {os.getloadavg()[0]:.1f}"
    return [
        Target(f"Class mode: answer to projector, 95th percentile ({students} students)",
               found["answer_to_projector_p95_s"], LATENCY_SECONDS, "s", False,
               f"median {found['answer_to_projector_median_s']:.3f} s; the projector redraws "
               f"at most every {REDRAW_SECONDS} s; {load}"),
        Target(f"Class mode: projector frame while results arrive ({students} runs)",
               found["frame_median_s"], FRAME_SECONDS, "s", False,
               f"largest {found['frame_max_s']:.3f} s; {found['frames_drawn']} frames drawn "
               f"for {found['results']} results; {load}"),
        Target(f"Class mode: server memory per student page ({students} students)",
               found["memory_per_student_mb"], MEMORY_MB, "MB", False,
               f"the room itself: {found['room_bytes_per_seat']:.0f} bytes per seat")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, nargs="+", default=[40, 100])
    parser.add_argument("--gap", type=float, default=0.05,
                        help="seconds between one student's answer (or result) and the next")
    args = parser.parse_args()
    rows = [measure(n, args.gap) for n in args.students]
    print(json.dumps({"cpu_count": os.cpu_count(), "load_average": os.getloadavg()[0],
                      "redraw_seconds": REDRAW_SECONDS,
                      "results": [{k: round(v, 4) if isinstance(v, float) else v
                                   for k, v in row.items()} for row in rows]}, indent=2))


if __name__ == "__main__":
    main()
