"""Pronouns are settings: the story uses each person's own, and nothing else changes.

The narration has no built-in gender. These tests run the same scenarios with every pronoun
choice and read the story's text: a line may only use the pronouns of the people it is about,
"they" takes plural verbs, the default classroom story reads as it always did, and every
outcome is identical whatever the pronouns (they are words, not dynamics).
"""

from __future__ import annotations

import re

import ipyvuetify as v
import pandas as pd
import pytest
import solara
import solara.server.kernel
import solara.server.kernel_context

from model import RelationshipModel
from model.parameters import GROUPS, ParameterError
from model.pronouns import FORMS
from model.scenario import load
from model.validation import knobs

WORD = re.compile(r"\b(he|him|his|she|her|hers|they|them|their|theirs)\b")
CHOICES = GROUPS["partner"]["pronouns"].choices
RUNS = (("community", 1), ("no_contact", 6), ("somatic_vs_cerebral", 1))
"""Scenarios and seeds whose stories, together, contain every line that uses a pronoun."""


def everyone(pronouns: str) -> dict[str, str]:
    return {"narcissists.*.pronouns": pronouns, "partners.*.pronouns": pronouns}


def story(overrides: dict[str, str]) -> list[tuple[RelationshipModel, list]]:
    return [(m, m.events) for m in
            (RelationshipModel(preset, rng=seed, **overrides).run() for preset, seed in RUNS)]


def words_of(pronouns: str) -> set[str]:
    forms = FORMS[pronouns]
    return {forms.subject, forms.object, forms.possessive}


def foreign_pronouns(m: RelationshipModel) -> list[str]:
    """Lines using a pronoun that none of the people they are about uses."""
    people = {a.name: a.pronouns for a in (*m.narcissists, *m.partners)}
    bad = []
    for e in m.events:
        allowed = set().union(*(words_of(people[name]) for name in e.who))
        used = set(WORD.findall(e.text))
        if used - allowed:
            bad.append(f"{e.kind}: {e.text} (about {', '.join(e.who)})")
    return bad


def test_every_choice_the_setting_allows_has_its_forms():
    assert set(CHOICES) == set(GROUPS["narcissist"]["pronouns"].choices) == set(FORMS)
    assert GROUPS["narcissist"]["pronouns"].basis == "modelling choice"
    assert GROUPS["partner"]["pronouns"].basis == "modelling choice"


@pytest.mark.parametrize("pronouns", CHOICES)
def test_the_story_uses_only_the_chosen_pronouns(pronouns):
    runs = story(everyone(pronouns))
    texts = [e.text for _, events in runs for e in events]
    found = {w for t in texts for w in WORD.findall(t)}
    assert found == words_of(pronouns), f"{pronouns}: story uses {sorted(found)}"
    for m, _ in runs:
        assert not foreign_pronouns(m)


def test_the_test_runs_cover_every_line_that_uses_a_pronoun():
    """Otherwise a line could keep a fixed "she" and the tests above would never read it."""
    texts = [e.text for _, events in story(everyone("they/them")) for e in events]
    expected = [
        r"and showers them with attention",
        r"turns their rage on",
        r"and they now belittle their looks\.$",
        r"and they now belittle their intelligence\.$",
        r": they end the relationship abruptly\.$",
        r"stops trying to win them back\.$",
        r"; they keep no contact and do not answer\.$",
        r"the gap between their self-image and their life widens\.$",
        r"has healed: they can trust and love again, though they remember\.$",
    ]
    missing = [p for p in expected if not any(re.search(p, t) for t in texts)]
    assert not missing, f"no line of the test runs matches {missing}"


def test_they_takes_plural_verbs():
    texts = [e.text for _, events in story(everyone("they/them")) for e in events]
    wrong = [t for t in texts if re.search(r"\bthey (now )?(is|was|has|does|\w+[^s]s)\b", t)]
    assert not wrong, wrong[:5]


def test_mixed_pronouns_each_follow_their_own_person():
    """The any_gender preset (she/her agent, he/him and they/them partners), and the reverse."""
    for overrides in ({}, {"narcissists.*.pronouns": "they/them",
                           "partners.0.pronouns": "she/her", "partners.1.pronouns": "he/him"}):
        for seed in range(5):
            m = RelationshipModel("any_gender", rng=seed, **overrides).run()
            assert not foreign_pronouns(m), (overrides, seed)
    m = RelationshipModel("any_gender", rng=42).run()
    assert any("Sam turns on Robin" in e.text and "she now belittles their" in e.text
               for e in m.events)


