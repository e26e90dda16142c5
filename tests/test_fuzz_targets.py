"""The error contract (tests/fuzz_helpers.py) on the families of issue 25: text content and
length, control characters and mathtext; seed edges; output-target states; sweep declaration
shapes; parts tampered with between a kill and `--resume`.

Beyond the contract, each family checks what its input entitles a user to expect: text over its
limit or holding a control character is refused, text within the rules runs and reaches the
outputs literally (CSV cells a spreadsheet would run neutralised, the figure written, nothing
raw on the terminal); a seed is taken exactly when it is a whole number from 0 to 2^63-1; an
output is never written through a link, into a pipe or over a folder that holds something else,
and nothing outside the target changes; a resumed sweep's table is the untouched run's table or
the resume is refused. `pytest -m slow` runs more than 10,000 cases and prints their counts.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import tomli_w
from hypothesis import strategies as st

from fuzz_helpers import RUN_FILES, check, fuzz, invoke, print_tally, sandbox
from model.errors import MAX_SEED
from model.parameters import TEXT_RULES

CI = {"text": 150, "seed": 150, "target": 60, "declaration": 80, "tamper": 25}
SLOW = {"text": 3500, "seed": 3200, "target": 800, "declaration": 2300, "tamper": 400}
SECONDS = 120
"""A case still running after this long is a hang, reported as a failure."""
pytestmark = pytest.mark.filterwarnings("ignore:Glyph .* missing from font")


@pytest.fixture(scope="module", autouse=True)
def closing_note():
    """Print the count of cases by family and outcome (seen with -s, and in the report)."""
    yield
    print_tally()


# --- text -----------------------------------------------------------------------------------------
FRAGMENTS = st.sampled_from([
    "$", "$x^$", r"$\frac{$", r"$\sqrt{$", "^", "_", "a_b^c", r"\alpha", "$$", "\\", "{", "}",
    "=", "+", "-", "@", "=1+1", "+SUM(A1)", "@cmd", "-2+3", "\t", "\r", "\n", "\r\n", "\x1b[31m",
    "\x1b]0;title\x07", "\x00", "\x7f", "\x85", "\u2028", "\u2029", "\u202e", "\u202d", "\u2066",
    "\u200f", "\u061c", "\ufeff", "\u200b", "\u0301", "🙂", "👩‍👩‍👧", "שלום", "مرحبا", "漢字",
    "Zoë", "%s", "{0}", "<b>", "'", '"', "Ana", " ", "\u3000", "\udcff"])
"""Pieces of text that once broke a figure, a terminal or a CSV, or that test a rule's edge
(the lone surrogate only arrives through `--set`: a TOML file cannot hold one)."""
LENGTHS = st.sampled_from([1, 2, 39, 40, 41, 199, 200, 201, 499, 500, 501, 1999, 2000, 2001,
                           10_000, 100_000])
FIELDS = ("title", "description", "notice", "try", "narcissist.name", "partners.0.name",
          "partners.1.role", "partner.role")
SETTABLE = ("narcissist.name", "partners.0.name", "partners.1.role", "partner.role")


@st.composite
def text_value(draw) -> str:
    """Hostile pieces and any Unicode, sometimes repeated to a length around a limit (by
    repetition, so a 100 kB value costs nothing to build)."""
    pieces = draw(st.lists(st.one_of(FRAGMENTS, st.text(max_size=6)), min_size=1, max_size=4))
    value = "".join(pieces)
    if draw(st.integers(0, 3)) == 0:
        length = draw(LENGTHS)
        value = (value or "x") * (length // max(len(value), 1) + 1)
        value = value[:length]
    return value


def rule_of(field: str):
    return TEXT_RULES[field.rsplit(".", 1)[-1]]


def verdict(value: str, field: str) -> str | None:
    """"refuse" if the value breaks its rule, "take" if it keeps it and could not collide
    with another name, None when either is fair (a name that may repeat a default one)."""
    rule = rule_of(field)
    from model.text import unsafe

    if len(value) > rule.length or any(unsafe(c, keep="\n" if rule.lines else "")
                                       for c in value):
        return "refuse"
    if field.endswith("name") and len(value.strip()) < 4:
        return None
    return "take"


def place(doc: dict, field: str, value: str) -> None:
    if field in ("notice", "try"):
        doc[field] = [value]
    elif field in ("title", "description"):
        doc[field] = value
    elif field == "narcissist.name":
        doc["narcissist"] = {"name": value}
    elif field == "partner.role":
        doc["partner"] = {"role": value}
    else:
        index, key = int(field.split(".")[1]), field.rsplit(".", 1)[1]
        doc["partners"][index][key] = value


@st.composite
def text_cases(draw):
    field = draw(st.sampled_from(FIELDS))
    value = draw(text_value())
    how = draw(st.sampled_from(["file", "file", "set"] if field in SETTABLE else ["file"]))
    if how == "file":  # a TOML file cannot hold a lone surrogate: its escape is refused instead
        value = value.replace("\udcff", "")
    return field, value, how, draw(st.integers(0, 7)) == 0


def check_text_case(case) -> None:
    field, value, how, with_out = case
    doc = {"title": "fuzz", "world": {"weeks": 2},
           "partners": [{"name": "Partner One"}, {"name": "Partner Two"}]}
    argv = ["run", "s.toml"]
    expected = verdict(value, field)
    if how == "file":
        place(doc, field, value)
    else:
        argv += ["--set", f"{field}={value}"]
        expected = verdict(value.strip(), field)  # the command line trims what is typed
        if value.strip() != value or value.strip().startswith(("[", "{", '"', "'")):
            expected = None if expected == "take" else expected  # typed as TOML or trimmed
    outputs = tuple(f"out/{name}" for name in RUN_FILES) if with_out else ()
    argv += ["--out", "out"] if with_out else []
    with sandbox() as root:
        (root / "s.toml").write_text(tomli_w.dumps(doc), encoding="utf-8")
        code, _, err = check("text", argv, root, outputs, terminal=True, seconds=SECONDS)
        if expected == "refuse":
            assert code == 2, f"{field} = {value[:80]!r} ({len(value)} characters) was taken"
        elif expected == "take":
            assert code == 0, f"{field} = {value[:80]!r} was refused: {err}"
        if code == 0 and with_out:
            kept = value if how == "file" else value.strip()
            written_whole(root / "out", kept if field.endswith("name") else None)


def written_whole(out: Path, name: str | None) -> None:
    """The figure is a PNG, no CSV cell would run as a formula, and a name is kept as typed."""
    assert (out / "run.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    cells = set()
    for table in out.glob("*.csv"):
        for row in csv.reader(io.StringIO(table.read_text(encoding="utf-8"), newline="")):
            for cell in row:
                assert not formula(cell), f"{table.name}: cell {cell[:60]!r} would run"
                cells.add(cell)
    if name:
        assert name in cells or "'" + name in cells, f"{name[:60]!r} not in the outcomes"


def formula(cell: str) -> bool:
    """Whether a spreadsheet would run `cell`: it begins with = + @ TAB CR, or with - and is
    not a number."""
    if cell.startswith(("=", "+", "@", "\t", "\r")):
        return True
    if cell.startswith("-"):
        try:
            float(cell)
        except ValueError:
            return True
    return False


# --- seeds ----------------------------------------------------------------------------------------
SEED_VALUES = st.one_of(
    st.sampled_from([-1, 0, 1, 2**63 - 1, 2**63, 2**64, -(2**63), 2**63 - 2, 10**30, 0.0, 1.0,
                     1.5, -0.0, 1e300, math.nan, math.inf, True, False, "1", "", "abc", [1], {}]),
    st.integers(-(2**65), 2**65), st.integers(0, 2**63 - 1))
SEED_TEXTS = st.one_of(
    SEED_VALUES.map(str),
    st.sampled_from(["-0", "+5", " 7 ", "1_000", "0x10", "1e3", "١", "٣٤", "", " ", "9" * 40,
                     "0" * 30 + "1", "nan", "true", "None", "\x00", "1\n"]),
    st.text(max_size=5))


def seed_taken(value) -> bool | None:
    """True for a whole number in range, False for any other number, None for a text (whose
    meaning depends on how it is read)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return isinstance(value, int) and 0 <= value <= MAX_SEED


