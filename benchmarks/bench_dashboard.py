"""Playback speed of the dashboard with every chart visible, against the bare model.

Measured in one process, one after the other, on the same machine state:

1. model only: `RelationshipModel.step()` week after week;
2. every week drawn: the Explore page rendered without a browser (`solara.render`), pressing
   "Step one week" again and again; each press steps the model, takes a frame and redraws all
   four charts, the event log and the status, exactly as playback does for each frame;
3. playback: the Play button at a chosen speed for a few seconds; reports the weeks per second
   achieved and the frames (redraws) per second.

The ratio (2) / (1) is the price of drawing. The page promises at least 10 weeks per second
during playback; (2) is the rate it could keep while drawing every single week.

4. the Boundaries page's default sweep (as the page opens: a partner's boundary at 5 values,
   8 seeds each, 40 runs of the preset): the page is rendered, "Run the sweep" pressed, and
   the sweep itself timed inside the page (the target: under 1 s), as well as the whole wait
   from the press to the finished page with its five charts drawn. The runs share the
   machine's cores (worker processes that start when the page opens); the first press comes
   at once, while they may still be starting, and its time is reported beside the best.

`targets(quick)` (for `benchmarks/run_all.py`) reports (4) and the every-week-drawn rate.

Run: `nice python benchmarks/bench_dashboard.py [--preset classroom] [--weeks 150]`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the dashboard package
sys.path.insert(0, str(Path(__file__).resolve().parent))  # common.py

import ipyvuetify as v  # noqa: E402
import ipywidgets as widgets  # noqa: E402
import solara  # noqa: E402

from common import Target  # noqa: E402

from dashboard.layout import Page  # noqa: E402
from dashboard.settings import Settings  # noqa: E402
from model.experiments import available_cores  # noqa: E402
from model.model import RelationshipModel  # noqa: E402

TARGET = 10.0
SWEEP_SECONDS = 1.0
"""The Boundaries page's default sweep is done within this."""


def model_only(preset: str, weeks: int, seed: int = 42) -> float:
    model = RelationshipModel(scenario=preset, rng=seed)
    start = time.perf_counter()
    for _ in range(weeks):
        model.step()
    return weeks / (time.perf_counter() - start)


def _button(rc, label: str):
    found = [b for b in rc.find(v.Btn).widgets if label in b.children]
    assert len(found) == 1, f"expected one {label!r} button, found {len(found)}"
    return found[0]


def _week(rc) -> int:
    text = rc.find(v.Html, class_="week-counter").widget.children[0]
    return int(text.split()[1])


def _mount(preset: str):
    box, rc = solara.render(Page(), handle_error=False)
    if preset != Settings().preset:
        rc.find(v.Select, label="preset").widget.v_model = preset
    assert len(rc.find(widgets.Image).widgets) >= 4, "the four charts should be on the page"
    return rc


def every_week_drawn(preset: str, weeks: int) -> float:
    rc = _mount(preset)
    step = _button(rc, "Step one week")
    step.click()  # the first frame builds each chart's fixed part; not part of the rate
    start = time.perf_counter()
    for _ in range(weeks):
        step.click()
    elapsed = time.perf_counter() - start
    assert _week(rc) == weeks + 1, _week(rc)
    rc.close()
    return weeks / elapsed


def playback(preset: str, speed: int, seconds: float) -> dict[str, float]:
    rc = _mount(preset)
    rc.find(v.Select, label="speed (weeks per second)").widget.v_model = speed
    images = rc.find(widgets.Image).widgets
    redraws = [0]
    images[0].observe(lambda change: redraws.__setitem__(0, redraws[0] + 1), "value")
    _button(rc, "Play").click()
    time.sleep(0.5)  # let playback settle in
    week0, frames0, start = _week(rc), redraws[0], time.perf_counter()
    time.sleep(seconds)
    week1, frames1, elapsed = _week(rc), redraws[0], time.perf_counter() - start
    _button(rc, "Pause").click()
    rc.close()
    return {"speed": speed, "weeks_per_second": (week1 - week0) / elapsed,
            "frames_per_second": (frames1 - frames0) / elapsed}


