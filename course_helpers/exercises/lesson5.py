"""Lesson 5 exercise: improve on the lesson's LSTM (``exercises.lesson5.improve``).

The task and its check are shared with the other model lessons (:mod:`.improve`); the model is
the registry's model of lesson 5. This lesson gives the settings of its worked solution and why
they help. ``tests/exercises`` runs that solution as shown, three seeds against the default's
three, so the solution shown to learners is known to pass.
"""

from __future__ import annotations

from .core import Lesson
from .improve import ImproveModelExercise

__all__ = ["improve"]

improve = ImproveModelExercise(
    lesson=5,
    settings={"epochs": 15},
    reason=(
        "A few more epochs than the default's 10: the LSTM was still learning when it stopped."
    ),
)

Lesson.adopt(__name__, 5)