def text_taken(text: str) -> bool | None:
    """How a typed seed must be judged: ASCII digits in range are taken, a minus sign before a
    non-zero number or a value past the range refused; anything else may go either way."""
    if re.fullmatch(r"\s*\+?[0-9]+\s*", text):
        return int(text) <= MAX_SEED
    if re.fullmatch(r"\s*-[0-9]*[1-9][0-9]*\s*", text):
        return False
    return None


@st.composite
def seed_cases(draw):
    where = draw(st.sampled_from(["file", "file", "--seed", "--seed", "sweep file",
                                  "sweep --seed", "knobs --seed", "validate --seed"]))
    value = draw(SEED_VALUES if where.endswith("file") else SEED_TEXTS)
    return where, value


def check_seed(case) -> None:
    where, value = case
    with sandbox() as root:
        if where == "file":
            doc = {"title": "s", "seed": value, "world": {"weeks": 2}, "partners": [{}]}
            (root / "s.toml").write_text(tomli_w.dumps(doc), encoding="utf-8")
            argv, taken = ["run", "s.toml"], seed_taken(value)
        elif where == "sweep file":
            doc = {"scenario": "lonely.toml", "seed": value, "replicates": 2,
                   "vary": {"partners.0.boundary": [0.2]}}
            (root / "w.toml").write_text(tomli_w.dumps(doc), encoding="utf-8")
            argv = ["sweep", "w.toml", "--weeks", "1", "--workers", "1", "--quiet", "--out",
                    "out"]
            taken = seed_taken(value)
        elif where == "sweep --seed":
            argv = ["sweep", "lonely.toml", "--vary", "partners.0.boundary=0.2", "--seed", value,
                    "--weeks", "1", "--workers", "1", "--quiet", "--out", "out"]
            taken = text_taken(value)
        elif where == "--seed":
            argv, taken = ["run", "good.toml", "--weeks", "1", "--seed", value], text_taken(value)
        elif where == "knobs --seed":  # no such preset: a good seed reaches that refusal
            argv, taken = ["knobs", "--seed", value, "--preset", "no-such"], text_taken(value)
        else:  # --seeds 0 is refused after a good --seed: validate never starts its runs
            argv, taken = ["validate", "--seed", value, "--seeds", "0"], text_taken(value)
        code, _, err = check("seed", argv, root, terminal=True, seconds=SECONDS)
        if where in ("knobs --seed", "validate --seed"):
            if taken is not None:
                assert ("--seed " in err or "--seed:" in err) != taken, (argv, err)
        elif taken is False:
            assert code == 2 and "seed" in err, (argv, err)
        elif taken:
            assert code == 0, (argv, err)


