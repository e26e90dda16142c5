"""The lecturer's class-mode page (the projector): open a session, show where to join, predict
together, run together, export the aggregates, end the session.

A thin view over `room.Rooms`: every change goes through `ROOMS.lecturer` with this page's
lecturer key, and what is shown is the room's aggregate view (`ProjectorView`), which holds
counts and runs, never a student. The page keeps its session (code and key) in its own state
and in this browser tab (`Remember`), so a reload returns to the same session.
"""

from __future__ import annotations

import contextlib
import html
import json
import math

import pandas as pd
import solara

from model.experiments import SweepError
from model.parameters import ParameterError
from model.provenance import stamp, to_json
from model.text import brief, csv_safe

from ..chart_parts import ChartStyle, cast_of
from ..components.chart import Chart
from ..components.chart_table import html_table
from ..components.controls import PlaybackControls
from ..components.download import Download
from ..components.parameter_input import label_for
from ..components.prose import Prose
from ..frames import Frame, Run
from ..pages.boundaries import use_setting_choice
from ..pages.explore_live import Charts
from ..playback import use_playback
from ..settings import DEFAULT_PRESET, Settings, check_seed, preset_names
from ..sweep import OUTCOMES as ALL_LABELS
from . import charts
from . import CLASS
from .address import join_address, listening_host, loopback_only, qr_svg
from .experiment import (OUTCOMES, PER_VALUE, VALUES, class_summary, class_sweep,
                         export_table, per_run_values, plan_for, progress_words)
from .questions import counts_table, questions_for, reveal_rows, what_happened
from .room import ROOMS, Gone, ProjectorView, Refused, normal_code, shown_code
from .views import (ENDED, REDRAW_SECONDS, Alert, Folded, Location, Remember, caller,
                    kept, use_room)

KEEP = "supply-cycle-class-lecturer"
"""Where this browser tab keeps the lecturer's session (code and key) for a reload."""
LABELS = {name: ALL_LABELS[name] for name in OUTCOMES}
HOST_ADVICE = ("Students' devices reach this page only if the server listens on the network: "
               "start it with supply-cycle dashboard --class (which listens on every "
               "address, 0.0.0.0) or with --host 0.0.0.0. The dashboard guide's \"Class "
               "mode\" section says what to do if students cannot connect.")


@solara.component
def ClassLecturer(large: bool = False, narrow: bool = False):
    """Class mode on the lecturer's page: the start form, or the open session."""
    session = solara.use_reactive(None)
    where = solara.use_reactive(None)
    me = solara.use_memo(caller, dependencies=[])

    def restore(text: str) -> None:
        found = kept(text)
        if not found or session.value is not None:
            return
        try:
            ROOMS.projector(found.get("code"), found.get("key"), me)
        except Refused:
            return
        session.set(found)

    router = solara.use_router()

    def opened(found: dict) -> None:
        session.set(found)
        search = router.search or ""
        if CLASS not in search.split("&"):  # a reload comes back to class mode
            router.push(f"{router.path or '/'}?{search + '&' if search else ''}{CLASS}")

    Location(event_report=where.set)
    Remember(name=KEEP, value=json.dumps(session.value) if session.value else "",
             event_restore=restore)
    with solara.Column(gap="10px", classes=["class-mode"]):
        if session.value is None:
            ClassStart(on_open=opened, me=me)
        else:
            ClassRoom(session.value["code"], session.value["key"], where.value, large, narrow,
                      on_end=lambda: session.set(None), me=me)


@solara.component
def ClassStart(on_open, me: str):
    """Open a new session, or return to one with its code and lecturer key."""
    preset = solara.use_reactive(DEFAULT_PRESET)
    code_text = solara.use_reactive("")
    key_text = solara.use_reactive("")
    error = solara.use_reactive("")

    def open_room() -> None:
        try:
            settings = Settings().with_preset(preset.value)
            code, key = ROOMS.open(settings.preset, settings.seed, questions_for(settings), me)
        except (Refused, ParameterError) as err:
            error.set(f"Not opened: {brief(str(err))}")
            return
        on_open({"code": code, "key": key})

    def return_to() -> None:
        try:
            code = normal_code(code_text.value)
            ROOMS.projector(code, key_text.value.strip(), me)
        except Refused as err:
            error.set(f"Not opened: {brief(str(err))}")
            return
        on_open({"code": code, "key": key_text.value.strip()})

    Prose("### Class mode: predict and run together\n\n"
          "Open a class session: students join on their phones or laptops with a code, no "
          "name and no account. They answer the prediction questions, the projector shows "
          "the room's counts (never who answered what), and each student then runs one "
          "replicate of a class experiment. Nothing is written to disk unless you export "
          "the counts or the table; ending the session deletes everything.")
    HostNotice()
    with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"}):
        with solara.Div(style={"min-width": "220px"}):
            solara.Select("preset", values=preset_names(), value=preset)
        solara.Button("Open a class session", color="primary", icon_name="mdi-account-group",
                      on_click=open_room, classes=["open-class"])
    Alert(error.value)

    def return_form() -> None:
        with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"}):
            solara.InputText("room code", value=code_text, continuous_update=True)
            solara.InputText("lecturer key", value=key_text, password=True,
                             continuous_update=True)
            solara.Button("Return", outlined=True, on_click=return_to)

    Folded("Return to a session (after closing the tab, or from another device)",
           "return-to-session", return_form)


