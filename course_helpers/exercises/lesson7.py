"""Lesson 7 exercise (``exercises.lesson7.build``): write the births encoder-decoder LSTM."""

from __future__ import annotations

from .architecture import ArchitectureExercise, Family, Requirement, is_kind
from .core import Lesson
from .lesson5 import GRU_NOTE
from .structure import RECURRENT, kind

__all__ = ["ENCODER_DECODER", "build"]


def _decoder(layer, model) -> bool:
    """A recurrent layer that returns one state per step: the decoder."""
    return kind(layer) in RECURRENT and bool(getattr(layer, "return_sequences", False))


ENCODER_DECODER = Family(
    "encoder-decoder LSTM",
    requirements=(
        Requirement(
            "LSTM",
            is_kind("LSTM", "GRU"),
            "This model needs two LSTM layers: an encoder that reads the window and a decoder "
            "that writes the forecast days.",
            count=2,
        ),
        Requirement(
            "RepeatVector",
            is_kind("RepeatVector"),
            "This model has no `layers.RepeatVector`: the encoder's summary must be repeated "
            "once per forecast day for the decoder to read.",
        ),
        Requirement(
            "decoder",
            _decoder,
            "The decoder returns only its last state: give it `return_sequences=True`, so it "
            "writes one state per forecast day, each turned into one number by `Dense(1)`.",
        ),
    ),
    input_fix=(
        "The encoder LSTM reads samples shaped (timesteps, features): start "
        "with `keras.Input(shape=(window, 1))`."
    ),
    output_fix=(
        "End with one value per forecast day: `layers.TimeDistributed(layers.Dense(1))` (or "
        "`layers.Dense(1)`, which Keras applies to each day) after the decoder."
    ),
    notes={"GRU": GRU_NOTE},
)

build = ArchitectureExercise(
    7,
    ENCODER_DECODER,
    title="Write the births encoder-decoder LSTM",
    hints=(
        (
            "Encoder: `layers.LSTM(16)` reads the `(window, 1)` window and returns "
            "one summary, `(16,)`. `layers.RepeatVector(3)` copies it once per "
            "forecast day: `(3, 16)`."
        ),
        (
            "Decoder: `layers.LSTM(16, return_sequences=True)` writes one state "
            "per forecast day, and `layers.TimeDistributed(layers.Dense(1))` turns "
            "each into a number: `(3, 1)` out."
        ),
        """\
```
model = keras.Sequential([keras.Input(shape=(window, 1)), layers.LSTM(16), layers.RepeatVector(3),
    layers.LSTM(16, return_sequences=True), layers.TimeDistributed(layers.Dense(1))])
```""",
    ),
    solution_details=(
        (
            "`(window, 1)` in, `(3, 1)` out: three days at once. The check scores "
            "every horizon on the validation days beside persistence, the 7-day "
            "moving average and the training mean for that horizon."
        ),
    ),
    solution_code='''\
def build_model(window, horizon=3):
    """The births encoder-decoder: (window, 1) -> LSTM -> RepeatVector -> LSTM -> (horizon, 1)."""
    model = keras.Sequential(
        [
            keras.Input(shape=(window, 1)),  # (samples, window, 1)
            layers.LSTM(16),  # (samples, 16): the encoder's summary of the window
            layers.RepeatVector(horizon),  # (samples, 3, 16): once per forecast day
            layers.LSTM(16, return_sequences=True),  # (samples, 3, 16): the decoder
            layers.TimeDistributed(layers.Dense(1)),  # (samples, 3, 1)
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    return model''',
)

Lesson.adopt(__name__, 7)