# --- output-target states -------------------------------------------------------------------------
STATES = ("missing", "empty", "earlier", "other files", "file", "link to folder", "link to file",
          "dangling link", "link loop", "fifo", "blocking name", "missing/..", "existing/..",
          "under a file", "device")
TAKEN = {"missing", "empty", "existing/.."}
REFUSED = {"file", "link to folder", "link to file", "dangling link", "link loop", "fifo",
           "blocking name", "missing/..", "under a file", "device"}
FILE_TARGETS = {"plot", "knobs"}
"""Commands whose --out is a file (plot's may also be a folder); the others write a folder."""
TARGET = {"run": "target", "sensitivity": "target", "plot": "target.png", "knobs": "target.md"}
OUTPUTS = {"run": RUN_FILES, "sensitivity": ("sensitivity.csv", "sensitivity.png"),
           "plot": (), "knobs": ()}


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    """A finished sobol sweep and an earlier run, plot, sensitivity and knobs output."""
    folder = tmp_path_factory.mktemp("earlier")
    for argv in (["sweep", "classroom", "--vary", "narcissist.envy=0:1", "--vary",
                  "partners.0.boundary=0:1", "--design", "sobol", "--samples", "4", "--weeks",
                  "2", "--workers", "1", "--quiet", "--out", "sob"],
                 ["run", "classroom", "--weeks", "2", "--out", "run"],
                 ["plot", "sob", "--out", "plot.png"],
                 ["sensitivity", "sob", "--outcomes", "harm", "--resamples", "20", "--out",
                  "sensitivity"]):
        code, _, err = invoke(argv, folder)
        assert code == 0, (argv, err)
    (folder / "knobs.md").write_text("| knob | effect |\n", encoding="utf-8")
    return folder


