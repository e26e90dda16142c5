"""Learn: the mechanisms, the glossary, the presets, the evidence, the model's limits, the
Info-tab sections (extending, related models, credits), the content note with help, and the
alternative task (a wealth model with no relationship content, run on the page).

The mechanisms, glossary and content note are the documentation's own Markdown files, read
when the page opens. Every label on the page comes from one place: the settings' from their
declarations (model/parameters.py), the mechanisms' from model/mechanisms.py, the glossary's
from model/glossary.py, the notices' from the mechanisms they name. The help services are read
from the lecturer's `help_services.toml` each time the section opens, so an edit shows without
a restart.
"""

from __future__ import annotations

import re

import solara

from ..components.notice import notices_markdown
from ..components.prose import Prose

from model.cli.docs import glossary_markdown, grades_markdown, mechanism_table_markdown
from model.mechanisms import MECHANISMS
from model.parameters import BASES, GROUPS
from model.scenario import load

from .. import help_services
from .alternative_task import AlternativeTask
from ..settings import preset_names
from ..tables import markdown_table
from ..texts import DOCS, doc, for_page, text

SECTIONS = ("How it works", "Glossary", "Presets", "Evidence", "What the model does not show",
            "Extending the model", "Related models", "Credits and references",
            "Content note and help", "Alternative task")

ALTERNATIVE = "Alternative task"
"""The opt-out task (pages/alternative_task.py): a wealth model to run on the page, with no
relationship content."""

INFO_DOCS = {"What the model does not show": "limits", "Extending the model": "extending",
             "Related models": "related_models", "Credits and references": "credits"}
"""Sections that are one documentation file each, as in the Info tab of NetLogo's models."""


def presets_markdown(first: str = "classroom") -> str:
    """Each preset's title, description, things to notice and things to try (`first` first)."""
    parts = []
    for name in sorted(preset_names(), key=lambda n: n != first):
        scenario = load(name)
        parts.append(f"### {scenario.title}\n\nPreset `{name}`. {scenario.description.strip()}")
        if scenario.notice:
            parts.append("**Things to notice**\n\n" + notices_markdown(scenario.notice))
        if scenario.try_:
            parts.append("**Things to try**\n\n" + "\n".join(f"- {t}" for t in scenario.try_))
    return "\n\n".join(parts)


def sources_markdown() -> str:
    """Every setting with its label: published finding, the essay's view or modelling choice."""
    import pandas as pd

    rows = []
    for group, table in GROUPS.items():
        for p in table.values():
            if p.kind == "text":
                continue
            rows.append({"setting": f"{group}: {p.name.replace('_', ' ')}", "basis": p.basis,
                         "source": p.source or "-", "meaning": p.meaning})
    frame = pd.DataFrame(rows)
    frame = frame.sort_values("basis", key=lambda b: b.map(BASES.index), kind="stable")
    return markdown_table(frame)


def settings_markdown() -> str:
    """Every setting an input on the page shows, with its meaning, range and source label."""
    lines = ["### Every setting on the Explore page", ""]
    for group, table in GROUPS.items():
        for p in table.values():
            if p.kind != "text":
                lines.append(f"**{p.name.replace('_', ' ')}** ({group}; {p.allowed()}). "
                             f"{p.meaning} *Source: {p.label}.*\n")
    return "\n".join(lines)


def built_in_markdown() -> str:
    """For each mechanism, the results its rule builds in and those that emerge from the rules."""
    return "\n\n".join(
        f"**{m.number}. {m.title}.** Built in: {m.built_in}"
        + (f" Emerges: {m.emerges}" if m.emerges else "") for m in MECHANISMS.values())


def evidence_markdown() -> str:
    """The evidence text, the evidence grade of each mechanism, then the settings' labels."""
    own = doc("evidence") if (DOCS / "evidence.md").is_file() else text("evidence")
    return "\n\n".join([
        own,
        "### How strong the evidence is for each mechanism",
        "Each mechanism's central rule has a label and an evidence grade. The grades mean:",
        grades_markdown(), mechanism_table_markdown(),
        "### Which results are built in, and which emerge",
        "A result that is built in follows from a rule the model was given, so seeing it in a "
        "run confirms the assumption; it is not a discovery. A result that emerges comes from "
        "several rules acting together.",
        built_in_markdown(),
        "### Where each setting comes from", sources_markdown()])


@solara.component
def Learn(preset: str = "classroom"):
    section = solara.use_reactive(SECTIONS[0])
    with solara.Row(gap="4px", style={"flex-wrap": "wrap"}, classes=["learn-nav"]):
        for name in SECTIONS:
            solara.Button(name, on_click=lambda name=name: section.set(name),
                          color="primary" if section.value == name else None,
                          outlined=section.value != name)
    body = solara.use_memo(lambda: below_page_heading(_section(section.value, preset)),
                           dependencies=[section.value, preset])
    if section.value == ALTERNATIVE:
        AlternativeTask()
        return
    with solara.Div(classes=["learn-text"]):
        Prose(body)


def below_page_heading(markdown: str) -> str:
    """A document with an h1 moved under the page's own headings (h1 is the dashboard's title,
    h2 the page's): its levels become h3, h4, ... in order, so that a screen reader's list of
    headings has one h1 and no jump; lines inside code blocks are left alone."""
    lines, fenced = markdown.split("\n"), False
    headings = []
    for index, line in enumerate(lines):
        if line.startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,6} ", line):
            headings.append(index)
    if not any(lines[i].startswith("# ") for i in headings):
        return markdown
    levels = [len(lines[i]) - len(lines[i].lstrip("#")) for i in headings]
    rank = {level: 3 + k for k, level in enumerate(sorted(set(levels)))}  # h1 -> h3, next h4
    moved = list(lines)
    for i, level in zip(headings, levels, strict=True):
        moved[i] = "#" * min(6, rank[level]) + lines[i][level:]
    return "\n".join(moved)


def _section(name: str, preset: str) -> str:
    if name == "How it works":
        return doc("mechanisms")
    if name == "Glossary":
        return "\n\n".join([text("glossary_intro"), doc("glossary"),
                            "### Words of this dashboard", glossary_markdown("dashboard"),
                            settings_markdown()])
    if name == "Presets":
        return presets_markdown(preset)
    if name == "Evidence":
        return evidence_markdown()
    if name in INFO_DOCS:
        return doc(INFO_DOCS[name])
    if name == "Content note and help":
        raw = (DOCS / "content_note.md").read_text(encoding="utf-8")  # markers are comments
        return for_page(help_services.with_services(raw, help_services.current()))
    if name == ALTERNATIVE:
        return text("alternative_task")  # the section runs its model: AlternativeTask
    raise ValueError(f"unknown Learn section {name!r}")
