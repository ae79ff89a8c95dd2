"""Lesson 6 exercises: the learner cuts the windows into subsequences, builds and trains the
births CNN-LSTM.

* ``exercises.lesson6.subsequences`` (Task A): each window as ``n_seq`` blocks of consecutive
  days, oldest first, one feature per day: ``(samples, n_seq, window // n_seq, 1)``.
* ``exercises.lesson6.build`` (Task B): ``build_model(window)``, any sound CNN-LSTM; judged over
  three seeds on the validation days (:mod:`.architecture`).
* ``exercises.lesson6.training`` (Task C): ``model.fit`` with a chronological validation tail and
  early stopping (:mod:`.fitting`).
"""

from __future__ import annotations

import numpy as np

from .architecture import ArchitectureExercise, Family, Requirement, is_kind
from .core import Feedback, Lesson
from .fitting import FitExercise
from .lesson5 import GRU_NOTE
from .shaping import Lookalike, ShapingExercise, name_array

__all__ = ["CNN_LSTM", "SubsequencesExercise", "build", "subsequences", "training"]


def subsequence_lookalikes(right: np.ndarray, scaler) -> list[Lookalike]:
    """Mistakes in cutting windows into subsequences, as arrays; ``right`` is (n, s, k, 1)."""
    n, s, k, _ = right.shape
    flat, cut = right.reshape(n, s * k), f"({n}, {s}, {k}, 1)"
    fix = (
        f"Cut each window of {s * k} days into n_seq = {s} blocks of {k} consecutive days, each "
        f"day one feature: `X.reshape(len(X), n_seq, steps, 1)` gives {cut}."
    )
    return [
        Lookalike(flat, f"`X_train` is still the flat windows, ({n}, {s * k}).", fix),
        Lookalike(
            flat[..., None],
            f"`X_train` is ({n}, {s * k}, 1): one sequence of {s * k} days, not cut into blocks.",
            fix,
        ),
        Lookalike(
            right[..., 0],
            f"`X_train` is ({n}, {s}, {k}): the blocks are cut, but the feature axis is missing.",
            "The Conv1D inside `TimeDistributed` reads each block as (steps, features): add a "
            f"last axis of length 1, giving {cut}.",
        ),
        Lookalike(
            flat.reshape(n, k, s, 1),
            f"`X_train` is ({n}, {k}, {s}, 1): {k} blocks of {s} days.",
            f"The lesson's model reads n_seq = {s} blocks of steps = {k} days: {cut}.",
        ),
        Lookalike(
            flat.reshape(n, s, 1, k),
            f"`X_train` is ({n}, {s}, 1, {k}): each block is one step with {k} features.",
            f"Each day of a block is a step with one feature: {cut}.",
        ),
        Lookalike(
            flat.reshape(n, k, s).transpose(0, 2, 1)[..., None],
            "Each block of `X_train` holds every other day, not consecutive days: the first "
            f"block has days {', '.join(map(str, range(1, s * k + 1, s)))} of the window.",
            "A reshape keeps the days in order; a transpose after it mixes them. Reshape each "
            f"window straight into ({s}, {k}, 1).",
        ),
        *_order_lookalikes(right, scaler),
    ]


def _order_lookalikes(right: np.ndarray, scaler) -> list[Lookalike]:
    """Subsequences of the right shape in the wrong order, or in births; ``right`` (n, s, k, 1)."""
    return [
        Lookalike(
            right[:, ::-1],
            "The blocks of `X_train` are in reverse order: the most recent block comes first.",
            "The LSTM reads the blocks in order and its last step should be the most recent "
            "one: keep the oldest block first.",
        ),
        Lookalike(
            right[:, :, ::-1],
            "The days inside each block of `X_train` run backwards.",
            "Keep each block's days in time order, oldest first.",
        ),
        Lookalike(
            right[:, ::-1, ::-1],
            "Each window of `X_train` runs backwards: the most recent day comes first.",
            "Keep the days in time order, oldest first.",
        ),
        Lookalike(
            scaler.inverse_transform(right),
            "`X_train` is in births, not in scaled units.",
            "Start from the scaled windows, `task.X_train`.",
        ),
    ]


