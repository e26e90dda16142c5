"""A shareable link: the preset, the seed and every change, in the page's address.

`?preset=classroom&seed=7&set=partners.0.boundary=0.8` opens the page with those settings.
Every value is parsed and checked by the parameter declarations, as the command line's
`--set` is, and so a name or role keeps its rule (`model.parameters.TEXT_RULES`: at most 40
characters, no control or direction-override characters); a link that names something
impossible opens the preset instead and says why, in a message of a line or two.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from model.parameters import ParameterError
from model.scenario import parse_assignment

from model.text import brief
from .settings import DEFAULT_PRESET, Settings, check_seed, preset_names


def settings_to_query(settings: Settings) -> str:
    """The query string (without `?`) that reopens these settings."""
    pairs = [("preset", settings.preset), ("seed", str(settings.seed))]
    pairs += [("set", f"{path}={_text(value)}") for path, value in settings.overrides]
    return urlencode(pairs)


def settings_from_query(search: str) -> tuple[Settings, str | None]:
    """Settings from a query string, and a one-line message if any part was refused."""
    query = parse_qs(search.lstrip("?"), keep_blank_values=True)
    if not query:
        return Settings(), None
    try:
        preset = query.get("preset", [DEFAULT_PRESET])[-1]
        if preset not in preset_names():
            raise ParameterError(f"preset = {preset!r} is not a preset; known: "
                                 + ", ".join(preset_names()))
        settings = Settings(preset=preset)
        if "seed" in query:
            settings = settings.with_seed(check_seed(query["seed"][-1]))
        for assignment in query.get("set", []):
            path, value = parse_assignment(assignment)  # checks a text's length too
            settings = settings.with_value(path, value)
        settings.scenario()
    except ParameterError as err:
        return Settings(), brief(f"The link was not applied: {err}")
    return settings, None


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"{value:g}" if isinstance(value, float) else str(value)
