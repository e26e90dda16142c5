"""Long texts: the project's docs (shared with the documentation) and the page's own Markdown.

Files are read when a page asks for them, never at import time. The Learn page renders the
same `docs/*.md` files as the documentation, so the two cannot drift apart.
"""

from __future__ import annotations

import re
from pathlib import Path



def _docs_folder() -> Path:
    """The documentation the page shows: installed with the package as `dashboard.docs` (a
    wheel has no repository around it), else the source tree's `docs/`."""
    try:
        import dashboard.docs as installed
    except ImportError:
        return Path(__file__).resolve().parent.parent / "docs"
    return Path(next(iter(installed.__path__)))


DOCS = _docs_folder()
TEXTS = Path(__file__).resolve().parent / "texts"

CAPTIONS = {
    "supply": "When the narcissist agent's supply (solid) sinks below the need (dotted), the "
              "agent turns demanding and looks for new partners; the dashed line is the gap "
              "between the agent's self-image and achievements.",
    "wellbeing": "Watch wellbeing rise during idealization and sink during devaluation: who "
                 "falls lowest, and who climbs back after leaving?",
    "phases": "Each row is one relationship, its phase named in the legend and on the wider "
              "stretches: how long does each partner spend in devaluation before it ends?",
    "bond": "Scraps of kindness during devaluation push the trauma bond (dashed) up; look for "
            "the week commitment (solid) drops and the partner leaves. One colour per partner.",
    "harm": "Harm adds up over every week of mistreatment (solid); the dotted line is the part "
            "of it the partner perceives. Where the two part, the partner is harmed more than "
            "they notice.",
    "inner": "Illusion (solid): how much the partner still sees the agent's ideal image. "
             "Rescue hope (dashed): the partner's belief that love will heal the agent. "
             "Empathy (dotted): worn down by long mistreatment.",
    "events": "The story of the run in plain words, newest first. The symbols mark the same "
              "moments on the phase chart: \u25bc devaluation starts, \u25cf the partner "
              "leaves, \u2716 the agent discards the partner, \u25b2 the partner goes back.",
    "outcomes": "How each relationship ended; harm adds up every week of mistreatment.",
    "compare": "Phase bands above wellbeing for each run: look where the two runs part ways.",
    "sweep": "Each point is the mean over the seeds at that boundary; the shaded band is its "
             "95% confidence interval.",
    "crowd": "Charts show the first {shown} of {total} people (and at most 3 narcissists); "
             "the tables and exports have everyone.",
}


def doc(name: str) -> str:
    """A Markdown file of the documentation (`docs/NAME.md`), made safe for the page."""
    return _read(DOCS / f"{name}.md", f"*The document `docs/{name}.md` has not been written "
                                      "yet.*")


def text(name: str) -> str:
    """One of the page's own Markdown texts (`dashboard/texts/NAME.md`)."""
    return _read(TEXTS / f"{name}.md", f"*Missing text: {name}.*")


def _read(path: Path, missing: str) -> str:
    if not path.is_file():
        return missing
    return for_page(path.read_text(encoding="utf-8"))


def for_page(markdown: str) -> str:
    """Adapt documentation Markdown to the page.

    Comments for the documentation's maintainers (such as "generated, do not edit") are
    dropped. The page has no KaTeX offline, so `$...$` math is shown as code instead of as
    broken markup, and links to sibling `.md` files (which the page cannot follow) become their
    plain link text.
    """
    markdown = re.sub(r"<!--.*?-->\n?", "", markdown, flags=re.S)
    markdown = re.sub(r"\$\$(.+?)\$\$", lambda m: f"`{m.group(1).strip()}`", markdown, flags=re.S)
    markdown = re.sub(r"(?<![\\$])\$([^$\n]+?)\$", lambda m: f"`{m.group(1)}`", markdown)
    markdown = re.sub(r"\[([^\]]+)\]\((?!https?:)[^)]*\.md(#[^)]*)?\)", r"\1", markdown)
    return markdown
