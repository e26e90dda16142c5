"""A user's text has limits and is shown as typed: in every figure, terminal and CSV file.

Names, roles, titles and the other texts of a scenario are checked against one declaration
(`model.parameters.TEXT_RULES`) wherever a scenario is built: a file, `--set`, the Python API,
a dashboard link or a dropped file. Figures draw `$x^$` as those four characters, a terminal is
shown an escape as `\\x1b`, and a spreadsheet never runs a cell beginning with `=` as a formula.
"""

from __future__ import annotations

import csv
import io
import time
import tomllib
from pathlib import Path

import pytest
import tomli_w
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from model import RelationshipModel
from model.cli.main import main
from model.parameters import MAX_TEXT_ITEMS, TEXT_RULES, ParameterError
from model.scenario import PRESET_DIR, from_dict, load
from model.text import csv_safe, for_csv_cell, for_terminal

HOSTILE = ("$x^$", r"$\frac{$", r"$\sqrt{$ a_b^c", "שלום 🙂 " + "x" * 30)
"""Partner names that once broke a figure (mathtext), read right to left, or hold an emoji;
each within the 40-character limit."""
HOSTILE_HEAD = r"$\alpha$_{x}"
"""A narcissist's name that mathtext would draw as a Greek letter with a subscript."""
HOSTILE_TITLE = r"Title $\frac{$ with $x^$ and a_b^c"
pytestmark = pytest.mark.filterwarnings("ignore:Glyph .* missing from font")
"""DejaVu Sans has no emoji: matplotlib draws a box and says so, which is not what is tested."""

FORMULAS = ("=1+1", "+SUM(A1)", "-2+3", "@cmd")
"""Names a spreadsheet would run as formulas (OWASP's CSV injection)."""


def classroom_raw() -> dict:
    return tomllib.loads((PRESET_DIR / "classroom.toml").read_text(encoding="utf-8"))


def hostile_raw(names=HOSTILE, head=HOSTILE_HEAD, title=HOSTILE_TITLE) -> dict:
    raw = classroom_raw()
    raw["title"] = title
    raw["narcissist"] = {**raw.get("narcissist", {}), "name": head}
    for partner, name in zip(raw["partners"], names, strict=True):
        partner["name"] = name
    return raw


@pytest.fixture(scope="module")
def hostile_model():
    model = RelationshipModel(scenario=from_dict(hostile_raw(), "hostile.toml"), rng=3)
    for _ in range(60):
        model.step()
    return model


# --- limits and character rules ---------------------------------------------------------------

def _too_long(raw: dict, key: str, length: int) -> dict:
    text = "A" * length
    if key in ("name", "role"):
        raw["partners"][0][key] = text
    elif key in ("notice", "try"):
        raw[key] = [text]
    else:
        raw[key] = text
    return raw


@pytest.mark.parametrize("key", sorted(TEXT_RULES))
def test_every_text_field_refuses_one_character_more_than_its_limit(key):
    limit = TEXT_RULES[key].length
    from_dict(_too_long(classroom_raw(), key, limit), "ok.toml")  # at the limit: fine
    with pytest.raises(ParameterError) as err:
        from_dict(_too_long(classroom_raw(), key, limit + 1), "long.toml")
    message = str(err.value)
    assert f"{limit + 1:,} characters" in message and f"at most {limit:,}" in message
    assert len(message) < 300, "the message repeats the long value"


def test_a_100_kb_name_is_refused_by_the_api_and_by_set_with_a_short_message():
    for path in ("partners.0.name", "narcissist.name", "partners.*.role"):
        with pytest.raises(ParameterError) as err:
            load("classroom", {path: "N" * 100_000})
        assert path in str(err.value) and "100,000 characters" in str(err.value)
        assert len(str(err.value)) < 200


@pytest.mark.parametrize("char", ["\t", "\r", "\n", "\x1b", "\x00", "\x7f", "\x85", "\u202e",
                                  "\u2066", "\u200f", "\u2028"])
def test_names_refuse_control_and_direction_characters(char):
    with pytest.raises(ParameterError) as err:
        load("classroom", {"partners.0.name": f"Ana{char}x"})
    assert f"U+{ord(char):04X}" in str(err.value)
    assert char not in str(err.value), "the message prints the character it refuses"


