"""`python -m model ...`: see model.cli."""

import sys

from .cli.main import main

sys.exit(main())
