"""``python -m scaffolder`` runs the ``fwpick`` command."""

from scaffolder.cli import main

raise SystemExit(main())
