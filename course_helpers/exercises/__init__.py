"""Exercises with feedback: check an answer, ask for hints, reveal a worked solution.

In a notebook::

    from course_helpers import exercises
    from course_helpers.exercises import ____    # the placeholder for "not done yet"

    X = ____
    exercises.lesson2.windows.check(X, y)     # "not attempted yet" until X is filled in
    exercises.lesson2.windows.hint()          # the next hint; hint(2) for the second one
    exercises.lesson2.windows.solution()      # a worked answer

A check returns a :class:`Feedback`: coloured in Jupyter, plain text elsewhere, and ``.passed`` for
code. It names the mistake it recognises (wrong shape, a window off by one, the target inside its
own inputs, shuffled rows, unscaled data, a scaler fitted on the test period, a missing feature axis
for Conv1D/LSTM, ...) instead of only saying "wrong".

The package keeps the framework apart from the content:

* :mod:`.core`: the placeholder, :class:`Feedback`, :class:`Exercise` and :class:`Lesson`;
* :mod:`.diagnose` and :mod:`.window_checks`: the diagnosis of arrays, windows and scalers;
* :mod:`.networks` and :mod:`.recognise`: reading a learner's model and judging it over seeds on
  the validation days; naming forecasts that did not come from a network;
* :mod:`.architecture`: the task of lessons 4-7, "write the lesson's architecture";
* ``lesson1`` ... ``lesson9``: one module per lesson, each a :class:`Lesson` whose names are its
  exercises (``exercises.lesson2.windows``), with their hints and solutions as data.

A new task subclasses :class:`Exercise`, sets ``title``, ``hints``, ``solution_details`` and
``solution_code``, implements ``_check`` (returning a :class:`Feedback` or raising
:class:`Mistake`) and is declared in its lesson's module.
"""

from . import (
    lesson1,
    lesson2,
    lesson3,
    lesson4,
    lesson5,
    lesson6,
    lesson7,
    lesson8,
    lesson9,
)
from .architecture import ArchitectureExercise
from .core import LESSONS, Exercise, Feedback, Lesson, Mistake, Placeholder, ____, lesson
from .lesson1 import CapabilitiesExercise
from .lesson2 import TrainingDataExercise, WindowsExercise

__all__ = [
    "LESSONS",
    "ArchitectureExercise",
    "CapabilitiesExercise",
    "Exercise",
    "Feedback",
    "Lesson",
    "Mistake",
    "Placeholder",
    "TrainingDataExercise",
    "WindowsExercise",
    "____",
    "lesson",
    "lesson1",
    "lesson2",
    "lesson3",
    "lesson4",
    "lesson5",
    "lesson6",
    "lesson7",
    "lesson8",
    "lesson9",
]
