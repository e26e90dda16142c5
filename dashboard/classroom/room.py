"""A class session's shared state: rooms, seats, answers and the class experiment.

Pure Python with no Solara and no model in it, so that it can be tested and benchmarked
without a browser: the Solara pages (`lecturer.py`, `student.py`) are thin views over it.

**Why a module-level registry.** A Solara server runs every browser session in one process,
so the rooms are shared state in that process (`ROOMS`, guarded by one lock); a session keeps
only what is its own (its room code, its seat token or lecturer key) in its components. Nothing
is ever written to disk here: the data of a room are gone when the lecturer closes it, when it
has been left idle for `IDLE_SECONDS`, or when the server stops. The only files made from a
room are the aggregate exports the lecturer asks for (`experiment.py`, `questions.py`), and
they hold counts and a sweep table, never a row per student.

**Who may do what.** Every room has a code (what students type or scan) and a lecturer key
(kept by the lecturer's page; shown only there). A student holds a seat token, given at
joining and kept by their own browser tab for a reload. The lecturer's actions need the key
and the number of lecturer actions done so far (`step`): a forged action (no key) and a
replayed one (an old step) are refused. Students send messages (`Rooms.student`), each
checked here before anything is stored: a malformed, oversized, unknown or out-of-turn message
gets one `Refused` line naming the input, the value and what is allowed, and changes nothing.
A student can see their own answers and, after the reveal, the room's counts; never anyone
else's answers, and no one ever sees who answered what.

**Random codes are deliberately unseeded.** Room codes, lecturer keys and seat tokens come
from `secrets` (the operating system's random source), not from a seeded generator: a seed
would make them guessable. Everything the model computes stays seeded.

How hard is a code to guess? `CODE_LENGTH` characters from a 32-letter alphabet is 2^40
(about 10^12) codes. A guess is a join attempt, limited per browser session (`GUESS_RATE`);
even a client that opened a new session for every guess, at the thousand guesses a second a
two-core machine could at most answer, would need over 30 years on average to find one room.
"""

from __future__ import annotations

import hmac
import math
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .limits import Bucket, Buckets, Clock

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""Room-code letters: no I, O, 0 or 1, which are easily misread on a projector."""
CODE_LENGTH = 8
MAX_ROOMS = 100
"""Open rooms at most in one server, so that scripted "open a room" clicks cannot fill memory
(an empty room is a few kilobytes); opening a room also counts against the page's tries
(`GUESS_RATE`), so one page cannot open them all at once."""
MAX_SEATS = 500
"""Students at most in one room: a lecture hall, with room to spare."""
IDLE_SECONDS = 4 * 3600
"""A room whose lecturer's page has not been open for this long (closed without "End the class
session", say) is closed and forgotten."""

STUDENT_RATE, STUDENT_BURST = 2.0, 12
"""A seat may send `STUDENT_BURST` messages at once, then two a second: far more than a person
tapping answers, far less than a script."""
GUESS_RATE, GUESS_BURST = 0.5, 6
"""Join attempts (and lecturer keys tried) per browser session: six at once, then one every two
seconds."""
STALE_SECONDS = 45.0
"""A run handed out and not sent back within this long may be handed to another student too
(a phone went to sleep); the first result to arrive counts."""

MAX_FIELDS = 6
MAX_TEXT = 100
"""A text field of a student's message longer than this is refused unread."""
MAX_NUMBER = 1e9


class Refused(ValueError):  # noqa: N818 - a refusal the page shows, not a program error
    """A message or action that was not accepted; its text is the one line the page shows.
    Nothing of a refused message is stored."""


class Gone(Refused):
    """The room is not open (closed by the lecturer, expired, or the code never existed)."""


# --- what a room holds ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Question:
    """A prediction question: a choice among `options`, or a whole number from `low` to
    `high`; `prompt` is its discussion prompt, shown beside the result at the reveal."""

    key: str
    text: str
    options: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None
    prompt: str = ""

    @property
    def numeric(self) -> bool:
        return self.low is not None and self.high is not None

    def allowed(self) -> str:
        if self.numeric:
            return f"a whole number from {self.low} to {self.high}"
        return "one of " + ", ".join(self.options)


