"""Markdown rendered to HTML on the server, with no front-end extension to load.

Solara's own Markdown component asks the browser to fetch KaTeX (maths) and mermaid on every
page; KaTeX is not among the offline assets, so each page load made two failed requests. The
page writes no maths, so this component renders Markdown with markdown-it on the server and
sends plain HTML: nothing is fetched, and the text can be styled like the rest of the page.
"""

from __future__ import annotations

import solara
from markdown_it import MarkdownIt

_PARSER = MarkdownIt("commonmark", {"html": True, "typographer": True}).enable("table")


def to_html(markdown: str) -> str:
    """Markdown (CommonMark with tables) as HTML."""
    return _PARSER.render(markdown)


@solara.component
def Prose(markdown: str, classes: list[str] | None = None):
    """A block of Markdown text."""
    html = solara.use_memo(lambda: to_html(markdown), dependencies=[markdown])
    solara.HTML(tag="div", unsafe_innerHTML=html, classes=["prose", *(classes or [])])
