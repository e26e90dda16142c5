"""Build script: every setting is in pyproject.toml; this only names the Python that is needed.

pip before 25.1 looks for the dependencies before it checks `requires-python`, so on Python
3.11 it ends with "No matching distribution found for mesa==3.5.1" (Mesa needs 3.12 too)
instead of naming the Python. Building from the source tree runs this file first, so
`pip install .` and `pip install -e .` say what is wrong with any pip. A wheel runs no code when
it is installed: there only pip 25.1 or newer names the Python (see README.md).
"""

import sys

from setuptools import setup

if sys.version_info < (3, 12):  # noqa: UP036 (the point: it runs on an older Python)
    raise SystemExit(f"supply-cycle needs Python 3.12 or newer; this is Python "
                     f"{sys.version.split()[0]} ({sys.executable}).")

setup()