def test_the_default_classroom_story_is_unchanged():
    """The lines the classroom has always shown, word for word, at its own seed (he/him for the
    narcissist agent, she/her for the partners, as the declarations' defaults say)."""
    seed = load("classroom").seed
    texts = {e.text for e in RelationshipModel("classroom", rng=seed).run().events}
    for line in [
        "Alex meets Ana (spouse) and showers her with attention: idealization begins.",
        "Alex turns his rage on Bea.",
        "Alex answers Dana's refusal with rage.",
        "Alex turns on Bea: the ideal image has failed, and he now belittles her intelligence.",
        "Alex discards Cara: he ends the relationship abruptly.",
        "Dana has healed: she can trust and love again, though she remembers.",
        "Alex no longer sees any supply in Cara and stops trying to win her back.",
        "Alex suffers a setback at work; the gap between his self-image and his life widens.",
    ]:
        assert line in texts, line
    explicit = RelationshipModel("classroom", rng=seed, **{"narcissists.*.pronouns": "he/him",
                                                           "partners.*.pronouns": "she/her"}).run()
    assert [e.text for e in explicit.events] == [
        e.text for e in RelationshipModel("classroom", rng=seed).run().events]


@pytest.mark.parametrize("preset, seed", [("classroom", 2), ("community", 3), ("any_gender", 42),
                                          ("intermittent", 5)])
def test_outcomes_are_identical_whatever_the_pronouns(preset, seed):
    """Pronouns must not move the dynamics: the same seed gives the same tables."""
    runs = [RelationshipModel(preset, rng=seed, **everyone(p)).run() for p in CHOICES]
    first = runs[0]
    for other in runs[1:]:
        pd.testing.assert_frame_equal(first.outcomes().drop(columns="pronouns"),
                                      other.outcomes().drop(columns="pronouns"))
        pd.testing.assert_frame_equal(first.timeline(), other.timeline())
        pd.testing.assert_frame_equal(first.supply_timeline(), other.supply_timeline())
        assert [(e.week, e.kind, e.who, e.important) for e in first.events] == [
            (e.week, e.kind, e.who, e.important) for e in other.events]
    assert [set(r.outcomes().pronouns) for r in runs] == [{p} for p in CHOICES]


def test_an_unknown_pronoun_is_refused_with_the_allowed_ones():
    with pytest.raises(ParameterError, match=r"partners\.\*\.pronouns = 'xe/xem' is not allowed: "
                                             r"expected one of 'he/him', 'she/her', 'they/them'"):
        RelationshipModel("classroom", **{"partners.*.pronouns": "xe/xem"})


def test_pronouns_are_wording_not_knobs():
    """Like names, they are exempt from the knob table (the outcome test above is their check)."""
    assert "pronouns" in knobs.WORDING
    assert not [k for k in knobs.design() if k.name == "pronouns"]



def test_the_dashboard_shows_and_changes_each_persons_pronouns(kernel):
    from dashboard.layout import Page

    box, rc = solara.render(Page(), handle_error=False)
    rc.find(v.Select, label="preset").widget.v_model = "any_gender"
    for b in [b for b in rc.find(v.Btn).widgets if any("more (" in str(c) for c in b.children)]:
        b.click()
    selects = rc.find(v.Select, label="pronouns").widgets
    assert [s.v_model for s in selects] == ["she/her", "he/him", "they/them"]
    assert all(s.items == list(CHOICES) for s in selects)
    selects[2].v_model = "she/her"  # Robin
    rc.find(v.CardTitle, children=["Robin (partner)  (1 changed)"]).assert_single()
    rc.close()