def arrange(root: Path, earlier: Path, command: str, state: str) -> str:
    """Put the target in `state`; return the --out text that reaches it."""
    name = TARGET[command]
    target = root / name
    (root / "elsewhere").mkdir()
    (root / "elsewhere" / "kept.txt").write_text("kept\n")
    (root / "kept.txt").write_text("kept\n")
    earlier_output = {"run": "run", "plot": "plot.png", "sensitivity": "sensitivity",
                      "knobs": "knobs.md"}[command]
    if state == "empty":
        target.mkdir()
    elif state in ("earlier", "blocking name"):
        source = earlier / earlier_output
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy(source, target)
        if state == "blocking name":
            if target.is_dir():
                blocker = sorted(p.name for p in target.iterdir() if p.is_file())[-1]
                (target / blocker).unlink()
                (target / blocker).mkdir()
            else:
                target.unlink()
                (target / "table.md").mkdir(parents=True)
    elif state == "other files":
        target.mkdir()
        (target / "notes.txt").write_text("mine\n")
    elif state == "file":
        target.write_text("kept\n")
    elif state == "link to folder":
        target.symlink_to(root / "elsewhere")
    elif state == "link to file":
        target.symlink_to(root / "kept.txt")
    elif state == "dangling link":
        target.symlink_to(root / "nowhere")
    elif state == "link loop":
        target.symlink_to(root / "loop")
        (root / "loop").symlink_to(target)
    elif state == "fifo":
        os.mkfifo(target)
    elif state == "missing/..":
        return f"missing/../{name}"
    elif state == "existing/..":
        (root / "there").mkdir()
        return f"there/../{name}"
    elif state == "under a file":
        return f"kept.txt/{name}"
    elif state == "device":
        return "/dev/null"
    return name


def expectation(command: str, state: str, force: bool) -> int | None:
    """The exit status a target state must give, or None when either is fair."""
    if command == "plot" and state in ("empty", "other files", "blocking name"):
        return None  # a folder to draw into
    if state in REFUSED and not (command in FILE_TARGETS and state == "file"):
        return 2
    if command == "knobs" and state in ("empty", "other files"):
        return 2
    if state in TAKEN:
        return 0
    if command == "run" and state == "earlier":
        return 0 if force else 2
    if command == "run" and state == "other files":
        return 2
    return 0 if state == "earlier" else None


SPELLINGS = ("as is", "./", "trailing /", "absolute", "doubled //")
"""Ways to type the same --out: each must reach the same target, checked the same way."""


@st.composite
def target_cases(draw):
    command = draw(st.sampled_from(["run", "run", "plot", "sensitivity", "knobs"]))
    return (command, draw(st.sampled_from(STATES)), draw(st.booleans()),
            draw(st.sampled_from(SPELLINGS)))


def spelled(out: str, spelling: str, root: Path) -> str:
    if out.startswith("/") or spelling == "as is":
        return out
    if spelling == "./":
        return "./" + out
    if spelling == "trailing /":
        return out + "/"
    if spelling == "absolute":
        return str(root / out)
    return out.replace("/", "//") if "/" in out else "./" + "/" + out


