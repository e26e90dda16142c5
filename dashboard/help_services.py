"""The help services a lecturer sets in `help_services.toml`, shown with the content note.

Students meet the subject of abuse on every page, so the place they are pointed to for help
must be the campus's own, not a generic list. A lecturer edits one short file, not code, and
keeps it with their own things, never inside the installed package. It is found, first match
wins, by `supply-cycle dashboard --help-services PATH`, which sets the environment variable
`SUPPLY_CYCLE_HELP_SERVICES`, then that variable, then `help_services.toml` in the folder the
dashboard is started from; with none of them, the example packaged beside this module
(dashboard/help_services.toml, generic pointers marked as a placeholder) is shown. A lecturer
starts their file from that example: `python -m dashboard.help_services --example`.

A broken file must never take the dashboard down in front of a class, and must never leave
students with no pointer at all: the page then shows the generic pointers built in here,
with a visible notice that names the file, the key and what is allowed. The command line
(`python -m dashboard.help_services --check`) reports the same message with exit status 2.
"""

from __future__ import annotations

import html
import os
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from model.errors import read_toml
from model.parameters import ParameterError

from .texts import DOCS

ROOT = Path(__file__).resolve().parent.parent
NAME = "help_services.toml"
FILE = Path(__file__).resolve().parent / NAME
"""The packaged example: generic pointers, shown until a lecturer gives their own file."""
ENV = "SUPPLY_CYCLE_HELP_SERVICES"
CONTENT_NOTE = DOCS / "content_note.md"
START = "<!-- help-services: start (generated from help_services.toml) -->"
END = "<!-- help-services: end -->"

MAX_SERVICES = 12
MAX_CHARS = 300
TOP_KEYS = {"placeholder": "true or false", "intro": "text",
            "service": "a list of [[service]] tables"}
SERVICE_KEYS = {"name": "text (required)", "what": "text (required)",
                "contact": "text (required)", "hours": "text (optional)"}
ALLOWED_TOP = "placeholder (true or false), intro (text) and [[service]] tables"
ALLOWED_SERVICE = "name, what and contact (text, required) and hours (text, optional)"


@dataclass(frozen=True)
class Service:
    name: str
    what: str
    contact: str
    hours: str = ""


@dataclass(frozen=True)
class HelpServices:
    """The services to show; `problem` is set when the file could not be used."""

    services: tuple[Service, ...]
    placeholder: bool = False
    intro: str = ""
    problem: str = ""


GENERIC = HelpServices(
    placeholder=True,
    services=(
        Service("Emergency services", "If you or someone else is in immediate danger.",
                "Your local emergency number (for example 112 in the EU, 911 in North America, "
                "999 in the UK)."),
        Service("Your own university or workplace",
                "Student counselling, student advice or the health service can listen and "
                "help you plan; they know the local services.",
                "The student services pages of your institution."),
        Service("A doctor or counsellor",
                "A family doctor, counsellor or psychologist can listen, help you think "
                "things through and refer you on.", "Your local health service."),
        Service("Domestic abuse helplines",
                "Many countries have a free, confidential helpline for relationship abuse.",
                "A web search for \"domestic abuse helpline\" and your country, or the "
                "international directory https://findahelpline.com"),
    ),
)
"""Shown when the file is missing or broken, so no student is ever left without a pointer."""


def path() -> Path:
    """The file in use: `SUPPLY_CYCLE_HELP_SERVICES` if set, else `help_services.toml` in the
    current folder, else the packaged example (never a file a lecturer is meant to edit)."""
    chosen = os.environ.get(ENV, "").strip()
    if chosen:
        return Path(chosen)
    here = Path(NAME).absolute()
    return here if here.is_file() else FILE


def load(file: Path | None = None) -> HelpServices:
    """The services the file declares, or a ParameterError naming the file, key and rule."""
    file = path() if file is None else Path(file)
    name = _shown_name(file)
    raw = read_toml(file, "help services file")
    for key in raw:
        if key not in TOP_KEYS:
            raise ParameterError(f"{name}: unknown key {key!r}; allowed are {ALLOWED_TOP}")
    placeholder = raw.get("placeholder", False)
    if not isinstance(placeholder, bool):
        raise ParameterError(f"{name}: key 'placeholder' is {placeholder!r}; allowed are true "
                             "or false (true while the file still holds the generic pointers)")
    intro = _text(name, "intro", raw.get("intro", ""), required=False)
    entries = raw.get("service")
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict)
                                                               for e in entries):
        raise ParameterError(f"{name}: key 'service' must be 1 to {MAX_SERVICES} [[service]] "
                             f"tables, each with {ALLOWED_SERVICE}")
    if len(entries) > MAX_SERVICES:
        raise ParameterError(f"{name}: {len(entries)} [[service]] tables; allowed are 1 to "
                             f"{MAX_SERVICES}, so the note stays short enough to read")
    return HelpServices(services=tuple(_service(name, i, e) for i, e in enumerate(entries, 1)),
                        placeholder=placeholder, intro=intro)


