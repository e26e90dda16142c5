"""`python -m model knobs`: what each knob a preset shows does, low against high.

Registered in `model.cli.main.COMMANDS`. The computation and the Markdown live in
`model.validation.knobs`; this module only parses arguments, shows progress and writes.
"""

from __future__ import annotations

import argparse
import sys
import time

from ..errors import MAX_WORKERS, check_output_file
from ..parameters import ParameterError
from .arguments import path_argument, seed_number, whole_number


def register_knobs(commands) -> None:
    from ..validation import knobs as k

    parser = commands.add_parser(
        "knobs", help="show what each knob a preset exposes does to the main outcomes")
    parser.add_argument("--seeds", type=whole_number(2), default=k.SEEDS,
                        help=f"paired runs per knob in a small preset (default {k.SEEDS})")
    parser.add_argument("--big-seeds", type=whole_number(2), default=k.BIG_SEEDS,
                        help=f"paired runs per knob in a preset of {k.BIG} people or more "
                        f"(default {k.BIG_SEEDS})")
    parser.add_argument("--seed", type=seed_number, default=k.MASTER_SEED,
                        help=f"master seed (default {k.MASTER_SEED})")
    parser.add_argument("--preset", action="append", default=None, metavar="NAME",
                        help="only this preset (repeatable; default: every preset)")
    parser.add_argument("--workers", type=whole_number(1, MAX_WORKERS), default=None,
                        help="worker processes (default: one per core); the table does not "
                        "depend on it")
    parser.add_argument("--out", type=path_argument, default=None,
                        help="write the Markdown table to this file (e.g. docs/knobs.md) "
                        "instead of printing it")
    parser.set_defaults(handler=command_knobs)


def command_knobs(args: argparse.Namespace) -> None:
    from ..scenario import presets
    from ..validation import knobs as k
    from ..validation.robustness import default_workers

    if args.out is not None:  # now, not after the runs
        check_output_file(args.out, "--out")
    known = presets()
    for name in args.preset or []:
        if name not in known:
            raise ParameterError(f"--preset {name!r}: not a preset ({', '.join(known)})")
    started = time.perf_counter()
    knobs = k.design(args.preset)
    results = k.run_table(knobs, args.seed, args.seeds, args.big_seeds,
                          workers=args.workers or default_workers(),
                          progress=sys.stderr.isatty())
    text = k.markdown(results, args.seed, args.seeds, args.big_seeds)
    if args.out is None:
        print(text)
    else:  # whole or not at all: a full disk keeps the earlier file
        from ..staging import staged_file

        with staged_file(args.out, "--out") as scratch:
            scratch.write_text(text, encoding="utf-8")
    idle = [f"{r.knob.preset}: {r.knob.path}" for r in results
            if r.knob.prominent and not r.moves()]
    print(f"{len(results)} knobs in {time.perf_counter() - started:.0f} s"
          + (f"; shown but moving nothing: {', '.join(idle)}" if idle else "")
          + (f"; wrote {args.out}" if args.out else ""), file=sys.stderr)