@dataclass(frozen=True)
class Replicate:
    """One run of a class experiment: its number in the sweep, its value and its seed."""

    run: int
    value: float
    seed: int


@dataclass(frozen=True)
class Outcome:
    """An outcome a run sends back: its name, its possible range, and whether it may be
    missing (weeks to exit, when the partner never met the agent)."""

    name: str
    label: str
    low: float
    high: float
    may_be_missing: bool = False


@dataclass(frozen=True)
class Plan:
    """A class experiment: the setting it varies (a dotted path, and in words), the runs in
    the order they are handed out, the outcomes each run sends back, and the sweep declaration
    it equals (`declaration`, a sweep file's text)."""

    setting: str
    label: str
    runs: tuple[Replicate, ...]
    outcomes: tuple[Outcome, ...]
    declaration: str = ""

    @property
    def values(self) -> tuple[float, ...]:
        return tuple(sorted({r.value for r in self.runs}))


@dataclass
class Seat:
    """A student's place in a room: no name, only what they answered and the run they hold."""

    answers: dict[str, Any] = field(default_factory=dict)
    run: int | None = None
    sent: int = 0
    bucket: Bucket | None = None


@dataclass
class Experiment:
    plan: Plan
    results: dict[int, dict[str, float]] = field(default_factory=dict)
    handed: dict[int, float] = field(default_factory=dict)
    """Runs handed out and not yet back: run -> when it was last handed out."""
    open: bool = True
    by_run: dict[int, Replicate] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_run = {r.run: r for r in self.plan.runs}


# --- what a page is shown ------------------------------------------------------------------------
@dataclass(frozen=True)
class ProjectorView:
    """Everything the lecturer's page shows: aggregates only, never a seat or a token."""

    code: str
    stage: str
    preset: str
    seed: int
    questions: tuple[Question, ...]
    students: int
    answered: Mapping[str, int]
    counts: Mapping[str, Mapping[str, int]]
    numbers: Mapping[str, tuple[int, ...]]
    actual: Mapping[str, Any]
    plan: Plan | None
    results: tuple[tuple[int, Mapping[str, float]], ...]
    handed: int
    experiment_open: bool
    version: int
    step: int


@dataclass(frozen=True)
class StudentView:
    """What one student's page shows: their own answers, the stage, and after the reveal the
    room's counts (never another student's answer)."""

    code: str
    stage: str
    preset: str
    questions: tuple[Question, ...]
    answers: Mapping[str, Any]
    actual: Mapping[str, Any]
    counts: Mapping[str, Mapping[str, int]]
    numbers: Mapping[str, tuple[int, ...]]
    plan: Plan | None
    assignment: Replicate | None
    assignment_done: bool
    sent: int
    arrived: int
    unclaimed: int
    experiment_open: bool
    version: int


STAGES = ("answering", "locked", "revealed")


