"""Notebooks are a first-class way in.

The example notebook runs top to bottom in a fresh Jupyter kernel (the project's own Python) and
shows its figures inline; the package leaves matplotlib's back end to its caller while the
command line keeps to files; the outcome table carries its own styles into a notebook cell; Mesa's
SolaraViz can rebuild the model. The notebook's running time is printed (`pytest -s`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import ipyvuetify as v
import nbformat
import pytest
import solara
from nbclient import NotebookClient
from test_contract import OUTCOME_COLUMNS

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "quickstart.ipynb"
WIDGET = "application/vnd.jupyter.widget-view+json"

WATCH = """\
import sys as _sys

_outside = []


def _watch(event, args):
    # Name every host the kernel tries to reach that is not this machine.
    if event in ("socket.getaddrinfo", "socket.connect"):
        where = args[0] if event == "socket.getaddrinfo" else args[1]
        host = where[0] if isinstance(where, tuple) else where
        if isinstance(host, str) and host not in ("localhost", "::1", "") \\
                and not host.startswith(("127.", "/")):
            _outside.append(f"{event} {host}")


_sys.addaudithook(_watch)
"""

FACTS = """\
import json as _json
import matplotlib as _matplotlib

print(_json.dumps({"python": _sys.executable, "outside": _outside, "rows": len(table),
                   "levels": sorted(table["partners.0.boundary"].unique().tolist()),
                   "runs": int(table["run"].nunique()), "backend": _matplotlib.get_backend()}))
"""


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> tuple[list, dict, float]:
    """The notebook run in a fresh python3 kernel as Jupyter would start it: no MPLBACKEND
    and no pytest variables (Solara behaves differently under pytest), Solara's state in a
    scratch folder. A watch on outside connections is added before the notebook's first cell,
    and a cell that reports what the kernel saw after its last."""
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    cells = list(notebook.cells)
    notebook.cells = [nbformat.v4.new_code_cell(WATCH), *cells,
                      nbformat.v4.new_code_cell(FACTS)]
    env = {k: val for k, val in os.environ.items()
           if k != "MPLBACKEND" and not k.startswith("PYTEST_")}
    env["SOLARA_HOME"] = str(tmp_path_factory.mktemp("solara-home"))
    client = NotebookClient(notebook, timeout=180, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    start = time.perf_counter()
    client.execute(env=env)
    seconds = time.perf_counter() - start
    print(f"\nnotebooks/quickstart.ipynb ran in {seconds:.1f} s")
    facts = json.loads("".join(o.get("text", "") for o in notebook.cells[-1].outputs))
    return notebook.cells[1:-1], facts, seconds


def cell(cells: list, text: str):
    (found,) = [c for c in cells if c.cell_type == "code" and text in c.source]
    return found


def kinds(found) -> set[str]:
    return {kind for output in found.outputs for kind in output.get("data", {})}


def test_the_committed_notebook_holds_no_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)
    assert notebook.metadata.kernelspec.name == "python3"


def test_every_cell_runs_in_the_projects_own_python(executed):
    cells, facts, seconds = executed
    code = [c for c in cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code), "a cell did not run"
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    assert Path(facts["python"]) == Path(sys.executable)
    assert seconds < 180


def test_the_outcome_table_has_the_contracts_columns(executed):
    cells, _, _ = executed
    html = "".join(o["data"]["text/html"] for o in cell(cells, "classroom.outcomes()").outputs
                   if "text/html" in o.get("data", {}))
    missing = [c for c in OUTCOME_COLUMNS if f"<th>{c}</th>" not in html]
    assert not missing, f"the outcome table shows no column {missing}"
    for name in ("Ana", "Bea", "Cara", "Dana"):
        assert f"<td>{name}</td>" in html


def test_figures_show_inline_and_plt_show_still_works(executed):
    cells, facts, _ = executed
    assert "image/png" in kinds(cell(cells, "run_figure(")), "the run figure did not show"
    assert "image/png" in kinds(cell(cells, "wellbeing.plot(")), "the next plt.show() drew nothing"
    assert facts["backend"].endswith("backend_inline"), facts["backend"]


def test_the_sweep_has_a_row_per_run_and_partner_and_a_progress_widget(executed):
    cells, facts, _ = executed
    assert facts["levels"] == [0.2, 0.8] and facts["runs"] == 6
    assert facts["rows"] == 2 * 3 * 4  # two boundaries x three replicates x four partners
    sweep = cell(cells, "execute(sweep")
    assert WIDGET in kinds(sweep), "the progress bar is not a widget"
    assert "text/html" in kinds(sweep), "the table of means did not show"


def test_the_explore_page_and_solaraviz_show_as_widgets(executed):
    cells, _, _ = executed
    assert WIDGET in kinds(cell(cells, "ExplorePage(preset="))
    assert WIDGET in kinds(cell(cells, "SolaraViz(SolaraVizModel"))


def test_nothing_leaves_the_machine(executed):
    cells, facts, _ = executed
    assert facts["outside"] == [], facts["outside"]
    text = json.dumps([o for c in cells if c.cell_type == "code" for o in c.outputs])
    assert "http://" not in text and "https://" not in text, "an output loads a page from outside"


# --- back end -----------------------------------------------------------------------------------
DRAW = """\
import matplotlib
from model import RelationshipModel
from model.plots.run import run_figure
m = RelationshipModel("classroom", rng=1).run(30)
run_figure(m.timeline(), m.supply_timeline(), "t")
print(matplotlib.get_backend())
"""


@pytest.mark.parametrize("backend", ["svg", "module://matplotlib_inline.backend_inline"])
def test_drawing_leaves_the_callers_back_end_alone(backend):
    env = {**os.environ, "MPLBACKEND": backend}
    shown = subprocess.run([sys.executable, "-c", DRAW], env=env, capture_output=True, text=True,
                           check=True).stdout.strip().splitlines()[-1]
    assert shown == backend


PRETEND_DISPLAY = """\
import importlib.util, sys