def target_argv(command: str, out: str, force: bool, real_knobs: bool) -> list[str]:
    if command == "run":
        return ["run", "classroom", "--weeks", "2", "--out", out] + (["--force"] if force else [])
    if command == "plot":
        return ["plot", "sob", "--out", out]
    if command == "sensitivity":
        return ["sensitivity", "sob", "--outcomes", "harm", "--resamples", "20", "--out", out]
    preset = ["--preset", "intermittent", "--seeds", "2"] if real_knobs else ["--preset",
                                                                              "no-such"]
    return ["knobs", *preset, "--out", out]


def check_target(case, earlier: Path, real_knobs: bool = False) -> None:
    command, state, force, spelling = case
    with sandbox() as root:
        shutil.copytree(earlier / "sob", root / "sob")
        out = spelled(arrange(root, earlier, command, state), spelling, root)
        argv = target_argv(command, out, force, real_knobs)
        outputs = tuple(f"target/{name}" for name in OUTPUTS[command])
        if command == "knobs":
            outputs = ("target.md",)
        code, _, err = check("target", argv, root, outputs, terminal=True, seconds=SECONDS,
                             may_change=("target",))
        if code == 0 and command == "plot":
            assert (root / "target.png").is_file() or any((root / "target.png").iterdir())
        expected = expectation(command, state, force)
        if spelling == "trailing /" and command in FILE_TARGETS:
            expected = None  # a file name typed as a folder: refused, or a folder to draw into
        if command == "knobs" and not real_knobs:  # a good target reaches the preset's refusal
            assert code == 2
            if expected is not None:
                assert ("no-such" in err) == (expected == 0), (state, err)
        elif expected is not None:
            assert code == expected, (argv, state, err)


# --- declaration shapes ---------------------------------------------------------------------------
HUGE = st.sampled_from([2**63 - 1, 2**63, -(2**63), 10**18, 10**30, 1e308, -1e308, 5e-324,
                        math.inf, -math.inf, math.nan])
LEAF = st.one_of(st.booleans(), st.integers(-3, 12), HUGE, st.floats(-2, 2), st.text(max_size=6),
                 st.sampled_from(["classroom", "latin", "sobol", "harm", "somatic", ""]))
ANY = st.recursive(LEAF, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=4), inner, max_size=3)),
    max_leaves=6)
SCENARIOS = st.sampled_from(["classroom", "lonely.toml", "good.toml", "../good.toml",
                             "../../good.toml", "sub/../lonely.toml", "/etc/passwd", "/dev/zero",
                             "/dev/stdin", "link.toml", "fifo.toml", "", ".", "..", "missing.toml",
                             "lonely.toml/x", "~/x.toml", "CLASSROOM"])
"""Scenario paths of the declaration (which sits in `decl/`, beside lonely.toml and a link to
../good.toml): presets, files inside, and paths reaching outside the folder."""
PATHS = st.sampled_from(["partners.0.boundary", "narcissist.envy", "narcissist.subtype",
                         "partners.*.no_contact", "world.weeks", "partners.9.boundary", "",
                         "partner.nope", "narcissist", "partners.0", "world.generated_partners"])
FACTORS = st.one_of(
    st.lists(LEAF, max_size=3), st.just([]), st.just({}),
    st.fixed_dictionaries({}, optional={"start": LEAF, "stop": LEAF, "count": LEAF,
                                        "distribution": LEAF, "mean": LEAF, "sd": LEAF,
                                        "extra": LEAF}),
    ANY)
NESTED = st.sampled_from([{"partners": {"0": {"boundary": [0.2, 0.4]}}},
                          {"narcissist": {"envy": {"start": 0, "stop": 1, "count": 2}}},
                          {"narcissist": {}}, {"": [0.1]}, {"a": {"b": {"c": {"d": [1]}}}}])
