"""Every performance target of the project in one table: measured value, limit, pass or fail.

The model's targets come from `bench_model.targets`; the sweep, Dask, dashboard and class-mode
targets from `bench_sweep`, `bench_dask`, `bench_dashboard` and `bench_class` when those
modules define `targets` (a module without it, or one that cannot be imported here, is skipped
with a note). Every
figure is a ratio or a size measured in this one process (see `common.py`), never a
wall-clock promise.

Run: python benchmarks/run_all.py [--quick] [--only model]
Exit status 0 when every measured target passes, 1 otherwise.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import Target  # noqa: E402

SOURCES = ("bench_model", "bench_sweep", "bench_dask", "bench_dashboard", "bench_class")


def collectors(only: str | None = None) -> tuple[list[tuple[str, Callable]], list[str]]:
    """The `targets` functions available, and a note for each module skipped."""
    found, notes = [], []
    for name in SOURCES:
        if only and name != f"bench_{only}":
            continue
        try:
            module = importlib.import_module(name)
        except ImportError as err:
            notes.append(f"{name}: skipped, it cannot be imported here ({err})")
            continue
        if not hasattr(module, "targets"):
            notes.append(f"{name}: skipped, it defines no targets(quick) yet")
            continue
        found.append((name, module.targets))
    return found, notes


def table(targets: list[tuple[str, Target]]) -> str:
    """The targets as a plain-text table."""
    lines = [f"{'source':<16} {'target':<72} {'measured':>10} {'limit':>9}  result  detail"]
    for source, t in targets:
        bound = ">=" if t.higher_is_better else "<="
        lines.append(f"{source:<16} {t.name:<72} {t.measured:>10.4g}{t.unit:<2}"
                     f"{bound}{t.limit:>6g}{t.unit:<2} {'pass' if t.passed else 'FAIL':<6}  "
                     f"{t.detail}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="small sizes and few repeats: checks the code runs, not the targets")
    parser.add_argument("--only", choices=[s.removeprefix("bench_") for s in SOURCES],
                        help="measure one source of targets only")
    args = parser.parse_args(argv)
    found, notes = collectors(args.only)
    measured: list[tuple[str, Target]] = []
    for name, targets in found:
        measured += [(name, t) for t in targets(args.quick)]
    print(table(measured))
    for note in notes:
        print(f"note: {note}")
    if args.quick:
        print("note: --quick measures small sizes; its pass/fail says little about the targets")
    return 0 if all(t.passed for _, t in measured) else 1


if __name__ == "__main__":
    sys.exit(main())
