"""How much work is one classroom run against Mesa's floor, counted in machine instructions?

`bench_model.py`'s classroom target is a ratio of CPU times, and on the shared 2-core
machines of this project that ratio moves with the machine more than with the code: the same
commit measured 3.84x the floor one day and 4.5x to 5.4x on another (docs/performance.md,
"The classroom on different days"). The count of instructions executed does not depend on the
machine's load or its caches, so it tells whether a change to the code did more or less work,
to a fraction of a percent; it cannot tell what that work costs in time, which is why the
target stays a time ratio.

Each side runs under valgrind (`--tool=callgrind`) twice, once with 1 run and once with
1 + `--runs` runs, in fresh processes with `PYTHONHASHSEED=0`; the difference, divided by
`--runs`, is the cost of one run with Python's start-up and imports subtracted. The model side
is `RelationshipModel("classroom", rng=seed)` stepped 520 weeks, exactly as the time target
does; the floor is `common.BareModel` with the same five agents.

Needs valgrind (Debian: `apt-get install valgrind`); takes about a minute on 2 cores.

Run: python benchmarks/bench_instructions.py [--runs N] [--record weekly|outcomes]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from model.cli.arguments import whole_number  # noqa: E402

WEEKS = 520

MODEL = """
import sys
sys.path.insert(0, {root!r})
from model import RelationshipModel
for seed in range({count}):
    model = RelationshipModel("classroom", rng=seed, record={record!r})
    for _ in range({weeks}):
        model.step()
"""
FLOOR = """
import sys
sys.path.insert(0, {here!r})
from common import BareModel
for seed in range({count}):
    model = BareModel(5, rng=seed)
    for _ in range({weeks}):
        model.step()
"""
COLLECTED = re.compile(r"Collected\s*:\s*(\d+)")


def instructions(script: str) -> int:
    """Instructions valgrind counts for one fresh Python process running `script`."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
               sys.executable, "-c", script]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    found = COLLECTED.search(done.stderr)
    if done.returncode != 0 or found is None:
        raise RuntimeError(f"valgrind failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return int(found.group(1))


def per_run(template: str, runs: int, record: str) -> float:
    """Instructions of one run: (1 + runs runs) minus (1 run), divided by `runs`."""
    def script(count: int) -> str:
        return template.format(root=str(ROOT), here=str(HERE), count=count, weeks=WEEKS,
                               record=record)

    with ThreadPoolExecutor(max_workers=2) as pool:
        one, many = pool.map(instructions, [script(1), script(1 + runs)])
    return (many - one) / runs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=whole_number(1, 100), default=5, metavar="N",
                        help="runs counted on each side, 1 to 100 (default 5)")
    parser.add_argument("--record", choices=("weekly", "outcomes"), default="weekly",
                        help="the model's recording (default weekly, as the time target)")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        print("valgrind is not installed, so instructions cannot be counted here "
              "(Debian: apt-get install valgrind)", file=sys.stderr)
        return 2
    model = per_run(MODEL, args.runs, args.record)
    floor = per_run(FLOOR, args.runs, args.record)
    print(f"classroom, {WEEKS} weeks, record={args.record}: {model / 1e6:.1f} M instructions "
          f"per run; bare Mesa floor: {floor / 1e6:.1f} M; ratio {model / floor:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
