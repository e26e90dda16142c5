"""`python -m model ...`: see model.cli."""

import sys

from .cli import main

sys.exit(main())