def boundaries_default_sweep() -> dict[str, float]:
    """Press "Run the sweep" on a freshly opened Boundaries page, all inputs at their
    defaults; time the page's own sweep (its call of `dashboard.sweep.sweep_setting`) and the
    whole wait until the page says the sweep finished and shows its charts."""
    import solara.server.app  # noqa: F401 -- patches widgets and threads per kernel, as served
    import solara.server.kernel
    import solara.server.kernel_context

    from dashboard.pages import boundaries

    timed: dict[str, float] = {}
    real = boundaries.sweep_setting

    def sweep_setting(*args, **kwargs):
        start = time.perf_counter()
        runs = real(*args, **kwargs)
        timed.update(sweep_seconds=time.perf_counter() - start, runs=len(runs))
        return runs

    context = solara.server.kernel_context.VirtualKernelContext(
        id="bench-kernel", kernel=solara.server.kernel.Kernel(), session_id="bench-session")
    boundaries.sweep_setting = sweep_setting
    try:
        with context:
            box, rc = solara.render(boundaries.Boundaries(Settings()), handle_error=False)
            press = _button(rc, "Run the sweep")
            start = time.perf_counter()
            press.click()
            while not any("Sweep finished" in w.unsafe_innerHTML
                          for w in rc.find(solara.widgets.HTML).widgets):
                if time.perf_counter() - start > 120:
                    raise TimeoutError("the Boundaries sweep did not finish within 2 minutes")
                time.sleep(0.005)
            timed["page_seconds"] = time.perf_counter() - start
            rc.close()
    finally:
        boundaries.sweep_setting = real
        context.close()
    return timed


def targets(quick: bool) -> list[Target]:
    """The Boundaries page's default sweep under 1 s (best of 3; 1 in quick mode), and the
    rate of the Explore page drawing every week against the 10 weeks per second it promises."""
    sweeps = [boundaries_default_sweep() for _ in range(1 if quick else 3)]
    best = min(sweeps, key=lambda t: t["sweep_seconds"])
    weeks = 30 if quick else 150
    drawn = every_week_drawn(Settings().preset, weeks)
    load = f"load average {os.getloadavg()[0]:.1f}"
    times = ", ".join(f"{t['sweep_seconds']:.2f}" for t in sweeps)
    return [
        Target("Boundaries page: default sweep", best["sweep_seconds"], SWEEP_SECONDS, "s",
               False, f"{best['runs']} runs of {Settings().preset} (5 values x 8 seeds) on "
               f"{available_cores()} cores; sweeps took {times} s (the first pressed as the "
               "page opened); press to finished page with charts "
               f"{statistics.median(t['page_seconds'] for t in sweeps):.2f} s (median); {load}"),
        Target("Explore page: weeks per second with every week drawn", drawn, TARGET,
               "weeks/s", True, f"{weeks} weeks of {Settings().preset}; {load}")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="classroom")
    parser.add_argument("--weeks", type=int, default=150)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    bare = model_only(args.preset, 520)
    drawn = every_week_drawn(args.preset, args.weeks)
    played = [playback(args.preset, speed, args.seconds) for speed in (10, 52)]
    result = {"preset": args.preset, "cpu_count": os.cpu_count(),
              "load_average": os.getloadavg()[0],
              "model_only_weeks_per_second": round(bare, 1),
              "every_week_drawn_weeks_per_second": round(drawn, 1),
              "ratio_drawn_to_model": round(drawn / bare, 4),
              "playback": [{k: round(x, 2) for k, x in p.items()} for p in played],
              "meets_10_weeks_per_second": drawn >= TARGET and
              all(p["weeks_per_second"] >= 0.9 * min(p["speed"], 10) for p in played)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
