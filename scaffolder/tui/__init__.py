"""The Textual wizard, one of fwpick's two interfaces, and the only package that imports Textual.

Its screens ask the questions that ``scaffolder.decide`` generates from the rules, show the
live recommendation, and hand the finished plan to ``scaffolder.project.new``. It may import
``scaffolder.decide``, ``scaffolder.project`` and the package's root modules, never the CLI
(``scaffolder.cli``, ``scaffolder.cli_new``, ``scaffolder.terminal``), which launches it.
``tests/test_architecture.py`` holds the table of who may import whom.
"""