class SubsequencesExercise(ShapingExercise):
    """Task A: ``task.X_train`` cut into ``n_seq`` blocks of consecutive days, oldest first."""

    title = "Cut each window into subsequences"
    answers = ("X_train",)
    label = "Task A"
    hints = (
        "Each window of 8 days becomes 2 blocks of 4 days: days 1-4, then days 5-8. Each day "
        "stays one feature, so one sample is `(2, 4, 1)`. In which order do the blocks come, "
        "and in which order the days inside a block?",
        "In time order both: NumPy's `reshape` keeps the order of the values, so reshaping a "
        "window of 8 days into `(2, 4, 1)` puts days 1-4 in the first block and 5-8 in the "
        "second. Keep the samples axis first.",
        """\
```
X_train = task.X_train.reshape(len(task.X_train), n_seq, steps, 1)
```""",
    )
    solution_details = (
        "A reshape of each window into `(n_seq, steps, 1)` keeps the days in order: the first "
        "block is the oldest four days, the second the most recent four.",
    )
    solution_code = """\
X_train = task.X_train.reshape(len(task.X_train), n_seq, steps, 1)  # (257, 8) -> (257, 2, 4, 1)"""

    def _check(self, X_train):
        right = self.task.X_train.reshape(len(self.task.X_train), self.n_seq, -1, 1)
        longer = self.windows_over_all_days()
        name_array(
            X_train,
            "`X_train`",
            right,
            subsequence_lookalikes(right, self.task.scaler),
            f"Cut each window of `task.X_train` into {right.shape[1:]}.",
            longer=longer.reshape(len(longer), *right.shape[1:]),
        )
        n, s, k, _ = right.shape
        return Feedback(
            "correct",
            f"`X_train` is ({n}, {s}, {k}, 1): each window as {s} blocks of {k} consecutive days, "
            "oldest block first, one feature per day.",
            ["`ch.to_subsequences(X, n_seq)` does the same; the package uses it from here on."],
        )

    @property
    def n_seq(self) -> int:
        """How many subsequences the lesson cuts each window into."""
        return int(self.spec.settings()["n_seq"])


CNN_LSTM = Family(
    "CNN-LSTM",
    requirements=(
        Requirement(
            "TimeDistributed(Conv1D)",
            is_kind("Conv1D", wrapped=True),
            "This model has no convolution applied to each subsequence: wrap `layers.Conv1D` in "
            "`layers.TimeDistributed`, so the same filters read every block.",
        ),
        Requirement(
            "LSTM",
            is_kind("LSTM", "GRU", wrapped=False),
            "This model has no LSTM layer: an LSTM reads what the CNN found in each block, in "
            "order.",
        ),
    ),
    input_fix=(
        "The CNN-LSTM reads each window cut into 2 subsequences: start with "
        "`keras.Input(shape=(2, window // 2, 1))`, the shape of Task A's samples; the check "
        "cuts each window with `to_subsequences(X, 2)`."
    ),
    output_fix="End with `layers.Dense(1)` after the LSTM: one value, tomorrow's births.",
    notes={"GRU": GRU_NOTE},
)

build = ArchitectureExercise(
    6,
    CNN_LSTM,
    title="Write the births CNN-LSTM",
    label="Task B",
    hints=(
        "Two parts. A small CNN reads one block `(window // 2, 1)` and ends in one vector; "
        "`layers.TimeDistributed(layer)` applies a layer to every block with the same weights, "
        "so each CNN layer is wrapped. Then an LSTM reads the blocks' vectors in order, and a "
        "Dense layer makes the forecast.",
        'Per block: `TimeDistributed(layers.Conv1D(16, 1, activation="relu"))`, optionally '
        '`TimeDistributed(layers.MaxPooling1D(2, padding="same"))`, then '
        "`TimeDistributed(layers.Flatten())`: `(samples, 2, features)`. Then `layers.LSTM(16)` "
        'and `layers.Dense(1)`. Compile with `optimizer="adam", loss="mse"`.',
        """\
```
def build_model(window):
    model = keras.Sequential(
        [
            keras.Input(shape=(2, window // 2, 1)),
            layers.TimeDistributed(layers.Conv1D(16, 1, activation="relu")),
            layers.TimeDistributed(layers.MaxPooling1D(2, padding="same")),
            layers.TimeDistributed(layers.Flatten()),
            layers.LSTM(16),
            layers.Dense(1),
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    return model
```""",
    ),
    solution_details=(
        "`(2, window // 2, 1)` in; one small CNN reads each subsequence; the LSTM reads the two "
        "feature vectors in time order; one linear output.",
        "The check trains it three times on the validation days and compares it with "
        "persistence; the lesson's default CNN-LSTM and the moving average are shown beside it.",
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

training = FitExercise(
    6,
    windows="X_sub",
    title="Train the CNN-LSTM with validation data and early stopping",
    label="Task C",
    hints=(
        "As in lessons 3 to 5: the most recent training windows decide when to stop, and the "
        "model fits the windows before them. The samples are `X_sub`, `(257, 2, 4, 1)`, and "
        "their targets `task.y_train`.",
        "`X_sub[:-40]`, `task.y_train[:-40]` to fit; `X_sub[-40:]`, `task.y_train[-40:]` to "
        "validate; an `EarlyStopping` callback on `val_loss` with `restore_best_weights=True`.",
    ),
    solution_details=(
        "The last 40 training windows, in time order, choose the epoch; the model fits only the "
        "217 before them. No test day is read.",
    ),
    split=(
        """\
X_fit, y_fit = X_sub[:-40], task.y_train[:-40]
X_val, y_val = X_sub[-40:], task.y_train[-40:]""",
        """\
X_fit, y_fit = X_sub[:-40], task.y_train[:-40]  # (217, 2, 4, 1), (217,): the earlier windows
X_val, y_val = X_sub[-40:], task.y_train[-40:]  # (40, 2, 4, 1), (40,): the most recent ones""",
    ),
    builder="cnn_lstm_builder",
)

subsequences = SubsequencesExercise(6)

Lesson.adopt(__name__, 6)