@solara.component
def HostNotice():
    host = listening_host()
    if loopback_only(host):
        solara.Warning(f"This server listens on {host} only, so students' devices cannot "
                       "reach it. Stop it (Ctrl-C) and start it again with `supply-cycle "
                       "dashboard --class` (it then listens on every address, 0.0.0.0) or with "
                       "`--host 0.0.0.0`.", classes=["host-warning"])
    elif host is None:
        solara.Text(HOST_ADVICE, classes=["caption"])


@solara.component
def ClassRoom(code: str, key: str, where: dict | None, large: bool, narrow: bool, on_end,
              me: str):
    """An open session on the projector."""
    view, show = use_room(code, lambda: ROOMS.projector(code, key, me), students=False,
                          pause=REDRAW_SECONDS)
    error = solara.use_reactive("")
    confirm = solara.use_reactive(False)
    if view is None:
        solara.Text("Opening the class session...", classes=["caption"])
        return
    if view == ENDED:
        Prose("### The class session has ended\n\nEvery answer, seat and result of it has "
              "been deleted from the server; its code no longer works.")
        solara.Button("Open a new class session", color="primary", on_click=on_end)
        return
    assert isinstance(view, ProjectorView)

    def act(kind: str, **fields) -> None:
        try:
            show(ROOMS.lecturer(code, key, {"kind": kind, "step": view.step, **fields}, me))
            error.set("")
        except Gone:
            show(ENDED)
        except Refused as err:
            error.set(f"Not done: {brief(str(err))}")

    def end() -> None:
        with contextlib.suppress(Refused):  # already ended (another tab): the same outcome
            ROOMS.close(code, key, me)
        show(ENDED)

    JoinPanel(view, where, key)
    Alert(error.value)
    PredictPanel(view, act, large, narrow)
    ExperimentPanel(view, act, large, narrow, on_error=error.set)
    ExportPanel(view)
    with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"},
                    classes=["end-row"]):
        if confirm.value:
            solara.Text("End the session now? Every answer and result is deleted.",
                        classes=["caption"])
            solara.Button("Yes, end it", color="error", on_click=end, classes=["end-confirm"])
            solara.Button("Keep it open", outlined=True, on_click=lambda: confirm.set(False))
        else:
            solara.Button("End the class session", outlined=True, icon_name="mdi-close",
                          on_click=lambda: confirm.set(True), classes=["end-class"])


@solara.component
def JoinPanel(view: ProjectorView, where: dict | None, key: str):
    """Where to join: the address, its QR code, the room code, and how many have joined."""
    address, others = join_address(where, view.code)
    plain, _ = join_address(where)
    svg = solara.use_memo(lambda: qr_svg(address, f"QR code of the join address {address}"),
                          dependencies=[address])
    shown_key = solara.use_reactive(False)
    with solara.Row(gap="24px", style={"align-items": "center", "flex-wrap": "wrap"},
                    classes=["join-panel"]):
        solara.HTML(tag="div", unsafe_innerHTML=svg, classes=["join-qr"],
                    attributes={"role": "img", "aria-label": f"QR code of {address}"})
        with solara.Column(gap="4px"):
            solara.Text("Join on your phone or laptop:", classes=["join-lead"])
            solara.HTML(tag="div", unsafe_innerHTML=html.escape(plain),
                        classes=["join-address"])
            solara.Text("room code", classes=["join-lead"])
            solara.HTML(tag="div", unsafe_innerHTML=html.escape(shown_code(view.code)),
                        classes=["room-code"])
            solara.HTML(tag="div", unsafe_innerHTML=html.escape(
                f"{view.students} student{'s' * (view.students != 1)} joined"),
                classes=["joined-count"], attributes={"aria-live": "polite"})
    if others:
        solara.Text("If the address does not open on students' devices, try another address "
                    "of this machine: " + ", ".join(others) + ".", classes=["caption"])
    HostNotice()
    with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button("Hide the lecturer key" if shown_key.value else "Show the lecturer key",
                      text=True, small=True, icon_name="mdi-key",
                      on_click=lambda: shown_key.set(not shown_key.value),
                      classes=["key-toggle"])
        if shown_key.value:
            solara.Text(f"Lecturer key: {key} (it reopens this session's controls from "
                        "another tab or device; keep it off the projector)",
                        classes=["caption", "lecturer-key"])


