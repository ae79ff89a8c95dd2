"""Lesson 5 exercise (``exercises.lesson5.build``): write the births LSTM as ``build_model``."""

from __future__ import annotations

from .architecture import ArchitectureExercise
from .core import Lesson

__all__ = ["build"]

build = ArchitectureExercise(
    5,
    title="Write the births LSTM",
    required={
        "LSTM": (
            "This model has no LSTM layer: lesson 5's model reads the window "
            "one day at a time with `layers.LSTM`."
        ),
    },
    input_fix=(
        "An LSTM reads samples shaped (timesteps, features): start with "
        "`keras.Input(shape=(window, 1))`; the check reshapes each window to (window, 1)."
    ),
    hints=(
        (
            "Input `(window, 1)`: the LSTM reads the days in order, one feature "
            "each. Its output after the last day goes to `Dense(1)`."
        ),
        (
            "A small LSTM suits 265 noisy days: `layers.LSTM(16)` returns only its "
            "final state, `(samples, 16)`."
        ),
        """\
```
model = keras.Sequential([keras.Input(shape=(window, 1)), layers.LSTM(16), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
```""",
    ),
    solution_details=(
        ("`(window, 1)` in; the LSTM's state after the last day, `(16,)`, goes to one output."),
        (
            "The check trains it three times on the validation days and compares "
            "it with the lesson's default LSTM and with persistence."
        ),
    ),
    solution_code='''\
def build_model(window):
    """The births LSTM: (window, 1) -> LSTM(16) -> Dense(1)."""
    model = keras.Sequential(
        [
            keras.Input(shape=(window, 1)),  # (samples, window, 1)
            layers.LSTM(16),  # (samples, 16): the state after the last day
            layers.Dense(1),  # (samples, 1)
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    return model''',
)

Lesson.adopt(__name__, 5)
