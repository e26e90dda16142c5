"""The error contract, tried on generated input rather than on a list of examples.

Every command-line call must end in one of two ways (docs/reliability.md):

* exit 0, with every output it promises complete; or
* exit 2, with exactly one line on standard error that starts with "error: ", no traceback,
  and nothing written: the sandbox folder it ran in is byte for byte as it was.

Any other ending (a traceback, another exit status, a stray file) fails the test, and
Hypothesis shrinks it to the smallest case that shows it. Families: scenario files (valid and
broken, as text and as bytes), `--set` overrides, whole argument lists, sweep declarations,
`plot`/`sensitivity` options on finished sweeps, and a few calls through a real subprocess.
The families of issue 25 (text, seeds, output targets, declaration shapes, part tampering)
are in tests/test_fuzz_targets.py; the contract itself is in tests/fuzz_helpers.py.

The calls run in this process (`model.cli.main`), so thousands are quick. The default run is
deterministic (`derandomize=True`) and bounded for CI; `pytest -m slow` runs the long version
(more than 10,000 cases) and prints the count of each family and outcome.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import tomli_w
from hypothesis import strategies as st

from fuzz_helpers import (ROOT, RUN_FILES, TALLY, check, fuzz, invoke, print_tally, sandbox,
                          snapshot)
from model.parameters import GROUPS
from model.experiments import DESIGNS

CI = {"scenario": 120, "override": 150, "argv": 150, "sweep": 40, "results": 30,
      "subprocess": 3}
SLOW = {"scenario": 3000, "override": 3000, "argv": 3000, "sweep": 700, "results": 500,
        "subprocess": 40}


@pytest.fixture(scope="module", autouse=True)
def closing_note():
    """Print the count of cases by family and outcome (seen with -s, and in the report)."""
    yield
    print_tally()


# --- values a careless or hostile user might type -------------------------------------------------
NASTY_TEXT = st.sampled_from(["", " ", "-1", "0", "1", "1e309", "nan", "inf", "-inf", "0x10",
                              "1_0", "١", "²", "true", "yes", "null", "\u202e", "a" * 300,
                              "../..", "/", "~", "*", "0.5", "somatic", "99999999999999999999"])
TEXT = st.one_of(NASTY_TEXT, st.text(max_size=12))
TOML_VALUE = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-3, 3),
    st.integers(-(2**63), 2**63 - 1), st.booleans(), st.text(max_size=6),
    st.sampled_from(["somatic", "cerebral", "Ana"]), st.lists(st.integers(0, 2), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


SMALL = {"generated_partners": 30, "narcissists": 4}
"""Caps on counts in generated scenarios, so that a valid case runs in milliseconds."""


def allowed(param):
    """Values the parameter accepts (counts capped by SMALL)."""
    if param.kind == "float":
        return st.floats(param.low, param.high)
    if param.kind == "int":
        return st.integers(int(param.low), min(int(param.high), SMALL.get(param.name, 10**4)))
    if param.kind == "bool":
        return st.booleans()
    if param.kind == "choice":
        return st.sampled_from(param.choices)
    return st.text(max_size=5)


def entry(group: str):
    """One (name, value) of a table: mostly a real name with an allowed value, else anything."""
    real = st.sampled_from(sorted(GROUPS[group])).flatmap(
        lambda name: st.tuples(st.just(name), allowed(GROUPS[group][name])))
    wild = st.tuples(st.one_of(st.sampled_from(sorted(GROUPS[group])),
                               st.text(min_size=1, max_size=8)), TOML_VALUE)
    return st.one_of(real, real, real, real, real, wild)


def table(group: str):
    return st.lists(entry(group), max_size=4).map(dict)


SCENARIO_DOC = st.fixed_dictionaries({
    "world": table("world"), "partners": st.lists(table("partner"), min_size=1, max_size=4),
}, optional={
    "title": st.text(max_size=8), "description": st.text(max_size=8),
    "notice": st.lists(st.text(max_size=4), max_size=2),
    "narcissist": table("narcissist"), "partner": table("partner"),
    "narcissists": st.lists(table("narcissist"), max_size=4)})
WILD_DOC = st.fixed_dictionaries({}, optional={
    "title": TOML_VALUE, "try": TOML_VALUE, "world": TOML_VALUE, "partners": TOML_VALUE,
    "extra": TOML_VALUE})


def encoded(doc: dict, how: str, cut: int, noise: bytes) -> bytes:
    """The scenario as a file might really arrive: UTF-8, UTF-16, cut short or with noise."""
    text = tomli_w.dumps(doc)
    if how == "utf-16":
        return text.encode("utf-16")
    data = text.encode("utf-8")
    if how == "cut":
        return data[:cut % (len(data) + 1)]
    if how == "noise":
        at = cut % (len(data) + 1)
        return data[:at] + noise + data[at:]
    if how == "deep":
        return b"x = " + b"[" * (cut * 50) + b"]" * (cut * 50) + b"\n"
    return data


# --- families -------------------------------------------------------------------------------------
@st.composite
def scenario_cases(draw):
    doc = draw(st.one_of(SCENARIO_DOC, SCENARIO_DOC, SCENARIO_DOC, WILD_DOC))
    how = draw(st.sampled_from(["utf-8"] * 6 + ["utf-16", "cut", "noise", "deep"]))
    data = encoded(doc, how, draw(st.integers(0, 4000)), draw(st.binary(min_size=1, max_size=8)))
    with_out = draw(st.sampled_from([False] * 5 + [True]))
    return data, with_out, draw(st.integers(1, 3))


def check_scenario_file(case) -> None:
    data, with_out, weeks = case
    with sandbox() as root:
        (root / "s.toml").write_bytes(data)
        argv = ["run", "s.toml", "--weeks", str(weeks)]
        outputs = ()
        if with_out:
            argv += ["--out", "out"]
            outputs = tuple(f"out/{name}" for name in RUN_FILES)
        check("scenario", argv, root, outputs)


PATHS = st.one_of(
    st.builds("{}.{}".format, st.sampled_from(["world", "narcissist", "partner"]),
              st.sampled_from(sorted({n for g in GROUPS.values() for n in g}))),
    st.builds("{}.{}.{}".format, st.sampled_from(["partners", "narcissists"]),
              st.one_of(st.integers(0, 5).map(str), st.just("*"), NASTY_TEXT),
              st.sampled_from(sorted({n for g in GROUPS.values() for n in g}))),
    TEXT)


def good_assignment(group: str, prefix):
    """`PATH=VALUE` text that the parameter accepts, as a user would type it."""
    def typed(value) -> str:
        return str(value).lower() if isinstance(value, bool) else str(value)

    return st.tuples(prefix, st.sampled_from(sorted(GROUPS[group]))).flatmap(
        lambda pn: allowed(GROUPS[group][pn[1]]).map(lambda v: f"{pn[0]}.{pn[1]}={typed(v)}"))


EDGE_NUMBERS = st.sampled_from(["inf", "-inf", "nan", "1e400", "-0", "1e-400", "0.9999999999",
                                "5200.5", "2000", "2001", "1e3", "+1", " 1 ", "0b1", "1,5"])
NUMERIC_PATHS = st.sampled_from(sorted(
    f"{prefix}.{name}" for prefix, group in (("world", "world"), ("narcissist", "narcissist"),
                                             ("partners.0", "partner"))
    for name, param in GROUPS[group].items() if param.kind in ("int", "float")))
EDGE_SETS = st.builds("{}={}".format, st.one_of(NUMERIC_PATHS, st.sampled_from(
    ["world.weeks", "world.generated_partners", "world.narcissists", "narcissist.max_sources",
     "partners.*.boundary"])), EDGE_NUMBERS)
GOOD_SETS = st.one_of(
    good_assignment("narcissist", st.just("narcissist")),
    good_assignment("partner", st.sampled_from(["partner", "partners.0", "partners.1",
                                                "partners.*"])),
    good_assignment("world", st.just("world")))


@st.composite
def override_cases(draw):
    sets = draw(st.lists(st.one_of(GOOD_SETS, GOOD_SETS, GOOD_SETS, EDGE_SETS, EDGE_SETS,
                                   st.builds("{}={}".format, PATHS, TEXT), TEXT),
                         min_size=1, max_size=3))
    scenario = draw(st.sampled_from(["classroom", "good.toml", "community"]))
    argv = ["run", scenario, "--weeks", "2"]
    for item in sets:
        argv += ["--set", item]
    return argv


def check_overrides(argv) -> None:
    with sandbox() as root:
        check("override", argv, root)


OPTIONS = {
    "run": ["--weeks", "--seed", "--set", "--out", "--story-lines"],
    "list": [],
    "sweep": ["--vary", "--set", "--design", "--samples", "--reps", "--weeks", "--seed",
              "--outcomes", "--runs-per-part", "--out", "--workers", "--resume", "--timelines",
              "--yes", "--scheduler"],
    "plot": ["--outcomes", "--x", "--by", "--partner", "--out"],
    "sensitivity": ["--outcomes", "--partner", "--resamples", "--out"],
    "validate": ["--seeds", "--draws", "--robust-seeds", "--seed", "--only", "--out"],
}
ARG_VALUES = st.one_of(NASTY_TEXT, st.sampled_from([
    "classroom", "good.toml", "missing.toml", "out", "good.toml/x", "2", "3",
    "narcissist.envy=0:1:3", "partners.0.boundary=0,1", "narcissist.envy=0:1",
    "partners.9.boundary=1", "sobol", "latin", "factorial", "morris", "harm", "partner",
    "none", "narcissist.envy"]))


@st.composite
def argv_cases(draw):
    """Argument lists made of real commands and options with values good and bad.

    `validate` appears only with a bad value (a good call runs for minutes); sweeps are kept
    small by appending a short horizon and a single worker.
    """
    command = draw(st.sampled_from(sorted(OPTIONS) + ["runn", "", "--help"]))
    argv = [command] if command else []
    if command in ("run", "plot", "sensitivity", "sweep"):
        argv.append(draw(ARG_VALUES))
    for option in draw(st.lists(st.sampled_from(OPTIONS.get(command) or ["--x"]), max_size=4)):
        argv.append(option)
        if option not in ("--resume", "--timelines", "--yes"):
            argv.append(draw(ARG_VALUES))
    if command == "validate":
        argv += ["--seeds", draw(st.sampled_from(["0", "-1", "x", "3"]))]
    if command == "sweep":
        argv += ["--weeks", "1", "--workers", "1", "--quiet", "--runs-per-part", "50"]
        if "--samples" not in argv:
            argv += ["--samples", "4"]
    if command == "run" and "--weeks" not in argv:
        argv += ["--weeks", "2"]
    return argv


def check_argv(argv) -> None:
    with sandbox() as root:
        check("argv", argv, root)


FACTOR = st.one_of(
    st.lists(TOML_VALUE, max_size=3),
    st.fixed_dictionaries({"start": TOML_VALUE, "stop": TOML_VALUE},
                          optional={"count": st.one_of(st.integers(-1, 4), st.just(10**8))}),
    st.fixed_dictionaries({"distribution": st.just("normal"), "mean": TOML_VALUE,
                           "sd": TOML_VALUE}))
SWEEP_PATHS = st.sampled_from(["partners.0.boundary", "narcissist.envy", "world.weeks",
                               "narcissist.subtype", "partners.9.boundary", "partner.nope",
                               "partners.*.no_contact", "narcissist.max_sources"])


def declared(path: str):
    from model.scenario import declaration_for

    return declaration_for(path)


GOOD_FACTOR_PATHS = st.sampled_from(["partners.0.boundary", "narcissist.envy",
                                     "narcissist.subtype", "partners.*.no_contact",
                                     "narcissist.max_sources"])


@st.composite
def good_factor(draw):
    """A factor the sweep accepts: listed allowed values, or a numeric range."""
    path = draw(GOOD_FACTOR_PATHS)
    param = declared(path)
    if param.kind in ("float", "int") and draw(st.booleans()):
        low, high = sorted(draw(st.lists(allowed(param), min_size=2, max_size=2)))
        return path, {"start": low, "stop": high, "count": draw(st.integers(1, 3))}
    return path, draw(st.lists(allowed(param), min_size=1, max_size=3, unique=True))


@st.composite
def sweep_cases(draw):
    sampling = draw(st.booleans())
    doc = {"scenario": draw(st.sampled_from(["classroom", "lonely.toml", "missing.toml",
                                             "../good.toml", ""]))}
    if sampling:
        doc["design"] = draw(st.sampled_from(DESIGNS[1:] + ("grid",)))
        doc["samples"] = draw(st.one_of(st.integers(-1, 8), st.just(10**7)))
    doc.update(draw(st.fixed_dictionaries({}, optional={
        "replicates": st.one_of(st.integers(-1, 3), st.just(10**9)),
        "seed": st.one_of(st.integers(-1, 50), st.just(2**64)),
        "weeks": st.integers(-1, 3), "timelines": TOML_VALUE, "levels": st.integers(0, 6),
        "second_order": st.booleans(), "common_seeds": st.booleans(),
        "runs_per_part": st.integers(0, 30), "title": TOML_VALUE, "bogus": TOML_VALUE,
        "outcomes": st.lists(st.sampled_from(["harm", "weeks_to_exit", "nope"]), max_size=2),
        "set": st.dictionaries(SWEEP_PATHS, TOML_VALUE, max_size=2),
        "vary": st.dictionaries(SWEEP_PATHS, FACTOR, max_size=3)})))
    if draw(st.integers(0, 2)):  # two cases in three: a mostly valid declaration
        doc = {"scenario": draw(st.sampled_from(["classroom", "good.toml", "lonely.toml"])),
               "replicates": draw(st.integers(1, 2)),
               "vary": dict(draw(st.lists(good_factor(), min_size=1, max_size=2))),
               **({"design": "latin", "samples": draw(st.integers(1, 6))}
                  if draw(st.booleans()) else {}),
               **draw(st.fixed_dictionaries({}, optional={
                   "timelines": st.booleans(), "common_seeds": st.booleans(),
                   "runs_per_part": st.integers(1, 5), "seed": st.integers(0, 2**63 - 1),
                   "outcomes": st.lists(st.sampled_from(["harm", "weeks_to_exit", "nope"]),
                                        min_size=1, max_size=2)}))}
    return doc, draw(st.booleans())


def check_sweep(case) -> None:
    doc, nested = case
    with sandbox() as root:
        folder = root / "sub" if nested else root
        folder.mkdir(exist_ok=True)
        (folder / "s.toml").write_text(tomli_w.dumps(doc), encoding="utf-8")
        argv = ["sweep", str((folder / "s.toml").relative_to(root)), "--weeks", "1",
                "--workers", "1", "--quiet", "--out", "out"]
        check("sweep", argv, root, ("out/results.parquet", "out/sweep.toml"))


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    """Two small finished sweeps (factorial and sobol), copied into each case's sandbox."""
    folder = tmp_path_factory.mktemp("finished")
    for name, extra in (("fact", ["--vary", "narcissist.envy=0:1:3"]),
                        ("sob", ["--vary", "narcissist.envy=0:1", "--vary",
                                 "partners.0.boundary=0:1", "--design", "sobol",
                                 "--samples", "4"])):
        code, _, err = invoke(["sweep", "classroom", *extra, "--weeks", "2", "--workers", "1",
                               "--quiet", "--out", str(folder / name)], folder)
        assert code == 0, err
    return folder


