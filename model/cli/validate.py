"""`python -m model validate`: run the stylized facts, write the report, print a summary.

Registered in `model.cli.main.COMMANDS`. The computation lives in `model.validation`, the report in
`model.validation.report`; this module only parses arguments, reports progress and prints.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..errors import check_output_folder
from .arguments import path_argument, seed_number, whole_number

DEFAULT_OUT = Path("docs") / "validation"


def register_validate(commands) -> None:
    from .. import validation as v

    parser = commands.add_parser(
        "validate", help="test the model against the published stylized facts and write a "
        "report")
    parser.add_argument("--seeds", type=whole_number(4), default=v.DEFAULT_SEEDS,
                        help=f"runs per arm for each fact at the defaults (default "
                        f"{v.DEFAULT_SEEDS}; experiments on a whole town use fewer)")
    parser.add_argument("--draws", type=whole_number(0), default=v.DEFAULT_DRAWS,
                        help=f"random plausible parameter sets for the robustness check "
                        f"(default {v.DEFAULT_DRAWS}; 0 skips it)")
    parser.add_argument("--robust-seeds", type=whole_number(2), default=v.ROBUST_SEEDS,
                        help=f"runs per arm at each parameter set (default {v.ROBUST_SEEDS}; "
                        "facts with small effects use a multiple)")
    parser.add_argument("--seed", type=seed_number, default=v.MASTER_SEED,
                        help=f"master seed every run's seed is derived from (default "
                        f"{v.MASTER_SEED})")
    parser.add_argument("--only", type=_fact_keys, default=None, metavar="FACT[,FACT...]",
                        help="run only these facts: " + ", ".join(v.FACTS_BY_KEY))
    parser.add_argument("--out", type=path_argument, default=DEFAULT_OUT,
                        help=f"folder for README.md and the figures (default {DEFAULT_OUT})")
    parser.set_defaults(handler=command_validate)


def command_validate(args: argparse.Namespace) -> None:
    from .. import validation as v
    from ..validation.report import Settings, summary_table, write_report

    check_output_folder(args.out, "--out")  # say so now, not after the long runs
    facts = [v.FACTS_BY_KEY[k] for k in args.only] if args.only else list(v.FACTS)
    results, robust = {}, {}
    started = time.perf_counter()
    for fact in facts:
        t0 = time.perf_counter()
        results[fact.key] = v.run_fact(fact, args.seeds, args.seed)
        line = f"{fact.title}: {'holds' if results[fact.key].holds else 'DOES NOT HOLD'}"
        if args.draws:
            robust[fact.key] = v.robustness(fact, args.draws, args.robust_seeds, args.seed,
                                            workers=v.default_workers())
            line += f"; robustness {robust[fact.key].share:.0%}"
        print(f"  {line} ({time.perf_counter() - t0:.0f} s)", file=sys.stderr, flush=True)
    settings = Settings(args.seeds, args.draws, args.robust_seeds, args.seed)
    written = write_report(results, robust, settings, args.out)
    print(summary_table(results, robust))
    held = sum(r.holds for r in results.values())
    print(f"\n{held} of {len(results)} facts hold with the default parameters. "
          f"Wrote {len(written)} files to {args.out}/ in {time.perf_counter() - started:.0f} s.")


def _fact_keys(text: str) -> list[str]:
    from ..validation import FACTS_BY_KEY

    keys = [k.strip() for k in text.split(",") if k.strip()]
    unknown = [k for k in keys if k not in FACTS_BY_KEY]
    if unknown or not keys:
        raise argparse.ArgumentTypeError(
            f"unknown fact {', '.join(unknown) or text!r}; known: {', '.join(FACTS_BY_KEY)}")
    return keys