# --- charts and exports: role words, or the pronouns of the person named -------------------------
GENDERED = re.compile(r"\b(he|him|his|she|her|hers|himself|herself)\b", re.IGNORECASE)
CHART_MODULES = (
    "dashboard/charts.py", "dashboard/run_charts.py", "dashboard/phase_chart.py",
    "dashboard/chart_parts.py", "dashboard/tables.py", "dashboard/sweep.py",
    "dashboard/describe.py", "dashboard/frames.py", "dashboard/texts.py",
    "dashboard/components/chart.py", "dashboard/components/chart_table.py",
    "dashboard/components/phase_legend.py", "dashboard/components/exports.py",
    "dashboard/components/download.py", "dashboard/components/outcome_table.py",
    "dashboard/components/event_log.py", "dashboard/components/network.py",
    "dashboard/components/prediction.py", "dashboard/pages/compare.py",
    "dashboard/pages/explore.py", "dashboard/pages/explore_live.py",
    "dashboard/pages/boundaries.py", "dashboard/classroom/charts.py",
    "dashboard/classroom/questions.py", "model/plots/run.py", "model/plots/sweeps.py",
    "model/plots/validation.py", "model/plots/palette.py", "model/cli/run.py",
)
"""The modules that write a chart's words (titles, legends, captions, table headers, alt texts
and tooltips): the scan below reads every string in them that is not a docstring."""


def wrong_pronouns(texts: list[str], people: dict[str, str]) -> list[str]:
    """Texts with a gendered word that is not the pronoun of someone the text names.

    A title over several people names no one, so it may use none: "His supply" above Sam, who
    uses she/her, is exactly the mistake this catches."""
    bad = []
    for text in texts:
        named = [p for name, p in people.items() if re.search(rf"\b{re.escape(name)}\b", text)]
        allowed = set().union(*(words_of(p) | {FORMS[p].object + "self"} for p in named))
        if {w.lower() for w in GENDERED.findall(text)} - allowed:
            bad.append(text)
    return bad


def figure_texts(fig) -> list[str]:
    """Every text a figure draws: titles, axis labels, ticks, legends, notes, band names."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    FigureCanvasAgg(fig).draw()  # makes the tick labels
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def table_texts(table: pd.DataFrame) -> list[str]:
    """A table's headers and its cells of words (a chart's table, an export's header row)."""
    cells = [str(v) for c in table.columns if table[c].dtype == object for v in table[c]]
    return [str(c) for c in table.columns] + cells


@pytest.fixture(scope="module")
def gender_frame():
    """The any_gender preset run to its end at its own seed, as the dashboard runs it."""
    from dashboard.frames import Run
    from dashboard.settings import Settings

    settings = Settings().with_preset("any_gender")
    return settings, Run(settings).step(10**6)


def run_chart_texts(frame) -> list[str]:
    """Explore: every live chart, the who-is-with-whom picture, their descriptions and tables,
    the captions, the phase legend, the outcome table and the story's symbols."""
    from dashboard import describe, tables
    from dashboard.chart_parts import cast_of
    from dashboard.components.network import network_figure
    from dashboard.run_charts import LIVE_CHARTS, full_figure
    from dashboard.texts import CAPTIONS
    from model.plots.palette import BAND_LABELS

    cast = cast_of(frame.timeline, frame.supply, frame.weeks)
    texts = [*CAPTIONS.values(), *BAND_LABELS.values(), *figure_texts(network_figure(frame)),
             describe.network_description(frame.timeline, frame.supply, frame.week),
             *table_texts(tables.outcome_table(frame.outcomes))]
    for kind in LIVE_CHARTS:
        fig = full_figure(kind, frame.timeline, frame.supply, frame.weeks, events=frame.events)
        texts += [*figure_texts(fig), describe.live_title(kind),
                  describe.live_description(kind, frame.timeline, frame.supply, frame.events,
                                            frame.week, frame.weeks, cast),
                  *table_texts(describe.live_table(kind, frame.timeline, frame.supply,
                                                   frame.week, cast))]
    return texts


