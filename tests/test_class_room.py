"""Class mode's shared state, without a browser: joining, answering, the lock and the reveal,
the class experiment, and hostile clients (dashboard/classroom/room.py).

Every refusal is checked for what a user would notice: one line naming the input, the value
and what is allowed; nothing of the refused message stored; the session still working for
everyone else afterwards. Model outcomes are never typed in: the class experiment is compared
with the sweep API and the command line run at test time.
"""

from __future__ import annotations

import copy
import gc
import math
import weakref

import pandas as pd
import pytest
from helpers import cli

from dashboard.classroom import join_code
from dashboard.classroom.address import addresses, join_address, loopback_only, qr_svg
from dashboard.classroom.experiment import (OUTCOMES, class_summary, class_sweep,
                                            command_line_summary, export_table, plan_for,
                                            run_replicate)
from dashboard.classroom.limits import Bucket
from dashboard.classroom.questions import counts_table, questions_for, what_happened
from dashboard.classroom.room import (ALPHABET, CODE_LENGTH, GUESS_BURST, STALE_SECONDS,
                                      STUDENT_BURST, Gone, Refused, Rooms, normal_code,
                                      shown_code)
from dashboard.components.prediction import NOBODY, QUESTIONS
from dashboard.frames import Run
from dashboard.settings import Settings
from dashboard.tables import first_to_leave, most_harmed
from model.experiments import execute, read_results