# --- one room ----------------------------------------------------------------------------------
class Room:
    """One class session. Use it through `Rooms`, which finds it by code and checks callers."""

    def __init__(self, code: str, key: str, preset: str, seed: int,
                 questions: tuple[Question, ...], clock: Clock = time.monotonic) -> None:
        self.code = code
        self._key = key
        self.clock = clock
        self.lock = threading.RLock()
        self.changed_any = threading.Condition(self.lock)
        self.changed_for_students = threading.Condition(self.lock)
        self.version = 0
        self.student_version = 0
        self.step = 0
        self.preset, self.seed, self.questions = preset, seed, tuple(questions)
        self.stage = "answering"
        self.actual: dict[str, Any] = {}
        self.seats: dict[str, Seat] = {}
        self.experiment: Experiment | None = None
        self.closed = False
        self.seen = clock()

    # -- bookkeeping --
    def key_matches(self, key: Any) -> bool:
        return isinstance(key, str) and hmac.compare_digest(key.encode(), self._key.encode())

    def _changed(self, students: bool) -> None:
        self.version += 1
        self.changed_any.notify_all()
        if students:
            self.student_version += 1
            self.changed_for_students.notify_all()

    def close(self) -> None:
        """End the session: every answer, seat and result is dropped now, and every page
        watching the room is woken to say so."""
        with self.lock:
            self.closed = True
            self.seats.clear()
            self.actual = {}
            self.experiment = None
            self.questions = ()
            self._changed(students=True)

    # -- the lecturer --
    def act(self, action: Any) -> None:
        """Carry out a lecturer action (the key was checked by `Rooms`)."""
        if not isinstance(action, dict):
            raise Refused(f"action = {_shown(action)} is not allowed: expected a table with a "
                          "kind and a step")
        kind, step = action.get("kind"), action.get("step")
        if kind not in LECTURER_ACTIONS:
            raise Refused(f"action kind = {_shown(kind)} is not allowed: expected one of "
                          + ", ".join(LECTURER_ACTIONS))
        if step != self.step or isinstance(step, bool):
            raise Refused(f"step = {_shown(step)} is out of date (this session is at step "
                          f"{self.step}): the action was already done or is a replay; the page "
                          "now shows the session as it is")
        LECTURER_ACTIONS[kind](self, action)
        self.step += 1
        self.seen = self.clock()
        self._changed(students=True)

    def _round(self, action: dict) -> None:
        preset, seed, questions = action.get("preset"), action.get("seed"), action.get(
            "questions")
        if not isinstance(preset, str) or not isinstance(seed, int) or not isinstance(
                questions, tuple) or not all(isinstance(q, Question) for q in questions):
            raise Refused("a new round needs a preset (text), a seed (a whole number) and its "
                          "questions")
        self.preset, self.seed, self.questions = preset, seed, questions
        self.stage, self.actual = "answering", {}
        for seat in self.seats.values():
            seat.answers = {}

    def _lock(self, action: dict) -> None:
        if self.stage != "answering":
            raise Refused(f"lock: the answers are already {self.stage}")
        self.stage = "locked"

    def _reveal(self, action: dict) -> None:
        if self.stage != "locked":
            raise Refused("reveal: lock the answers first" if self.stage == "answering" else
                          "reveal: the result is already shown")
        actual = action.get("actual")
        if not isinstance(actual, dict) or set(actual) != {q.key for q in self.questions}:
            raise Refused("reveal: give what happened for each question, and nothing else")
        self.actual = dict(actual)
        self.stage = "revealed"

    def _experiment(self, action: dict) -> None:
        plan = action.get("plan")
        if not isinstance(plan, Plan) or not plan.runs:
            raise Refused("experiment: a plan with at least one run is needed")
        if len({r.run for r in plan.runs}) != len(plan.runs):
            raise Refused("experiment: each run of the plan must have its own number")
        self.experiment = Experiment(plan)
        for seat in self.seats.values():
            seat.run, seat.sent = None, 0

    def _stop(self, action: dict) -> None:
        if self.experiment is None or not self.experiment.open:
            raise Refused("stop: no class experiment is running")
        self.experiment.open = False

    def projector(self) -> ProjectorView:
        with self.lock:
            self.seen = self.clock()
            experiment = self.experiment
            return ProjectorView(
                code=self.code, stage=self.stage, preset=self.preset, seed=self.seed,
                questions=self.questions, students=len(self.seats),
                answered={q.key: sum(q.key in s.answers for s in self.seats.values())
                          for q in self.questions},
                counts=self._counts(), numbers=self._numbers(), actual=dict(self.actual),
                plan=experiment.plan if experiment else None,
                results=tuple(sorted((run, dict(v)) for run, v in experiment.results.items()))
                if experiment else (),
                handed=len(experiment.handed) if experiment else 0,
                experiment_open=bool(experiment and experiment.open),
                version=self.version, step=self.step)

    def _counts(self) -> dict[str, dict[str, int]]:
        counts = {q.key: dict.fromkeys(q.options, 0) for q in self.questions if not q.numeric}
        for seat in self.seats.values():
            for key, value in seat.answers.items():
                if key in counts:
                    counts[key][value] += 1
        return counts

    def _numbers(self) -> dict[str, tuple[int, ...]]:
        numeric = [q.key for q in self.questions if q.numeric]
        return {key: tuple(sorted(s.answers[key] for s in self.seats.values()
                                  if key in s.answers)) for key in numeric}

    # -- students --
    def seat_of(self, token: Any) -> Seat:
        seat = self.seats.get(token) if isinstance(token, str) else None
        if seat is None:
            raise Refused("this device has no seat in the session (it left, or the seat was "
                          "never given): join again with the room code")
        return seat

    def receive(self, token: Any, message: Any) -> None:
        """One message from a student: checked whole before anything changes."""
        seat = self.seat_of(token)
        if not seat.bucket or not seat.bucket.take():
            raise Refused(f"too many messages from this device (more than {STUDENT_BURST} in a "
                          "few seconds): wait a few seconds, then try again")
        kind = check_message(message)
        STUDENT_MESSAGES[kind](self, token, seat, message)

    def _answer(self, token: str, seat: Seat, message: dict) -> None:
        key, value = message["question"], message["value"]
        question = next((q for q in self.questions if q.key == key), None)
        if question is None:
            raise Refused(f"question = {_shown(key)} is not a question of this session: "
                          "expected one of " + ", ".join(q.key for q in self.questions))
        value = check_answer(question, value)
        if self.stage != "answering":
            raise Refused("the answers are locked: your earlier answers still count; watch "
                          "the projector")
        if seat.answers.get(key) == value:
            return
        seat.answers[key] = value
        self._changed(students=False)

    def _claim(self, token: str, seat: Seat, message: dict) -> None:
        experiment = self._open_experiment()
        if seat.run is not None and seat.run not in experiment.results:
            experiment.handed[seat.run] = self.clock()
            return  # the run this seat already holds (a reload asks again)
        run = self._next_run(experiment)
        if run is None:
            raise Refused("every run of this experiment has been handed out or has arrived: "
                          "watch the projector")
        seat.run = run
        experiment.handed[run] = self.clock()
        self._changed(students=False)

    def _next_run(self, experiment: Experiment) -> int | None:
        """The first run nobody holds; else the one handed out longest ago and still out
        after `STALE_SECONDS` (a phone that went to sleep)."""
        held = {s.run for s in self.seats.values() if s.run is not None}
        for replicate in experiment.plan.runs:
            run = replicate.run
            if run not in experiment.results and run not in held:
                return run
        now = self.clock()
        stale = [(when, run) for run, when in experiment.handed.items()
                 if now - when >= STALE_SECONDS and run not in experiment.results]
        return min(stale)[1] if stale else None

    def _result(self, token: str, seat: Seat, message: dict) -> None:
        experiment = self._open_experiment()
        run = message["run"]
        if isinstance(run, bool) or not isinstance(run, int) or run != seat.run:
            raise Refused(f"run = {_shown(run)} is not the run this device was given"
                          + (f" (run {seat.run})" if seat.run is not None else
                             " (it holds none: press the button that takes a run first)"))
        if run in experiment.results:
            raise Refused(f"run {run} has already arrived; it is counted once")
        outcomes = check_outcomes(experiment.plan.outcomes, message["outcomes"])
        experiment.results[run] = outcomes
        experiment.handed.pop(run, None)
        seat.sent += 1
        self._changed(students=False)

    def _leave(self, token: str, seat: Seat, message: dict) -> None:
        """The student goes: their seat and answers go with them; a run they held but did not
        send back is free for someone else. A run they sent stays: it is one replicate of the
        experiment and says nothing about the person."""
        experiment = self.experiment
        if experiment is not None and seat.run is not None:
            experiment.handed.pop(seat.run, None)
        del self.seats[token]
        self._changed(students=False)

    def _open_experiment(self) -> Experiment:
        if self.experiment is None:
            raise Refused("no class experiment is running: wait for the lecturer to start one")
        if not self.experiment.open:
            raise Refused("the class experiment has ended: no more runs are taken")
        return self.experiment

    def student_view(self, token: Any) -> StudentView:
        with self.lock:
            seat = self.seat_of(token)
            experiment = self.experiment
            revealed = self.stage == "revealed"
            assignment = None
            done = False
            unclaimed = 0
            if experiment is not None:
                if seat.run is not None:
                    assignment = experiment.by_run.get(seat.run)
                    done = seat.run in experiment.results
                held = {s.run for s in self.seats.values() if s.run is not None}
                unclaimed = sum(1 for r in experiment.plan.runs
                                if r.run not in experiment.results and r.run not in held)
            return StudentView(
                code=self.code, stage=self.stage, preset=self.preset,
                questions=self.questions, answers=dict(seat.answers),
                actual=dict(self.actual) if revealed else {},
                counts=self._counts() if revealed else {},
                numbers=self._numbers() if revealed else {},
                plan=experiment.plan if experiment else None, assignment=assignment,
                assignment_done=done, sent=seat.sent,
                arrived=len(experiment.results) if experiment else 0, unclaimed=unclaimed,
                experiment_open=bool(experiment and experiment.open),
                version=self.student_version)


