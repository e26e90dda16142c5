"""The validation report: Markdown and figures from the results of the facts' experiments.

`write_report` writes docs/validation/README.md (or another folder) and one PNG per fact, all or
nothing: everything is drawn in a temporary folder first and moved into place only when
complete. Files it does not own (calibration.md) are left alone. Nothing here runs the model,
and nothing in the report depends on the clock, so the same results give the same files. The
report and every figure carry a stamp (version, code checksum, seeds and settings; no time).

Every claim in the report carries a label: "published finding", "the essay's view" or
"modelling choice" (an effect written into an equation: shown, never counted as evidence).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..provenance import doc_line, png_metadata, stamp
from ..staging import staged_folder
from .facts import FACTS, FACTS_BY_KEY, Fact
from ..plots.palette import COLOURS, pyplot
from .harness import Result
from .plausible import PLAUSIBLE
from .robustness import ROBUST_TARGET, Robustness
from .stats import ALPHA, BOOTSTRAP, ROBUST_ALPHA, Part


SEEDS = ("every run's seed is derived from the master seed, the fact's key and the robustness "
         "draw (0 for the defaults) with numpy.random.SeedSequence")


@dataclass
class Settings:
    """How the suite was run, for the report's header and its reproduction line."""

    seeds: int
    draws: int
    robust_seeds: int
    master: int


# --- formatting --------------------------------------------------------------------------------
def num(x: float) -> str:
    """A number at a precision a reader can take in."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if isinstance(x, float) and math.isinf(x):
        return "∞" if x > 0 else "−∞"
    a = abs(x)
    if a >= 100:
        text = f"{x:.0f}"
    elif a >= 10:
        text = f"{x:.1f}"
    elif a >= 0.001 or a == 0:
        text = f"{x:.3g}"
    else:
        text = f"{x:.1e}"
    return text.replace("-", "−")


def pct(x: float) -> str:
    return "–" if x is None or math.isnan(x) else f"{100 * x:.0f}%"


def pval(p: float) -> str:
    if p is None or math.isnan(p):
        return "–"
    if p < 0.001:
        return "< 0.001"
    return f"{p:.3f}"


def ci(pair: tuple[float, float]) -> str:
    low, high = pair
    if math.isnan(low):
        return ""
    if low == high:
        return "(no run-to-run variation)"
    return f"[{num(low)}, {num(high)}]"


def verdict(part: Part) -> str:
    if not part.applicable:
        return "not observable"
    return "holds" if part.holds() else "does not hold"


EXPECT_WORDS = {"increase": "above 0", "decrease": "below 0"}


# --- limits ------------------------------------------------------------------------------------
def known_limits(fact: Fact, result: Result, robust: Robustness | None) -> list[str]:
    """What the report must say a fact does not do: read from the results, not declared.

    A fact that fails at the defaults, or holds in less than the target share of the plausible
    region, is a known limit; the fact's own `known_limit` text, where it has one, says why.
    """
    limits = []
    failing = [p.label for p in result.parts if not p.holds(ALPHA)]
    if failing:
        limits.append("fails with the defaults: " + "; ".join(failing))
    if robust is not None and not robust.meets_target:
        parts = sorted({**robust.wrong_way, **robust.not_significant}.items(),
                       key=lambda kv: -kv[1])
        labels = {p.key: p.label for p in result.parts}
        worst = ", ".join(f"{labels.get(k, k)}" for k, _ in parts[:2])
        limits.append(f"holds in {pct(robust.share)} of the plausible region (target "
                      f"{pct(ROBUST_TARGET)})" + (f"; weakest: {worst}" if worst else ""))
    if limits and fact.known_limit:
        limits.append(fact.known_limit)
    return limits


# --- the Markdown --------------------------------------------------------------------------------
HOW_TO_READ = """\
## How to read this report

Each row of the evidence table (docs/ODD.md, section 1) is run here as an experiment on the
model. Every experiment compares settings of the model over many runs, each with its own random
seed, so that chance cannot pass for an effect.

- **Labels.** *Published finding*: research agrees with the claim, and the model's number is
  emergent (it comes from feedback between mechanisms, not from one equation), so the test can
  fail. *The essay's view*: only the essay makes the claim; the model shows what follows *if*
  it is true, not that it is. *Modelling choice*: an effect written into an equation, or a
  number calibrated from the very figure it is set beside. It is shown so a reader sees it, and
  never counted as evidence. Each fact's section says which old parts were removed because
  they could not fail.
- **Built in or emergent.** Each fact's section ends by saying which of its results follow
  directly from an assumption written into the rules and which emerge from the rules acting
  together. The harm filter is the main assumption: a firmer boundary lets less of each
  episode's harm through (mechanism 17), so "less harm with a firmer boundary" confirms an
  assumption rather than discovering something. The mechanisms, with their source labels and
  evidence grades, are in [mechanisms.md](../mechanisms.md).