class Clock:
    """A clock the test moves by hand: rate limits and stale runs without sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


SETTINGS = Settings()
QUESTIONS_NOW = questions_for(SETTINGS)


@pytest.fixture()
def clock():
    return Clock()


@pytest.fixture()
def rooms(clock):
    return Rooms(clock=clock)


@pytest.fixture()
def room(rooms):
    """An open room: (rooms, code, key)."""
    code, key = rooms.open(SETTINGS.preset, SETTINGS.seed, QUESTIONS_NOW)
    return rooms, code, key


def seat(rooms, code, caller="student"):
    return rooms.join(code, caller)[1]


def state(rooms, code) -> tuple:
    """Everything a room stores, to check that a refused message stored nothing."""
    r = rooms.rooms[code]
    experiment = r.experiment
    return (r.stage, r.step, r.version, r.preset, copy.deepcopy(r.actual),
            {t: (dict(s.answers), s.run, s.sent) for t, s in r.seats.items()},
            None if experiment is None else (dict(experiment.results),
                                             dict(experiment.handed), experiment.open))


def answer(key, value):
    return {"kind": "answer", "question": key, "value": value}


def one_line(err: Refused) -> str:
    text = str(err)
    assert "\n" not in text and len(text) < 320, text
    return text


# --- codes, keys, joining ------------------------------------------------------------------------
def test_a_room_has_an_unguessable_code_and_a_key_only_the_lecturer_gets(rooms):
    opened = [rooms.open("classroom", 12, QUESTIONS_NOW, f"lecturer {i}") for i in range(10)]
    codes = [code for code, _ in opened]
    assert len(set(codes)) == 10
    assert all(len(c) == CODE_LENGTH and set(c) <= set(ALPHABET) for c in codes)
    assert len(ALPHABET) ** CODE_LENGTH >= 2 ** 40
    code, key = opened[0]
    assert len(key) >= 22 and key not in code
    token = seat(rooms, code)
    shown = repr(rooms.projector(code, key)) + repr(rooms.student_view(code, token))
    assert key not in shown and token not in shown, "no view carries a key or a seat token"


def test_a_typed_code_is_read_the_way_people_type_it(room):
    rooms, code, _ = room
    typed = f" {shown_code(code).lower()} "
    assert normal_code(typed) == code
    assert rooms.join(typed, "phone")[0] == code
    assert join_code("join=" + code) == code and join_code("join") == ""
    assert join_code("preset=classroom") is None


@pytest.mark.parametrize("typed", ["ZZZZ-ZZZZ", "abc", "", "O0O0-I1I1", 12345678, None,
                                   "A" * 10_000])
def test_a_wrong_room_code_is_refused_in_one_line_and_nothing_is_stored(room, typed):
    rooms, code, key = room
    before = state(rooms, code)
    with pytest.raises(Refused) as refused:
        rooms.join(typed, "guesser")
    text = one_line(refused.value)
    assert "room code" in text or "ended" in text
    if isinstance(typed, str) and typed not in ("ZZZZ-ZZZZ",):
        assert "8 letters and digits" in text
    assert state(rooms, code) == before
    assert rooms.projector(code, key).students == 0


def test_guessing_codes_is_slowed_down_per_page_and_never_blocks_others(room, clock):
    rooms, code, _ = room
    for _ in range(GUESS_BURST):
        with pytest.raises(Gone):
            rooms.join("ZZZZ-ZZZZ", "guesser")
    with pytest.raises(Refused, match="too many tries from this page: wait 2 seconds"):
        rooms.join(code, "guesser")  # even the right code: the limit is not a yes/no oracle
    assert rooms.join(code, "someone else")[0] == code
    clock.advance(2.0)
    assert rooms.join(code, "guesser")[0] == code


# --- predict together ----------------------------------------------------------------------------
def test_questions_are_the_explore_pages_own_plus_a_week_to_guess():
    keys = [q.key for q in QUESTIONS_NOW]
    assert keys[:2] == list(QUESTIONS) and [q.text for q in QUESTIONS_NOW[:2]] == list(
        QUESTIONS.values())
    names = list(Run(SETTINGS).frame().names)
    assert QUESTIONS_NOW[0].options == (*names, NOBODY)
    assert QUESTIONS_NOW[1].options == tuple(names)
    week = QUESTIONS_NOW[2]
    assert week.numeric and (week.low, week.high) == (0, Run(SETTINGS).frame().weeks)
    assert all(q.prompt for q in QUESTIONS_NOW)


def test_answers_are_counted_and_the_projector_never_shows_who(room):
    rooms, code, key = room
    names = QUESTIONS_NOW[0].options
    tokens = [seat(rooms, code, f"s{i}") for i in range(5)]
    for i, token in enumerate(tokens):
        rooms.student(code, token, answer("leave", names[i % 2]))
        rooms.student(code, token, answer("devalue", str(10 * (i + 1))))
    rooms.student(code, tokens[0], answer("leave", names[1]))  # a change of mind counts once
    view = rooms.projector(code, key)
    assert view.students == 5
    assert view.counts["leave"][names[0]] == 2 and view.counts["leave"][names[1]] == 3
    assert view.numbers["devalue"] == (10, 20, 30, 40, 50)
    assert view.answered == {"leave": 5, "harm": 0, "devalue": 5}
    table = counts_table(view)
    rows = len(names) + len(QUESTIONS_NOW[1].options) + 5  # options, options, distinct weeks
    assert len(table) == rows and "token" not in " ".join(table.columns)
    assert set(table["count"]) <= {0, 1, 2, 3}


def test_lock_run_and_reveal_reach_every_student_and_late_joiners_answer_until_the_lock(room):
    rooms, code, key = room
    names = QUESTIONS_NOW[0].options
    early = seat(rooms, code, "early")
    rooms.student(code, early, answer("leave", names[0]))
    seen = rooms.student_view(code, early).version
    rooms.student(code, early, answer("harm", names[1]))
    assert rooms.student_view(code, early).version == seen, "answers do not redraw students"
    late = seat(rooms, code, "late")
    rooms.student(code, late, answer("leave", names[2]))  # late, but before the lock
    rooms.lecturer(code, key, {"kind": "lock", "step": 0})
    assert rooms.student_view(code, early).version > seen
    after = seat(rooms, code, "after the lock")
    for token in (late, after):
        with pytest.raises(Refused, match="the answers are locked"):
            rooms.student(code, token, answer("harm", names[0]))
    assert rooms.student_view(code, late).answers == {"leave": names[2]}
    assert rooms.student_view(code, early).counts == {}, "no counts for students before reveal"
    frame = Run(SETTINGS).step(10_000)
    actual = what_happened(frame, QUESTIONS_NOW)
    assert actual["leave"] == (first_to_leave(frame.events) or NOBODY)
    assert actual["harm"] in (most_harmed(frame.outcomes), "nobody was harmed")
    rooms.lecturer(code, key, {"kind": "reveal", "step": 1, "actual": actual})
    for token in (early, late, after):
        view = rooms.student_view(code, token)
        assert view.stage == "revealed" and view.actual == actual
        assert view.counts["leave"][names[0]] == 1 and view.counts["leave"][names[2]] == 1


# --- hostile clients -----------------------------------------------------------------------------
MALFORMED = [
    None, "answer", 42, ["answer", "leave", "Ana"], {}, {"kind": "hack"},
    {"kind": "answer"}, {"kind": "answer", "question": "leave"},
    {"kind": "answer", "question": "leave", "value": "Ana", "extra": 1},
    {"kind": "answer", "question": "who", "value": "Ana"},
    {"kind": "answer", "question": "leave", "value": "Zed"},
    {"kind": "answer", "question": "leave", "value": ["Ana"]},
    {"kind": "answer", "question": "leave", "value": "A" * 100_000},
    {"kind": "answer", "question": "devalue", "value": "abc"},
    {"kind": "answer", "question": "devalue", "value": -1},
    {"kind": "answer", "question": "devalue", "value": 10**12},
    {"kind": "answer", "question": "devalue", "value": 52.5},
    {"kind": "answer", "question": "devalue", "value": True},
    {"kind": "answer", "question": "devalue", "value": float("nan")},
    {f"field{i}": i for i in range(1000)},
    {"kind": "lock", "step": 0}, {"kind": "read", "seat": "x"},
    {"kind": "result", "run": 0, "outcomes": {}},
    {"kind": "claim"},
]


@pytest.mark.parametrize("message", MALFORMED, ids=lambda m: repr(m)[:40])
def test_a_malformed_or_oversized_message_is_refused_and_nothing_is_stored(room, message):
    rooms, code, key = room
    token = seat(rooms, code)
    other = seat(rooms, code, "other")
    rooms.student(code, other, answer("leave", QUESTIONS_NOW[0].options[0]))
    before = state(rooms, code)
    with pytest.raises(Refused) as refused:
        rooms.student(code, token, message)
    text = one_line(refused.value)
    if isinstance(message, dict) and message.get("kind") == "answer" and len(message) == 3:
        assert "is not allowed" in text or "too long" in text or "not a question" in text
        assert "expected" in text or "at most" in text
    assert state(rooms, code) == before
    rooms.student(code, token, answer("leave", QUESTIONS_NOW[0].options[1]))  # unharmed
    assert rooms.projector(code, key).answered["leave"] == 2


def test_a_refusal_names_the_input_the_value_and_what_is_allowed(room):
    rooms, code, _ = room
    token = seat(rooms, code)
    with pytest.raises(Refused) as refused:
        rooms.student(code, token, answer("leave", "Zed"))
    assert str(refused.value) == (
        f"{QUESTIONS_NOW[0].text} value = 'Zed' is not allowed: expected one of "
        + ", ".join(QUESTIONS_NOW[0].options))
    with pytest.raises(Refused) as refused:
        rooms.student(code, token, answer("devalue", "9" * 5000))
    text = one_line(refused.value)
    assert "characters" in text and "at most 100" in text


def test_forged_and_replayed_lecturer_actions_are_refused(room):
    rooms, code, key = room
    token = seat(rooms, code)
    before = state(rooms, code)
    for forged_key in (None, "", token, key[:-1] + ("A" if key[-1] != "A" else "B"), 42):
        with pytest.raises(Refused, match="lecturer key = \\(hidden\\) does not match"):
            rooms.lecturer(code, forged_key, {"kind": "lock", "step": 0}, "student")
        with pytest.raises(Refused):
            rooms.projector(code, forged_key, "a student reading answers")
    with pytest.raises(Refused):
        rooms.close(code, token, "student")
    assert state(rooms, code) == before
    rooms.lecturer(code, key, {"kind": "lock", "step": 0})
    locked = state(rooms, code)
    for replay in ({"kind": "lock", "step": 0}, {"kind": "reveal", "step": 0, "actual": {}},
                   {"kind": "lock", "step": "1"}, {"kind": "lock", "step": True},
                   {"kind": "lock"}, {"kind": "drop tables", "step": 1}, "lock", None):
        with pytest.raises(Refused) as refused:
            rooms.lecturer(code, key, replay)
        one_line(refused.value)
    assert state(rooms, code) == locked
    with pytest.raises(Refused, match="the answers are already locked"):
        rooms.lecturer(code, key, {"kind": "lock", "step": 1})
    assert rooms.student_view(code, token).stage == "locked"


def test_a_flood_is_cut_off_and_other_students_carry_on(room, clock):
    rooms, code, key = room
    flooder, calm = seat(rooms, code, "flooder"), seat(rooms, code, "calm")
    weeks = [str(w) for w in range(1000)]
    accepted = 0
    for week in weeks:
        try:
            rooms.student(code, flooder, answer("devalue", week))
            accepted += 1
        except Refused as err:
            assert "too many messages from this device" in str(err)
    assert accepted == STUDENT_BURST
    assert rooms.student_view(code, flooder).answers["devalue"] == STUDENT_BURST - 1
    rooms.student(code, calm, answer("devalue", "40"))
    assert rooms.projector(code, key).numbers["devalue"] == (11, 40)
    clock.advance(1.0)
    rooms.student(code, flooder, answer("devalue", "20"))  # the bucket refills
    assert rooms.projector(code, key).numbers["devalue"] == (20, 40)


def test_a_student_cannot_read_or_change_anyone_elses_answers(room):
    rooms, code, key = room
    names = QUESTIONS_NOW[0].options
    me, you = seat(rooms, code, "me"), seat(rooms, code, "you")
    rooms.student(code, you, answer("leave", names[3]))
    mine = rooms.student(code, me, answer("leave", names[0]))
    assert mine.answers == {"leave": names[0]} and mine.counts == {} and mine.numbers == {}
    for guessed in ("", "x" * 22, key, code, None):
        with pytest.raises(Refused, match="no seat in the session"):
            rooms.student_view(code, guessed)
        with pytest.raises(Refused):
            rooms.student(code, guessed, answer("leave", names[1]))
    assert rooms.student_view(code, you).answers == {"leave": names[3]}


def test_leaving_takes_the_seat_and_its_answers_and_frees_its_run(room):
    rooms, code, key = room
    token = seat(rooms, code)
    rooms.student(code, token, answer("leave", QUESTIONS_NOW[0].options[0]))
    plan = experiment_plan(values=2, per_value=1)
    rooms.lecturer(code, key, {"kind": "experiment", "step": 0, "plan": plan})
    held = rooms.student(code, token, {"kind": "claim"}).assignment
    assert rooms.student(code, token, {"kind": "leave"}).stage == "left"
    view = rooms.projector(code, key)
    assert view.students == 0 and view.answered["leave"] == 0 and view.handed == 0
    other = seat(rooms, code, "next")
    assert rooms.student(code, other, {"kind": "claim"}).assignment == held
    with pytest.raises(Refused, match="no seat"):
        rooms.student(code, token, answer("leave", QUESTIONS_NOW[0].options[0]))


def test_closing_the_session_drops_every_answer_and_the_code_stops_working(room):
    rooms, code, key = room
    token = seat(rooms, code)
    rooms.student(code, token, answer("leave", QUESTIONS_NOW[0].options[0]))
    kept = weakref.ref(rooms.rooms[code])
    assert rooms.wait(code, -1, 0.01, students=True) is not None
    rooms.close(code, key)
    for call in (lambda: rooms.join(code, "late"), lambda: rooms.student_view(code, token),
                 lambda: rooms.projector(code, key),
                 lambda: rooms.student(code, token, answer("leave", "Ana"))):
        with pytest.raises(Gone, match="has ended"):
            call()
    assert rooms.wait(code, 0, 0.01, students=True) is None
    gc.collect()
    assert kept() is None, "nothing holds the closed room's data"


def test_one_page_cannot_open_room_after_room(rooms, clock):
    for _ in range(GUESS_BURST):
        rooms.open("classroom", 12, QUESTIONS_NOW, "a script")
    with pytest.raises(Refused, match="too many tries from this page"):
        rooms.open("classroom", 12, QUESTIONS_NOW, "a script")
    assert len(rooms.rooms) == GUESS_BURST
    rooms.open("classroom", 12, QUESTIONS_NOW, "the lecturer")


def test_an_idle_room_is_forgotten(room, clock):
    rooms, code, key = room
    clock.advance(4 * 3600 + 1)
    with pytest.raises(Gone):
        rooms.projector(code, key)


# --- run together --------------------------------------------------------------------------------
def experiment_plan(values=3, per_value=2, seed=7, path="partners.0.boundary"):
    sweep = class_sweep("classroom", path, 0.2, 0.8, values, per_value, seed)
    return plan_for(sweep, "Ana (spouse), boundary")


def test_each_student_gets_their_own_run_and_a_result_is_checked_before_it_counts(room, clock):
    rooms, code, key = room
    plan = experiment_plan(values=2, per_value=2)
    rooms.lecturer(code, key, {"kind": "experiment", "step": 0, "plan": plan})
    tokens = [seat(rooms, code, f"s{i}") for i in range(5)]
    held = [rooms.student(code, t, {"kind": "claim"}).assignment for t in tokens[:4]]
    assert [h.run for h in held] == [r.run for r in plan.runs]
    assert {h.value for h in held[:2]} == set(plan.values), "every value comes early"
    with pytest.raises(Refused, match="every run of this experiment has been handed out"):
        rooms.student(code, tokens[4], {"kind": "claim"})
    good = run_replicate(plan.declaration, held[0].run)
    before = state(rooms, code)
    bad = [
        {"kind": "result", "run": held[1].run, "outcomes": good},          # not its run
        {"kind": "result", "run": "0", "outcomes": good},
        {"kind": "result", "run": held[0].run, "outcomes": {**good, "harm": -1.0}},
        {"kind": "result", "run": held[0].run, "outcomes": {**good, "harm": math.nan}},
        {"kind": "result", "run": held[0].run, "outcomes": {**good, "harm": "3"}},
        {"kind": "result", "run": held[0].run, "outcomes": {**good, "weeks_devalued": 1e9}},
        {"kind": "result", "run": held[0].run, "outcomes": {"harm": 1.0}},
        {"kind": "result", "run": held[0].run, "outcomes": {**good, "extra": 1.0}},
    ]
    for message in bad:
        with pytest.raises(Refused) as refused:
            rooms.student(code, tokens[0], message)
        one_line(refused.value)
    assert state(rooms, code) == before
    rooms.student(code, tokens[0], {"kind": "result", "run": held[0].run,
                                    "outcomes": {**good, "weeks_to_exit": None}})
    with pytest.raises(Refused, match="has already arrived; it is counted once"):
        rooms.student(code, tokens[0], {"kind": "result", "run": held[0].run,
                                        "outcomes": good})
    assert math.isnan(dict(rooms.projector(code, key).results)[held[0].run]["weeks_to_exit"])
    clock.advance(STALE_SECONDS)  # a phone went to sleep: its run goes to someone else too
    again = rooms.student(code, tokens[4], {"kind": "claim"}).assignment
    assert again.run in {h.run for h in held[1:]}, "a run still out, not a finished one"
    rooms.lecturer(code, key, {"kind": "stop", "step": 1})
    with pytest.raises(Refused, match="the class experiment has ended"):
        rooms.student(code, tokens[2], {"kind": "claim"})


def test_the_class_table_equals_the_sweep_api_and_the_command_line(room, tmp_path, capsys):
    """Forty students each run one replicate, in their own order; the table the projector
    builds equals `execute` on the same declaration and `supply-cycle sweep` on its file."""
    rooms, code, key = room
    plan = experiment_plan(values=4, per_value=10, seed=2026)
    assert len(plan.runs) == 40
    rooms.lecturer(code, key, {"kind": "experiment", "step": 0, "plan": plan})
    tokens = [seat(rooms, code, f"s{i}") for i in range(40)]
    for token in reversed(tokens):  # results arrive in any order
        mine = rooms.student(code, token, {"kind": "claim"}).assignment
        rooms.student(code, token, {"kind": "result", "run": mine.run,
                                    "outcomes": run_replicate(plan.declaration, mine.run)})
    view = rooms.projector(code, key)
    assert len(view.results) == 40
    ours = class_summary(plan, dict(view.results))
    sweep = class_sweep("classroom", "partners.0.boundary", 0.2, 0.8, 4, 10, 2026)
    assert ours["count"].sum() == 40 * len(OUTCOMES) - ours["mean"].isna().sum()
    api = command_line_summary(execute(sweep, workers=1).table, sweep)
    pd.testing.assert_frame_equal(ours, api, check_exact=True)
    declared = tmp_path / "class-experiment.toml"
    declared.write_text(plan.declaration)
    status, out, err = cli(["sweep", declared, "--out", tmp_path / "res", "--workers", "1",
                            "--quiet"], capsys)
    assert status == 0, err
    pd.testing.assert_frame_equal(ours, command_line_summary(*reversed(read_results(
        tmp_path / "res"))), check_exact=True)
    exported = export_table(ours, plan)
    assert len(exported) == len(plan.values) * len(OUTCOMES)
    assert list(exported.columns) == ["setting", "value", "outcome", "runs", "mean", "std",
                                      "low", "high"]


def test_a_class_experiment_of_a_setting_that_is_not_a_partners_averages_over_partners():
    sweep = class_sweep("classroom", "narcissist.rivalry", 0.2, 0.8, 2, 2, 3)
    plan = plan_for(sweep, "Alex (narcissist), rivalry")
    results = {r.run: run_replicate(plan.declaration, r.run) for r in plan.runs}
    pd.testing.assert_frame_equal(class_summary(plan, results), command_line_summary(
        execute(sweep, workers=1).table, sweep), check_exact=True)


@pytest.mark.parametrize("values,per_value", [(1, 2), (12, 2), (3, 0), (3, 51), (3, True)])
def test_an_experiment_out_of_range_is_refused_naming_the_input(values, per_value):
    from model.experiments import SweepError

    with pytest.raises(SweepError) as refused:
        class_sweep("classroom", "partners.0.boundary", 0.2, 0.8, values, per_value, 1)
    assert "is not allowed: expected a whole number from" in str(refused.value)


# --- the join address, the QR code, the limits ---------------------------------------------------
def test_the_join_address_names_this_machine_as_others_reach_it():
    lan = addresses()
    assert all(not a.startswith("127.") for a in lan)
    shown, others = join_address({"protocol": "http:", "hostname": "127.0.0.1",
                                  "port": "8765"}, "ABCD2345")
    if lan:
        assert shown == f"http://{lan[0]}:8765/?join=ABCD2345" and lan[0] not in others
    kept, _ = join_address({"protocol": "https:", "hostname": "10.1.2.3", "port": ""})
    assert kept == "https://10.1.2.3/?join"
    assert loopback_only("127.0.0.1") and loopback_only("localhost")
    assert not loopback_only("0.0.0.0") and not loopback_only(None)


def test_the_qr_code_is_drawn_here_as_scalable_svg():
    svg = qr_svg("http://10.0.0.5:8765/?join=ABCD2345", "QR code of the join address")
    assert svg.startswith("<svg") and "<title>QR code of the join address</title>" in svg
    assert "width=" not in svg.split(">")[0], "no fixed size: the page scales it"


def test_a_bucket_refills_at_its_rate():
    clock = Clock()
    bucket = Bucket(rate=2.0, burst=3, clock=clock)
    assert [bucket.take() for _ in range(4)] == [True, True, True, False]
    assert bucket.wait() == pytest.approx(0.5)
    clock.advance(0.5)
    assert bucket.take() and not bucket.take()


def test_the_class_option_listens_on_every_address_unless_told(capsys):
    import argparse

    from model.cli.dashboard import add_options, chosen_host, launcher_options

    parser = argparse.ArgumentParser()
    add_options(parser)
    assert chosen_host(parser.parse_args([])) == "127.0.0.1"
    args = parser.parse_args(["--class"])
    assert chosen_host(args) == "0.0.0.0"
    assert launcher_options(args)[:2] == ["--host", "0.0.0.0"] and "--class" in \
        launcher_options(args)
    assert chosen_host(parser.parse_args(["--class", "--host", "10.0.0.5"])) == "10.0.0.5"
    with pytest.raises(SystemExit):
        cli(["dashboard", "--help"], capsys)
    shown = " ".join(capsys.readouterr().out.split())
    assert "--class" in shown and "0.0.0.0" in shown