def compare_and_sweep_texts(settings, frame) -> list[str]:
    """Compare and Boundaries: each chart's title for every setting of every person, the
    charts, their captions, descriptions and tables, and the differences table."""
    from dashboard import charts, describe, tables
    from dashboard.chart_parts import cast_of
    from dashboard.components.parameter_input import label_for
    from dashboard.pages import boundaries, compare
    from dashboard.settings import inputs
    from dashboard.sweep import OUTCOMES

    scenario, cast = settings.scenario(), cast_of(frame.timeline, frame.supply, frame.weeks)
    texts = [compare.DIFFERENCES_NOTE, *table_texts(tables.differences(frame.outcomes,
                                                                       frame.outcomes))]
    for label, slot in boundaries.sweep_choices(scenario).items():
        for param in (p for group in inputs(slot.group) for p in group):
            whom, short = boundaries.outcomes_of(f"{slot.prefix}.{param.name}", label)
            texts += [f"Run A: {label}, {label_for(param)} = 1", whom, short,
                      *(c.format(whom=whom) for c in boundaries.CAPTIONS.values())]
    title = f"Run A: {scenario.title}"
    texts += figure_texts(charts.compare_chart(frame.timeline, frame.weeks, title, start=50))
    texts += [describe.compare_description(title, frame.timeline, frame.outcomes, frame.weeks,
                                           cast, 50),
              *table_texts(describe.compare_table(frame.timeline, frame.supply, cast))]
    summary = pd.DataFrame([{"outcome": o, "value": v, "mean": 1.0, "low": 0.5, "high": 1.5,
                             "n": 2} for o in OUTCOMES for v in (0.2, 0.8)])
    for outcome, label in OUTCOMES.items():
        texts += [*figure_texts(charts.sweep_chart(summary, outcome, label, setting="boundary")),
                  describe.sweep_description(summary, outcome, label, "boundary"),
                  *table_texts(describe.sweep_table(summary, outcome, "boundary"))]
    return texts + table_texts(describe.sweep_overview(summary, OUTCOMES, "boundary"))


def classroom_texts(settings, frame) -> list[str]:
    """Class mode: the projector's chart of every question, with what happened revealed."""
    from dashboard.classroom import charts
    from dashboard.classroom.questions import questions_for, what_happened

    questions = questions_for(settings)
    happened = what_happened(frame, questions)
    texts = []
    for q in questions:
        fig = (charts.guesses_chart(q, [3, 9], happened[q.key], revealed=True) if q.numeric
               else charts.answers_chart(q, {o: 1 for o in q.options}, happened[q.key]))
        texts += [*figure_texts(fig), q.prompt]
    return texts


def cli_texts(tmp_path) -> list[str]:
    """`python -m model run any_gender --out`: its figure (drawn as the command draws it) and
    the header row of every CSV it writes."""
    from model.cli.main import main
    from model.plots.run import run_figure

    assert main(["run", "any_gender", "--out", str(tmp_path), "--story-lines", "1"]) == 0
    from model.plots.palette import pyplot

    m = RelationshipModel("any_gender", rng=load("any_gender").seed).run()
    fig = run_figure(m.timeline(), m.supply_timeline(), f"{m.spec.title} (seed)")
    texts = figure_texts(fig)
    pyplot().close(fig)
    for csv in sorted(tmp_path.glob("*.csv")):
        texts += csv.read_text(encoding="utf-8").splitlines()[0].split(",")
    return texts


def export_texts(frame) -> list[str]:
    """The dashboard's CSV downloads: their header rows."""
    from model.events import events_table

    return [str(c) for table in (frame.timeline, frame.supply, events_table(frame.events),
                                 frame.outcomes) for c in table.columns]


def test_every_chart_and_export_of_any_gender_uses_each_persons_own_pronouns(gender_frame,
                                                                               tmp_path):
    """Sam (she/her), Jordan (he/him), Robin (they/them): no chart, caption, table or export of
    theirs may say "his" or "her" of anyone but the person it names."""
    settings, frame = gender_frame
    m = RelationshipModel(settings.scenario(), rng=settings.seed)
    people = {a.name: a.pronouns for a in (*m.narcissists, *m.partners)}
    assert set(people.values()) == set(CHOICES)
    texts = (run_chart_texts(frame) + compare_and_sweep_texts(settings, frame)
             + classroom_texts(settings, frame) + cli_texts(tmp_path) + export_texts(frame))
    assert any("Sam" in t for t in texts) and any("Robin" in t for t in texts)
    assert len(texts) > 300, "the charts were not all read"
    assert not wrong_pronouns(texts, people)


def _strings(path: str) -> list[str]:
    """The string constants of a module, docstrings left out (they speak to programmers)."""
    import ast
    from pathlib import Path

    tree = ast.parse((Path(__file__).resolve().parents[1] / path).read_text(encoding="utf-8"))
    docs = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}  # a lone string
    return [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
            and isinstance(n.value, str) and id(n) not in docs]


@pytest.mark.parametrize("path", CHART_MODULES)
def test_no_chart_module_writes_a_fixed_pronoun(path):
    """Charts of any preset: the words a chart module writes itself are role words, so no
    narcissist agent or partner gets a pronoun that is not theirs, whatever the preset."""
    found = [s for s in _strings(path) if GENDERED.search(s)]
    assert not found, found