NICE = {
    "title": st.text(max_size=8), "description": st.text(max_size=8), "scenario": SCENARIOS,
    "design": st.sampled_from(["factorial", "latin", "sobol", "morris", "random", ""]),
    "replicates": st.integers(1, 2), "weeks": st.integers(1, 2), "seed": st.integers(0, 99),
    "samples": st.integers(1, 4), "timelines": st.booleans(), "levels": st.integers(2, 4),
    "outcomes": st.lists(st.sampled_from(["harm", "weeks_to_exit", "x"]), max_size=2),
    "second_order": st.booleans(), "common_seeds": st.booleans(),
    "runs_per_part": st.integers(1, 3),
    "set": st.one_of(st.dictionaries(PATHS, LEAF, max_size=2), NESTED),
    "vary": st.one_of(st.dictionaries(PATHS, FACTORS, max_size=2), NESTED),
}
"""Per key, values of the right type (not all allowed); `ANY` gives the rest."""
KEY_VALUES = {key: st.one_of(nice, ANY) for key, nice in NICE.items()}
UNKNOWN = st.sampled_from(["bogus", "Vary", "scenarios", "parts", "", "seed ", "vary.x"])


@st.composite
def declaration_cases(draw):
    """A declaration with any subset of the keys, each of any type; two times in three a
    sensible one with one or two keys changed, so that one odd key at a time is what decides."""
    if draw(st.integers(0, 2)) == 0:
        keys = draw(st.lists(st.sampled_from(sorted(KEY_VALUES)), unique=True, max_size=6))
        doc = {key: draw(KEY_VALUES[key]) for key in keys}
    else:
        keys = draw(st.lists(st.sampled_from(sorted(NICE)), unique=True, max_size=2))
        doc = {"scenario": "lonely.toml", "vary": {"partners.0.boundary": [0.2, 0.8]},
               "replicates": 1}
        doc.update({key: draw(st.one_of(NICE[key], NICE[key], NICE[key], ANY)) for key in keys})
    unknown = draw(st.one_of(st.none(), st.none(), UNKNOWN))
    if unknown is not None:
        doc[unknown] = draw(LEAF)
    return doc


def outside(scenario) -> bool:
    """A scenario path that reaches out of the declaration's folder."""
    return isinstance(scenario, str) and (scenario.startswith(("/", "~", "../"))
                                          or scenario == "link.toml")


def check_declaration(doc) -> None:
    with sandbox() as root:
        decl = root / "decl"
        decl.mkdir()
        shutil.copy(root / "lonely.toml", decl / "lonely.toml")
        (decl / "link.toml").symlink_to(root / "good.toml")
        os.mkfifo(decl / "fifo.toml")
        try:
            (decl / "s.toml").write_text(tomli_w.dumps(doc), encoding="utf-8")
        except (ValueError, TypeError):  # a value TOML cannot hold (a nan key...): not a case
            return
        argv = ["sweep", "decl/s.toml", "--weeks", "1", "--workers", "1", "--quiet", "--out",
                "out"]
        code, _, err = check("declaration", argv, root, ("out/results.parquet", "out/sweep.toml"),
                             terminal=True, seconds=SECONDS)
        known = set(KEY_VALUES)
        if set(doc) - known:
            assert code == 2, f"unknown key {sorted(set(doc) - known)} taken"
        if outside(doc.get("scenario")):
            assert code == 2, f"scenario {doc['scenario']!r} outside the folder taken"


# --- parts tampered with between a kill and --resume ----------------------------------------------
TOWN = """title = "Dana's town"
[world]
weeks = 8
[[partners]]
name = "Dana"
boundary = 0.9
[[partners]]
name = "Eli"
"""
DECLARATION = """scenario = "town.toml"
replicates = 1
seed = 11
runs_per_part = 1
[set]
"narcissist.reinforcement" = 0.5
[vary]
"partners.1.boundary" = [0.2, 0.8]
"""
"""Two runs in two parts, on a scenario file beside the declaration."""


