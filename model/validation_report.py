"""The validation report: Markdown and figures from the results of `model.validation`.

`write_report` writes docs/validation/README.md (or another folder) and one PNG per fact, all or
nothing: everything is drawn in a temporary folder first and moved into place only when complete.
Files it does not own (calibration.md) are left alone. Nothing here runs the model, and nothing
in the report depends on the clock, so the same results give the same files.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from . import validation as v  # noqa: E402
from .staging import staged_folder

COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
"""Okabe-Ito colours, safe for the common forms of colour blindness."""
KIND_LABEL = {"finding": "Published finding", "essay claim": "The essay's claim, not a finding"}


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


def verdict(part: v.Part) -> str:
    if not part.applicable:
        return "not observable"
    return "holds" if part.holds() else "does not hold"


EXPECT_WORDS = {"increase": "above 0", "decrease": "below 0", "equal": "within ±margin"}


# --- figures -----------------------------------------------------------------------------------
def _boxes(ax, groups: dict[str, Sequence[float]], ylabel: str, title: str) -> None:
    labels = list(groups)
    data = [np.asarray(groups[k], dtype=float) for k in labels]
    parts = ax.boxplot(data, tick_labels=labels, showmeans=True, patch_artist=True,
                       medianprops={"color": "black"},
                       meanprops={"marker": "D", "markerfacecolor": "white",
                                  "markeredgecolor": "black", "markersize": 5})
    for patch, colour in zip(parts["boxes"], COLOURS, strict=False):
        patch.set_facecolor(colour)
        patch.set_alpha(0.45)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.tick_params(axis="x", labelsize=8)


def _curves(ax, curves: dict[str, Any], ylabel: str, title: str, band: bool = True,
            xlabel: str = "week") -> None:
    for (label, curve), colour in zip(curves.items(), COLOURS, strict=False):
        if isinstance(curve, dict):
            mean = np.asarray(curve["mean"])
            weeks = np.arange(len(mean))
            ax.plot(weeks, mean, color=colour, lw=1.6, label=label)
            if band:
                ax.fill_between(weeks, curve["low"], curve["high"], color=colour, alpha=0.15,
                                lw=0)
        elif len(curve):
            ax.plot(np.arange(len(curve)), curve, color=colour, lw=1.6, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, frameon=False)


def draw_fact(key: str, fig_data: dict[str, Any]):
    """The figure of one fact, or None when the fact has nothing to draw."""
    if not fig_data:
        return None
    runs = fig_data.get("runs", 0)
    if key == "boundaries":
        fig, axes = plt.subplots(1, 2, figsize=(11, 4))
        _boxes(axes[0], fig_data["harm"], "cumulative harm", "Harm over ten years")
        _curves(axes[1], {k: {kk: vv[:261] for kk, vv in c.items()}
                          for k, c in fig_data["wellbeing"].items()},
                "wellbeing (mean, 10th-90th percentile)", "Wellbeing, first five years")
    elif key == "charm_then_decline":
        fig, ax = plt.subplots(figsize=(8, 4))
        _curves(ax, {"satisfaction": fig_data["satisfaction"]},
                "satisfaction (mean, 10th-90th percentile)", "Her satisfaction week by week")
        ax.axhline(v.BASELINE_SATISFACTION, color="grey", ls="--", lw=1)
        ax.text(1, v.BASELINE_SATISFACTION + 0.01, "her baseline", fontsize=8, color="grey")
        ax.axvline(7, color="grey", ls=":", lw=1)
        ax.text(7.5, 0.05, "7th week (Paulhus 1998)", fontsize=8, color="grey")
        ax.set_ylim(0, 1)
    elif key == "admiration_rivalry":
        fig, ax = plt.subplots(figsize=(8, 4))
        _curves(ax, {"effect of charm (admiration), 0.45 → 0.9": fig_data["charm"],
                     "effect of rivalry, 0.25 → 0.8": fig_data["rivalry"]},
                "change in mean satisfaction", "What each side of him does to her "
                "satisfaction, week by week")
        ax.axhline(0, color="grey", lw=1)
    elif key == "intermittent_bond":
        fig, axes = plt.subplots(1, 2, figsize=(11, 4))
        _boxes(axes[0], fig_data["peak"], "peak trauma bond", "Peak bond over ten years")
        _curves(axes[1], fig_data["after"], "bond relative to its value at separation",
                "The bond after a separation", xlabel="weeks since the first separation")
        axes[1].plot([26], [1 - v.DP_DECLINE], "kD", label="Dutton & Painter: −27% at 6 months")
        axes[1].axhline(1, color="grey", lw=0.8)
        axes[1].legend(fontsize=8, frameon=False)
    elif key == "investment_model":
        fig, ax = plt.subplots(figsize=(9, 4))
        _boxes(ax, fig_data["first_separation"], "weeks", "Weeks until the first separation")
    elif key == "several_attempts":
        fig, axes = plt.subplots(1, 2, figsize=(11, 4))
        ranks = fig_data["final_by_rank"]
        labels = [f"{k}{'+' if k == 4 else ''}" for k in ranks]
        axes[0].bar(labels, [ranks[k][0] for k in ranks], color=COLOURS[0], alpha=0.7)
        for i, k in enumerate(ranks):
            axes[0].text(i, ranks[k][0] + 0.02, f"n={ranks[k][1]}", ha="center", fontsize=8)
        axes[0].set_ylim(0, 1.1)
        axes[0].set_xlabel("separation number")
        axes[0].set_ylabel("share final (no return within two years)")
        axes[0].set_title("Is this separation the last?", fontsize=10)
        counts = np.bincount(np.asarray(fig_data["separations"], dtype=int))
        axes[1].bar(range(len(counts)), counts / counts.sum(), color=COLOURS[1], alpha=0.7)
        axes[1].set_xlabel("separations in ten years")
        axes[1].set_ylabel("share of partners")
        axes[1].set_title("How often partners separated", fontsize=10)
    elif key == "no_contact":
        fig, axes = plt.subplots(1, 2, figsize=(11, 4))
        _curves(axes[0], fig_data["bond"], "bond relative to its value at separation",
                "The bond after the first separation", xlabel="weeks since the separation")
        _curves(axes[1], fig_data["healed"], "share healed", "Healing after the first "
                "separation", xlabel="weeks since the separation")
        axes[1].set_ylim(0, 1)
    elif key == "slow_recovery":
        fig, ax = plt.subplots(figsize=(8, 4))
        _curves(ax, fig_data["healed"], "share healed", "Healing after the final separation",
                xlabel="weeks since the final separation")
        ax.set_ylim(0, 1)
    elif key == "rescue_fantasy":
        fig, axes = plt.subplots(1, 2, figsize=(11, 4))
        for ax, (title, groups) in zip(axes, fig_data["boxes"].items(), strict=True):
            _boxes(ax, groups, title, title.capitalize())
    elif key == "conditioning":
        fig, ax = plt.subplots(figsize=(8, 4))
        _curves(ax, fig_data["wellbeing"], "wellbeing (mean, 10th-90th percentile)",
                "Wellbeing over ten years")
    elif key == "selection":
        fig, ax = plt.subplots(figsize=(8, 4))
        step = fig_data["step"]
        for t, (label, colour) in enumerate(zip(("least vulnerable third", "middle third",
                                                 "most vulnerable third"), COLOURS,
                                                strict=False)):
            curve = fig_data["tertiles"][t]
            ax.plot(np.arange(len(curve)) * step, curve, color=colour, lw=1.6, label=label)
        ax.set_xlabel("week")
        ax.set_ylabel("share drawn in so far")
        ax.set_title("Who is drawn in first", fontsize=10)
        ax.legend(fontsize=8, frameon=False)
    elif key == "prevalence":
        fig, ax = plt.subplots(figsize=(6, 4))
        _boxes(ax, {f"{k} in 100": vals for k, vals in fig_data["shares"].items()},
               "share of the town drawn in", "Reach of one against six narcissists")
    else:
        return None
    fig.suptitle(f"{v.FACTS_BY_KEY[key].title} ({runs} runs per setting)", fontsize=11)
    fig.tight_layout()
    return fig


def draw_robustness(robust: dict[str, v.Robustness]):
    """Share of the plausible region in which each fact holds, with Wilson intervals."""
    keys = [f.key for f in v.FACTS if f.key in robust]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(keys) + 1.2))
    shares = [robust[k].share for k in keys]
    low = [robust[k].share - robust[k].interval()[0] for k in keys]
    high = [robust[k].interval()[1] - robust[k].share for k in keys]
    y = np.arange(len(keys))
    colours = [COLOURS[2] if s >= v.ROBUST_TARGET else COLOURS[1] for s in shares]
    ax.barh(y, shares, color=colours, alpha=0.7, xerr=[low, high], capsize=3)
    ax.axvline(v.ROBUST_TARGET, color="black", ls="--", lw=1)
    ax.set_yticks(y, [v.FACTS_BY_KEY[k].title for k in keys])
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of random plausible parameter sets in which the fact holds")
    ax.set_title("Robustness (bars: 95% Wilson interval; dashed: the 80% target)", fontsize=10)
    fig.tight_layout()
    return fig


# --- the Markdown --------------------------------------------------------------------------------
HOW_TO_READ = """\
## How to read this report