def test_free_text_allows_line_breaks_but_no_other_control_character():
    raw = classroom_raw()
    raw["description"] = "First paragraph.\n\nSecond paragraph."
    raw["notice"] = ["one line\nand another"]
    assert from_dict(raw).description == "First paragraph.\n\nSecond paragraph."
    for key in ("description", "notice", "try", "title"):
        raw = classroom_raw()
        raw[key] = ["tab\there"] if key in ("notice", "try") else "tab\there"
        with pytest.raises(ParameterError, match="U\\+0009"):
            from_dict(raw)
    raw = classroom_raw()
    raw["title"] = "two\nlines"
    with pytest.raises(ParameterError, match="one line of text"):
        from_dict(raw)


def test_a_scenario_lists_a_bounded_number_of_notices_and_tries():
    for key in ("notice", "try"):
        raw = classroom_raw()
        raw[key] = [f"item {i}" for i in range(MAX_TEXT_ITEMS + 1)]
        with pytest.raises(ParameterError, match=f"at most {MAX_TEXT_ITEMS}"):
            from_dict(raw)


def test_letters_of_every_script_emoji_and_dollars_are_allowed():
    spec = from_dict(hostile_raw())
    assert [p["name"] for p in spec.partners] == list(HOSTILE)
    assert spec.title == HOSTILE_TITLE


