"""The documentation cannot drift from the code: generated parts match, every name is described."""

import re
from pathlib import Path

import pytest

from model import dynamics, phases, relationship
from model import model as model_module
from model.cli.docs import (calibration_constants, parameters_page, recovery_table_markdown,
                        transitions_table_markdown)
from model.parameters import GROUPS

DOCS = Path(__file__).resolve().parent.parent / "docs"
REGENERATE = "docs/parameters.md is stale: run `python -m model.cli.docs > docs/parameters.md`"


@pytest.fixture(scope="module")
def odd() -> str:
    return (DOCS / "ODD.md").read_text(encoding="utf-8")


def test_parameters_page_matches_the_declarations():
    assert (DOCS / "parameters.md").read_text(encoding="utf-8") == parameters_page(), REGENERATE


def test_parameters_page_has_one_row_per_parameter():
    page = parameters_page()
    for group, table in GROUPS.items():
        for name in table:
            assert f"| `{name}` |" in page, f"{group}.{name} has no row"


def test_every_parameter_is_named_in_the_odd(odd):
    missing = [f"{group}.{name}" for group, table in GROUPS.items() for name in table
               if f"`{name}`" not in odd]
    assert not missing, f"docs/ODD.md never mentions: {', '.join(missing)}"


def test_every_calibration_constant_is_named_in_the_odd(odd):
    constants = calibration_constants()
    assert constants, "no constants found in model/dynamics.py"
    missing = [name for name, _, _ in constants if f"`{name}`" not in odd]
    assert not missing, f"docs/ODD.md never mentions: {', '.join(missing)}"


def test_constant_values_stated_in_the_odd_match_the_code(odd):
    modules = (dynamics, relationship, model_module, phases)
    stated = re.findall(r"`([A-Z][A-Z0-9_]+)` = ([0-9]+(?:\.[0-9]+)?)", odd)
    assert stated, "the ODD states no constant values"
    for name, text in stated:
        owner = next((m for m in modules if hasattr(m, name)), None)
        assert owner is not None, f"docs/ODD.md names {name}, which the code does not define"
        assert float(text) == pytest.approx(float(getattr(owner, name))), (
            f"docs/ODD.md says {name} = {text}, the code says {getattr(owner, name)}")


def test_phase_and_recovery_tables_in_the_odd_match_the_code(odd):
    assert transitions_table_markdown() in odd
    assert recovery_table_markdown() in odd


def test_mechanisms_page_has_all_nineteen_with_an_experiment():
    text = (DOCS / "mechanisms.md").read_text(encoding="utf-8")
    sections = re.split(r"^## ", text, flags=re.MULTILINE)[1:]
    numbers = [int(re.match(r"(\d+)\. \S", s).group(1)) for s in sections]
    assert numbers == list(range(1, 20))
    for section in sections:
        assert "Try:" in section, section.splitlines()[0]
