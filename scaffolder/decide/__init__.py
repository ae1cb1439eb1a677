"""The decision core: what the rules say and what they recommend, with no I/O beyond reading files.

Here live the rules model (``model``), loading and validating a rules file (``rules``,
``rules_schema``, ``rules_cache``), the user's answers (``answers``, ``answers_schema``), the
scoring engine (``engine``) and the report of a recommendation (``report``). It may import
only the standard library, PyYAML and fastjsonschema, and ``scaffolder.errors`` and
``scaffolder.resources``: no subprocess, no Copier, no Textual, and nothing from
``scaffolder.project``, ``scaffolder.tui`` or the CLI. ``tests/test_architecture.py`` holds
the table of who may import whom.
"""
