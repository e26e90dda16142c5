"""Measure items 1-6 of issue 21 ("Fidelity III") on fresh seeds with the public API only.

    .venv/bin/python docs/validation/fidelity_measures.py                 # 60 seeds, all items
    .venv/bin/python docs/validation/fidelity_measures.py --seeds 8 --only 1,3
    .venv/bin/python docs/validation/fidelity_measures.py --json /tmp/fidelity.json

Seeds are 1000 .. 1000+n-1 (the paired comparisons of item 5 take the first --pair-seeds of
them). Runs go to two worker processes; a progress bar goes to stderr, the report to stdout,
and `--json PATH` writes the same numbers as JSON so that a before and an after can be compared.

What each item measures (horizon H = the run's last week; "ended" = end_reason left or
discarded, i.e. the relationship has finally ended; "together" = phase idealize or devalue):

1. Thirty-year classroom runs (world.weeks=1560). For each ended partner, weeks to heal =
   recovered_step - end_step (not healed: infinity), bucketed by weeks_in_relationship (<=26,
   27-52, 53-104, 105-208, >208, plus ">104" and "all"). Count, median weeks to heal (">N" when
   more than half have not healed; N is then the median with each not-healed partner counted at
   the weeks she was followed, a lower bound), and the share not healed 260 weeks after the
   final ending among partners whose ending came at least 260 weeks before H. Default, and with
   partner.therapy=0.6.
2. The same default runs. Ended partners with end_step - first_step >= 156: mean satisfaction
   at step end_step - k for k = 156, 104, 52, 26, 4, and the mean of each partner's
   least-squares slope of satisfaction over steps end_step-52 .. end_step-1.
3. The same runs. A separation is a week whose phase is not "together" after a week that was.
   Windows around a separation at week s: 8 weeks before (s-8 .. s-1, rows together only; also
   s-26 .. s-9 for the earlier trend), weeks apart 1-8 (s .. s+7), 9-26, 27-52 (rows apart only,
   up to the next return and the horizon). Each window's mean wellbeing per separation, averaged
   over separations that have a row in the window. For the final separation (the last one of an
   ended partner, checked against end_step; also split by weeks_in_relationship <=52 / >52)
   and for every separation.
4. The same runs: the lowest self_esteem in any timeline row; the partners with weeks_devalued
   >= 104 still together at the end (end_reason "ongoing"): their mean final_self_esteem and
   mean final_wellbeing.
5. Paired seeds, low vs high of one knob, the same seed for both: nine outcomes averaged over
   the run's partners (harm, weeks_in_relationship, weeks_devalued, cycles, exits, discards,
   returns, rage_episodes, hoover_attempts), weeks from first meeting to first devaluation
   (timeline phase; mean over partners ever devalued), and the mean relationship length per
   ending (sum of weeks_in_relationship / sum of exits + discards). Per knob the mean of each
   and the mean difference high - low with its paired t-statistic. In the community the
   averages are over all generated partners, approached or not; "share met" is shown too.
6. Classroom, 520 weeks, partner.therapy 0 vs 0.6 on the same seeds: among partners with at
   least one separation, the share who ever return (returns > 0) and the median weeks from
   the first separation to the first return (returners only).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import numpy as np
from scipy.stats import t as student_t
from tqdm import tqdm

from model import RelationshipModel

FIRST_SEED = 1000
LONG_WEEKS = 1560
TOGETHER = ("idealize", "devalue")
ENDED = ("left", "discarded")
BUCKETS = (("<=26", 0, 26), ("27-52", 27, 52), ("53-104", 53, 104), ("105-208", 105, 208),
           (">208", 209, math.inf), (">104", 105, math.inf), ("all", 0, math.inf))
HEAL_FOLLOW = 260
SAT_BEFORE = (156, 104, 52, 26, 4)
WINDOWS = (("before 26-9", -26, -9, True), ("before 8-1", -8, -1, True),
           ("apart 1-8", 0, 7, False), ("apart 9-26", 8, 25, False),
           ("apart 27-52", 26, 51, False))
OUTCOMES = ("harm", "weeks_in_relationship", "weeks_devalued", "cycles", "exits", "discards",
            "returns", "rage_episodes", "hoover_attempts")
EXTRA = ("weeks_to_first_devaluation", "weeks_per_ending", "share_met")
KNOBS = (  # label, scenario, weeks (None: the preset's own), knob, low, high
    ("grandiosity", "classroom", 520, "narcissist.grandiosity", 0.2, 1.0),
    ("treatment", "classroom", 520, "narcissist.treatment", 0.0, 1.0),
    ("vulnerability", "community", None, "partner.vulnerability", 0.15, 0.7),
    ("audience_supply", "classroom", None, "world.audience_supply", 0.02, 0.08),
)
THERAPY = 0.6


# --- one run (in a worker) -------------------------------------------------------------------
def run_one(job: tuple) -> tuple:
    """Run one model and return what the items need from it, as small plain arrays."""
    key, scenario, seed, overrides = job
    model = RelationshipModel(scenario, rng=seed, **overrides).run()
    out = model.outcomes()
    tl = model.timeline()
    steps = np.sort(tl["step"].unique())
    people = np.sort(tl["partner"].unique())
    wide = {col: tl.pivot(index="step", columns="partner", values=col).reindex(
        index=steps, columns=people) for col in ("phase", "wellbeing", "satisfaction")}
    together = wide["phase"].isin(TOGETHER).to_numpy().T  # partner x week
    devalued = (wide["phase"] == "devalue").to_numpy().T
    first_dev = np.array([steps[row.argmax()] if row.any() else np.nan for row in devalued])
    cols = ["partner", "end_reason", "end_step", "first_step", "recovered_step",
            "final_self_esteem", "final_wellbeing", *OUTCOMES]
    rows = out[cols].astype(object).where(out[cols].notna(), None).to_dict("list")
    index = {p: i for i, p in enumerate(people)}
    order = [index[p] for p in rows["partner"]]
    data = {
        "horizon": int(steps[-1]), "start": int(steps[0]), "outcomes": rows,
        "together": together[order], "first_dev": first_dev[order],
        "min_self_esteem": float(tl["self_esteem"].min()),
    }
    if key[0] == "long":
        data["wellbeing"] = wide["wellbeing"].to_numpy(dtype=float).T[order]
        data["satisfaction"] = wide["satisfaction"].to_numpy(dtype=float).T[order]
    return key, data


# --- helpers ---------------------------------------------------------------------------------
def separations(together: np.ndarray, start: int) -> list[tuple[int, int | None]]:
    """(week of separation, week of the next return or None) for one partner's row."""
    found = []
    for i in np.flatnonzero(together[:-1] & ~together[1:]) + 1:
        back = np.flatnonzero(together[i:])
        found.append((start + int(i), None if back.size == 0 else start + int(i + back[0])))
    return found


