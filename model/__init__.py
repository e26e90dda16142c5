"""An agent-based model of the idealize-devalue-discard cycle and of a partner's boundaries.

The model illustrates ideas from a popular essay (anonymous, not peer-reviewed) and from published
research on narcissism and abusive relationships; it diagnoses no one and predicts no person's
life.
"""

from .model import Event, RelationshipModel
from .parameters import GROUPS, Parameter, ParameterError
from .phases import Phase, Recovery
from .scenario import Scenario, load, presets

__all__ = ["GROUPS", "Event", "Parameter", "ParameterError", "Phase", "Recovery",
           "RelationshipModel", "Scenario", "load", "presets"]