Each row of the evidence table in MODEL.md is run here as an experiment on the model. Every
experiment compares settings of the model over many runs, each with its own random seed, so
that chance cannot pass for an effect.

- **Published finding** means research agrees with the claim; **the essay's claim, not a
  finding** means only the essay makes it. For an essay claim the model shows what follows
  *if* the claim is true; it cannot show that it is.
- **Effect** is the difference the experiment measured, in the units of its outcome (weeks,
  shares, or 0-1 scales), with a **95% confidence interval** from {bootstrap} bootstrap
  resamples of the runs. **d** is the same difference in standard deviations of the runs
  (a standardized effect size, like Cohen's d).
- **Runs share their seeds across arms** (common random numbers): run 17 of one arm and
  run 17 of the other start from the same random stream and differ only in the setting the
  experiment varies.
- **Test**: a paired t-test on the seed-by-seed differences where every run of both arms gave
  a value; otherwise Welch's t-test (conservative with shared seeds), also for contrasts in a
  2 x 2 design; a one-sample t-test for a mean against a fixed reference; and two one-sided
  tests (equivalence) where the claim is that nothing changes. A part **holds** when its effect
  points the claimed way and p < {alpha}; a fact holds when all its parts hold.
- **Numbers beside published numbers** are shown where the source gives one. Most are
  descriptive: the published figure measures something the model can only approximate.
- **Robustness**: the same experiment, with fewer runs, at {draws} random parameter sets drawn
  (Latin hypercube) from the plausible ranges listed at the end. A draw counts for the fact
  when every part's estimate points the claimed way; the stricter reading also asks p < 0.05.
  A draw in which the experiment could not see the fact at all (say, no partner ever went
  back, so no-one could be pulled back) is counted as *not observable*, not as holding.
  The target is that each fact holds in at least {target} of the region.

A caveat that applies to every row: most of the research measures trait narcissism in
students or abuse in shelter samples, not partners of people diagnosed with narcissistic
personality disorder. The model illustrates mechanisms; it does not predict any person's life.
"""


def fact_section(i: int, fact: v.Fact, result: v.Result, robust: v.Robustness | None,
                 figure_name: str | None) -> str:
    """The Markdown section of one fact."""
    lines = [f"## {i}. {fact.title}", "",
             f"*{KIND_LABEL[fact.kind]}.* "
             f"**With the default parameters: {'holds' if result.holds else 'does not hold'}.**"
             + (f" **Robustness: holds in {pct(robust.share)} of the plausible region.**"
                if robust is not None else ""), "",
             f"**Claim.** {fact.claim}", "",
             f"**Source.** {fact.source[0].upper() + fact.source[1:]}. "
             f"Published: {fact.published}.", ""]
    if fact.caveat:
        lines += [f"**Caveat.** {fact.caveat}", ""]
    lines += [f"**Experiment.** {fact.experiment} {result.seeds} runs per arm.", "",
              "| part | outcome | mean per arm | effect [95% CI] | d | test | p | verdict |",
              "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for part in result.parts:
        arms = "; ".join(f"{name}: {num(mean)} (n={n})" for name, mean, n in part.arms)
        claimed = EXPECT_WORDS[part.expect]
        if part.expect == "equal":
            claimed = f"within ±{num(part.margin)}"
        d = num(part.standardized) if math.isfinite(part.standardized) else "–"
        lines.append(f"| {part.label} (claimed: {claimed}) | {part.outcome} | {arms} | "
                     f"{num(part.effect)} {ci(part.ci)} | {d} | {part.test} | {pval(part.p)} | "
                     f"{verdict(part)} |")
    lines.append("")
    if result.comparisons:
        lines += ["| quantity | model [95% CI] | published | close? | note |",
                  "| --- | --- | --- | --- | --- |"]
        for c in result.comparisons:
            close = {True: "yes", False: "no", None: "descriptive"}[c.close]
            if c.tolerance is not None:
                close += f" (tolerance {num(c.tolerance[0])} to {num(c.tolerance[1])})"
            value = pct(c.model) if c.unit == "share" else num(c.model)
            interval = ""
            if not math.isnan(c.ci[0]):
                interval = (f" [{pct(c.ci[0])}, {pct(c.ci[1])}]" if c.unit == "share"
                            else f" {ci(c.ci)}")
            lines.append(f"| {c.label} | {value}{interval} (n={c.n}) | {c.published} | {close} "
                         f"| {c.note} |")
        lines.append("")
    for note in result.notes:
        lines.append(f"- {note}")
    if result.notes:
        lines.append("")
    if figure_name:
        lines += [f"![{fact.title}]({figure_name})", ""]
    if robust is not None:
        lines += robustness_paragraph(robust, {p.key: p.label for p in result.parts})
    return "\n".join(lines)


def robustness_paragraph(r: v.Robustness, labels: dict[str, str]) -> list[str]:
    """Plain words on how the fact fares across the plausible region."""
    c = r.counts
    low, high = r.interval()
    text = (f"**Robustness.** Of {len(r.statuses)} random parameter sets ({r.seeds} runs per "
            f"arm each), the fact held in {c['holds']} and failed in {c['fails']}")
    text += (f"; in {c['n/a']} the experiment could not observe it." if c["n/a"] else ".")
    text += (f" Share holding: {pct(r.share)} (95% interval {pct(low)} to {pct(high)}); "
             f"with every part also significant at 5%: {pct(r.share_significant)}.")
    lines = [text, ""]
    if r.failing_parts:
        lines.append("- Parts that pointed the wrong way: " + ", ".join(
            f"{labels.get(k, k)} ({n}×)" for k, n in sorted(r.failing_parts.items())) + ".")
    if r.unobservable_parts:
        lines.append("- Parts that could not be observed: " + ", ".join(
            f"{labels.get(k, k)} ({n}×)" for k, n in sorted(r.unobservable_parts.items()))
            + ".")
    corners = r.corners() if r.counts["fails"] >= CORNER_MIN_FAILS else []
    if corners:
        described = "; ".join(
            f"`{name}` is somatic in {pct(f)} of the draws where it fails and {pct(h)} where "
            "it holds" if name == "narcissist.subtype" else
            f"`{name}` averages {num(f)} in the draws where it fails and {num(h)} where it "
            "holds" for name, f, h, _ in corners)
        lines.append(f"- Where it fails: {described}.")
    if r.share < v.ROBUST_TARGET:
        lines.append(f"- **Below the {pct(v.ROBUST_TARGET)} target**: see the discussion of "
                     "this fact in [calibration.md](calibration.md).")
    lines.append("")
    return lines


CORNER_MIN_FAILS = 5
"""Fewer failing draws than this are not enough to say where in the region a fact fails."""


def summary_rows(results: dict[str, v.Result],
                 robust: dict[str, v.Robustness]) -> list[tuple[str, ...]]:
    """One row per fact: title, kind, verdict at the defaults, robustness, numbers."""
    rows = []
    for i, fact in enumerate([f for f in v.FACTS if f.key in results], start=1):
        result = results[fact.key]
        r = robust.get(fact.key)
        share = "–"
        if r is not None:
            low, high = r.interval()
            share = f"{pct(r.share)} ({pct(low)}–{pct(high)})"
            if r.counts["n/a"]:
                share += f", {r.counts['n/a']} n/a"
        judged = [c for c in result.comparisons if c.close is not None]
        numbers = "; ".join(f"{'close' if c.close else 'off'}: {c.label}" for c in judged)
        rows.append((str(i), fact.title, fact.kind, "holds" if result.holds else "FAILS",
                     share, numbers or "–"))
    return rows


def report_markdown(results: dict[str, v.Result], robust: dict[str, v.Robustness],
                    settings: Settings, figures: dict[str, str]) -> str:
    """The whole README.md of the validation folder."""
    parts = [
        "# Validation: does the model reproduce the stylized facts?", "",
        "<!-- Generated by `python -m model validate`; do not edit by hand. What was tuned to "
        "make the facts hold, and why, is in calibration.md. -->", "",
        "This report runs every stylized fact of the evidence table in the project's "
        "specification (MODEL.md) as an experiment on the model and says whether the model "
        "reproduces it, with the default parameters and across the plausible range of every "
        "parameter. What was tuned, and why, is in [calibration.md](calibration.md).", "",
        f"Settings: master seed {settings.master}; {settings.seeds} runs per arm for experiments "
        "on one relationship (fewer for experiments on a whole town, as stated in each section); "
        f"{settings.draws} random parameter sets for robustness with about "
        f"{settings.robust_seeds} runs per arm each; significance level {v.ALPHA}. Regenerate "
        f"with `python -m model validate --seeds {settings.seeds} --draws {settings.draws} "
        f"--robust-seeds {settings.robust_seeds} --seed {settings.master}`; the same command "
        "gives the same report.", "",
        "## Summary", "",
        "| # | fact | kind | with the defaults | robustness: share of the plausible region "
        "(95% interval) | numbers beside the published ones |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    parts += ["| " + " | ".join(row) + " |" for row in summary_rows(results, robust)]
    parts.append("")
    if "robustness" in figures:
        parts += [f"![Robustness]({figures['robustness']})", ""]
    parts.append(HOW_TO_READ.format(bootstrap=v.BOOTSTRAP, alpha=v.ALPHA, draws=settings.draws,
                                    target=pct(v.ROBUST_TARGET)))
    for i, fact in enumerate([f for f in v.FACTS if f.key in results], start=1):
        parts.append(fact_section(i, fact, results[fact.key], robust.get(fact.key),
                                  figures.get(fact.key)))
    parts += ["## The plausible region", "",
              "Robustness draws every parameter below at random from its range (a Latin "
              "hypercube, so that the whole box is covered evenly); the experiment then sets "
              "the parameters it varies or holds on top. Not drawn: `max_sources` and the "
              "population sizes (fixed by each experiment), `treatment` (off: only treatment "
              "changes him, mechanism 13), `no_contact` (off unless the experiment varies it).",
              "", "| parameter | low | high | why |", "| --- | --- | --- | --- |"]
    parts += [f"| `{name}` | {num(r.low)} | {num(r.high)} | {r.why} |"
              for name, r in v.PLAUSIBLE.items()]
    parts += ["", "## Reproducing one run", "",
              "Every run's seed is derived from the master seed, the fact's key, the arm's "
              "name and the robustness draw (0 for the defaults) with numpy's `SeedSequence`; "
              "`model.validation.Context(key, n, master).seeds(arm)` lists them, and "
              "`RelationshipModel(scenario, rng=seed, **overrides)` replays any single run.", ""]
    return "\n".join(parts)


# --- writing -----------------------------------------------------------------------------------
def write_report(results: dict[str, v.Result], robust: dict[str, v.Robustness],
                 settings: Settings, out: Path) -> list[Path]:
    """Write README.md and the figures into `out`, all or nothing; return the files written."""
    with staged_folder(out, prefix=".validation-") as staging:
        figures: dict[str, str] = {}
        for fact in v.FACTS:
            fig = draw_fact(fact.key, results[fact.key].figure) if fact.key in results else None
            if fig is not None:
                figures[fact.key] = save_figure(fig, staging / f"{fact.key}.png")
        if robust:
            figures["robustness"] = save_figure(draw_robustness(robust),
                                                staging / "robustness.png")
        (staging / "README.md").write_text(report_markdown(results, robust, settings, figures),
                                           encoding="utf-8")
        names = sorted(item.name for item in staging.iterdir())
    return [Path(out) / name for name in names]


def save_figure(fig, path: Path) -> str:
    """Save without a software stamp, so the same report is byte-for-byte the same file."""
    fig.savefig(path, dpi=120, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return path.name


def summary_table(results: dict[str, v.Result], robust: dict[str, v.Robustness]) -> str:
    """The summary as fixed-width text for the terminal."""
    header = ("#", "fact", "kind", "defaults", "robustness (95% interval)", "numbers")
    rows = [header] + summary_rows(results, robust)
    rows = [r[:5] + (r[5] if len(r[5]) <= 60 else r[5][:57] + "...",) for r in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip()
             for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
