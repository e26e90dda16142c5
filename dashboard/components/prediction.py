"""Predict first: students commit to an expectation before the run and see it beside the result."""

from __future__ import annotations

from collections.abc import Callable

import solara

from .prose import Prose

NOBODY = "nobody leaves"
QUESTIONS = {
    "leave": "Who will be the first to leave of their own accord?",
    "harm": "Whom will the narcissist agent harm most?",
}


@solara.component
def PredictionPrompt(names: list[str], predictions: dict[str, str], locked: bool,
                     on_predict: Callable[[str, str], None], finished: bool = False):
    """The questions, answerable until the run starts (`finished`: the run has ended)."""
    with solara.Card("Predict first", margin=0, classes=["prediction"]):
        if locked and finished:
            solara.Text("The run has ended: your predictions stand beside the result below; "
                        "reset to predict again.", classes=["caption"])
        elif locked:
            solara.Text("Predictions are locked while the run is under way; reset to change "
                        "them.", classes=["caption"])
        else:
            solara.Text("Before you press Play, decide what you expect.", classes=["caption"])
        for key, question in QUESTIONS.items():
            options = names + ([NOBODY] if key == "leave" else [])
            solara.Select(question, values=options, value=predictions.get(key),
                          on_value=lambda v, key=key: on_predict(key, v), disabled=locked)


@solara.component
def PredictionResult(predictions: dict[str, str], results: dict[str, str | None]):
    """Each prediction beside what happened in the run."""
    if not predictions:
        solara.Text("No prediction was made for this run.", classes=["caption"])
        return
    rows = ["| question | you predicted | in this run |", "|---|---|---|"]
    for key, question in QUESTIONS.items():
        if key in predictions:
            actual = results.get(key) or (NOBODY if key == "leave" else "nobody was harmed")
            mark = " (as predicted)" if actual == predictions[key] else ""
            rows.append(f"| {question} | {predictions[key]} | {actual}{mark} |")
    with solara.Card("Your prediction and the result", margin=0, classes=["prediction"]):
        Prose("\n".join(rows))
