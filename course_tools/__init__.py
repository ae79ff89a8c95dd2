"""Maintainer tools for the course; learners never import these.

Installed with ``pip install -e ".[maintainer]"`` (``make setup`` does it). ``python -m
course_tools`` prints the commands below with their make targets (``make help`` lists every
target); ``tests/tools/test_commands.py`` checks that this list names every command there is.

Notebooks and numbers:

- ``python -m course_tools.execute NOTEBOOK...`` (``make execute``): run notebooks top to bottom
  in a fresh kernel and save them only if no cell failed or wrote to stderr;
- ``python -m course_tools.copies NOTEBOOK...`` (``make instructor``): instructors' copies with
  every task's worked answer filled in (the committed lessons are the learners' copies);
- ``python -m course_tools.benchmark`` (``make benchmark``): the README's results table (its
  Markdown is written by ``course_tools.benchmark_report``);
- ``python -m course_tools.benchmark_capstone`` (``make benchmark-capstone``): lesson 8's table;
- ``python -m course_tools.benchmark_m4`` (``make benchmark-m4``): lesson 9's M4 Hourly table
  beside the competition's published rows, with the speed figures;
- ``python -m course_tools.tune``: the validation search that chose the lesson defaults;
- ``python -m course_tools.repo_address URL`` (``make repo-address URL=...``): point every copy
  of the repository's address at a new one.

The classroom (:mod:`course_tools.classroom`: the hub, its learners, memory, nbgrader, Chromium):

- ``python -m course_tools.classroom measure|table`` (``make classroom-measure``): measure the
  lessons and a class on a hub, derive the sizing rule, print the README's tables;
- ``python -m course_tools.classroom.nbgrader_course NOTEBOOK...`` (``make nbgrader``): the
  lessons as an nbgrader course with graded tasks and hidden tests;
- ``python -m course_tools.classroom.z2jh SCHEMA.yaml``: the Zero to JupyterHub chart's keys,
  vendored in ``classroom/z2jh-schema-keys.txt`` to check the values file offline.

``course_tools.toys`` holds the syllabus's small worked examples, which the tests and the
benchmark train to check what the lessons say about them. The learners' one command,
``python -m course_helpers.download`` (``make data``), lives in the learner package.
"""
