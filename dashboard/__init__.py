"""The dashboard: explore, compare, sweep and learn, in the browser, with no internet.

`app.py` at the repository root imports `Page` from here; `solara run app.py` serves it.
Pure helpers (settings, frames, charts, tables, sweeps, texts) hold no Solara state, so they
are tested without a browser; components take plain arguments; each page is one module.
"""