@solara.component
def PredictPanel(view: ProjectorView, act, large: bool, narrow: bool):
    """Predict together: the questions' live counts, lock, run on the projector, reveal."""
    chart = ChartStyle(large=large and not narrow, narrow=narrow)
    with solara.Card("Predict together", margin=0, classes=["class-predict"]):
        if view.stage == "answering":
            with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"}):
                with solara.Div(style={"min-width": "220px"}):
                    solara.Select("preset", values=preset_names(), value=view.preset,
                                  on_value=lambda p: new_round(act, p))
                solara.Button("Lock the answers", color="primary", icon_name="mdi-lock",
                              on_click=lambda: act("lock"), classes=["lock-answers"])
        answered = ", ".join(f"{view.answered.get(q.key, 0)} to \"{q.text}\""
                             for q in view.questions)
        stage_words = {"answering": "Answers are open (late joiners can still answer).",
                       "locked": "Answers are locked. Run the model, then show the result.",
                       "revealed": "The room's answers beside what happened:"}[view.stage]
        solara.HTML(tag="div", unsafe_innerHTML=html.escape(
            f"{stage_words} Answers so far: {answered} (of {view.students} students). "
            "No answer is shown with who gave it."), classes=["caption", "answer-status"],
            attributes={"aria-live": "polite"})
        revealed = view.stage == "revealed"
        with solara.ColumnsResponsive(12, medium=6, large=12 if large else 4):
            for question in view.questions:
                actual = view.actual.get(question.key) if revealed else None
                if question.numeric:
                    numbers = tuple(view.numbers.get(question.key, ()))
                    Chart(lambda drawn, q=question, n=numbers, a=actual: charts.guesses_chart(
                        q, n, a, revealed, drawn), key=(numbers, actual, revealed),
                        chart=chart, ident=f"class-{question.key}",
                        caption="How many guessed each range of weeks.",
                        filename=f"class-{question.key}.png", alt=question.text,
                        description=charts.guesses_description(question, numbers, actual,
                                                               revealed),
                        table=lambda n=numbers: charts.guesses_table(n))
                else:
                    counts = dict(view.counts.get(question.key, {}))
                    frozen = tuple(counts.items())
                    Chart(lambda drawn, q=question, c=counts, a=actual: charts.answers_chart(
                        q, c, a, drawn), key=(frozen, actual), chart=chart,
                        ident=f"class-{question.key}",
                        caption="How many gave each answer.",
                        filename=f"class-{question.key}.png", alt=question.text,
                        description=charts.answers_description(question, counts, actual),
                        table=lambda q=question, c=counts: charts.answers_table(q, c))
        with solara.Div(classes=["reveal-slot"]):  # before the run, whose place it keeps
            if revealed:
                RevealTable(view)
                solara.Button("New round (clears the answers)", outlined=True,
                              icon_name="mdi-refresh",
                              on_click=lambda: new_round(act, view.preset),
                              classes=["new-round"])
        if view.stage in ("locked", "revealed"):
            ProjectorRun(view.preset, view.seed, large, narrow,
                         on_reveal=None if revealed else
                         lambda frame: act("reveal", actual=what_happened(frame,
                                                                          view.questions)))


def new_round(act, preset: str) -> None:
    settings = Settings().with_preset(preset)
    act("round", preset=settings.preset, seed=settings.seed, questions=questions_for(settings))


@solara.component
def RevealTable(view):
    """Each question: what the room answered, what happened, how many matched, the prompt."""
    rows = reveal_rows(view)
    markup = html_table(pd.DataFrame(rows), "The room's predictions beside the run")
    solara.HTML(tag="div", unsafe_innerHTML=markup, classes=["table-box", "reveal-table"],
                attributes={"tabindex": "0", "role": "region",
                            "aria-label": "The room's predictions beside the run"})