LECTURER_ACTIONS: dict[str, Callable[[Room, dict], None]] = {
    "round": Room._round, "lock": Room._lock, "reveal": Room._reveal,
    "experiment": Room._experiment, "stop": Room._stop,
}
STUDENT_MESSAGES: dict[str, Callable[[Room, str, Seat, dict], None]] = {
    "answer": Room._answer, "claim": Room._claim, "result": Room._result, "leave": Room._leave,
}
MESSAGE_FIELDS = {"answer": {"kind", "question", "value"}, "claim": {"kind"},
                  "result": {"kind", "run", "outcomes"}, "leave": {"kind"}}


# --- checking what a student sends ----------------------------------------------------------------
def _shown(value: Any) -> str:
    """A value as a refusal repeats it: short, whatever was sent."""
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 40 else f"{text[:32]}... ({len(text):,} characters)"


def check_message(message: Any) -> str:
    """The message's kind, if it is a well-formed student message; else `Refused`."""
    if not isinstance(message, dict):
        raise Refused(f"message = {_shown(message)} is not allowed: expected a table with a "
                      "kind (" + ", ".join(MESSAGE_FIELDS) + ")")
    if len(message) > MAX_FIELDS:
        raise Refused(f"message with {len(message)} fields is not allowed: at most "
                      f"{MAX_FIELDS}")
    kind = message.get("kind")
    if kind not in MESSAGE_FIELDS:
        raise Refused(f"kind = {_shown(kind)} is not allowed: expected one of "
                      + ", ".join(MESSAGE_FIELDS))
    fields = set(message)
    if fields != MESSAGE_FIELDS[kind]:
        extra = sorted(map(str, fields - MESSAGE_FIELDS[kind]))
        missing = sorted(MESSAGE_FIELDS[kind] - fields)
        said = (f"unknown field {_shown(extra[0])}" if extra else
                f"missing field '{missing[0]}'")
        raise Refused(f"{kind} message: {said}; allowed fields: "
                      + ", ".join(sorted(MESSAGE_FIELDS[kind])))
    for name, value in message.items():
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise Refused(f"{name} = {_shown(value)} is too long: at most {MAX_TEXT} characters")
    return kind


