"""``python -m areo`` runs the command line."""

from areo.cli import main

main()
