"""The words the story of a run uses for a person, taken from that person's `pronouns` setting.

No gender is built into the narration: every line that refers back to a person asks this
module for that person's own forms, so a narcissist who uses she/her or a partner who uses
they/them is narrated correctly. Pronouns change words only; nothing in the dynamics reads
them (tests/test_pronouns.py checks that outcomes are identical whatever they are).
"""

from __future__ import annotations

from typing import Any, NamedTuple


class Pronouns(NamedTuple):
    """One person's pronouns in the three places a sentence needs them."""

    subject: str
    """he / she / they: "... has healed: she can trust"."""
    object: str
    """him / her / them: "showers her with attention"."""
    possessive: str
    """his / her / their: "turns his rage on"."""
    plural_verb: bool
    """Whether a verb after the subject takes its plural form ("they are", not "they is")."""

    def does(self, singular: str, plural: str) -> str:
        """The subject with a verb phrase in the form it agrees with: `does("ends", "end")`
        gives "she ends" or "they end"."""
        return f"{self.subject} {plural if self.plural_verb else singular}"


FORMS = {
    "he/him": Pronouns("he", "him", "his", False),
    "she/her": Pronouns("she", "her", "her", False),
    "they/them": Pronouns("they", "them", "their", True),
}
"""Every choice the `pronouns` parameters allow (model/parameters.py), with its forms."""


def of(person: Any) -> Pronouns:
    """The forms of the pronouns a narcissist or a partner uses."""
    return FORMS[person.pronouns]