@solara.component
def ProjectorRun(preset: str, seed: int, large: bool, narrow: bool, on_reveal):
    """The run on the projector, with the Explore page's controls and charts; once it has
    ended, the button that shows the result to the room."""
    resets = solara.use_reactive(0)
    run = solara.use_memo(lambda: Run(Settings(preset=preset, seed=seed)),
                          dependencies=[preset, seed, resets.value])
    initial = solara.use_memo(run.frame, dependencies=[run])
    cast = solara.use_memo(lambda: cast_of(initial.timeline, initial.supply, initial.weeks),
                           dependencies=[initial])
    playback = use_playback(run, initial)
    frame: Frame = playback.frame
    PlaybackControls(playing=playback.playing, finished=frame.finished, week=frame.week,
                     weeks=frame.weeks, speed=playback.speed, on_play=playback.toggle,
                     on_step=playback.step, on_reset=lambda: resets.set(resets.value + 1),
                     on_end=playback.run_to_end, on_speed=playback.set_speed,
                     pause_at=playback.pause_at, on_pause_at=playback.set_pause_at,
                     stopped=playback.stopped)
    if on_reveal is not None:
        solara.Button("Show the result to the room", color="primary", icon_name="mdi-eye",
                      disabled=not frame.finished, on_click=lambda: on_reveal(frame),
                      classes=["reveal-button"])
        if not frame.finished:
            solara.Text("Play the run, or press \"Run to the end\"; the result can be shown "
                        "once the run has ended.", classes=["caption"])
    Charts(frame, cast, large, Settings(preset=preset, seed=seed).stem, narrow)


@solara.component
def ExperimentPanel(view: ProjectorView, act, large: bool, narrow: bool, on_error):
    """Run together: choose the setting and range, start, watch the results arrive."""
    with solara.Card("Run together: a class experiment", margin=0,
                     classes=["class-experiment"]):
        if view.plan is None or not view.experiment_open:
            ExperimentForm(view, act, on_error)
        if view.plan is not None:
            ExperimentResults(view, act, large, narrow)


@solara.component
def ExperimentForm(view: ProjectorView, act, on_error):
    """The setting (whose, which), its range and values, runs per value, and the seed."""
    scenario = solara.use_memo(lambda: Settings().with_preset(view.preset).scenario(),
                               dependencies=[view.preset])
    choices, who, name, slot, numeric, param = use_setting_choice(scenario)
    span = param.high - param.low
    low = solara.use_reactive(None)
    high = solara.use_reactive(None)
    values = solara.use_reactive(4)
    per_value = solara.use_reactive(None)
    seed_text = solara.use_reactive(None)
    lo = low.value if low.value is not None else param.low + 0.1 * span
    hi = high.value if high.value is not None else param.high - 0.1 * span
    if param.kind == "int":
        lo, hi = int(round(lo)), int(round(hi))
    suggested = min(PER_VALUE[1], max(PER_VALUE[0], math.ceil(max(view.students, 1)
                                                              / values.value)))
    reps = per_value.value if per_value.value is not None else suggested
    seed_shown = seed_text.value if seed_text.value is not None else str(view.seed)
    words = {label_for(p): n for n, p in numeric.items()}

    def start() -> None:
        try:
            seed = check_seed(seed_shown)
            sweep = class_sweep(view.preset, f"{slot.prefix}.{param.name}", min(lo, hi),
                                max(lo, hi), values.value, reps, seed)
        except (ParameterError, SweepError) as err:
            on_error(f"Not started: {brief(str(err))}")
            return
        act("experiment", plan=plan_for(sweep, f"{slot.label}, {label_for(param)}"))

    solara.Text("Each student's device is given one value of the setting and one seed, runs "
                "that replicate and sends back its outcomes; the chart fills in as they "
                "arrive. The same seeds are used at every value.", classes=["caption"])
    with solara.ColumnsResponsive(12, medium=[6, 6], large=[3, 3, 3, 3],
                                  classes=["class-inputs"]):
        solara.Select("whose setting", values=list(choices), value=slot.label,
                      on_value=who.set)
        solara.Select("which setting", values=list(words), value=label_for(param),
                      on_value=lambda label: (name.set(words[label]), low.set(None),
                                              high.set(None)))
        step = 1 if param.kind == "int" else (0.05 if span <= 1 else round(span / 100, 3))
        slider = solara.SliderInt if param.kind == "int" else solara.SliderFloat
        for label, state, value in (("lowest", low, lo), ("highest", high, hi)):
            slider(f"{label} {param.name.replace('_', ' ')}: {value:g}", value=value,
                   on_value=state.set, min=param.low, max=param.high, step=step,
                   thumb_label=False)
        solara.SliderInt(f"values: {values.value}", value=values, min=VALUES[0],
                         max=VALUES[1], thumb_label=False)
        solara.SliderInt(f"runs per value: {reps}", value=reps, on_value=per_value.set,
                         min=PER_VALUE[0], max=PER_VALUE[1], thumb_label=False)
        solara.InputText("seed (the runs' seeds derive from it)", value=seed_shown,
                         on_value=seed_text.set, continuous_update=True)
    with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button("Start the class experiment", color="primary", icon_name="mdi-play",
                      on_click=start, classes=["start-experiment"])
        solara.Text(f"{values.value * reps} runs ({values.value} values x {reps}) for "
                    f"{view.students} students: a student takes another run when runs are "
                    "left.", classes=["caption"])


