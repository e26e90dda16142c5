"""Downloads: the current settings as a scenario file, and the run's data as CSV files."""

from __future__ import annotations

import solara

from model.events import events_table

from ..frames import Frame
from ..settings import Settings
from .download import Download


def _csv(table) -> str:
    return table.to_csv(index=False)


@solara.component
def ScenarioExport(settings: Settings):
    """The scenario with every change, ready for `python -m model run FILE --seed N`."""
    Download(lambda: settings.to_toml(), filename=f"{settings.stem}-custom.toml",
             label="Scenario (TOML)", mime_type="application/toml")


@solara.component
def DataExport(frame: Frame, stem: str):
    """The run so far: timeline, supply, events, and outcomes once it has finished.

    The buttons read the latest frame through a ref, so playback does not rebuild them.
    """
    latest = solara.use_ref(frame)
    latest.current = frame
    files = {
        "Timeline": lambda: _csv(latest.current.timeline),
        "Supply": lambda: _csv(latest.current.supply),
        "Events": lambda: _csv(events_table(latest.current.events)),
    }
    with solara.Row(gap="6px", style={"flex-wrap": "wrap"}):
        for label, data in files.items():
            Download(data, filename=f"{stem}-{label.lower()}.csv",
                     label=f"{label} (CSV)", mime_type="text/csv")
        if frame.outcomes is not None:
            Download(lambda: _csv(latest.current.outcomes),
                     filename=f"{stem}-outcomes.csv", label="Outcomes (CSV)",
                     mime_type="text/csv")