class Display:
    # Makes matplotlib believe a display is there (an X session): it would pick a window back end.
    def find_spec(self, name, path, target=None):
        if name != "matplotlib._c_internal_utils":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module
        def exec_module(module):
            run(module)
            module.display_is_valid = lambda: True
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, Display())
from model.cli.main import main
sys.exit(main(["run", "classroom", "--weeks", "20", "--out", sys.argv[1]]))
"""


def test_the_command_line_draws_to_files_even_with_a_display(tmp_path):
    env = {k: val for k, val in os.environ.items() if k != "MPLBACKEND"}
    env["DISPLAY"] = ":97"  # no X server answers there: a window back end would fail
    done = subprocess.run([sys.executable, "-c", PRETEND_DISPLAY, str(tmp_path / "out")],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-800:]
    assert (tmp_path / "out" / "run.png").stat().st_size > 10_000


# --- components alone ---------------------------------------------------------------------------
def test_the_outcome_table_brings_its_own_styles(kernel):
    from dashboard.components.outcome_table import OutcomeTable
    from model import RelationshipModel

    outcomes = RelationshipModel("classroom", rng=12).run(60).outcomes()
    box, rc = solara.render(OutcomeTable(outcomes, "How each relationship ended."),
                            handle_error=False)
    styles = [str(getattr(w.template, "template", w.template))
              for w in rc.find(v.VuetifyTemplate).widgets]
    assert any("<style" in s and ".outcome-table th" in s and "border-bottom" in s
               for s in styles), "the outcome table sends no style sheet of its own"
    table = rc.find(v.Html, class_="outcome-table").find(v.Html, class_="table-box")
    table.assert_single()  # inside the element its rules are scoped to
    rc.close()


def test_the_explore_page_alone_brings_the_page_styles_and_its_preset(kernel):
    from dashboard.notebook import ExplorePage

    box, rc = solara.render(ExplorePage(preset="intermittent", seed=5), handle_error=False)
    styles = [str(getattr(w.template, "template", w.template))
              for w in rc.find(v.VuetifyTemplate).widgets]
    # Without page.css every setting's explanation would show at once under its input.
    assert any(".param-meaning { display: none" in s for s in styles)
    assert rc.find(v.Select, label="preset").widget.v_model == "intermittent"
    assert rc.find(v.TextField, label="seed (same seed, same run)").widget.v_model == "5"
    (to_the_end,) = [b for b in rc.find(v.Btn).widgets if "Run to the end" in b.children]
    to_the_end.click()  # the page runs on its own, with no layout around it
    rc.find(v.Html, class_="outcome-table").assert_single()
    rc.close()


def test_a_wrong_preset_or_seed_for_the_notebook_page_is_named_in_one_line():
    from dashboard.notebook import starting_settings
    from model import ParameterError

    with pytest.raises(ParameterError, match=r"^preset = 'clasroom' is not a preset; known: "):
        starting_settings("clasroom")
    with pytest.raises(ParameterError, match=r"^seed = '-1' is not allowed: expected a whole"):
        starting_settings("classroom", -1)


def test_solaraviz_reset_rebuilds_the_model_with_the_sliders_value(kernel):
    from mesa.visualization import Slider, SolaraViz, make_plot_component

    from dashboard.notebook import SolaraVizModel

    model = solara.reactive(SolaraVizModel("classroom", rng=12))
    viz = SolaraViz(model, components=[make_plot_component(["mean_wellbeing", "mean_supply"])],
                    model_params={"preset": "classroom", "rng": 12, "partners.0.boundary":
                                  Slider("Ana's boundary", 0.1, 0.0, 1.0, 0.05)},
                    name="classroom")
    box, rc = solara.render(solara.AppLayout(children=[viz]), handle_error=False)

    def press(label: str) -> None:
        (button,) = [b for b in rc.find(v.Btn).widgets if b.children == [label]]
        button.click()

    for _ in range(3):
        press("Step")
    assert model.value.steps == 3
    rc.find(v.Slider, label="Ana's boundary").widget.v_model = 0.8
    press("Reset")
    rebuilt = model.value
    assert rebuilt.steps == 0 and rebuilt.seed == 12
    assert [p.boundary for p in rebuilt.partners][:2] == [0.8, 0.4]
    rc.close()
