"""spm: sales performance management from spreadsheets.

The library behind the ``spm`` command. Its front door does what every command does
before it writes anything, so a notebook gets the same figures and the same problems::

    from spmcli import prepare

    prepared = prepare(["sample_data/q3.xlsx"])  # ./spm.yaml, else the built-in scheme
    run = prepared.evaluate()
    run.evaluation.reps  # one row per rep: scores, grade, rank, pay
"""

__version__ = "0.1.0"

import importlib

# Loaded when first used, so that ``spm`` starts (and a Ctrl-C while it starts ends) cleanly.
_EXPORTS = {
    "Prepared": "spmcli.run",
    "Run": "spmcli.run",
    "evaluate": "spmcli.run",
    "prepare": "spmcli.run",
    "load_scheme": "spmcli.scheme.loader",
    "render_letters": "spmcli.letters",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'spmcli' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