def _shown_name(file: Path) -> str:
    """A file in the current folder by its short name; any other by its full path."""
    try:
        return str(file.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(file)


def current(file: Path | None = None) -> HelpServices:
    """The file's services, or the generic pointers with the reason the file was not used.

    With no file chosen and the packaged example missing (a damaged install), the generic
    pointers built in here are all there is, and that is not the lecturer's problem to report."""
    if file is None and path() == FILE and not FILE.is_file():
        return GENERIC
    try:
        return load(file)
    except ParameterError as err:
        return replace(GENERIC, problem=str(err))


def _service(name: str, number: int, entry: dict) -> Service:
    where = f"service {number}"
    for key in entry:
        if key not in SERVICE_KEYS:
            raise ParameterError(f"{name}: {where} has unknown key {key!r}; allowed are "
                                 f"{ALLOWED_SERVICE}")
    values = {key: _text(name, f"{where} key {key!r}", entry.get(key, ""),
                         required=key != "hours") for key in SERVICE_KEYS}
    return Service(**values)


def _text(name: str, where: str, value: object, required: bool) -> str:
    if not isinstance(value, str):
        raise ParameterError(f"{name}: {where} is {value!r}; allowed is text in quotes, at "
                             f"most {MAX_CHARS} characters")
    value = " ".join(value.split())
    if required and not value:
        raise ParameterError(f"{name}: {where} is missing or empty; each [[service]] needs "
                             f"{ALLOWED_SERVICE}")
    if len(value) > MAX_CHARS:
        raise ParameterError(f"{name}: {where} is {len(value)} characters long; allowed are at "
                             f"most {MAX_CHARS}")
    return value


def markdown(chosen: HelpServices) -> str:
    """The services as the content note shows them, with a notice if the file was not used."""
    lines = []
    if chosen.problem:
        lines += [f"> **The help services file could not be used, so generic pointers are "
                  f"shown.** {_plain(chosen.problem)}", ""]
    elif chosen.placeholder:
        lines += ["*These are generic pointers. A lecturer replaces them with the local "
                  "services in `help_services.toml`.*", ""]
    if chosen.intro:
        lines += [_plain(chosen.intro), ""]
    for s in chosen.services:
        hours = f" ({_plain(s.hours)})" if s.hours else ""
        lines.append(f"- **{_plain(s.name)}.** {_plain(s.what)} "
                     f"Contact: {_contact(s.contact)}{hours}")
    return "\n".join(lines)


def short_line(chosen: HelpServices) -> str:
    """One line for the top of every page: the first service, and where the rest are."""
    first = chosen.services[0]
    line = (f"**Help:** {_plain(first.name)}: {_contact(first.contact)} More services and the "
            "full content note are on the Learn page.")
    if chosen.problem:
        line = ("**The help services file could not be used; generic pointers are shown** "
                "(details on the Learn page). " + line)
    return line


def with_services(note: str, chosen: HelpServices) -> str:
    """The content note with its help-services block replaced by `chosen`'s services."""
    if START not in note or END not in note:
        return note.rstrip() + "\n\n" + markdown(chosen) + "\n"
    head, rest = note.split(START, 1)
    tail = rest.split(END, 1)[1]
    return f"{head}{START}\n{markdown(chosen)}\n{END}{tail}"


def _plain(text: str) -> str:
    """Lecturer text shown as text: no HTML, no Markdown links or headings sneaking in."""
    return re.sub(r"([\[\]`*_])", r"\\\1", html.escape(text, quote=False))


def _contact(text: str) -> str:
    """A contact with its web addresses made clickable; everything else shown as text."""
    parts = re.split(r"(https?://[^\s<>\[\]()]+)", text)
    shown = [f"<{p}>" if i % 2 else _plain(p) for i, p in enumerate(parts)]
    return "".join(shown).strip()


def main(argv: list[str] | None = None) -> int:
    """`--check` reports whether the file is usable; `--write-docs` copies it into the docs;
    `--example` prints the packaged example, the start of a lecturer's own file."""
    argv = sys.argv[1:] if argv is None else argv
    if argv not in (["--check"], ["--write-docs"], ["--example"]):
        print("usage: python -m dashboard.help_services --check | --write-docs | --example",
              file=sys.stderr)
        return 2
    if argv == ["--example"]:
        print(FILE.read_text(encoding="utf-8"), end="")
        return 0
    try:
        chosen = load()
    except ParameterError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if argv == ["--write-docs"]:
        note = CONTENT_NOTE.read_text(encoding="utf-8")
        CONTENT_NOTE.write_text(with_services(note, chosen), encoding="utf-8")
        print(f"wrote {len(chosen.services)} services into {CONTENT_NOTE.relative_to(ROOT)}")
    else:
        print(f"{path()}: {len(chosen.services)} services"
              + (" (still the generic placeholder)" if chosen.placeholder else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
