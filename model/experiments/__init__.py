"""Experiments: sweeps over parameters (declaration, designs, seeds, execution, storage) and their
sensitivity analysis. Uses the model's core, `model.plots` and `model.validation.stats`; nothing
below it imports this package.
"""
