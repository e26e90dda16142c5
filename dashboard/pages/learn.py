"""Learn: the mechanisms, the glossary, the presets, the evidence, and the content note.

The mechanisms, glossary and content note are the documentation's own Markdown files, read
when the page opens; the evidence table of settings is generated from the declarations.
"""

from __future__ import annotations

import solara

from ..components.prose import Prose

from model.parameters import GROUPS
from model.scenario import load

from ..settings import preset_names
from ..tables import markdown_table
from ..texts import DOCS, doc, text

SECTIONS = ("How it works", "Glossary", "Presets", "Evidence", "Content note and help")


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
            rows.append({"setting": f"{group}: {p.name.replace('_', ' ')}", "basis": p.basis,
                         "source": p.source or "-", "meaning": p.meaning})
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
    if name == "Content note and help":
        return doc("content_note")
    raise ValueError(f"unknown Learn section {name!r}")
