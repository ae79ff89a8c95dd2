"""The small worked examples of lessons 3 to 7, exactly as the syllabus sets them.

Each ``toy_*`` function returns ``(model, X, y, x_next, epochs)``: a compiled model, its training
data already in the shape the model reads, the input to forecast from, and the number of epochs
the lesson trains for. The lessons write the same models out in full; the tests use these to check
that the examples still predict what the lessons say (about 80, 90, or [80, 90]).
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

from course_helpers.windowing import make_windows

__all__ = ["toy_mlp", "toy_cnn", "toy_lstm", "toy_cnn_lstm", "toy_encoder_decoder", "TOYS"]

SEQUENCE = np.arange(10, 100, 10, dtype="float32")  # 10, 20, ..., 90


def _compiled(model):
    model.compile(optimizer="adam", loss="mse")
    return model


def toy_mlp():
    """Lesson 3: [10, 20, 30] -> 40 ... ; Dense(100, relu), Dense(1); 2,000 epochs."""
    X, y = make_windows(SEQUENCE[:7], 3)  # X (4, 3), y (4,)
    model = _compiled(
        keras.Sequential(
            [keras.Input(shape=(3,)), layers.Dense(100, activation="relu"), layers.Dense(1)]
        )
    )
    return model, X, y, np.array([[50, 60, 70]], dtype="float32"), 2000


def toy_cnn():
    """Lesson 4: the same data as (4, 3, 1); Conv1D(64, 2), MaxPooling1D(2), Dense(50)."""
    X, y = make_windows(SEQUENCE[:7], 3)
    model = _compiled(
        keras.Sequential(
            [
                keras.Input(shape=(3, 1)),
                layers.Conv1D(64, 2, activation="relu"),
                layers.MaxPooling1D(2),
                layers.Flatten(),
                layers.Dense(50, activation="relu"),
                layers.Dense(1),
            ]
        )
    )
    return model, X[..., None], y, np.array([[50, 60, 70]], dtype="float32")[..., None], 1000


def toy_lstm():
    """Lesson 5: the same data as (4, 3, 1); LSTM(50, relu), Dense(1); 1,000 epochs."""
    X, y = make_windows(SEQUENCE[:7], 3)
    model = _compiled(
        keras.Sequential(
            [keras.Input(shape=(3, 1)), layers.LSTM(50, activation="relu"), layers.Dense(1)]
        )
    )
    return model, X[..., None], y, np.array([[50, 60, 70]], dtype="float32")[..., None], 1000


def toy_cnn_lstm():
    """Lesson 6: [10, 20, 30, 40] -> 50 ... as (4, 2, 2, 1); CNN per subsequence, LSTM(50)."""
    X, y = make_windows(SEQUENCE[:8], 4)  # X (4, 4), y (4,)
    model = _compiled(
        keras.Sequential(
            [
                keras.Input(shape=(2, 2, 1)),
                layers.TimeDistributed(layers.Conv1D(64, 1, activation="relu")),
                layers.TimeDistributed(layers.MaxPooling1D(2)),
                layers.TimeDistributed(layers.Flatten()),
                layers.LSTM(50, activation="relu"),
                layers.Dense(1),
            ]
        )
    )
    x_next = np.array([50, 60, 70, 80], dtype="float32").reshape(1, 2, 2, 1)
    return model, X.reshape(4, 2, 2, 1), y, x_next, 500


def toy_encoder_decoder():
    """Lesson 7: [10, 20, 30] -> [40, 50] ... ; LSTM encoder, RepeatVector(2), LSTM decoder."""
    X, y = make_windows(SEQUENCE[:8], 3, horizon=2)  # X (4, 3), y (4, 2): the syllabus's four
    model = _compiled(
        keras.Sequential(
            [
                keras.Input(shape=(3, 1)),
                layers.LSTM(100, activation="relu"),
                layers.RepeatVector(2),
                layers.LSTM(100, activation="relu", return_sequences=True),
                layers.TimeDistributed(layers.Dense(1)),
            ]
        )
    )
    x_next = np.array([50, 60, 70], dtype="float32").reshape(1, 3, 1)
    return model, X[..., None], y[..., None], x_next, 100


TOYS = {
    "mlp": toy_mlp,
    "cnn": toy_cnn,
    "lstm": toy_lstm,
    "cnn_lstm": toy_cnn_lstm,
    "encoder_decoder": toy_encoder_decoder,
}