@st.composite
def results_cases(draw):
    command = draw(st.sampled_from(["plot", "sensitivity"]))
    argv = [command, draw(st.sampled_from(["fact", "sob", "good.toml", "missing", "fact/"]))]
    for option in draw(st.lists(st.sampled_from(OPTIONS[command]), max_size=3)):
        argv += [option, draw(st.one_of(ARG_VALUES, st.sampled_from(
            ["fact", "sob", "fact/results.parquet", "sob/sweep.toml", "pic.png", "pic", "p.PDF",
             "0", "1", "narcissist.envy", "partners.0.boundary", "harm", "4"])))]
    if command == "sensitivity" and "--resamples" not in argv:
        argv += ["--resamples", "20"]
    return argv


# --- the tests ------------------------------------------------------------------------------------
FAMILIES = {
    "scenario": (scenario_cases(), check_scenario_file),
    "override": (override_cases(), check_overrides),
    "argv": (argv_cases(), check_argv),
    "sweep": (sweep_cases(), check_sweep),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_contract_holds_for_generated_input(family):
    strategy, test = FAMILIES[family]
    fuzz(strategy, test, CI[family])


def test_contract_holds_for_plot_and_sensitivity_options(finished):
    fuzz(results_cases(), lambda argv: check_results(argv, finished), CI["results"])


def check_results(argv, finished: Path) -> None:
    with sandbox(finished) as root:
        check("results", argv, root)


@pytest.mark.slow
@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_contract_holds_for_many_generated_inputs(family):
    strategy, test = FAMILIES[family]
    fuzz(strategy, test, SLOW[family])


@pytest.mark.slow
def test_contract_holds_for_many_plot_and_sensitivity_options(finished):
    fuzz(results_cases(), lambda argv: check_results(argv, finished), SLOW["results"])


# --- the same contract through a real process: exit status and standard error as a shell sees
def check_process(argv: list[str]) -> None:
    with sandbox() as root:
        before = snapshot(root)
        result = subprocess.run([sys.executable, "-m", "model", *argv], cwd=root, text=True,
                                capture_output=True, timeout=120,
                                env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert "Traceback" not in result.stderr, result.stderr
        assert result.returncode in (0, 2), (argv, result.returncode, result.stderr)
        if result.returncode == 2:
            assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
            assert snapshot(root) == before
        TALLY["subprocess", f"exit {result.returncode}"] += 1


def test_contract_holds_through_a_real_process():
    fuzz(argv_cases(), check_process, CI["subprocess"])


@pytest.mark.slow
def test_contract_holds_through_many_real_processes():
    fuzz(argv_cases(), check_process, SLOW["subprocess"])
