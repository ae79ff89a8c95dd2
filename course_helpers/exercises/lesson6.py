"""Lesson 6 exercise (``exercises.lesson6.build``): write the births CNN-LSTM as ``build_model``."""

from __future__ import annotations

from .architecture import ArchitectureExercise, Family, Requirement, is_kind
from .core import Lesson
from .lesson5 import GRU_NOTE

__all__ = ["CNN_LSTM", "build"]

CNN_LSTM = Family(
    "CNN-LSTM",
    requirements=(
        Requirement(
            "TimeDistributed(Conv1D)",
            is_kind("Conv1D", wrapped=True),
            "This model has no convolution applied to each subsequence: wrap `layers.Conv1D` in "
            "`layers.TimeDistributed`.",
        ),
        Requirement(
            "LSTM",
            is_kind("LSTM", "GRU", wrapped=False),
            "This model has no LSTM layer: the LSTM reads the subsequences' features in order.",
        ),
    ),
    input_fix=(
        "The CNN-LSTM reads each window cut into 2 subsequences: start with "
        "`keras.Input(shape=(2, window // 2, 1))`; the check cuts each window "
        "with `to_subsequences(X, 2)`."
    ),
    output_fix="End with `layers.Dense(1)` after the LSTM: one value, tomorrow's births.",
    notes={"GRU": GRU_NOTE},
)

build = ArchitectureExercise(
    6,
    CNN_LSTM,
    title="Write the births CNN-LSTM",
    hints=(
        (
            "Input `(2, window // 2, 1)`: two subsequences of `window // 2` days. "
            "Wrap the CNN layers in `layers.TimeDistributed(...)` so the same "
            "small CNN reads each subsequence."
        ),
        (
            'After `TimeDistributed(Conv1D(16, 1, activation="relu"))`, '
            '`TimeDistributed(MaxPooling1D(2, padding="same"))` and '
            "`TimeDistributed(Flatten())` each subsequence is one feature vector: "
            "`(samples, 2, features)`. An `LSTM(16)` reads those two in order, then `Dense(1)`."
        ),
        """\
```
model = keras.Sequential([keras.Input(shape=(2, window // 2, 1)),
    layers.TimeDistributed(layers.Conv1D(16, 1, activation="relu")),
    layers.TimeDistributed(layers.MaxPooling1D(2, padding="same")),
    layers.TimeDistributed(layers.Flatten()), layers.LSTM(16), layers.Dense(1)])
```""",
    ),
    solution_details=(
        (
            "`(2, window // 2, 1)` in; one small CNN reads each subsequence; the "
            "LSTM reads the two feature vectors in time order."
        ),
        (
            "The check trains it three times on the validation days and compares "
            "it with persistence, and shows the lesson's default CNN-LSTM beside it."
        ),
    ),
    solution_code='''\
def build_model(window, n_seq=2):
    """The births CNN-LSTM: (n_seq, window // n_seq, 1) -> TimeDistributed CNN -> LSTM -> Dense."""
    model = keras.Sequential(
        [
            keras.Input(shape=(n_seq, window // n_seq, 1)),  # (samples, 2, 4, 1)
            layers.TimeDistributed(layers.Conv1D(16, 1, activation="relu")),  # (samples, 2, 4, 16)
            layers.TimeDistributed(layers.MaxPooling1D(2, padding="same")),  # (samples, 2, 2, 16)
            layers.TimeDistributed(layers.Flatten()),  # (samples, 2, 32)
            layers.LSTM(16),  # (samples, 16)
            layers.Dense(1),  # (samples, 1)
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    return model''',
)

Lesson.adopt(__name__, 6)
