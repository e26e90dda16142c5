"""The command line: `python -m model run | list | sweep | sensitivity | plot | validate | knobs`.

    main.py       the entry point: the parser, exit codes, one line for a user's mistake
    arguments.py  argument types and checks shared by every command
    run.py        run and list
    sweep.py      sweep, sensitivity and plot
    validate.py   validate
    knobs.py      knobs
    docs.py       `python -m model.cli.docs`: the generated parts of docs/

It sits on top: nothing in the model, its experiments or its validation imports it.
"""
