"""The KPI scheme: its typed model, the YAML loader and the cross-field rules (SPEC §3)."""

from spmcli.scheme.loader import default_scheme_text, load_scheme
from spmcli.scheme.marks import SchemeFile
from spmcli.scheme.model import Kpi, Scheme
from spmcli.scheme.rules import check_columns

__all__ = [
    "Kpi",
    "Scheme",
    "SchemeFile",
    "check_columns",
    "default_scheme_text",
    "load_scheme",
]
