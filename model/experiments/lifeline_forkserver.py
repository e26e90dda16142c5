"""Imported only by the sweep's forkserver (its preload list): it dies with the sweep's parent.

Kept apart from `model.experiments.lifeline` because importing it has that effect on the
importing process.
"""

from .lifeline import die_with_parent

die_with_parent()
