"""An agent-based model of the idealize-devalue-discard cycle and of a partner's boundaries.

The model illustrates ideas from an anonymous, popular essay (not peer-reviewed) and from
published research on narcissism and abusive relationships; it diagnoses no one and predicts no
person's life. Every mechanism, setting and glossary term says which of the two it rests on, or
that it is a modelling choice (model/mechanisms.py, model/parameters.py, model/glossary.py).
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _installed_version

from .events import Event, EventKind
from .model import RelationshipModel
from .parameters import GROUPS, Parameter, ParameterError
from .phases import Phase, Recovery
from .scenario import DEFAULT_SEED, Scenario, load, presets

try:  # one source: the version in pyproject.toml, as the installed metadata carries it
    __version__ = _installed_version("supply-cycle")
except PackageNotFoundError:  # a source tree on sys.path that was never installed
    __version__ = "0+unknown"

__all__ = ["DEFAULT_SEED", "GROUPS", "Event", "EventKind", "Parameter", "ParameterError", "Phase",
           "Recovery", "__version__", "RelationshipModel", "Scenario", "load", "presets"]
