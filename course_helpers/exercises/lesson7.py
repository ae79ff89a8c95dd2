"""Lesson 7 exercises: three days at once, from the targets to the scores by horizon.

* ``exercises.lesson7.targets`` (Task A): windows ``(samples, window, 1)`` and their multi-step
  targets ``(samples, horizon)``, the ``horizon`` days after each window.
* ``exercises.lesson7.build`` (Task B): ``build_model(window)``, any sound encoder-decoder LSTM;
  judged over three seeds and the three horizons on the validation days.
* ``exercises.lesson7.training`` (Task C): ``model.fit`` with a chronological validation tail,
  a gap so that no fitted target is a validation day, and early stopping (:mod:`.fitting`).
* ``exercises.lesson7.horizons`` (Task D): RMSE at each horizon beside persistence and the
  moving average from the same origins (:mod:`.horizons`).
"""

from __future__ import annotations

import numpy as np

from .architecture import ArchitectureExercise, Family, Requirement, is_kind
from .core import Feedback, Lesson, Mistake
from .fitting import FitExercise
from .horizons import HorizonScoresExercise
from .lesson5 import GRU_NOTE
from .shaping import Lookalike, ShapingExercise, name_array, read_array, windows_lookalikes
from .structure import RECURRENT, kind

__all__ = ["ENCODER_DECODER", "TargetsExercise", "build", "horizons", "targets", "training"]


def _following(values: np.ndarray, start: int, rows: int, horizon: int) -> np.ndarray | None:
    """Row ``i``: ``values[start + i : start + i + horizon]``; None if the days run out."""
    if rows < 1 or start + rows - 1 + horizon > len(values):
        return None
    return np.stack([values[start + i : start + i + horizon] for i in range(rows)])


class TargetsExercise(ShapingExercise):
    """Task A: the windows and, for each, the ``horizon`` days after it as its targets."""

    title = "Make the windows and their three-day targets"
    answers = ("X_train", "Y_train")
    label = "Task A"
    hints = (
        "The window that starts at day `i` covers days `i` to `i + 6`. Which days are its "
        "three targets? Count how many windows still have all three of them inside the 265 "
        "training days: that many samples, for X and Y alike.",
        "Its targets are days `i + 7`, `i + 8` and `i + 9`. `ch.make_windows(values, "
        "config.window, horizon)` makes exactly these pairs, `(256, 7)` and `(256, 3)`; the "
        "encoder reads `(256, 7, 1)`, so add the feature axis to X.",
        """\
```
X, Y = ch.make_windows(values, config.window, horizon)  # (256, 7), (256, 3)
X_train = X[:, :, np.newaxis]  # (256, 7, 1)
Y_train = Y  # or Y[:, :, np.newaxis], (256, 3, 1)
```""",
    )
    solution_details = (
        "Each window of 7 days is paired with the 3 days after it; the last window whose third "
        "target is still a training day starts at day 255, so there are 256 samples, 2 fewer "
        "than with one-day targets.",
    )
    solution_code = """\
X, Y = ch.make_windows(values, config.window, horizon)  # (256, 7), (256, 3)
X_train = X[:, :, np.newaxis]  # (256, 7, 1): 7 steps of one feature
Y_train = Y  # (256, 3): the 3 days after each window"""

    def _check(self, X_train, Y_train):
        task = self.task
        window, horizon = task.window, task.horizon
        right_X, right_Y = task.X_train[..., None], task.y_train  # (n, window, 1), (n, horizon)
        X, Y = read_array(X_train, "X_train"), read_array(Y_train, "Y_train")
        if Y.ndim == 3 and Y.shape[2] == 1:
            Y = Y[..., 0]  # (n, horizon, 1) -> (n, horizon), as the model's output can be
        values = task.scaler.transform(task.train)
        self._check_targets(Y, values, window, horizon)
        if len(X) != len(Y) and X.ndim >= 2:
            raise Mistake(
                f"`X_train` has {len(X)} windows but `Y_train` {len(Y)} rows of targets.",
                f"Every window needs all {horizon} of its targets inside the training days, so "
                f"only the first {len(right_Y)} windows have them: make X and Y together, "
                "from the same windows.",
            )
        name_array(
            X,
            "`X_train`",
            right_X,
            windows_lookalikes(right_X, task.scaler, "`X_train`"),
            f"The windows are the {window} scaled days before each sample's targets, shaped "
            f"({window}, 1).",
            longer=self.windows_over_all_days()[..., None],
        )
        n = len(right_Y)
        return Feedback(
            "correct",
            f"`X_train` is {right_X.shape} and `Y_train` holds the {horizon} days after each "
            f"window: {n} samples, the last of them ending on the last training day.",
            ["`ch.make_windows(values, window, horizon)` makes the same pairs."],
        )

    def _check_targets(self, Y: np.ndarray, values: np.ndarray, window: int, horizon: int):
        """Raise the mistake ``Y`` shows: one target, overlapping, skipping, reversed, ..."""
        if Y.ndim == 1 or (Y.ndim == 2 and Y.shape[1] == 1):
            raise Mistake(
                f"`Y_train` holds one target per window, shape {Y.shape}; the model forecasts "
                f"{horizon} days at once.",
                f"Give each window the {horizon} days after it: shape (samples, {horizon}).",
            )
        right = _following(values, window, len(Y), horizon)
        looks = [
            (
                _following(values, window - 1, len(Y), horizon),
                "Each row of `Y_train` starts on the last day of its own window: the model "
                "would be shown its first target among its inputs.",
                f"The targets are the {horizon} days after the window: days `i + {window}` to "
                f"`i + {window + horizon - 1}` for the window that starts at day `i`.",
            ),
            (
                _following(values, window + 1, len(Y), horizon),
                "Each row of `Y_train` starts two days after its window: the first day ahead "
                "is skipped.",
                f"The first target is the day right after the window, day `i + {window}`.",
            ),
            (
                None if right is None else right[:, ::-1],
                "Each row of `Y_train` lists the days ahead backwards.",
                "Keep them in time order: 1 day ahead first.",
            ),
            (
                None if right is None else np.repeat(right[:, :1], horizon, axis=1),
                f"Each row of `Y_train` repeats the day after the window {horizon} times.",
                f"The targets are {horizon} different days: the first, second and third after "
                "the window.",
            ),
        ]
        for array, title, fix in looks:
            if array is not None and Y.shape == array.shape and np.allclose(Y, array, atol=1e-5):
                raise Mistake(title, fix)
        if right is None:
            _too_many(Y, values, window, horizon)
        name_array(
            Y,
            "`Y_train`",
            right,
            [
                Lookalike(
                    self.task.scaler.inverse_transform(right),
                    "`Y_train` is in births, not scaled.",
                    "Use `values`.",
                )
            ],
            f"Row `i` holds the {horizon} scaled days after the window that starts at day `i`.",
        )


