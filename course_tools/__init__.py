"""Maintainer tools for the course; learners never import these.

Installed with ``pip install -e ".[maintainer]"`` (``make setup`` does it). Each module is a
command:

- ``python -m course_tools.execute NOTEBOOK...``: run notebooks top to bottom in a fresh kernel
  and save them only if no cell failed or wrote to stderr (``make execute``);
- ``python -m course_tools.handouts NOTEBOOK...``: hand-out copies without solution cells or
  outputs (``make student``);
- ``python -m course_tools.benchmark``: the README's results table (``make benchmark``);
- ``python -m course_tools.tune``: the validation search that chose the lesson defaults.

``course_tools.toys`` holds the syllabus's small worked examples, which the tests and the
benchmark train to check what the lessons say about them.
"""
