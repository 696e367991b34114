"""spm: sales performance management from spreadsheets.

The library behind the ``spm`` command. Its front door does what every command does
before it writes anything, so a notebook gets the same figures and the same problems::

    from spmcli import prepare

    prepared = prepare(["sample_data/q3.xlsx"])  # ./spm.yaml, else the built-in scheme
    run = prepared.evaluate()
    run.evaluation.reps  # one row per rep: scores, grade, rank, pay
"""

__version__ = "0.1.0"

from spmcli.letters import render_letters
from spmcli.run import Prepared, Run, evaluate, prepare
from spmcli.scheme.loader import load_scheme

__all__ = [
    "Prepared",
    "Run",
    "__version__",
    "evaluate",
    "load_scheme",
    "prepare",
    "render_letters",
]