def killed(folder: Path, declaration: str) -> Path:
    """The folder a kill after the last part leaves: the declaration and both parts, each
    written as a sweep writes it (with its proof of origin), no table."""
    from model.experiments import Store, plan, read_sweep, run_part

    (folder / "study").mkdir(parents=True)
    (folder / "study" / "town.toml").write_text(TOWN)
    (folder / "study" / "sweep.toml").write_text(declaration)
    code, _, err = invoke(["sweep", "study/sweep.toml", "--workers", "1", "--quiet", "--out",
                           "out"], folder)
    assert code == 0, err
    (folder / "out" / Store.RESULTS).unlink()
    store = Store(folder / "out")
    store.parts.mkdir()
    for job in plan(read_sweep(folder / "out" / Store.DECLARATION, confined=False)).jobs:
        store.write(run_part(job))
    return folder


@pytest.fixture(scope="module")
def untouched(tmp_path_factory) -> tuple[Path, Path, object]:
    """A killed sweep, a killed sweep with other [set] values (same seeds and shape), and the
    table the untouched sweep resumes to."""
    from model.experiments import read_results

    mine = killed(tmp_path_factory.mktemp("mine"), DECLARATION)
    other = killed(tmp_path_factory.mktemp("other"), DECLARATION.replace("= 0.5", "= 0.6"))
    whole = tmp_path_factory.mktemp("whole")
    shutil.copytree(mine, whole, dirs_exist_ok=True)
    code, _, err = invoke(["sweep", "--resume", "--workers", "1", "--quiet", "--out", "out"],
                          whole)
    assert code == 0, err
    return mine, other, read_results(whole / "out")[1]


PARTS = ("part-000000.parquet", "part-000001.parquet")
OTHER_NAMES = st.sampled_from(["part-000002.parquet", "part-000000 (2).parquet", "copy.parquet",
                               "part-000009.parquet", "part-000001.parquet.tmp",
                               "notes.txt", "part-x.parquet", "PART-000000.parquet"])
"""Names a stray or copied file may have in parts/. None begins with a dot: such a file is
taken for a writer's stale scratch file and removed (Store.prepare), even by a resume that is
then refused."""
TAMPERING = st.one_of(
    st.tuples(st.just("delete"), st.sampled_from(PARTS)),
    st.tuples(st.just("duplicate"), st.sampled_from(PARTS), OTHER_NAMES),
    st.tuples(st.just("truncate"), st.sampled_from(PARTS), st.integers(0, 3000)),
    st.tuples(st.just("replace bytes"), st.sampled_from(PARTS), st.integers(0, 3000),
              st.binary(min_size=1, max_size=8)),
    st.tuples(st.just("swap in another sweep's"), st.sampled_from(PARTS)),
    st.tuples(st.just("stray file"), OTHER_NAMES, st.binary(max_size=64)),
    st.tuples(st.just("stray folder"), OTHER_NAMES),
    st.tuples(st.just("edit scenario"), st.sampled_from([
        ("boundary = 0.9", "boundary = 0.05"), ("weeks = 8", "weeks = 9"),
        ("[world]", "# a comment\n[world]"), ("Eli", "Eliza"), ("\n", "\n\n"),
        ("title", "tit le"), ("[[partners]]", "")])),
    st.tuples(st.just("edit declaration"), st.sampled_from([
        ("seed = 11", "seed = 12"), ("= 0.5", "= 0.6"), ("[0.2, 0.8]", "[0.8, 0.2]"),
        ("replicates = 1", "replicates = 2"), ("runs_per_part = 1", "runs_per_part = 2"),
        ("scenario", "# x\nscenario"), ("[vary]", "bogus = 1\n[vary]")])),
    st.tuples(st.just("cut declaration"), st.integers(0, 400)),
    st.tuples(st.just("results"), st.sampled_from(["garbage", "empty", "another sweep's"])))