def _too_many(Y: np.ndarray, values: np.ndarray, window: int, horizon: int) -> None:
    """Raise the mistake of more target rows than the training days allow."""
    possible = len(values) - window - horizon + 1
    raise Mistake(
        f"`Y_train` has {len(Y)} rows, but only {possible} windows have {horizon} days after "
        "them inside the training days: the rest would read test days or days that do not "
        "exist.",
        "Make the targets from the scaled training days, `values`, and only for windows whose "
        "last target is still a training day.",
    )


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
        "The encoder LSTM reads samples shaped (timesteps, features): start with "
        "`keras.Input(shape=(window, 1))`, the shape of Task A's windows."
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
    label="Task B",
    hints=(
        "Three jobs, one after the other. An encoder reads the `(window, 1)` window and keeps "
        "one summary of it. That summary is handed to a decoder once per day ahead. The decoder "
        "writes one state per day ahead, and each state becomes one number.",
        "Encoder: `layers.LSTM(16)`, `(16,)`. `layers.RepeatVector(3)` copies it once per day "
        "ahead: `(3, 16)`. Decoder: `layers.LSTM(16, return_sequences=True)`, one state per day: "
        "`(3, 16)`. `layers.TimeDistributed(layers.Dense(1))` (or `layers.Dense(1)`, which "
        'Keras applies per day) gives `(3, 1)`. Compile with `optimizer="adam", loss="mse"`.',
        """\
```
def build_model(window, horizon=3):
    model = keras.Sequential(
        [
            keras.Input(shape=(window, 1)),
            layers.LSTM(16),
            layers.RepeatVector(horizon),
            layers.LSTM(16, return_sequences=True),
            layers.TimeDistributed(layers.Dense(1)),
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    return model
```""",
    ),
    solution_details=(
        "`(window, 1)` in, `(3, 1)` out: three days at once. The check scores every horizon on "
        "the validation days beside persistence, the 7-day moving average and the training "
        "mean for that horizon.",
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

training = FitExercise(
    7,
    windows="X_ed",
    title="Train the encoder-decoder with validation data and early stopping",
    label="Task C",
    hints=(
        "As in lessons 3 to 6, the most recent windows validate and the earlier ones fit, with "
        "one thing new: each window's targets are the 3 days after it. A fitting window's "
        "targets must not be days the validation windows forecast. How many windows must lie "
        "between the two parts?",
        "The last fitting window's targets end 2 days later than its one-day target would, so "
        "leave 2 windows out: fit on `X_ed[:-42]`, `Y_ed[:-42]`, validate on `X_ed[-40:]`, "
        "`Y_ed[-40:]`, with an `EarlyStopping` callback on `val_loss` and "
        "`restore_best_weights=True`.",
    ),
    solution_details=(
        "The last 40 windows validate; the 2 before them are left out, because their 3-day "
        "targets reach into the validation block; the model fits the 214 before those. No test "
        "day is read.",
    ),
    split=(
        """\
X_fit, Y_fit = X_ed[:-42], Y_ed[:-42]  # 2 windows left out: their targets are validation days
X_val, Y_val = X_ed[-40:], Y_ed[-40:]""",
        """\
X_fit, Y_fit = X_ed[:-42], Y_ed[:-42]  # (214, 7, 1), (214, 3): targets end before the val block
X_val, Y_val = X_ed[-40:], Y_ed[-40:]  # (40, 7, 1), (40, 3): the most recent windows""",
    ),
    builder="encoder_decoder_builder",
    targets="Y",
)

targets = TargetsExercise(7)
horizons = HorizonScoresExercise()

Lesson.adopt(__name__, 7)
