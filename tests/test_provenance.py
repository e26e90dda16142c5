"""Every output says how it was made: version, code checksum, seed and settings (model.provenance).

A stamp must be present in each kind of output (run folders, Parquet metadata, CSV sidecars,
PNG text, the generated documents), parse as JSON, and name this version and this code; the
checksum must follow the code and nothing else; a sweep started by other code must not resume.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
from PIL import Image

import model
from model import provenance
from model.cli.main import main
from model.experiments import Range, Sweep, SweepError, execute

ROOT = Path(__file__).resolve().parent.parent
SMALL = Sweep("classroom", vary=(Range("partners.0.boundary", 0.0, 1.0, 2),), replicates=2,
              weeks=12, seed=5)
SWEEP_ARGS = ["sweep", "classroom", "--vary", "partners.0.boundary=0:1:2", "--reps", "2",
              "--weeks", "12", "--seed", "5", "--workers", "1", "--quiet"]


def assert_current(made: dict) -> None:
    """A stamp of this code: tool, version and checksum as the installed package has them."""
    assert made["tool"] == "supply-cycle"
    assert made["version"] == model.__version__
    assert made["code"] == provenance.code_checksum()
    assert re.fullmatch(r"[0-9a-f]{64}", made["code"])
    assert "settings" in made


def png_text(path_or_file) -> dict[str, str]:
    with Image.open(path_or_file) as image:
        image.load()
        return dict(image.text)


# --- the checksum ---------------------------------------------------------------------------
@pytest.fixture
def code_copy(tmp_path) -> tuple[Path, Path]:
    """A copy of the installed package and presets, to edit without touching the real ones."""
    ignore = shutil.ignore_patterns("__pycache__")
    package = shutil.copytree(provenance.PACKAGE_ROOT, tmp_path / "copy" / "model", ignore=ignore)
    presets = shutil.copytree(provenance.PRESET_ROOT, tmp_path / "copy" / "scenarios",
                              ignore=ignore)
    return Path(package), Path(presets)


def fresh_checksum(package: Path, presets: Path) -> str:
    provenance.checksum_of.cache_clear()
    return provenance.checksum_of(package, presets)


def test_the_checksum_does_not_depend_on_where_the_code_is(code_copy):
    assert fresh_checksum(*code_copy) == provenance.code_checksum()


@pytest.mark.parametrize("edit", ["model/scenario.py", "model/cli/sweep.py",
                                  "model/validation/facts/__init__.py",
                                  "scenarios/classroom.toml"])
def test_the_checksum_changes_with_any_source_file(code_copy, edit):
    """Any module of any subpackage and any preset, with no list kept by hand (scenario.py
    was missing from the old hand-kept list)."""
    package, presets = code_copy
    before = fresh_checksum(package, presets)
    path = package.parent / edit
    path.write_text(path.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert fresh_checksum(package, presets) != before


def test_the_checksum_changes_when_a_module_is_added_or_renamed(code_copy):
    package, presets = code_copy
    before = fresh_checksum(package, presets)
    (package / "experiments" / "extra.py").write_text("X = 1\n", encoding="utf-8")
    added = fresh_checksum(package, presets)
    assert added != before
    (package / "experiments" / "extra.py").rename(package / "experiments" / "other.py")
    assert fresh_checksum(package, presets) not in (before, added)


def test_the_checksum_ignores_what_does_not_decide_a_run(code_copy):
    package, presets = code_copy
    before = fresh_checksum(package, presets)
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "agents.cpython-312.pyc").write_bytes(b"\0compiled")
    (package / "validation" / "facts" / "notes.md").write_text("prose\n", encoding="utf-8")
    (presets / "README.txt").write_text("not a preset\n", encoding="utf-8")
    assert fresh_checksum(package, presets) == before


def test_the_simulation_core_never_calls_provenance():
    """The stamp is added by what writes outputs; the model stays free of I/O and the clock."""
    for path in provenance.PACKAGE_ROOT.glob("*.py"):
        if path.name in ("provenance.py", "__main__.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module or ""] + [a.name for a in node.names]
                     if isinstance(node, ast.ImportFrom) else
                     [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            assert not any("provenance" in n for n in names), path.name


# --- run folders ----------------------------------------------------------------------------
def test_a_run_folder_is_stamped_everywhere(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["run", "classroom", "--weeks", "8", "--seed", "7", "--set",
                 "partners.0.boundary=0.8", "--out", str(out)]) == 0
    capsys.readouterr()
    made = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert_current(made)
    assert made["seed"] == 7 and made["weeks"] == 8 and "created" in made
    assert made["settings"]["overrides"] == {"partners.0.boundary": 0.8, "world.weeks": 8}
    assert made["settings"]["resolved"]["seed"] == 7
    assert made["settings"]["resolved"]["partners"][0]["boundary"] == 0.8
    for name in ("outcomes", "timeline", "events", "supply"):
        assert json.loads((out / f"{name}.csv.json").read_text(encoding="utf-8")) == made
    described = json.loads(png_text(out / "run.png")["Description"])
    assert described == made


# --- sweeps ---------------------------------------------------------------------------------
def test_sweep_tables_carry_the_stamp_and_csv_comes_on_request(tmp_path, capsys):
    out = tmp_path / "sweep"
    assert main([*SWEEP_ARGS, "--out", str(out)]) == 0
    assert not (out / "results.csv").exists()  # only on request
    metadata = pq.read_schema(out / "results.parquet").metadata
    made = json.loads(metadata[b"provenance"])
    assert_current(made)
    assert made["seed"] == 5 and "SeedSequence" in made["seed_scheme"]
    assert made["settings"]["sweep"]["vary"] == {"partners.0.boundary": {"start": 0.0, "stop": 1.0,
                                                                        "count": 2}}
    assert made["settings"]["scenario"]["partners"][0]["name"] == "Ana"
    assert b"pandas" in metadata  # the table still reads back with its types

    # --resume --csv on the finished sweep writes the CSV from the saved table
    assert main(["sweep", "--resume", "--csv", "--quiet", "--out", str(out)]) == 0
    assert "results.csv" in capsys.readouterr().out
    table = pd.read_parquet(out / "results.parquet")
    csv = pd.read_csv(out / "results.csv")
    assert list(csv.columns) == list(table.columns) and len(csv) == len(table)
    assert csv["seed"].tolist() == table["seed"].tolist()
    assert json.loads((out / "results.csv.json").read_text(encoding="utf-8")) == made

    figure = tmp_path / "bands.png"
    assert main(["plot", str(out), "--out", str(figure)]) == 0
    drawn = json.loads(png_text(figure)["Description"])
    assert_current(drawn)
    assert drawn["settings"]["command"] == "plot" and drawn["seed"] == 5


def test_sensitivity_outputs_are_stamped(tmp_path, capsys):
    out = tmp_path / "sobol"
    execute(Sweep("classroom", vary=(Range("partners.*.boundary", 0.0, 1.0),
                                     Range("narcissist.reinforcement", 0.0, 1.0)),
                  design="sobol", samples=4, weeks=12, seed=3, outcomes=("harm",)),
            out, workers=1)
    assert main(["sensitivity", str(out), "--outcomes", "harm", "--resamples", "20",
                 "--out", str(tmp_path / "s")]) == 0
    capsys.readouterr()
    table = json.loads((tmp_path / "s" / "sensitivity.csv.json").read_text(encoding="utf-8"))
    assert_current(table)
    assert table["seed"] == 3 and table["settings"]["resamples"] == 20
    assert json.loads(png_text(tmp_path / "s" / "sensitivity.png")["Description"]) == table


def test_a_sweep_with_csv_writes_it_beside_the_parquet(tmp_path, capsys):
    out = tmp_path / "sweep"
    assert main([*SWEEP_ARGS, "--csv", "--out", str(out)]) == 0
    capsys.readouterr()
    assert {p.name for p in out.iterdir()} == {"sweep.toml", "results.parquet", "results.csv",
                                               "results.csv.json"}
    pd.testing.assert_frame_equal(pd.read_csv(out / "results.csv")[["run", "seed", "harm"]],
                                  pd.read_parquet(out / "results.parquet")[["run", "seed",
                                                                            "harm"]])


def test_a_csv_that_cannot_be_written_whole_is_absent(tmp_path, monkeypatch):
    """A failure while writing leaves no results.csv and no temporary file behind."""
    from model.experiments import Store

    out = tmp_path / "sweep"
    execute(SMALL, out, workers=1)

    def broken(self, *args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    with pytest.raises(OSError):
        Store(out).write_csv()
    assert not (out / "results.csv").exists()
    assert not list(out.glob(".*tmp"))


def test_a_sweep_made_by_other_code_is_not_resumed(tmp_path, code_copy, monkeypatch):
    out = tmp_path / "sweep"
    execute(SMALL, out, workers=1)
    assert execute(SMALL, out, workers=1, resume=True).resumed_runs == 4  # same code: fine
    package, _ = code_copy
    (package / "dynamics.py").write_text("# another model\n", encoding="utf-8")
    provenance.checksum_of.cache_clear()
    monkeypatch.setattr(provenance, "PACKAGE_ROOT", package)
    with pytest.raises(SweepError, match="another version of the model's code"):
        execute(SMALL, out, workers=1, resume=True)


# --- generated documents --------------------------------------------------------------------
def test_the_validation_report_and_its_figures_are_stamped_without_a_clock(tmp_path):
    from model import validation as v
    from model.validation.report import Settings, write_report

    results = {"charm_then_decline": v.run_fact("charm_then_decline", 5, master=2)}
    write_report(results, {}, Settings(5, 0, 2, 2), tmp_path / "a")
    text = (tmp_path / "a" / "README.md").read_text(encoding="utf-8")
    made = provenance.read_doc_line(text)
    assert made is not None
    assert_current(made)
    assert made["seed"] == 2 and "created" not in made
    assert made["settings"]["facts"] == ["charm_then_decline"]
    figure = json.loads(png_text(tmp_path / "a" / "charm_then_decline.png")["Description"])
    assert figure == made
    write_report(results, {}, Settings(5, 0, 2, 2), tmp_path / "b")
    for name in ("README.md", "charm_then_decline.png"):  # the same code gives the same files
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_the_knob_table_is_stamped():
    from model.validation import knobs as k

    knobs = [x for x in k.design(["no_contact"]) if x.name == "no_contact"]
    text = k.markdown(k.run_table(knobs, master=3, small=2, workers=1), 3, 2, 1)
    made = provenance.read_doc_line(text)
    assert made is not None
    assert_current(made)
    assert made["seed"] == 3 and made["settings"] == {"command": "knobs",
                                                      "presets": ["no_contact"],
                                                      "seeds": 2, "big_seeds": 1}


@pytest.mark.parametrize("doc", ["docs/knobs.md", "docs/validation/README.md"])
def test_committed_generated_documents_carry_a_well_formed_stamp(doc):
    """The values change with every commit of the code, so only the form is checked here;
    the tests above check that the generators write the current values."""
    made = provenance.read_doc_line((ROOT / doc).read_text(encoding="utf-8"))
    assert made is not None, f"{doc}: no provenance line"
    assert made["tool"] == "supply-cycle" and re.fullmatch(r"\d+\.\d+\.\d+", made["version"])
    assert re.fullmatch(r"[0-9a-f]{64}", made["code"])
    assert isinstance(made["seed"], int) and made["seed_scheme"] and made["settings"]


# --- the dashboard's downloads --------------------------------------------------------------
def test_dashboard_png_downloads_carry_the_stamp():
    import io

    from matplotlib.figure import Figure

    from dashboard.components.download import stamped_png
    from dashboard.components.exports import run_stamp
    from dashboard.settings import Settings

    buffer = io.BytesIO()
    Figure(figsize=(2, 1)).savefig(buffer, format="png")
    settings = Settings(preset="classroom", seed=9,
                        overrides=(("partners.1.boundary", 0.7),))
    made = run_stamp(settings.stem, settings, week=30)
    picture = stamped_png(buffer.getvalue(), made)
    assert json.loads(png_text(io.BytesIO(picture))["Description"]) == json.loads(
        json.dumps(made))
    assert_current(made)
    assert made["seed"] == 9 and made["settings"]["overrides"] == {"partners.1.boundary": 0.7}
    assert made["settings"]["resolved"]["partners"][1]["boundary"] == 0.7


# --- citation, licence, changelog -----------------------------------------------------------
def test_citation_file_is_valid_and_names_this_version():
    yaml = pytest.importorskip("yaml")
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    for key in ("cff-version", "message", "title", "version", "authors", "license",
                "date-released", "abstract", "keywords"):
        assert cff.get(key), key
    assert cff["cff-version"] == "1.2.0"
    assert str(cff["version"]) == model.__version__
    assert cff["license"] == "MIT"
    assert all("name" in a or "family-names" in a for a in cff["authors"])


def test_license_and_changelog_match_the_package():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    newest = re.search(r"^## \[(\d+\.\d+\.\d+)\]", changelog, flags=re.MULTILINE)
    assert newest and newest.group(1) == model.__version__