@solara.component
def ExperimentResults(view: ProjectorView, act, large: bool, narrow: bool):
    """The class's sweep as it arrives: a count, the chart, the table."""
    plan = view.plan
    outcome = solara.use_reactive(OUTCOMES[0])
    results = dict(view.results)
    arrived = len(results)
    runs = solara.use_memo(lambda: per_run_values(plan, results), dependencies=[plan, arrived])
    summary = solara.use_memo(lambda: class_summary(plan, results),
                              dependencies=[plan, arrived])
    chart = ChartStyle(large=large and not narrow, narrow=narrow)
    status = progress_words(plan, arrived) + (
        f"; {view.handed} being run now" if view.handed and view.experiment_open else "") + (
        "." if view.experiment_open else "; the experiment has ended.")
    solara.HTML(tag="h3", unsafe_innerHTML=html.escape(f"{plan.label}: {status}"),
                classes=["experiment-status"], attributes={"aria-live": "polite"})
    with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"}):
        with solara.Div(style={"min-width": "240px"}):
            solara.Select("outcome shown", values=list(LABELS.values()),
                          value=LABELS[outcome.value],
                          on_value=lambda label: outcome.set(
                              next(k for k, v in LABELS.items() if v == label)))
        if view.experiment_open:
            solara.Button("End the experiment", outlined=True, icon_name="mdi-stop",
                          on_click=lambda: act("stop"), classes=["stop-experiment"])
    title = f"{LABELS[outcome.value]} by {plan.label}"
    Chart(lambda drawn: charts.experiment_chart(plan, runs, summary, outcome.value, title,
                                                drawn),
          key=(plan, arrived, outcome.value), chart=chart, ident="class-experiment",
          caption="Each point is one student's run; the line is the mean at each value, the "
                  "band its 95% confidence interval (it needs two runs at a value).",
          filename="class-experiment.png", alt=title,
          description=charts.experiment_description(plan, summary, outcome.value, title,
                                                    arrived),
          table=lambda: charts.experiment_table(summary, outcome.value, plan.label))
    markup = solara.use_memo(lambda: html_table(charts.overview(summary, LABELS, plan.label),
                                                f"The class experiment: {plan.label}; mean "
                                                "per run (95% band)"),
                             dependencies=[plan, arrived])
    solara.HTML(tag="div", unsafe_innerHTML=markup, classes=["table-box", "class-table"],
                attributes={"tabindex": "0", "role": "region",
                            "aria-label": "The class experiment in numbers"})
    solara.Text("The same experiment on the command line: save the sweep file below, then "
                "`supply-cycle sweep class-experiment.toml --out results` gives the same "
                "means and bands for the same values and seeds.", classes=["caption"])


@solara.component
def ExportPanel(view: ProjectorView):
    """Exports, made only when the lecturer asks: counts and the sweep table, no student."""
    made = lambda extra: to_json(stamp({"source": "dashboard class mode",  # noqa: E731
                                        "preset": view.preset, **extra}, seed=view.seed)) + "\n"
    with solara.Row(gap="6px", style={"flex-wrap": "wrap", "align-items": "center"},
                    classes=["class-exports"]):
        solara.Text("Export (counts and tables only; no row per student):",
                    classes=["caption"])
        Download(lambda: csv_safe(counts_table(view)).to_csv(index=False),
                 filename="class-answers.csv", label="Answers: counts (CSV)",
                 mime_type="text/csv")
        plan = view.plan
        if plan is not None:
            results = dict(view.results)
            Download(lambda: csv_safe(export_table(class_summary(plan, results), plan))
                     .to_csv(index=False), filename="class-experiment.csv",
                     label="Class experiment: table (CSV)", mime_type="text/csv")
            Download(plan.declaration, filename="class-experiment.toml",
                     label="Sweep file (TOML)", mime_type="application/toml")
            Download(lambda: made({"experiment": plan.label, "runs_arrived": len(results),
                                   "runs_planned": len(plan.runs)}),
                     filename="class-provenance.json", label="How it was made (JSON)",
                     mime_type="application/json")