def check_answer(question: Question, value: Any) -> Any:
    """The answer as stored (an option's text, or a whole number), or `Refused`."""
    if question.numeric:
        number = value
        if isinstance(value, str) and value.strip().lstrip("+").isdigit() and len(
                value.strip()) <= 12:
            number = int(value.strip())
        if isinstance(number, float) and number.is_integer():
            number = int(number)
        if isinstance(number, bool) or not isinstance(number, int) or not (
                question.low <= number <= question.high):  # type: ignore[operator]
            raise Refused(f"{question.text} value = {_shown(value)} is not allowed: expected "
                          + question.allowed())
        return number
    if not isinstance(value, str) or value not in question.options:
        raise Refused(f"{question.text} value = {_shown(value)} is not allowed: expected "
                      + question.allowed())
    return value


def check_outcomes(expected: tuple[Outcome, ...], outcomes: Any) -> dict[str, float]:
    """A run's outcomes as stored (floats, NaN where missing is allowed), or `Refused`."""
    names = [o.name for o in expected]
    if not isinstance(outcomes, dict) or set(outcomes) != set(names):
        raise Refused(f"outcomes = {_shown(outcomes)} is not allowed: expected a value for "
                      "each of " + ", ".join(names))
    checked = {}
    for outcome in expected:
        value = outcomes[outcome.name]
        if value is None and outcome.may_be_missing:
            checked[outcome.name] = math.nan
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Refused(f"{outcome.name} = {_shown(value)} is not allowed: expected a number "
                          f"from {outcome.low:g} to {outcome.high:g}")
        value = float(value)
        if math.isnan(value) and outcome.may_be_missing:
            checked[outcome.name] = value
            continue
        if not (outcome.low <= value <= outcome.high):
            raise Refused(f"{outcome.name} = {_shown(value)} is not allowed: expected a number "
                          f"from {outcome.low:g} to {outcome.high:g}")
        checked[outcome.name] = value
    return checked


