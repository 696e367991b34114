"""spm: sales performance management from spreadsheets.

The library behind the ``spm`` command; a notebook gets the same results::

    from spmcli import evaluate, load_scheme, read_inputs

    scheme = load_scheme(None).scheme  # the built-in scheme
    inputs = read_inputs([Path("sample_data/q3.xlsx")], scheme.sources)
    result = evaluate(scheme, {name: table.frame for name, table in inputs.tables.items()})
"""

__version__ = "0.1.0"

from spmcli.engine.evaluate import evaluate
from spmcli.engine.tiering import tier_customers
from spmcli.io.read import read_inputs
from spmcli.letters import render_letters
from spmcli.scheme.loader import load_scheme

__all__ = [
    "__version__",
    "evaluate",
    "load_scheme",
    "read_inputs",
    "render_letters",
    "tier_customers",
]