- **Effect** is the difference the experiment measured, in the units of its outcome (weeks,
  shares, or 0-1 scales), with a **95% confidence interval** from {bootstrap} bootstrap
  resamples of the runs. **d** is the same difference in standard deviations of the runs
  (a standardized effect size, like Cohen's d).
- **Runs share their seeds across arms** (common random numbers): run 17 of one arm and
  run 17 of the other start from the same random stream and differ only in the setting the
  experiment varies.
- **Test**: a paired t-test on the seed-by-seed differences where every run of both arms gave
  a value; otherwise Welch's t-test, also for contrasts in a 2 x 2 design; a one-sample t-test
  for a mean against a fixed reference; Spearman's test for a rank correlation. Where every
  value is the same the t-test is undefined and the exact sign test is used. A part **holds**
  when its effect points the claimed way and p < {alpha}; a fact holds when all its tested
  parts hold.
- **Robustness**: the same experiment at {draws} random parameter sets drawn (Latin
  hypercube) from the plausible ranges listed at the end. A draw counts for the fact only when
  every part points the claimed way **and is significant at p < {robust_alpha}**; a point
  estimate that merely leans the right way does not count. A draw in which the experiment
  could not see the fact at all (say, no partner ever went back) is *not observable* and left
  out. The target is that each fact holds in at least {target} of the region; a fact below it
  is listed as a **known limit** in the summary, never passed with a lower bar.

A caveat that applies to every row: most of the research measures trait narcissism in
students or abuse in shelter samples, not partners of people diagnosed with narcissistic
personality disorder. The model illustrates mechanisms; it diagnoses no one and predicts no
person's life. Harm is the responsibility of the person who causes it.
"""


def parts_table(parts: list[Part], verdicts: bool = True) -> list[str]:
    head = "| part | outcome | mean per arm | effect [95% CI] | d | test | p |"
    rule = "| --- | --- | --- | --- | --- | --- | --- |"
    if verdicts:
        head += " verdict |"
        rule += " --- |"
    lines = [head, rule]
    for part in parts:
        arms = "; ".join(f"{name}: {num(mean)} (n={n})" for name, mean, n in part.arms)
        d = num(part.standardized) if math.isfinite(part.standardized) else "–"
        row = (f"| {part.label} (claimed: {EXPECT_WORDS[part.expect]}) | {part.outcome} | "
               f"{arms} | {num(part.effect)} {ci(part.ci)} | {d} | {part.test} | "
               f"{pval(part.p)} |")
        if verdicts:
            row += f" {verdict(part)} |"
        lines.append(row)
    return lines + [""]


def fact_section(i: int, fact: Fact, result: Result, robust: Robustness | None,
                 figure_name: str | None) -> str:
    """The Markdown section of one fact."""
    held = "holds" if result.holds else "does not hold"
    head = f"*{fact.kind.capitalize()}.* **With the default parameters: {held}.**"
    if robust is not None:
        head += f" **Robustness: holds in {pct(robust.share)} of the plausible region.**"
    lines = [f"## {i}. {fact.title}", "", head, "",
             f"**Source.** {fact.source[0].upper() + fact.source[1:]}. "
             f"Published: {fact.published}.", "", fact.prose.strip(), "",
             f"{result.seeds} runs per arm.", ""]
    lines += parts_table(result.parts)
    if result.shown:
        lines += ["*Shown, not tested (modelling choice: written into the equations).*", ""]
        lines += parts_table(result.shown, verdicts=False)
    if result.comparisons:
        lines += ["| quantity | label | model [95% CI] | published | close? | note |",
                  "| --- | --- | --- | --- | --- | --- |"]
        for c in result.comparisons:
            close = {True: "yes", False: "no", None: "descriptive"}[c.close]
            if c.tolerance is not None:
                close += f" (tolerance {num(c.tolerance[0])} to {num(c.tolerance[1])})"
            value = pct(c.model) if c.unit == "share" else num(c.model)
            interval = ""
            if not math.isnan(c.ci[0]):
                interval = (f" [{pct(c.ci[0])}, {pct(c.ci[1])}]" if c.unit == "share"
                            else f" {ci(c.ci)}")
            lines.append(f"| {c.label} | {c.label_kind} | {value}{interval} (n={c.n}) | "
                         f"{c.published} | {close} | {c.note} |")
        lines.append("")
    lines += [f"- {note}" for note in result.notes]
    if result.notes:
        lines.append("")
    if figure_name:
        lines += [f"![{fact.title}]({figure_name})", ""]
    if robust is not None:
        lines += robustness_paragraph(robust, {p.key: p.label for p in result.parts})
    return "\n".join(lines)


CORNER_MIN_FAILS = 5
"""Fewer failing draws than this are not enough to say where in the region a fact fails."""


def robustness_paragraph(r: Robustness, labels: dict[str, str]) -> list[str]:
    """Plain words on how the fact fares across the plausible region."""
    c = r.counts
    low, high = r.interval()
    text = (f"**Robustness.** Of {len(r.statuses)} random parameter sets ({r.seeds} runs per "
            f"arm each), every part was significant the claimed way (p < {ROBUST_ALPHA}) in "
            f"{c['holds']} and not in {c['fails']}")
    text += (f"; in {c['n/a']} the experiment could not observe it." if c["n/a"] else ".")
    text += f" Share holding: {pct(r.share)} (95% Wilson interval {pct(low)} to {pct(high)})."
    lines = [text, ""]
    for title, counts in (("Parts whose estimate pointed the wrong way", r.wrong_way),
                          ("Parts that pointed the claimed way but were not significant",
                           r.not_significant),
                          ("Parts that could not be observed", r.unobservable)):
        if counts:
            lines.append(f"- {title}: " + ", ".join(
                f"{labels.get(k, k)} ({n}×)" for k, n in sorted(counts.items())) + ".")
    corners = r.corners() if c["fails"] >= CORNER_MIN_FAILS else []
    if corners:
        described = "; ".join(
            f"`{name}` is somatic in {pct(f)} of the draws where it fails and {pct(h)} where "
            "it holds" if name == "narcissist.subtype" else
            f"`{name}` averages {num(f)} in the draws where it fails and {num(h)} where it "
            "holds" for name, f, h, _ in corners)
        lines.append(f"- Where it fails: {described}.")
    if not r.meets_target:
        lines.append(f"- **Below the {pct(ROBUST_TARGET)} target: a known limit** (see the "
                     "summary table).")
    lines.append("")
    return lines


def ordered(results: dict[str, Result]) -> list[Fact]:
    return [f for f in FACTS if f.key in results]


def summary_rows(results: dict[str, Result],
                 robust: dict[str, Robustness]) -> list[tuple[str, ...]]:
    """One row per fact: title, label, verdict at the defaults, robustness, known limits."""
    rows: list[tuple[str, ...]] = []
    for i, fact in enumerate(ordered(results), start=1):
        result = results[fact.key]
        r = robust.get(fact.key)
        share = "–"
        if r is not None:
            low, high = r.interval()
            share = f"{pct(r.share)} ({pct(low)}–{pct(high)})"
            if r.counts["n/a"]:
                share += f", {r.counts['n/a']} n/a"
        limits = known_limits(fact, result, r)
        rows.append((str(i), fact.title, fact.kind, "holds" if result.holds else "FAILS",
                     share, "; ".join(limits) or "none"))
    return rows


def report_markdown(results: dict[str, Result], robust: dict[str, Robustness],
                    settings: Settings, figures: dict[str, str]) -> str:
    """The whole README.md of the validation folder."""
    parts = [
        "# Validation: does the model reproduce the stylized facts?", "",
        "<!-- Generated by `python -m model validate`; do not edit by hand. What was tuned to "
        "make the facts hold, and why, is in calibration.md. -->", "",
        "This report runs every stylized fact of the evidence table in the project's "
        "model description (docs/ODD.md) as an experiment on the model and says whether the model "
        "reproduces it, with the default parameters and across the plausible range of every "
        "parameter. Only effects that could come out otherwise are tested; effects written "
        "into an equation are shown and labelled as modelling choices. What was tuned, and "
        "why, is in [calibration.md](calibration.md).", "",
        f"Settings: master seed {settings.master}; {settings.seeds} runs per arm for experiments "
        "on one relationship (fewer for experiments on a whole town, as stated in each section); "
        f"{settings.draws} random parameter sets for robustness with about "
        f"{settings.robust_seeds} runs per arm each (more for facts with small effects); "
        f"significance level {ALPHA} at the defaults and {ROBUST_ALPHA} per robustness draw. "
        f"Regenerate with `python -m model validate --seeds {settings.seeds} --draws "
        f"{settings.draws} --robust-seeds {settings.robust_seeds} --seed {settings.master}`; "
        "the same command gives the same report.", "",
        doc_line(report_stamp(results, settings)), "",
        "## Summary", "",
        "| # | fact | label | with the defaults | robustness: share of the plausible region "
        "with every part significant (95% interval) | known limits |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    parts += ["| " + " | ".join(row) + " |" for row in summary_rows(results, robust)]
    parts.append("")
    if "robustness" in figures:
        parts += [f"![Robustness]({figures['robustness']})", ""]
    parts.append(HOW_TO_READ.format(bootstrap=BOOTSTRAP, alpha=ALPHA, draws=settings.draws,
                                    robust_alpha=ROBUST_ALPHA, target=pct(ROBUST_TARGET)))
    for i, fact in enumerate(ordered(results), start=1):
        parts.append(fact_section(i, fact, results[fact.key], robust.get(fact.key),
                                  figures.get(fact.key)))
    parts += ["## The plausible region", "",
              "Robustness draws every parameter below at random from its range (a Latin "
              "hypercube, so that the whole box is covered evenly); the experiment then sets "
              "the parameters it varies or holds on top. Not drawn: `max_sources` and the "
              "population sizes (fixed by each experiment), `treatment` (off: only treatment "
              "changes him, mechanism 13), `no_contact` (off unless the experiment varies it) and "
              "`kindness_schedule` (intermittent unless the experiment varies it).",
              "", "| parameter | low | high | why |", "| --- | --- | --- | --- |"]
    parts += [f"| `{name}` | {num(r.low)} | {num(r.high)} | {r.why} |"
              for name, r in PLAUSIBLE.items()]
    parts += ["", "## Reproducing one run", "",
              "Every run's seed is derived from the master seed, the fact's key and the "
              "robustness draw (0 for the defaults) with numpy's `SeedSequence`; "
              "`model.validation.Context(key, n, master).seeds(arm)` lists them, and "
              "`RelationshipModel(scenario, rng=seed, **overrides)` replays any single run.", ""]
    return "\n".join(parts)


def report_stamp(results: dict[str, Result], settings: Settings) -> dict[str, Any]:
    """The report's stamp: version, code checksum, the master seed, how run seeds derive from
    it, and the settings. No time: the same code and settings give the same report."""
    return stamp({"command": "validate", "facts": [f.key for f in ordered(results)],
                  **asdict(settings)}, seed=settings.master, seed_scheme=SEEDS, created=False)


# --- figures and writing -----------------------------------------------------------------------
def draw_robustness(robust: dict[str, Robustness]):
    """Share of the plausible region in which each fact holds, with Wilson intervals."""
    keys = [f.key for f in FACTS if f.key in robust]
    fig, ax = pyplot().subplots(figsize=(8, 0.45 * len(keys) + 1.2))
    shares = np.array([robust[k].share for k in keys], dtype=float)
    shown = np.nan_to_num(shares)
    low = [max(0.0, s - robust[k].interval()[0]) if math.isfinite(s) else 0.0
           for s, k in zip(shares, keys, strict=True)]
    high = [max(0.0, robust[k].interval()[1] - s) if math.isfinite(s) else 0.0
            for s, k in zip(shares, keys, strict=True)]
    y = np.arange(len(keys))
    colours = [COLOURS[2] if s >= ROBUST_TARGET else COLOURS[1] for s in shown]
    ax.barh(y, shown, color=colours, alpha=0.7, xerr=[low, high], capsize=3)
    ax.axvline(ROBUST_TARGET, color="black", ls="--", lw=1)
    ax.set_yticks(y, [FACTS_BY_KEY[k].title for k in keys])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of random plausible parameter sets with every part significant")
    ax.set_title("Robustness (bars: 95% Wilson interval; dashed: the 80% target)", fontsize=10)
    fig.tight_layout()
    return fig


def write_report(results: dict[str, Result], robust: dict[str, Robustness],
                 settings: Settings, out: Path) -> list[Path]:
    """Write README.md and the figures into `out`, all or nothing; return the files written."""
    made = report_stamp(results, settings)
    with staged_folder(out, prefix=".validation-") as staging:
        figures: dict[str, str] = {}
        for fact in ordered(results):
            figure = results[fact.key].figure
            if figure is not None:
                figures[fact.key] = save_figure(figure.draw(), staging / f"{fact.key}.png",
                                                made)
        if robust:
            figures["robustness"] = save_figure(draw_robustness(robust),
                                                staging / "robustness.png", made)
        (staging / "README.md").write_text(report_markdown(results, robust, settings, figures),
                                           encoding="utf-8")
        names = sorted(item.name for item in staging.iterdir())
    return [Path(out) / name for name in names]


def save_figure(fig, path: Path, made: dict[str, Any]) -> str:
    """Save with the report's stamp, which has no time in it, and without matplotlib's own
    software line, so the same code and settings give byte-for-byte the same file."""
    fig.savefig(path, dpi=120, bbox_inches="tight", metadata=png_metadata(made))
    pyplot().close(fig)
    return path.name


def summary_table(results: dict[str, Result], robust: dict[str, Robustness]) -> str:
    """The summary as fixed-width text for the terminal."""
    header = ("#", "fact", "label", "defaults", "robustness (95% interval)", "known limits")
    rows = [header] + summary_rows(results, robust)
    rows = [r[:5] + (r[5] if len(r[5]) <= 70 else r[5][:67] + "...",) for r in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
