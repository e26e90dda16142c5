"""A student's class-mode page (`/?join`): join with the room code, answer, watch the lock and
the reveal, run one replicate of the class experiment, leave at any moment.

A thin view over `room.Rooms`: every answer and result is a message to `ROOMS.student`, which
checks it on the server; the page shows the student's own view of the room (`StudentView`),
never another student's answer. No name is asked. The seat is kept by this browser tab
(sessionStorage, through `Remember`), so a reload or a dropped connection returns to it; it
is forgotten when the student leaves or the tab is closed. The content note and the
lecturer's help services are at the top, as on every page of the dashboard.
"""

from __future__ import annotations

import contextlib
import html
import json

import solara

from model.text import brief

from .. import help_services
from ..components.help_line import HelpLine
from ..components.notice import ContentNotice
from ..components.prose import Prose
from ..texts import TEXTS
from .experiment import outcome_words, run_replicate
from .questions import reveal_rows, shown_answer
from .room import ROOMS, Gone, Question, Refused, StudentView, shown_code
from .views import ENDED, HERE, Alert, Folded, Remember, caller, kept, use_room

KEEP = "supply-cycle-class-seat"
"""Where this browser tab keeps its seat (room code and seat token) for a reload."""
TITLE = "Class session: predict and run together"
PRIVACY = ("No name, no account. Your answers are counted with everyone's and never shown "
           "with you; nothing is kept after the session ends.")


@solara.component
def StudentPage(code_in_link: str = ""):
    """The whole page a student sees at `/?join` (`/?join=CODE` from the QR code)."""
    solara.Title(TITLE)
    solara.Style(TEXTS / "page.css")
    solara.Style(HERE / "class.css")
    with solara.Column(classes=["app", "student-page"], gap="8px"):
        solara.HTML(tag="h1", unsafe_innerHTML=TITLE, classes=["app-title"])
        ContentNotice()
        HelpLine()
        Folded("All help services", "help-services",
               lambda: Prose(help_services.markdown(help_services.current())))
        StudentSession(code_in_link)


@solara.component
def StudentSession(code_in_link: str):
    """The join form, or the seat once joined."""
    seat = solara.use_reactive(None)
    ready = solara.use_reactive(False)
    me = solara.use_memo(caller, dependencies=[])

    def restore(text: str) -> None:
        found = kept(text)
        try:
            if found and ROOMS.rejoin(found.get("code"), found.get("seat"), me):
                seat.set(found)
        except Refused:
            pass
        ready.set(True)

    Remember(name=KEEP, value=json.dumps(seat.value) if seat.value else "",
             event_restore=restore)
    if not ready.value:
        solara.Text("Connecting...", classes=["caption"])
    elif seat.value is None:
        JoinForm(code_in_link, on_join=seat.set, me=me)
    else:
        Seat(seat.value["code"], seat.value["seat"], on_leave=lambda: seat.set(None))


@solara.component
def JoinForm(code_in_link: str, on_join, me: str):
    code = solara.use_reactive(code_in_link.replace("-", "").upper())
    error = solara.use_reactive("")

    def join(*_) -> None:
        try:
            found, token = ROOMS.join(code.value, me)
        except Refused as err:
            error.set(f"Not joined: {brief(str(err))}")
            return
        error.set("")
        on_join({"code": found, "seat": token})

    Prose("### Join the class session\n\nType the room code shown on the projector. "
          + PRIVACY)
    with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.InputText("room code", value=code, continuous_update=True,
                         classes=["room-code-input"])
        solara.Button("Join", color="primary", on_click=join, classes=["join-button"])
    Alert(error.value)


def Line(text: str, kind: str):
    """A line of its own (a paragraph), not run on into the next."""
    solara.HTML(tag="p", unsafe_innerHTML=html.escape(text), classes=[kind])


@solara.component
def Seat(code: str, token: str, on_leave):
    """A student's seat: the questions, the reveal, the experiment, and Leave."""
    view, show = use_room(code, lambda: ROOMS.student_view(code, token), students=True)
    error = solara.use_reactive("")
    busy = solara.use_reactive(False)
    last = solara.use_reactive(None)

    def send(message: dict) -> StudentView | None:
        try:
            answer = ROOMS.student(code, token, message)
        except Gone:
            show(ENDED)
            return None
        except Refused as err:
            error.set(f"Not sent: {brief(str(err))}")
            return None
        error.set("")
        show(answer)
        return answer

    def leave() -> None:
        with contextlib.suppress(Refused):  # the session or the seat has gone already
            ROOMS.student(code, token, {"kind": "leave"})
        on_leave()

    if view is None:
        solara.Text("Joining...", classes=["caption"])
        return
    if view == ENDED:
        Prose("### The class session has ended\n\nNothing from it was kept. You can close "
              "this page.")
        solara.Button("Join another session", outlined=True, on_click=on_leave)
        return
    assert isinstance(view, StudentView)
    with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"},
                    classes=["seat-bar"]):
        solara.Text(f"Session {shown_code(view.code)}. {PRIVACY}", classes=["caption"])
        solara.Button("Leave the session", outlined=True, small=True, icon_name="mdi-exit-run",
                      on_click=leave, classes=["leave-button"])
    Alert(error.value)
    Predictions(view, send)
    if view.plan is not None:
        MyRun(view, send, busy, last, error.set)