def fnum(x: float | None, digits: int = 3) -> str:
    """A number to `digits` significant figures, for the text report."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    if math.isinf(x):
        return "inf"
    if x == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(x)))
    places = max(digits - 1 - magnitude, 0)
    return f"{round(x, places):.{places}f}"


def jnum(x):
    """A number for JSON (NaN and infinity become null), to 4 significant figures."""
    if x is None:
        return None
    x = float(x)
    if math.isnan(x) or math.isinf(x):
        return None
    return float(f"{x:.4g}")


def mean(values) -> float:
    values = [v for v in values if v is not None and not math.isnan(v)]
    return float(np.mean(values)) if values else math.nan


def paired_t(diff: np.ndarray) -> float:
    diff = diff[~np.isnan(diff)]
    if diff.size < 2:
        return math.nan
    sd = diff.std(ddof=1)
    if sd == 0:
        return 0.0 if diff.mean() == 0 else math.copysign(math.inf, diff.mean())
    return float(diff.mean() / (sd / math.sqrt(diff.size)))


def table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(r: list) -> str:
        return "  ".join(str(c).rjust(w) if i else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(r, widths, strict=True)))

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)])


def partners(runs: list[dict]):
    """Each partner of each run: (run, index in run, outcome row as a dict)."""
    for run in runs:
        rows = run["outcomes"]
        for i in range(len(rows["partner"])):
            yield run, i, {k: v[i] for k, v in rows.items()}


# --- item 1 ----------------------------------------------------------------------------------
def heal_table(runs: list[dict]) -> dict:
    cases = []  # (weeks together, weeks to heal or inf, weeks followed, followed >= 260)
    for run, _, row in partners(runs):
        if row["end_reason"] not in ENDED:
            continue
        end, healed = row["end_step"], row["recovered_step"]
        followed = run["horizon"] - end
        weeks = math.inf if healed is None else healed - end
        cases.append((row["weeks_in_relationship"], weeks, followed))
    result = {}
    for label, low, high in BUCKETS:
        sel = [c for c in cases if low <= c[0] <= high]
        heal = np.array([c[1] for c in sel], dtype=float)
        entry = {"n": len(sel), "median_weeks_to_heal": None, "median_at_least": None,
                 "n_followed_260": 0, "share_not_healed_260": None}
        if sel:
            median = float(np.median(heal))  # with infinity for the not healed
            if math.isinf(median):
                bound = np.array([min(c[1], c[2]) for c in sel], dtype=float)
                entry["median_at_least"] = float(np.median(bound))
            else:
                entry["median_weeks_to_heal"] = median
            followed = [c for c in sel if c[2] >= HEAL_FOLLOW]
            entry["n_followed_260"] = len(followed)
            if followed:
                entry["share_not_healed_260"] = float(np.mean(
                    [c[1] > HEAL_FOLLOW for c in followed]))
        result[label] = entry
    return result


def report_1(base: list[dict], therapy: list[dict], out: list[str], js: dict) -> None:
    out.append(f"1. Recovery after the final ending (classroom, {LONG_WEEKS} weeks, "
               f"{len(base)} seeds)")
    js["1"] = {}
    for name, runs in (("default", base), (f"therapy {THERAPY}", therapy)):
        heal = heal_table(runs)
        js["1"][name] = {k: {kk: jnum(vv) if isinstance(vv, float) else vv
                             for kk, vv in v.items()} for k, v in heal.items()}
        rows = []
        for label, *_ in BUCKETS:
            e = heal[label]
            median = (f">{fnum(e['median_at_least'])}" if e["median_at_least"] is not None
                      else fnum(e["median_weeks_to_heal"]))
            rows.append([label, e["n"], median, e["n_followed_260"],
                         fnum(e["share_not_healed_260"], 2)])
        out.append(f"\n   {name}: weeks together (weeks_in_relationship) -> weeks to heal")
        out.append(_indent(table(["weeks together", "n", "median heal", "n followed 260w",
                                  "not healed at 260w"], rows)))
    a = js["1"]["default"]["all"]["share_not_healed_260"]
    b = js["1"][f"therapy {THERAPY}"]["all"]["share_not_healed_260"]
    out.append(f"\n   Overall share not healed 5 years after the final ending: {fnum(a, 2)} "
               f"(default), {fnum(b, 2)} (partner.therapy={THERAPY})")


def _indent(text: str, pad: str = "   ") -> str:
    return "\n".join(pad + line for line in text.splitlines())


# --- item 2 ----------------------------------------------------------------------------------
def report_2(base: list[dict], out: list[str], js: dict) -> None:
    at = {k: [] for k in SAT_BEFORE}
    slopes = []
    for run, i, row in partners(base):
        if row["end_reason"] not in ENDED or row["end_step"] - row["first_step"] < 156:
            continue
        sat, start, end = run["satisfaction"][i], run["start"], row["end_step"]
        for k in SAT_BEFORE:
            at[k].append(sat[end - k - start])
        window = sat[end - 52 - start:end - start]
        slopes.append(np.polyfit(np.arange(52), window, 1)[0])
    n = len(slopes)
    means = {k: mean(v) for k, v in at.items()}
    slope = mean(slopes)
    js["2"] = {"n": n, "satisfaction_weeks_before": {str(k): jnum(v) for k, v in means.items()},
               "slope_last_52_per_week": jnum(slope),
               "slope_last_52_per_year": jnum(slope * 52)}
    out.append(f"2. Satisfaction before a final separation (partners together >= 156 weeks "
               f"before it: n={n})")
    out.append(_indent(table(["weeks before"] + [str(k) for k in SAT_BEFORE],
                             [["mean satisfaction"] + [fnum(means[k]) for k in SAT_BEFORE]])))
    out.append(f"   Mean slope over the last 52 weeks: {fnum(slope)} per week "
               f"({fnum(slope * 52)} per year)")


# --- item 3 ----------------------------------------------------------------------------------
def report_3(base: list[dict], out: list[str], js: dict) -> None:
    kinds_all = ("final", "final, together <=52 weeks", "final, together >52 weeks", "every")
    acc = {kind: {w[0]: [] for w in WINDOWS} for kind in kinds_all}
    counts = {kind: 0 for kind in kinds_all}
    mismatched = 0
    for run, i, row in partners(base):
        together, wb, start = run["together"][i], run["wellbeing"][i], run["start"]
        seps = separations(together, start)
        last_week = run["horizon"]
        for j, (s, back) in enumerate(seps):
            kinds = ["every"]
            if j == len(seps) - 1 and row["end_reason"] in ENDED:
                long = row["weeks_in_relationship"] > 52
                kinds += ["final", f"final, together {'>' if long else '<='}52 weeks"]
                mismatched += s != row["end_step"]
            stop = last_week if back is None else back - 1
            for kind in kinds:
                counts[kind] += 1
                for label, lo, hi, want_together in WINDOWS:
                    weeks = [w for w in range(s + lo, s + hi + 1)
                             if start <= w <= (s - 1 if want_together else stop)
                             and together[w - start] == want_together]
                    if weeks:
                        acc[kind][label].append(float(np.mean(wb[[w - start for w in weeks]])))
    js["3"] = {"final_not_at_end_step": mismatched}
    rows = []
    for kind in kinds_all:
        means = {label: mean(v) for label, v in acc[kind].items()}
        js["3"][kind] = {"n": counts[kind], **{label: jnum(v) for label, v in means.items()},
                         **{f"n {label}": len(v) for label, v in acc[kind].items()}}
        rows.append([f"{kind} (n={counts[kind]})"]
                    + [fnum(means[w[0]]) for w in WINDOWS])
    out.append("3. Mean wellbeing around a separation (weeks relative to it)")
    out.append(_indent(table(["", *(w[0] for w in WINDOWS)], rows)))
    out.append("   (before 26-9: the earlier trend, for reference; windows apart stop at a "
               "return;\n   together = weeks_in_relationship)")
    if mismatched:
        out.append(f"   note: {mismatched} final separations are not at end_step")


# --- item 4 ----------------------------------------------------------------------------------
def report_4(base: list[dict], ten: list[dict], everything: dict, out: list[str],
             js: dict) -> None:
    low = min(r["min_self_esteem"] for r in base)
    where, low_all = min(((k, r["min_self_esteem"]) for k, r in everything.items()),
                         key=lambda kv: kv[1])
    js["4"] = {"min_self_esteem": jnum(low), "min_self_esteem_every_run": jnum(low_all),
               "min_self_esteem_every_run_in": " ".join(map(str, where))}
    out.append("4. Self-esteem (classroom)")
    out.append(f"   Lowest self_esteem in any timeline row ({LONG_WEEKS}-week runs): {fnum(low)} "
               f"(over every run of this script: {fnum(low_all)}, in run "
               f"{' '.join(map(str, where))})")
    out.append("   Still together at the end after >= 104 weeks devalued:")
    for weeks, runs in ((LONG_WEEKS, base), (520, ten)):
        stayers = [row for _, _, row in partners(runs)
                   if row["weeks_devalued"] >= 104 and row["end_reason"] == "ongoing"]
        esteem = mean([r["final_self_esteem"] for r in stayers])
        wellbeing = mean([r["final_wellbeing"] for r in stayers])
        js["4"][f"stayers {weeks} weeks"] = {
            "n": len(stayers), "final_self_esteem": jnum(esteem),
            "final_wellbeing": jnum(wellbeing)}
        out.append(f"     {weeks}-week runs (n={len(stayers)}): mean final self-esteem "
                   f"{fnum(esteem)}, mean final wellbeing {fnum(wellbeing)}")


# --- item 5 ----------------------------------------------------------------------------------
def run_measures(run: dict) -> dict:
    rows = run["outcomes"]
    values = {name: float(np.mean(np.asarray(rows[name], dtype=float))) for name in OUTCOMES}
    first = np.asarray([np.nan if f is None else f for f in rows["first_step"]], dtype=float)
    to_dev = run["first_dev"] - first
    values["weeks_to_first_devaluation"] = (float(np.nanmean(to_dev))
                                            if np.isfinite(to_dev).any() else math.nan)
    endings = float(np.sum(rows["exits"]) + np.sum(rows["discards"]))
    values["weeks_per_ending"] = (float(np.sum(rows["weeks_in_relationship"])) / endings
                                  if endings else math.nan)
    values["share_met"] = float(np.mean([r != "never" for r in rows["end_reason"]]))
    return values


def report_5(results: dict, seeds: list[int], out: list[str], js: dict) -> None:
    out.append(f"5. His traits and his alternatives: paired seeds (n={len(seeds)}), "
               "high - low")
    js["5"] = {}
    critical = float(student_t.ppf(0.975, len(seeds) - 1))
    for label, scenario, weeks, knob, low, high in KNOBS:
        lows = [run_measures(results[("pair", label, "low", s)]) for s in seeds]
        highs = [run_measures(results[("pair", label, "high", s)]) for s in seeds]
        rows, entry = [], {}
        for name in OUTCOMES + EXTRA:
            a = np.array([m[name] for m in lows])
            b = np.array([m[name] for m in highs])
            diff = b - a
            t = paired_t(diff)
            entry[name] = {"low": jnum(np.nanmean(a)), "high": jnum(np.nanmean(b)),
                           "diff": jnum(np.nanmean(diff)), "t": jnum(t)}
            rows.append([name, fnum(np.nanmean(a)), fnum(np.nanmean(b)),
                         fnum(np.nanmean(diff)), fnum(t, 2),
                         "moves" if abs(t) >= critical else ""])
        js["5"][label] = {"knob": knob, "scenario": scenario, "weeks": weeks, "low": low,
                          "high": high, "outcomes": entry}
        where = f"{scenario}, {weeks or 'its own'} weeks"
        out.append(f"\n   {knob} {low} vs {high} ({where})")
        out.append(_indent(table(["outcome", "low", "high", "diff", "t", ""], rows)))
    out.append(f"\n   ('moves': |t| >= {critical:.2f}, two-sided 5% with {len(seeds) - 1} "
               "degrees of freedom; outcomes are per partner, averaged over the run)")


# --- item 6 ----------------------------------------------------------------------------------
def returns_stats(runs: list[dict]) -> tuple[list[float], list[float], int, int]:
    """Per run the share of separated partners who ever return; the weeks from each first
    separation to the first return; the number separated and the number who returned."""
    per_run, gaps, n, returned = [], [], 0, 0
    for run in runs:
        back_any = []
        for i in range(len(run["outcomes"]["partner"])):
            seps = separations(run["together"][i], run["start"])
            if not seps:
                continue
            n += 1
            back_any.append(run["outcomes"]["returns"][i] > 0)
            s, back = seps[0]
            if back is not None:
                gaps.append(back - s)
        returned += sum(back_any)
        per_run.append(float(np.mean(back_any)) if back_any else math.nan)
    return per_run, gaps, n, returned


def report_6(results: dict, seeds: list[int], out: list[str], js: dict) -> None:
    out.append(f"6. Returns after the first separation (classroom, 520 weeks, paired seeds "
               f"n={len(seeds)})")
    js["6"] = {}
    rows, shares = [], {}
    for therapy in (0.0, THERAPY):
        runs = [results[("returns", therapy, s)] for s in seeds]
        per_run, gaps, n, returned = returns_stats(runs)
        share = returned / n if n else math.nan
        median = float(np.median(gaps)) if gaps else math.nan
        shares[therapy] = np.array(per_run)
        js["6"][f"therapy {therapy}"] = {"n_separated": n, "n_returned": returned,
                                         "share_return": jnum(share),
                                         "median_weeks_to_first_return": jnum(median)}
        rows.append([f"partner.therapy={therapy}", n, fnum(share, 2), fnum(median)])
    diff = shares[THERAPY] - shares[0.0]
    t = paired_t(diff)
    js["6"]["share_diff"] = jnum(np.nanmean(diff))
    js["6"]["share_diff_t"] = jnum(t)
    out.append(_indent(table(["", "n separated", "share ever return",
                              "median weeks to first return"], rows)))
    out.append(f"   Difference in share (therapy {THERAPY} - 0), mean over seeds: "
               f"{fnum(np.nanmean(diff), 2)}, paired t {fnum(t, 2)}")


# --- driver ----------------------------------------------------------------------------------
def jobs_for(items: set[int], seeds: list[int], pair_seeds: list[int]) -> list[tuple]:
    jobs = []
    if items & {1, 2, 3, 4}:
        jobs += [(("long", "default", s), "classroom", s, {"world.weeks": LONG_WEEKS})
                 for s in seeds]
    if 1 in items:
        jobs += [(("long", "therapy", s), "classroom", s,
                  {"world.weeks": LONG_WEEKS, "partner.therapy": THERAPY}) for s in seeds]
    if 5 in items:
        for label, scenario, weeks, knob, low, high in KNOBS:
            extra = {} if weeks is None else {"world.weeks": weeks}
            for side, value in (("low", low), ("high", high)):
                jobs += [(("pair", label, side, s), scenario, s, {**extra, knob: value})
                         for s in pair_seeds]
    therapies = [0.0] * bool(items & {4, 6}) + [THERAPY] * (6 in items)
    jobs += [(("returns", therapy, s), "classroom", s,
              {"world.weeks": 520, "partner.therapy": therapy})
             for therapy in therapies for s in seeds]
    return jobs


def provenance() -> str:
    import model
    where = Path(model.__file__).resolve().parent
    try:
        commit = subprocess.run(["git", "-C", str(where), "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(where), "status", "--porcelain", "."],
                               capture_output=True, text=True, check=True).stdout.strip()
        commit += " (model/ has uncommitted changes)" if dirty else ""
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return f"model from {where} at commit {commit}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=60, help="seeds per condition (60)")
    parser.add_argument("--pair-seeds", type=int, default=20,
                        help="paired seeds per knob in item 5 (20)")
    parser.add_argument("--only", default="1,2,3,4,5,6", help="items to run, e.g. 1,3")
    parser.add_argument("--json", type=Path, help="also write the numbers as JSON here")
    parser.add_argument("--workers", type=int, default=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    items = {int(x) for x in args.only.split(",") if x.strip()}
    if not items <= set(range(1, 7)) or args.seeds < 2 or args.pair_seeds < 2:
        parser.error("--only takes items 1-6; --seeds and --pair-seeds at least 2")
    seeds = list(range(FIRST_SEED, FIRST_SEED + args.seeds))
    pair_seeds = list(range(FIRST_SEED, FIRST_SEED + args.pair_seeds))

    began = time.perf_counter()
    jobs = jobs_for(items, seeds, pair_seeds)
    results = {}
    with ProcessPoolExecutor(args.workers) as pool:
        futures = [pool.submit(run_one, job) for job in jobs]
        for future in tqdm(as_completed(futures), total=len(futures), desc="runs",
                           file=sys.stderr, unit="run"):
            key, data = future.result()
            results[key] = data
    elapsed = time.perf_counter() - began

    out = [f"Fidelity III measures (issue 21): seeds {seeds[0]}..{seeds[-1]} (n={len(seeds)}), "
           f"paired seeds n={len(pair_seeds)}; {len(jobs)} runs in {elapsed:.0f} s",
           provenance(), ""]
    js = {"seeds": len(seeds), "pair_seeds": len(pair_seeds), "runs": len(jobs),
          "seconds": round(elapsed, 1), "provenance": out[1]}
    base = [results[("long", "default", s)] for s in seeds] if items & {1, 2, 3, 4} else []
    sections = []
    if 1 in items:
        sections.append(lambda o: report_1(
            base, [results[("long", "therapy", s)] for s in seeds], o, js))
    if 2 in items:
        sections.append(lambda o: report_2(base, o, js))
    if 3 in items:
        sections.append(lambda o: report_3(base, o, js))
    if 4 in items:
        sections.append(lambda o: report_4(
            base, [results[("returns", 0.0, s)] for s in seeds], results, o, js))
    if 5 in items:
        sections.append(lambda o: report_5(results, pair_seeds, o, js))
    if 6 in items:
        sections.append(lambda o: report_6(results, seeds, o, js))
    for section in sections:
        section(out)
        out.append("")
    print("\n".join(out).rstrip())
    if args.json:
        args.json.write_text(json.dumps(js, indent=2) + "\n")


if __name__ == "__main__":
    main()