def normal_code(text: Any) -> str:
    """A typed room code in its canonical form (capitals, no spaces or dashes), or `Refused`
    naming what was typed and what a code looks like."""
    if not isinstance(text, str) or len(text) > 40:
        raise Refused(f"room code = {_shown(text)} is not allowed: expected {CODE_LENGTH} "
                      "letters and digits, as on the projector (e.g. ABCD-2345)")
    code = "".join(text.split()).replace("-", "").upper()
    if len(code) != CODE_LENGTH or any(c not in ALPHABET for c in code):
        raise Refused(f"room code = {_shown(text.strip())} is not allowed: expected "
                      f"{CODE_LENGTH} letters and digits, as on the projector (e.g. ABCD-2345)")
    return code


def shown_code(code: str) -> str:
    """A code as the projector shows it: two groups of four."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


# --- the registry ------------------------------------------------------------------------------
class Rooms:
    """Every open room of this server, by code, behind one lock.

    Each public method is one request from a page: it finds the room, checks the caller (the
    lecturer's key, or a student's seat token) and the rate limits, and hands the request to
    the room under the room's own lock, so that many students can answer at once.
    """

    def __init__(self, clock: Clock = time.monotonic,
                 random_text: Callable[[int], str] = secrets.token_urlsafe) -> None:
        self.clock = clock
        self.lock = threading.Lock()
        self.rooms: dict[str, Room] = {}
        self.guesses = Buckets(GUESS_RATE, GUESS_BURST, clock=clock)
        self._random_text = random_text

    # -- finding a room --
    def _reap(self) -> None:
        now = self.clock()
        for code, room in list(self.rooms.items()):
            if now - room.seen > IDLE_SECONDS or room.closed:
                room.close()
                del self.rooms[code]

    def _room(self, code: Any) -> Room:
        with self.lock:
            self._reap()
            room = self.rooms.get(code) if isinstance(code, str) else None
        if room is None or room.closed:
            raise Gone("this class session has ended (or the code is not one of an open "
                       "session); nothing from it was kept")
        return room

    def _guess(self, caller: str) -> None:
        with self.lock:
            if not self.guesses.take(caller):
                wait = math.ceil(self.guesses.wait(caller))
                raise Refused(f"too many tries from this page: wait {wait} second"
                              f"{'s' * (wait != 1)}, then try again")

    def _lecturer_room(self, code: Any, key: Any, caller: str) -> Room:
        room = self._room(code)
        if not room.key_matches(key):
            self._guess(caller)
            raise Refused("lecturer key = (hidden) does not match this session: only the "
                          "lecturer's page can do this")
        return room

    # -- the lecturer --
    def open(self, preset: str, seed: int, questions: tuple[Question, ...], caller: str = ""
             ) -> tuple[str, str]:
        """Open a room; return its code and its lecturer key."""
        self._guess(caller)
        with self.lock:
            self._reap()
            if len(self.rooms) >= MAX_ROOMS:
                raise Refused(f"{len(self.rooms)} class sessions are open on this server, the "
                              f"most allowed: close one (or restart the server) first")
            code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
            while code in self.rooms:
                code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
            key = self._random_text(16)
            self.rooms[code] = Room(code, key, preset, seed, tuple(questions), self.clock)
        return code, key

    def lecturer(self, code: Any, key: Any, action: Any, caller: str = "") -> ProjectorView:
        """A lecturer action (see `Room.act`); returns the room as it is afterwards."""
        room = self._lecturer_room(code, key, caller)
        with room.lock:
            room.act(action)
        return room.projector()

    def projector(self, code: Any, key: Any, caller: str = "") -> ProjectorView:
        return self._lecturer_room(code, key, caller).projector()

    def close(self, code: Any, key: Any, caller: str = "") -> None:
        """End the session: its data are dropped at once and its code stops working."""
        room = self._lecturer_room(code, key, caller)
        with self.lock:
            self.rooms.pop(room.code, None)
        room.close()

    def close_all(self) -> None:
        with self.lock:
            rooms, self.rooms = list(self.rooms.values()), {}
        for room in rooms:
            room.close()

    # -- students --
    def join(self, code_text: Any, caller: str = "") -> tuple[str, str]:
        """Give a new seat in the room with this code; return (code, seat token)."""
        self._guess(caller)
        code = normal_code(code_text)
        room = self._room(code)
        with room.lock:
            if len(room.seats) >= MAX_SEATS:
                raise Refused(f"this session is full ({MAX_SEATS} students)")
            token = self._random_text(16)
            room.seats[token] = Seat(bucket=Bucket(STUDENT_RATE, STUDENT_BURST, self.clock))
            room._changed(students=False)
        return code, token

    def rejoin(self, code: Any, token: Any, caller: str = "") -> bool:
        """Whether a seat kept by a reloaded page is still there (it then carries on)."""
        self._guess(caller)
        try:
            room = self._room(code)
        except Gone:
            return False
        with room.lock:
            return isinstance(token, str) and token in room.seats

    def student(self, code: Any, token: Any, message: Any) -> StudentView:
        """One message from a student (see `Room.receive`); returns their view afterwards."""
        room = self._room(code)
        with room.lock:
            room.receive(token, message)
            if isinstance(message, dict) and message.get("kind") == "leave":
                return _left(room.code)
            return room.student_view(token)

    def student_view(self, code: Any, token: Any) -> StudentView:
        return self._room(code).student_view(token)

    # -- watching --
    def wait(self, code: str, seen: int, timeout: float, students: bool) -> int | None:
        """Block until the room's version passes `seen` (the students' version, which moves
        only with what a student's page shows, when `students`), or `timeout` seconds pass;
        return the version, or None once the room is closed or gone."""
        with self.lock:
            room = self.rooms.get(code)
        if room is None:
            return None
        condition = room.changed_for_students if students else room.changed_any
        with room.lock:
            if not students:  # the projector's page is open: the room is not idle
                room.seen = self.clock()
            current = (lambda: room.student_version) if students else (lambda: room.version)
            if current() == seen and not room.closed:
                condition.wait(timeout)
            return None if room.closed else current()


def _left(code: str) -> StudentView:
    return StudentView(code=code, stage="left", preset="", questions=(), answers={},
                       actual={}, counts={}, numbers={}, plan=None, assignment=None,
                       assignment_done=False, sent=0, arrived=0, unclaimed=0,
                       experiment_open=False, version=-1)


ROOMS = Rooms()
"""The rooms of this server process, shared by every browser session it serves."""
