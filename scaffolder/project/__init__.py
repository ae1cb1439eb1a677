"""The project pipeline: turn a decision into files on disk, and keep them current.

Here live the plan (``plan``, ``naming``), the template store (``template_store``), rendering
with Copier (``render``, the only module that imports Copier), the decision record (``adr``),
git (``git``), the recorded answers of a generated project (``recorded``), the per-file
three-way merge (``treemerge``), the file-tree drawing (``filetree``), and the two
operations: ``new`` and ``update``. It may import ``scaffolder.decide`` and the package's
root modules, never ``scaffolder.tui`` or the CLI: it never decides whether to prompt.
``tests/test_architecture.py`` holds the table of who may import whom.
"""
