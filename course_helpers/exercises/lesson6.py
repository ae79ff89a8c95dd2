"""Lesson 6 exercise: improve on the lesson's CNN-LSTM (``exercises.lesson6.improve``).

The task and its check are shared with the other model lessons (:mod:`.improve`); the model is
the registry's model of lesson 6. This lesson gives the settings of its worked solution and why
they help. ``tests/exercises`` runs that solution as shown, three seeds against the default's
three, so the solution shown to learners is known to pass.
"""

from __future__ import annotations

from .core import Lesson
from .improve import ImproveModelExercise

__all__ = ["improve"]

improve = ImproveModelExercise(
    lesson=6,
    settings={"epochs": 30},
    reason=(
        "More epochs than the default's 22: the two-stage model needs a little longer to train."
    ),
)

Lesson.adopt(__name__, 6)