@solara.component
def Predictions(view: StudentView, send):
    stage = view.stage
    words = {"answering": "Answer before the run starts; you can change an answer until the "
                          "lecturer locks them.",
             "locked": "Answers are locked. Watch the projector: the model runs now.",
             "revealed": "What happened in the run, beside the room's answers:"}[stage]
    with solara.Card("Predict", margin=0, classes=["student-predict"]):
        solara.HTML(tag="div", unsafe_innerHTML=html.escape(words),
                    classes=["stage-line", f"stage-{stage}"],
                    attributes={"role": "status", "aria-live": "polite"})
        if stage == "revealed":
            Reveal(view)
            return
        for question in view.questions:
            Answer(question, view.answers.get(question.key), stage == "answering", send)


@solara.component
def Answer(question: Question, answer, open_: bool, send):
    """One question: a choice (radio buttons, large enough for a thumb) or a week."""
    def choose(value) -> None:
        send({"kind": "answer", "question": question.key, "value": value})

    with solara.Div(classes=["student-question", f"question-{question.key}"]):
        if question.numeric:
            Line(question.text, "question-text")
            solara.InputText(f"week, from {question.low} to {question.high} (then Enter)",
                             value="" if answer is None else str(answer), on_value=choose,
                             disabled=not open_, continuous_update=False,
                             classes=["week-answer"])
        else:
            solara.v.RadioGroup(label=question.text, v_model=answer, on_v_model=choose,
                                disabled=not open_, children=[
                                    solara.v.Radio(label=option, value=option)
                                    for option in question.options])
        # always there, so the page does not jump under the student's thumb when it changes
        Line(f"Your answer: {shown_answer(question, answer)}"
             + (" (counted)" if open_ else " (locked)") if answer is not None else
             ("Not answered yet." if open_ else "Not answered."), "my-answer")


@solara.component
def Reveal(view: StudentView):
    """Each question as a short block (a table would be five columns on a phone): your
    answer, what happened, the room's answers, and the prompt to discuss."""
    rows = reveal_rows(view)
    blocks = []
    for row, question in zip(rows, view.questions, strict=True):
        mine = view.answers.get(question.key)
        said = [("You answered", shown_answer(question, mine) if mine is not None else "-"),
                ("In the run", row["in the run"]), ("The room", row["the room answered"]),
                ("To discuss", row["to discuss"])]
        items = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in said)
        blocks.append(f"<h3>{html.escape(question.text)}</h3><dl>{items}</dl>")
    solara.HTML(tag="div", unsafe_innerHTML="".join(blocks), classes=["reveal-list"])


@solara.component
def MyRun(view: StudentView, send, busy, last, on_error):
    """This device's replicate of the class experiment: take a run, run it, send it."""
    plan = view.plan

    def run_mine() -> None:
        busy.set(True)
        try:
            held = send({"kind": "claim"})
            if held is None or held.assignment is None:
                return
            mine = held.assignment
            try:
                values = run_replicate(plan.declaration, mine.run)
            except Exception as err:  # noqa: BLE001 - a failing run is said, not raised
                on_error(f"The run could not be done: {brief(str(err))}")
                return
            if send({"kind": "result", "run": mine.run, "outcomes": values}) is not None:
                last.set((mine, values))
        finally:
            busy.set(False)

    with solara.Card("Run together", margin=0, classes=["student-run"]):
        solara.HTML(tag="div", unsafe_innerHTML=html.escape(
            f"Class experiment: {plan.label}. Each device runs one value with one seed; the "
            "projector draws every run that arrives."),
            classes=["caption", "run-status"], attributes={"role": "status",
                                                           "aria-live": "polite"})
        mine = view.assignment
        if mine is not None:
            Line(f"Your run: {plan.label} = {mine.value:g}, seed {mine.seed}.", "my-run")
        if last.value is not None and mine is not None and last.value[0] == mine \
                and view.assignment_done:
            Line(f"Sent: {outcome_words(last.value[1])}. Your run is one of the points on the "
                 "projector.", "my-result")
        elif mine is not None and view.assignment_done:
            Line("Your run has arrived on the projector.", "my-result")
        if not view.experiment_open:
            Line("The class experiment has ended.", "caption")
            return
        if mine is None or not view.assignment_done:
            solara.Button("Run my part and send it", color="primary", icon_name="mdi-play",
                          on_click=run_mine, disabled=busy.value, classes=["run-mine"])
        elif view.unclaimed:
            solara.Button("Run one more (some runs have nobody yet)", outlined=True,
                          on_click=run_mine, disabled=busy.value, classes=["run-more"])
