"""Downloads: the current settings as a scenario file, and the run's data as CSV files."""

from __future__ import annotations

import solara

from model.events import events_table
from model.provenance import to_json
from model.text import csv_safe

from ..frames import Frame
from ..settings import Settings
from .download import Download


def _csv(table) -> str:
    """The table as CSV text, every cell a spreadsheet would run as a formula neutralised."""
    return csv_safe(table).to_csv(index=False)


@solara.component
def ScenarioExport(settings: Settings):
    """The scenario with every change and the page's seed: `python -m model run FILE`, or the
    file dropped back on the page, repeats this run."""
    Download(lambda: settings.to_toml(), filename=f"{settings.stem}-custom.toml",
             label="Scenario (TOML)", mime_type="application/toml")


def run_stamp(stem: str, settings: Settings | None, week: int) -> dict:
    """The stamp of a run's downloads: with the page's settings when given (preset, seed,
    overrides and every resolved setting), else the file stem, which names preset and seed."""
    import tomllib

    from model.provenance import stamp

    if settings is None:
        return stamp({"source": "dashboard", "files": stem, "week": week})
    resolved = tomllib.loads(settings.scenario().to_toml())
    resolved["seed"] = settings.seed
    return stamp({"source": "dashboard", "preset": settings.preset,
                  "overrides": settings.changes(), "week": week, "resolved": resolved},
                 seed=settings.seed)


@solara.component
def DataExport(frame: Frame, stem: str, settings: Settings | None = None):
    """The run so far: timeline, supply, events, and outcomes once it has finished, and the
    stamp saying how they were made (a browser downloads one file at a time, so the CSVs
    share one stamp file, STEM-provenance.json, instead of one beside each).

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
        Download(lambda: to_json(run_stamp(stem, settings, latest.current.week)) + "\n",
                 filename=f"{stem}-provenance.json", label="How it was made (JSON)",
                 mime_type="application/json")
