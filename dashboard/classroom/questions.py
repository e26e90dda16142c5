"""Predict together: the questions a room answers, what happened in the run, the counts.

The two choice questions are the Explore page's own (`components.prediction.QUESTIONS`, with
its "nobody leaves" option), so a class answers in class mode exactly what one student
answers alone. Class mode adds one numeric guess, the week the first devaluation starts,
because a room's spread of guesses is something only a room can show, and the lesson plan
already asks students to look for that week. Each question has a discussion prompt for the
reveal: short, about the model's rules, in role words (the partner, the narcissist agent).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from model.events import EventKind

from ..chart_parts import MAX_PARTNERS
from ..components.prediction import NOBODY, QUESTIONS
from ..frames import Frame, Run
from ..settings import Settings
from ..tables import first_to_leave, most_harmed
from .room import ProjectorView, Question

DEVALUE = "devalue"
NUMERIC = {DEVALUE: "In which week will the narcissist agent first start to devalue someone?"}
NOBODY_HARMED = "nobody was harmed"
NO_DEVALUATION = "no devaluation"

PROMPTS = {
    "leave": "What in the model decided who left first: the partner's boundary, their "
             "alternatives, the trauma bond? Which part of that is written into the rules, "
             "and which emerged?",
    "harm": "Read the story: in each line of mistreatment, who acts? A partner's boundary "
            "changed how much harm reached them; why does that not make the partner "
            "responsible for it?",
    DEVALUE: "What set off the first devaluation in the model? Would another seed start it "
             "in the same week, and what does the spread of the room's guesses say?",
}
"""A discussion prompt for each question, shown beside the room's answers at the reveal."""


def questions_for(settings: Settings) -> tuple[Question, ...]:
    """The questions for a preset: who leaves first and whom the agent harms most (for a
    cast small enough to list, as on the Explore page), and the week of the first
    devaluation (a whole number from 0 to the run's last week)."""
    frame = Run(settings).frame()
    names = list(frame.names)
    asked: list[Question] = []
    if len(names) <= MAX_PARTNERS:
        for key, text in QUESTIONS.items():
            options = tuple(names + ([NOBODY] if key == "leave" else []))
            asked.append(Question(key, text, options=options, prompt=PROMPTS[key]))
    asked.append(Question(DEVALUE, NUMERIC[DEVALUE], low=0, high=frame.weeks,
                          prompt=PROMPTS[DEVALUE]))
    return tuple(asked)


def what_happened(frame: Frame, questions: Sequence[Question]) -> dict[str, Any]:
    """Each question's answer in a finished run (the words a student's option uses)."""
    first_devaluation = next((e.week for e in frame.events
                              if e.kind == EventKind.DEVALUATION), None)
    found = {"leave": first_to_leave(frame.events) or NOBODY,
             "harm": most_harmed(frame.outcomes) if frame.outcomes is not None else None,
             DEVALUE: first_devaluation}
    if found["harm"] is None:
        found["harm"] = NOBODY_HARMED
    return {q.key: found[q.key] for q in questions}


def shown_answer(question: Question, value: Any) -> str:
    """An answer or a result in words."""
    if value is None:
        return NO_DEVALUATION if question.key == DEVALUE else "-"
    return f"week {value}" if question.numeric else str(value)


def spread(numbers: Sequence[int]) -> str:
    """A numeric question's answers in words: how many, the median and the middle half."""
    if not numbers:
        return "no answers yet"
    low, middle, high = np.percentile(np.asarray(numbers, float), [25, 50, 75])
    return (f"{len(numbers)} answer{'s' * (len(numbers) != 1)}; median week {middle:g}, the "
            f"middle half from week {low:g} to {high:g}")


def matched(question: Question, counts: Mapping[str, int], numbers: Sequence[int],
            actual: Any) -> str:
    """How many of the room's answers matched what happened (a numeric guess within 10% of
    the run's length counts as close)."""
    if question.numeric:
        if actual is None or not numbers:
            return f"{len(numbers)} answered"
        near = max(1, round(0.1 * (question.high or 0)))
        close = sum(1 for n in numbers if abs(n - actual) <= near)
        return f"{close} of {len(numbers)} within {near} weeks"
    total = sum(counts.values())
    return f"{counts.get(actual, 0)} of {total}"


def reveal_rows(view: ProjectorView | Any) -> list[dict[str, str]]:
    """The reveal: each question, what the room answered, what happened, how many were
    right, and its discussion prompt (for the projector and for every student's page)."""
    rows = []
    for question in view.questions:
        counts = view.counts.get(question.key, {})
        numbers = view.numbers.get(question.key, ())
        actual = view.actual.get(question.key)
        if question.numeric:
            room = spread(numbers)
        else:
            ranked = sorted(counts.items(), key=lambda item: -item[1])
            room = ", ".join(f"{option} {count}" for option, count in ranked if count) \
                or "no answers"
        rows.append({"question": question.text, "the room answered": room,
                     "in the run": shown_answer(question, actual),
                     "matched": matched(question, counts, numbers, actual),
                     "to discuss": question.prompt})
    return rows


def counts_table(view: ProjectorView) -> pd.DataFrame:
    """The room's answers as counts, one row per question and option (a numeric question:
    one row per distinct week guessed), with what happened once revealed. Counts only: no
    row stands for a student."""
    rows = []
    for question in view.questions:
        actual = view.actual.get(question.key, "")
        if question.numeric:
            values, counts = np.unique(np.asarray(view.numbers.get(question.key, ()), int),
                                       return_counts=True)
            options = [(f"week {v}", int(c)) for v, c in zip(values, counts, strict=True)]
        else:
            options = list(view.counts.get(question.key, {}).items())
        for option, count in options:
            rows.append({"question": question.text, "answer": option, "count": count,
                         "in the run": shown_answer(question, actual) if question.key in
                         view.actual else ""})
    return pd.DataFrame(rows, columns=["question", "answer", "count", "in the run"])
