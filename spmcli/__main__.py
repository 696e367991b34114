"""Allow ``python -m spmcli``."""

from spmcli.cli.app import main

main()
