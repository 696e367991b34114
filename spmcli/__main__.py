"""Allow ``python -m spmcli``."""

from spmcli.cli.entry import main

main()
