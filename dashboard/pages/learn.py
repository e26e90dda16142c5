"""Learn: the mechanisms, the glossary, the presets, the evidence, the model's limits, the
Info-tab sections (extending, related models, credits), and the content note with help.

The long texts are the documentation's own Markdown files, read when the page opens; the
evidence table of settings is generated from the declarations, and the help services are read
from the lecturer's `help_services.toml` each time the section opens, so an edit shows without
a restart.
"""

from __future__ import annotations

import solara

from ..components.prose import Prose

from model.parameters import GROUPS
from model.scenario import load

from .. import help_services
from ..settings import preset_names
from ..tables import markdown_table
from ..texts import DOCS, doc, text

SECTIONS = ("How it works", "Glossary", "Presets", "Evidence", "What the model does not show",
            "Extending the model", "Related models", "Credits and references",
            "Content note and help")

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
            parts.append("**Things to notice**\n\n" + "\n".join(f"- {n}" for n in scenario.notice))
        if scenario.try_:
            parts.append("**Things to try**\n\n" + "\n".join(f"- {t}" for t in scenario.try_))
    return "\n\n".join(parts)


def sources_markdown() -> str:
    """Every setting with where its idea comes from: research, the essay, or a modelling choice."""
    import pandas as pd

    rows = []
    for group, table in GROUPS.items():
        for p in table.values():
            if p.kind == "text":
                continue
            kind = ("the essay's opinion" if p.source == "the essay" else
                    "a modelling choice" if p.source == "modelling choice" else "research")
            rows.append({"setting": f"{group}: {p.name.replace('_', ' ')}", "basis": kind,
                         "source": p.source if kind == "research" else "-",
                         "meaning": p.meaning})
    frame = pd.DataFrame(rows).sort_values(["basis", "setting"], kind="stable")
    return markdown_table(frame)


def settings_markdown() -> str:
    """Every setting an input on the page shows, with its declared meaning and range."""
    lines = ["### Every setting on the Explore page", ""]
    for group, table in GROUPS.items():
        for p in table.values():
            if p.kind != "text":
                lines.append(f"**{p.name.replace('_', ' ')}** ({group}; {p.allowed()}). "
                             f"{p.meaning}\n")
    return "\n".join(lines)


def evidence_markdown() -> str:
    """The documentation's evidence page if there is one, then the generated sources table."""
    own = doc("evidence") if (DOCS / "evidence.md").is_file() else text("evidence")
    return own + "\n\n### Where each setting comes from\n\n" + sources_markdown()


@solara.component
def Learn(preset: str = "classroom"):
    section = solara.use_reactive(SECTIONS[0])
    with solara.Row(gap="4px", style={"flex-wrap": "wrap"}, classes=["learn-nav"]):
        for name in SECTIONS:
            solara.Button(name, on_click=lambda name=name: section.set(name),
                          color="primary" if section.value == name else None,
                          outlined=section.value != name)
    body = solara.use_memo(lambda: _section(section.value, preset),
                           dependencies=[section.value, preset])
    with solara.Div(classes=["learn-text"]):
        Prose(body)


def _section(name: str, preset: str) -> str:
    if name == "How it works":
        return doc("mechanisms")
    if name == "Glossary":
        return "\n\n".join([text("glossary_intro"), doc("glossary"), text("glossary_page"),
                            settings_markdown()])
    if name == "Presets":
        return presets_markdown(preset)
    if name == "Evidence":
        return evidence_markdown()
    if name in INFO_DOCS:
        return doc(INFO_DOCS[name])
    if name == "Content note and help":
        return help_services.with_services(doc("content_note"), help_services.current())
    raise ValueError(f"unknown Learn section {name!r}")
