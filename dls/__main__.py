"""``python -m dls`` runs the command line."""

from dls.cli import main

main()