@pytest.mark.parametrize("where", ["set", "file-name", "file-title"])
def test_cli_refuses_long_text_up_front_leaving_nothing(tmp_path, capsys, where):
    args = ["run", "classroom"]
    if where == "set":
        args += ["--set", "partners.0.name=" + "N" * 100_000]
    else:
        raw = classroom_raw()
        if where == "file-name":
            raw["partners"][0]["name"] = "N" * 100_000
        else:
            raw["title"] = "T" * 200_000
        (tmp_path / "long.toml").write_text(tomli_w.dumps(raw), encoding="utf-8")
        args = ["run", str(tmp_path / "long.toml")]
    out = tmp_path / "out"
    assert main([*args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and len(err) < 300 and "characters" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == (["long.toml"] if where != "set"
                                                          else [])


# --- figures ------------------------------------------------------------------------------------

def assert_literal(fig, *texts: str) -> None:
    """The figure draws, every text in `texts` is in one of its Text artists as typed, and no
    artist that holds a `$` is drawn as mathtext."""
    FigureCanvasAgg(fig).draw()
    artists = fig.findobj(Text)
    shown = [t.get_text() for t in artists]
    for text in texts:
        assert any(text in s for s in shown), f"{text!r} is not drawn; drawn: {shown}"
    for artist in artists:
        assert artist._preprocess_math(artist.get_text())[1] is False, artist.get_text()


def test_run_figure_draws_hostile_names_and_title_literally(hostile_model):
    from model.plots.run import run_figure

    fig = run_figure(hostile_model.timeline(), hostile_model.supply_timeline(),
                     hostile_model.spec.title)
    assert_literal(fig, *HOSTILE, HOSTILE_HEAD, HOSTILE_TITLE)


def test_run_out_writes_a_figure_for_hostile_names(tmp_path):
    path = tmp_path / "hostile.toml"
    path.write_text(tomli_w.dumps(hostile_raw()), encoding="utf-8")
    assert main(["run", str(path), "--weeks", "40", "--out", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "run.png").stat().st_size > 20_000


@pytest.mark.parametrize("kind", ["phases", "wellbeing", "bond", "harm", "inner", "supply"])
def test_dashboard_charts_draw_hostile_names_literally(hostile_model, kind):
    from dashboard.blit import Blitter
    from dashboard.chart_parts import PLAIN, cast_of
    from dashboard.run_charts import full_figure

    timeline = hostile_model.timeline().assign(rescue_hope=0.5)  # the page's frames add it
    supply = hostile_model.supply_timeline()
    fig = full_figure(kind, timeline, supply, 60, PLAIN)
    names = (HOSTILE_HEAD,) if kind == "supply" else HOSTILE
    assert_literal(fig, *names)
    live = Blitter(kind, cast_of(timeline, supply, 60), PLAIN)  # what playback draws
    assert live.render(timeline, supply).startswith(b"\x89PNG")
    assert_literal(live.live.figure, *names)


def test_dashboard_network_compare_and_sweep_charts_draw_literally(hostile_model):
    import pandas as pd

    from dashboard.charts import compare_chart, sweep_chart
    from dashboard.components.network import network_figure
    from dashboard.frames import Frame

    timeline, supply = hostile_model.timeline(), hostile_model.supply_timeline()
    frame = Frame(60, 60, False, timeline, supply, (), None, HOSTILE)
    assert_literal(network_figure(frame), *HOSTILE, HOSTILE_HEAD)
    assert_literal(compare_chart(timeline, 60, HOSTILE_TITLE, start=10), *HOSTILE,
                   HOSTILE_TITLE)
    summary = pd.DataFrame({"outcome": "harm", "value": [0.1, 0.5], "mean": [0.3, 0.2],
                            "low": [0.2, 0.1], "high": [0.4, 0.3]})
    assert_literal(sweep_chart(summary, "harm", HOSTILE_TITLE, setting=HOSTILE[0]),
                   HOSTILE_TITLE, HOSTILE[0])


@pytest.fixture(scope="module")
def hostile_sweep(tmp_path_factory):
    """A small sweep of the hostile scenario, its title hostile too, with results.csv."""
    folder = tmp_path_factory.mktemp("hostile-sweep")
    raw = hostile_raw(names=FORMULAS[:2] + HOSTILE[:2])
    (folder / "hostile.toml").write_text(tomli_w.dumps(raw), encoding="utf-8")
    declaration = {"title": HOSTILE_TITLE, "scenario": "hostile.toml", "design": "sobol",
                   "samples": 8, "weeks": 30, "seed": 1, "outcomes": ["harm", "cycles"],
                   "vary": {"partners.*.boundary": {"start": 0.0, "stop": 1.0},
                            "narcissist.reinforcement": {"start": 0.0, "stop": 1.0}}}
    (folder / "sweep.toml").write_text(tomli_w.dumps(declaration), encoding="utf-8")
    out = folder / "results"
    assert main(["sweep", str(folder / "sweep.toml"), "--out", str(out), "--workers", "1",
                 "--csv", "--quiet"]) == 0
    return out


def test_sweep_figures_draw_hostile_titles_and_names(hostile_sweep, tmp_path, monkeypatch):
    from model.plots import sweeps

    drawn = []  # the figures the commands draw, kept to read their texts
    for name in ("indices_figure", "bands_figure"):
        original = getattr(sweeps, name)
        monkeypatch.setattr(sweeps, name, lambda *a, _f=original, **k: drawn.append(_f(*a, **k))
                            or drawn[-1])
    assert main(["sensitivity", str(hostile_sweep), "--resamples", "20", "--outcomes", "harm",
                 "--out", str(tmp_path / "s")]) == 0
    assert main(["plot", str(hostile_sweep), "--by", "partner", "--outcomes", "harm",
                 "--out", str(tmp_path / "by.png")]) == 0
    assert main(["plot", str(hostile_sweep), "--outcomes", "harm",
                 "--out", str(tmp_path / "plain.png")]) == 0
    assert (tmp_path / "by.png").stat().st_size > 10_000
    assert len(drawn) == 3
    assert_literal(drawn[0], HOSTILE_TITLE)
    assert_literal(drawn[1], HOSTILE_TITLE, *HOSTILE[:2])


# --- CSV ----------------------------------------------------------------------------------------

def test_csv_cells_a_spreadsheet_would_run_are_neutralised():
    assert [for_csv_cell(s) for s in FORMULAS] == ["'" + s for s in FORMULAS]
    assert for_csv_cell("Ana") == "Ana" and for_csv_cell(-0.5) == -0.5
    assert for_csv_cell("\tx") == "'\tx" and for_csv_cell("\rx") == "'\rx"


def _cells(path: Path) -> set[str]:
    with path.open(newline="", encoding="utf-8") as file:
        return {cell for row in csv.reader(file) for cell in row}


def test_run_outputs_neutralise_formula_names(tmp_path):
    raw = hostile_raw(names=FORMULAS, head="=HYPERLINK(x)")
    path = tmp_path / "formulas.toml"
    path.write_text(tomli_w.dumps(raw), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(path), "--weeks", "30", "--out", str(out)]) == 0
    for table in ("outcomes", "timeline", "supply", "events"):
        cells = _cells(out / f"{table}.csv")
        assert not [c for c in cells if c.startswith(("=", "+", "@"))
                    or (c.startswith("-") and not _number(c))], table
    outcomes = _cells(out / "outcomes.csv")
    assert {"'" + s for s in FORMULAS} <= outcomes and "'=HYPERLINK(x)" in outcomes


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def test_sweep_csv_neutralises_formula_names(hostile_sweep):
    cells = _cells(hostile_sweep / "results.csv")
    assert {"'" + s for s in FORMULAS[:2]} <= cells
    assert not [c for c in cells if c.startswith(("=", "+", "@"))]


def test_dashboard_downloads_neutralise_formula_names(hostile_model):
    from dashboard.components.exports import _csv

    outcomes = hostile_model.outcomes().assign(name=list(FORMULAS))
    cells = {c for row in csv.reader(io.StringIO(_csv(outcomes))) for c in row}
    assert {"'" + s for s in FORMULAS} <= cells
    assert "0" in cells or "0.0" in cells or any(_number(c) for c in cells)
    assert csv_safe(outcomes)["harm"].equals(outcomes["harm"]), "numbers were changed"


# --- terminal -----------------------------------------------------------------------------------

def test_terminal_text_shows_escapes_and_overrides_visibly():
    assert for_terminal("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert for_terminal("txt.\u202eexe") == "txt.\\u202eexe"
    assert for_terminal("ok\nשלום 🙂 $x^$") == "ok\nשלום 🙂 $x^$"
    assert for_terminal("bell\x07 cr\r") == "bell\\x07 cr\\r"


def test_run_prints_story_lines_through_the_terminal_guard(monkeypatch, capsys):
    import model.events

    monkeypatch.setattr(model.events, "condensed_story",
                        lambda events, limit: ["week 1: \x1b]0;owned\x07 \u202eevil"])
    assert main(["run", "classroom", "--weeks", "5"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    assert "\\x1b]0;owned\\x07 \\u202eevil" in out


def test_refused_escape_in_a_name_is_not_echoed_raw(capsys):
    assert main(["run", "classroom", "--set", "partners.0.name=a\x1b[31mred\u202e"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\u202e" not in err and "U+001B" in err


# --- dashboard ------------------------------------------------------------------------------------

def test_share_link_with_a_10000_character_name_is_refused_fast():
    from urllib.parse import urlencode

    from dashboard.share import settings_from_query

    query = urlencode([("preset", "classroom"), ("set", "partners.0.name=" + "N" * 10_000)])
    started = time.perf_counter()
    settings, problem = settings_from_query(query)
    assert time.perf_counter() - started < 1.0
    assert settings.overrides == () and problem is not None and len(problem) < 300
    assert "at most 40 characters" in problem
    settings, problem = settings_from_query(urlencode([("set", f"partners.0.name={HOSTILE[0]}")]))
    assert problem is None and settings.scenario().partners[0]["name"] == HOSTILE[0]


@pytest.mark.parametrize("key", ["name", "title"])
def test_dropped_file_with_long_text_is_refused_fast(key):
    from dashboard.settings import Settings

    raw = _too_long(classroom_raw(), key, 10_000 if key == "name" else 200_000)
    started = time.perf_counter()
    with pytest.raises(ParameterError) as err:
        Settings().with_file("long.toml", tomli_w.dumps(raw))
    assert time.perf_counter() - started < 1.0
    assert len(str(err.value)) < 300 and "characters" in str(err.value)


def test_a_sweep_title_keeps_the_rule_of_a_scenario_title():
    from model.experiments import Sweep

    with pytest.raises(ParameterError, match="200,000 characters"):
        Sweep(title="T" * 200_000).checked()
    assert Sweep(title=HOSTILE_TITLE).checked().title == HOSTILE_TITLE


@pytest.mark.parametrize("assignment", [
    "partners.0.nmae=" + "x" * 100_000,       # an unknown name, with a long value
    "partners.0.boundary=" + "9" * 100_000,   # a long value where a number belongs
    "p" * 100_000,                            # no "=" at all
    "narcissist.subtype=" + "[1, " * 30_000 + "1]",  # a long list, no quotes to shorten
])
def test_a_long_value_comes_back_short_in_the_one_line(assignment, capsys):
    from model.cli.main import main

    assert main(["run", "classroom", "--weeks", "1", "--set", assignment]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and len(err) < 1100, err[:300]