def tamper(root: Path, other: Path, how: tuple) -> None:
    parts, kind = root / "out" / "parts", how[0]
    part = parts / how[1] if kind not in ("stray file", "stray folder", "edit scenario",
                                          "edit declaration", "cut declaration",
                                          "results") else None
    if (part is not None and not part.is_file()) or (kind.startswith(("stray", "duplicate"))
                                                     and (parts / how[-2 if kind == "stray file"
                                                                       else -1]).exists()):
        return  # made moot by an earlier tampering of this case
    if kind == "delete":
        part.unlink()
    elif kind == "duplicate":
        shutil.copy(part, parts / how[2])
    elif kind == "truncate":
        part.write_bytes(part.read_bytes()[:how[2]])
    elif kind == "replace bytes":
        data = part.read_bytes()
        at = how[2] % len(data)
        part.write_bytes(data[:at] + how[3] + data[at + len(how[3]):])
    elif kind == "swap in another sweep's":
        shutil.copy(other / "out" / "parts" / how[1], part)
    elif kind == "stray file":
        (parts / how[1]).write_bytes(how[2])
    elif kind == "stray folder":
        (parts / how[1]).mkdir(exist_ok=True)
    elif kind in ("edit scenario", "edit declaration"):
        edited = root / ("study/town.toml" if kind == "edit scenario" else "out/sweep.toml")
        edited.write_text(edited.read_text().replace(*how[1], 1))
    elif kind == "cut declaration":
        declaration = root / "out" / "sweep.toml"
        declaration.write_bytes(declaration.read_bytes()[:how[1]])
    elif how[1] == "another sweep's":  # finished in a scratch copy: `other` keeps its parts
        with tempfile.TemporaryDirectory() as scratch:
            shutil.copytree(other, scratch, dirs_exist_ok=True)
            invoke(["sweep", "--resume", "--workers", "1", "--quiet", "--out", "out"],
                   Path(scratch))
            shutil.copy(Path(scratch, "out", "results.parquet"), root / "out" / "results.parquet")
    else:
        (root / "out" / "results.parquet").write_bytes(b"PAR1 not a table" if how[1] ==
                                                        "garbage" else b"")


def check_tampered(tampering: list[tuple], untouched) -> None:
    from model.experiments import read_results

    mine, other, reference = untouched
    with sandbox() as root:
        shutil.copytree(mine, root, dirs_exist_ok=True)
        with sandbox() as other_copy:
            shutil.copytree(other, other_copy, dirs_exist_ok=True)
            for how in tampering:
                tamper(root, other_copy, how)
        code, _, err = check("tamper", ["sweep", "--resume", "--workers", "1", "--quiet",
                                        "--out", "out"], root, ("out/results.parquet",),
                             terminal=True, seconds=SECONDS)
        if code == 0:
            table = read_results(root / "out")[1]
            assert table.equals(reference), f"{tampering}: resumed to another table"


# --- the tests ------------------------------------------------------------------------------------
FAMILIES = {"text": (text_cases(), check_text_case), "seed": (seed_cases(), check_seed),
            "declaration": (declaration_cases(), check_declaration)}


@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_contract_holds_for_generated_input(family):
    strategy, test = FAMILIES[family]
    fuzz(strategy, test, CI[family])


def test_contract_holds_for_every_output_target_state(finished):
    fuzz(target_cases(), lambda case: check_target(case, finished), CI["target"])


TAMPERINGS = st.lists(TAMPERING, min_size=1, max_size=3)


def test_a_tampered_sweep_resumes_to_its_own_table_or_is_refused(untouched):
    fuzz(TAMPERINGS, lambda case: check_tampered(case, untouched), CI["tamper"])


@pytest.mark.slow
def test_many_tampered_sweeps_resume_to_their_own_table_or_are_refused(untouched):
    fuzz(TAMPERINGS, lambda case: check_tampered(case, untouched), SLOW["tamper"])


@pytest.mark.slow
@pytest.mark.parametrize("family", sorted(FAMILIES))
def test_contract_holds_for_many_generated_inputs(family):
    strategy, test = FAMILIES[family]
    fuzz(strategy, test, SLOW[family])


@pytest.mark.slow
def test_contract_holds_for_many_output_target_states(finished):
    fuzz(target_cases(), lambda case: check_target(case, finished), SLOW["target"])


@pytest.mark.slow
@pytest.mark.parametrize("state", STATES)
def test_knobs_writes_a_real_table_only_to_a_good_target(finished, state):
    check_target(("knobs", state, False, "as is"), finished, real_knobs=True)
