"""The project pipeline: turn a decision into files on disk, and keep them current.

Here live the plan (``plan``, ``naming``), the template store (``template_store``), rendering
with Copier (``render``, the only module that imports Copier), locking with uv (``lock``,
``lockfile``), the decision record (``adr``), git (``git``), stopping safely on a signal
(``interrupt``), the next steps to show (``next_steps``), the recorded answers of a generated
project (``recorded``), the all-or-nothing update (``treemerge``, ``journal``, ``envfile``),
the Flask-to-FastAPI bridge (``bridge``, ``legacy``, ``legacy_routes``, ``legacy_probe``,
``migration``, ``migration_plan``), the file-tree drawing (``filetree``), and the two
operations: ``new`` and ``update``. It may import ``scaffolder.decide`` and the package's
root modules, never ``scaffolder.tui`` or the CLI: it never decides whether to prompt.
``tests/test_architecture.py`` holds the table of who may import whom.
"""
