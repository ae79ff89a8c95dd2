"""The course in a classroom: a JupyterHub, its learners, what a class needs, graded tasks.

The hub's configuration files live in the repository's ``classroom/`` folder; this package holds
the code that starts, drives, measures and checks them (``tests/classroom`` runs it against a real
hub, ``tests/tools/classroom`` tests it quickly).

- :mod:`~course_tools.classroom.hub`: ``LocalHub``, the single-machine hub of
  ``classroom/jupyterhub_config.py`` in a temporary folder, and the course repository it serves;
- :mod:`~course_tools.classroom.learners`: one learner driven over HTTP and a kernel websocket,
  as a browser would (log in, follow the course link, run a notebook);
- :mod:`~course_tools.classroom.class_run`: a class of learners running a lesson at once;
- :mod:`~course_tools.classroom.memory`: the peak memory and CPU time of running processes;
- :mod:`~course_tools.classroom.measure`: each lesson's kernel alone, and a class on the hub;
- :mod:`~course_tools.classroom.sizing`: the sizing rule derived from the measurements, and the
  README's tables;
- ``python -m course_tools.classroom measure|table`` (``__main__``, ``make classroom-measure``):
  measure, write ``classroom/measurements.json``, print the tables;
- :mod:`~course_tools.classroom.z2jh`: a Zero to JupyterHub values file against the chart's keys;
- :mod:`~course_tools.classroom.nbgrader_course` and
  :mod:`~course_tools.classroom.nbgrader_tasks`: the lessons as an nbgrader course
  (``make nbgrader``), and how each task becomes an answer cell and a hidden test;
- :mod:`~course_tools.classroom.browser`: the one Chromium launcher of the browser tests and the
  classroom test; :mod:`~course_tools.classroom.lab_page`: JupyterLab's page as they meet it.

Nothing is imported here, so a quick test of one module needs only that module's libraries.
"""
