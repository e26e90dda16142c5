"""The preset scenarios, one TOML file each.

A package only so that the presets install with the code (as package data) and are found the
same way from a source tree, an editable install or a wheel.
"""
