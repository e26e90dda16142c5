"""The command line as a user meets it: `python -m model run|list|... --help`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from model.cli.main import main

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "model", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=120)


def test_list_names_every_preset_with_its_title(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for name in ("classroom", "community", "rescue_fantasy", "conditioned_partner",
                 "no_contact", "intermittent", "somatic_vs_cerebral"):
        assert name in out
    assert "Classroom" in out


def test_run_prints_outcomes_and_story_and_writes_every_output(tmp_path):
    out = tmp_path / "run"
    result = run_cli("run", "classroom", "--weeks", "104", "--seed", "5", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "The story of the run" in result.stdout
    assert "Alex meets Ana" in result.stdout
    tables = ("outcomes.csv", "timeline.csv", "events.csv", "supply.csv")
    assert {p.name for p in out.iterdir()} == {*tables, *(f"{t}.json" for t in tables),
                                               "run.png", "scenario.toml", "run.json"}
    timeline = pd.read_csv(out / "timeline.csv")
    assert timeline["step"].max() == 104
    assert (out / "run.png").stat().st_size > 20_000
    assert not list(tmp_path.glob(".run-*")), "staging folder left behind"


def test_exported_scenario_reproduces_the_run(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert main(["run", "classroom", "--weeks", "80", "--seed", "9",
                 "--set", "partners.0.boundary=0.75", "--out", str(first)]) == 0
    assert main(["run", str(first / "scenario.toml"), "--seed", "9", "--out", str(second)]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(first / "outcomes.csv"),
                                  pd.read_csv(second / "outcomes.csv"))


def test_set_changes_the_run(capsys):
    assert main(["run", "classroom", "--weeks", "10", "--set", "partners.0.boundary=0.8"]) == 0
    out = capsys.readouterr().out
    assert " Ana      0.80" in out or "Ana  0.8" in out.replace("   ", "  ")


@pytest.mark.parametrize("args, named", [
    (["run", "classrom"], "classrom"),
    (["run", "classroom", "--set", "partners.0.boundry=0.5"], "boundry"),
    (["run", "classroom", "--set", "partners.0.boundary=1.5"], "partners.0.boundary"),
    (["run", "classroom", "--set", "partners.0.boundary=nan"], "partners.0.boundary"),
    (["run", "classroom", "--set", "partners.9.boundary=0.5"], "partners.9.boundary"),
    (["run", "classroom", "--set", "narcissist.subtype=mixed"], "narcissist.subtype"),
    (["run", "classroom", "--set", "boundary"], "boundary"),
    (["run", "classroom", "--weeks", "0"], "--weeks"),
    (["run", "classroom", "--weeks", "ten"], "--weeks"),
    (["run", "classroom", "--seed", "x"], "--seed"),
    (["runn"], "runn"),
    (["run", "missing.toml"], "missing.toml"),
])
def test_user_mistakes_exit_2_with_one_line_and_no_output(tmp_path, capsys, args, named):
    out = tmp_path / "out"
    assert main([*args, "--out", str(out)] if args[0] == "run" else args) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), lines
    assert named in lines[0]
    assert not out.exists()


def test_a_mistake_shows_no_traceback_from_the_shell():
    result = run_cli("run", "classroom", "--set", "partners.0.boundary=2")
    assert result.returncode == 2
    assert result.stderr.startswith("error:") and "Traceback" not in result.stderr


def test_broken_scenario_file_is_named_with_its_key(tmp_path, capsys):
    broken = tmp_path / "broken.toml"
    broken.write_text('title = "x"\n[[partners]]\nboundary = 3\n', encoding="utf-8")
    assert main(["run", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "broken.toml" in err and "boundary = 3" in err and "from 0 to 1" in err
    bad_toml = tmp_path / "bad.toml"
    bad_toml.write_text("title = \n", encoding="utf-8")
    assert main(["run", str(bad_toml)]) == 2
    assert "not a valid TOML file" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["run", "list", "sweep", "sensitivity", "plot", "validate"])
def test_every_command_explains_itself(command, capsys):
    with pytest.raises(SystemExit) as stop:
        main([command, "--help"])
    assert stop.value.code == 0
    assert "usage:" in capsys.readouterr().out


def test_out_that_is_a_file_is_refused_and_left_alone(tmp_path, capsys):
    existing = tmp_path / "notes.txt"
    existing.write_text("keep me", encoding="utf-8")
    assert main(["run", "classroom", "--weeks", "5", "--out", str(existing)]) == 2
    assert "notes.txt" in capsys.readouterr().err
    assert existing.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_no_help_text_shows_an_escaped_percent_sign():
    # argparse expands %% in `help=` but prints a `description=` as written: a doubled sign
    # there reached the screen as "95%%".
    from model.cli.main import build_parser

    parser = build_parser()
    commands = next(a for a in parser._actions if a.choices and isinstance(a.choices, dict))
    pages = [parser.format_help(), *(p.format_help() for p in commands.choices.values())]
    assert len(pages) > 5 and not [p for p in pages if "%%" in p]


# --- the names it goes by, and the extras it may need ----------------------------------------
def test_version_names_the_command_and_the_package_version(capsys):
    import model

    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"supply-cycle {model.__version__}\n"
    assert model.__version__ != "0+unknown"  # the installed metadata was found


def test_the_parser_calls_itself_supply_cycle(capsys):
    assert main(["run", "classroom", "--weeks", "zero"]) == 2
    assert capsys.readouterr().err.startswith("error: supply-cycle run: argument --weeks")
    with pytest.raises(SystemExit):
        main(["dashboard", "--help"])
    shown = capsys.readouterr().out
    assert "usage: supply-cycle dashboard" in shown
    assert all(option in shown for option in ("--host", "--port", "--help-services"))


def test_an_example_sweep_is_found_by_its_name(tmp_path, capsys):
    assert main(["sweep", "boundary", "--weeks", "3", "--reps", "1", "--workers", "1",
                 "--quiet", "--out", str(tmp_path / "res")]) == 0
    shown = capsys.readouterr().out
    assert "Sweep done: 33 runs" in shown and "Next: supply-cycle plot" in shown


def without(module: str, *argv: str) -> subprocess.CompletedProcess:
    """The command line in a process where `module` cannot be imported, as when its extra
    was not installed (Python treats a None in sys.modules as a module that is not there)."""
    code = (f"import sys; sys.modules[{module!r}] = None\n"
            "from model.cli.main import main\nsys.exit(main(sys.argv[1:]))")
    return subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_the_dashboard_without_its_extra_ends_with_one_line_naming_it():
    done = without("solara", "dashboard", "--port", "8765")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ('error: supply-cycle dashboard needs the "dashboard" extra, which is '
                           'not installed: pip install "supply-cycle[dashboard]"\n')


def test_a_dask_scheduler_without_its_extra_ends_with_one_line_and_writes_nothing(tmp_path):
    done = without("distributed", "sweep", "classroom", "--vary", "partners.0.boundary=0,1",
                   "--weeks", "3", "--scheduler", "tcp://127.0.0.1:8786", "--out",
                   str(tmp_path / "res"))
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert 'pip install "supply-cycle[dask]"' in done.stderr
    assert not (tmp_path / "res").exists()
