"""Lesson 4 exercise (``exercises.lesson4.build``): write the births 1D CNN as ``build_model``."""

from __future__ import annotations

from .architecture import ArchitectureExercise, Family, Requirement, is_kind
from .core import Lesson
from .structure import RECURRENT

__all__ = ["CNN", "build"]

CNN = Family(
    "1D CNN",
    requirements=(
        Requirement(
            "Conv1D",
            is_kind("Conv1D", wrapped=False),
            "This model has no Conv1D layer: lesson 4's model slides a convolution along the "
            "window.",
        ),
    ),
    input_fix=(
        "Conv1D reads samples shaped (timesteps, features): start with "
        "`keras.Input(shape=(window, 1))`; the check reshapes each window to (window, 1)."
    ),
    output_fix="End with `layers.Dense(1)`: one value, tomorrow's births.",
    refused={
        name: (
            f"This model has {name} layers; lesson 4's model is a CNN. Recurrent layers come in "
            "lesson 5, and a CNN feeding an LSTM in lesson 6."
        )
        for name in RECURRENT
    },
)

build = ArchitectureExercise(
    4,
    CNN,
    title="Write the births 1D CNN",
    hints=(
        (
            "Input `(window, 1)`: one feature per day. Then "
            '`layers.Conv1D(filters, kernel_size, activation="relu")`, '
            '`layers.MaxPooling1D(2, padding="same")`, `layers.Flatten()`, a small '
            "`Dense` and `Dense(1)`."
        ),
        (
            "Keep it small for 265 noisy days: 16 filters with a kernel of 2, and "
            '16 hidden units. Pool with `padding="same"`: section 3 of the lesson, '
            '"What pooling could throw away", trains a CNN whose forecasts the most '
            "recent day cannot move, because its pooling drops the last of an odd "
            "number of positions."
        ),
        """\
```
model = keras.Sequential(
    [
        keras.Input(shape=(window, 1)),
        layers.Conv1D(16, 2, activation="relu"),
        layers.MaxPooling1D(2, padding="same"),
        layers.Flatten(),
        layers.Dense(16, activation="relu"),
        layers.Dense(1),
    ]
)
```""",
    ),
    solution_details=(
        (
            "`(window, 1)` in; 16 filters of width 2 slide along the window; "
            "pooling halves the positions; the flat features go through a small "
            "Dense layer to one output."
        ),
        (
            "The check trains it three times on the validation days and compares "
            "it with persistence, and shows the lesson's default CNN beside it."
        ),
    ),
    solution_code='''\
def build_model(window):
    """The births CNN: (window, 1) -> Conv1D -> MaxPooling1D -> Flatten -> Dense -> Dense(1)."""
    model = keras.Sequential(
        [
            keras.Input(shape=(window, 1)),  # (samples, window, 1)
            layers.Conv1D(16, 2, activation="relu"),  # (samples, window - 1, 16)
            layers.MaxPooling1D(2, padding="same"),  # (samples, ceil((window - 1) / 2), 16)
            layers.Flatten(),  # (samples, features)
            layers.Dense(16, activation="relu"),
            layers.Dense(1),  # (samples, 1)
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    return model''',
)

Lesson.adopt(__name__, 4)
