"""An agent-based model of the idealize-devalue-discard cycle and of a partner's boundaries.

The model illustrates ideas from an anonymous, popular essay (not peer-reviewed) and from
published research on narcissism and abusive relationships; it diagnoses no one and predicts no
person's life. Every mechanism, setting and glossary term says which of the two it rests on, or
that it is a modelling choice (model/mechanisms.py, model/parameters.py, model/glossary.py).
"""

from .events import Event, EventKind
from .model import RelationshipModel
from .parameters import GROUPS, Parameter, ParameterError
from .phases import Phase, Recovery
from .scenario import DEFAULT_SEED, Scenario, load, presets

__all__ = ["DEFAULT_SEED", "GROUPS", "Event", "EventKind", "Parameter", "ParameterError", "Phase",
           "Recovery", "RelationshipModel", "Scenario", "load", "presets"]
