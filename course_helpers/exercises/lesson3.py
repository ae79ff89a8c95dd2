"""Lesson 3 exercise: improve on the lesson's MLP (``exercises.lesson3.improve``).

The task and its check are shared with the other model lessons (:mod:`.improve`); the model is
the registry's model of lesson 3. This lesson gives the settings of its worked solution and why
they help. ``tests/exercises`` runs that solution as shown, three seeds against the default's
three, so the solution shown to learners is known to pass.
"""

from __future__ import annotations

from .core import Lesson
from .improve import ImproveModelExercise

__all__ = ["improve"]

improve = ImproveModelExercise(
    lesson=3,
    settings={"units": 32},
    reason=(
        "Twice the hidden units of the default: room for a slightly richer mapping from the "
        "week to the next day, still small enough not to memorise the noise."
    ),
)

Lesson.adopt(__name__, 3)
