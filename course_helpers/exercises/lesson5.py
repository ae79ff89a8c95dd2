"""Lesson 5 exercise (``exercises.lesson5.build``): write the births LSTM as ``build_model``."""

from __future__ import annotations

from .architecture import ArchitectureExercise, Family, Requirement, is_kind
from .core import Lesson

__all__ = ["GRU_NOTE", "LSTM", "build"]

# A GRU passes, with this note: it is a gated recurrent layer like the LSTM (the lesson's family),
# reads the window in order and carries a state, so it shows the lesson's skill; only the names
# of its gates differ. A SimpleRNN, with no gates, is refused: the gates are the lesson's idea.
GRU_NOTE = (
    "A note on the GRU: the lesson asks for an LSTM, and a GRU passes too, because it is the "
    "same kind of network: a gated recurrent layer that reads the window in order and carries a "
    "state. It merges the LSTM's memory cell into its state and has two gates instead of "
    "three. Try `layers.LSTM` with the same units to compare them on the same days."
)

LSTM = Family(
    "LSTM",
    requirements=(
        Requirement(
            "LSTM",
            is_kind("LSTM", "GRU"),
            "This model has no LSTM layer: lesson 5's model reads the window one day at a time "
            "with `layers.LSTM`.",
        ),
    ),
    input_fix=(
        "An LSTM reads samples shaped (timesteps, features): start with "
        "`keras.Input(shape=(window, 1))`; the check reshapes each window to (window, 1)."
    ),
    output_fix="End with `layers.Dense(1)`: one value, tomorrow's births.",
    refused={
        "SimpleRNN": (
            "This model reads the window with a SimpleRNN, a recurrent layer without gates. "
            "Lesson 5 is about the LSTM's gates, which decide what its memory keeps and "
            "forgets: use `layers.LSTM` (a GRU, also gated, passes too)."
        ),
    },
    notes={"GRU": GRU_NOTE},
)

build = ArchitectureExercise(
    5,
    LSTM,
    title="Write the births LSTM",
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
            "it with persistence, and shows the lesson's default LSTM beside it."
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
