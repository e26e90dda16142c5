"""Figures: the palette (no pyplot at import), a run's figure, sweeps' and validation's helpers.

Only `palette.py` may be imported for its constants without loading pyplot; the drawing modules
get pyplot through `palette.pyplot()` on the Agg back end, so no import switches a back end.
"""
