"""Figures: the palette (no pyplot at import), a run's figure, sweeps' and validation's helpers.

Only `palette.py` may be imported for its constants without loading pyplot; the drawing modules
get pyplot through `palette.pyplot()` when they draw, on the caller's back end: nothing here
chooses or switches one (inline in Jupyter, Agg where there is no display or in the CLI).
"""
