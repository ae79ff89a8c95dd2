"""Lesson 5 exercises: the learner makes the LSTM's samples with Keras, builds it and trains it.

* ``exercises.lesson5.windows`` (Task A): the training windows and targets as a dataset from
  ``keras.utils.timeseries_dataset_from_array``, shaped ``(samples, window, 1)`` for the LSTM.
* ``exercises.lesson5.build`` (Task B): ``build_model(window)``, any sound LSTM (a GRU passes
  with a note, see :data:`GRU_NOTE`); judged over three seeds on the validation days.
* ``exercises.lesson5.training`` (Task C): ``model.fit`` with a chronological validation tail and
  early stopping (:mod:`.fitting`).
"""

from __future__ import annotations

import numpy as np

from .architecture import ArchitectureExercise, Family, Requirement, is_kind
from .core import Feedback, Lesson, Mistake
from .diagnose import close
from .fitting import FitExercise
from .shaping import TOL, Lookalike, ShapingExercise, name_array, windows_lookalikes

__all__ = [
    "GRU_NOTE",
    "LSTM",
    "KerasWindowsExercise",
    "build",
    "read_dataset",
    "training",
    "windows",
]

# A GRU passes, with this note: it is a gated recurrent layer like the LSTM (the lesson's family),
# reads the window in order and carries a state, so it shows the lesson's skill; only the names
# of its gates differ. A SimpleRNN, with no gates, is refused: the gates are the lesson's idea.
GRU_NOTE = (
    "A note on the GRU: the lesson asks for an LSTM, and a GRU passes too, because it is the "
    "same kind of network: a gated recurrent layer that reads the window in order and carries a "
    "state. It merges the LSTM's memory cell into its state and has two gates instead of "
    "three. Try `layers.LSTM` with the same units to compare them on the same days."
)


def read_dataset(dataset) -> tuple[np.ndarray, np.ndarray | None]:
    """All batches of a ``tf.data`` dataset joined: ``(inputs, targets)``; targets None if none."""
    if not hasattr(dataset, "as_numpy_iterator"):
        raise Mistake(
            f"Expected the dataset that `keras.utils.timeseries_dataset_from_array` returns, got "
            f"{type(dataset).__name__}.",
            "Write `dataset = keras.utils.timeseries_dataset_from_array(...)`.",
        )
    batches = list(dataset.as_numpy_iterator())
    if not batches:
        raise Mistake("The dataset is empty: it holds no window.", "Give it the training days.")
    if not isinstance(batches[0], tuple):
        return np.concatenate(batches), None
    inputs, targets = zip(*batches)
    join = np.stack if np.ndim(targets[0]) == 0 else np.concatenate  # single windows, or batches
    return join(inputs), join(targets)


class KerasWindowsExercise(ShapingExercise):
    """Task A: ``timeseries_dataset_from_array`` windows ``(samples, window, 1)`` and targets."""

    title = "Make the LSTM's samples with keras.utils.timeseries_dataset_from_array"
    answers = ("dataset",)
    label = "Task A"
    hints = (
        "The tool cuts `data` into windows of `sequence_length` rows, in order, and pairs the "
        "window that starts at row `i` with `targets[i]`. So two questions: what shape must "
        "`data` have for each window to come out as `(7, 1)`, and which value is the target "
        "of the window that starts at day `i`?",
        "`data` is the scaled days as one column, `(265, 1)`: `values[:, np.newaxis]`. The "
        "window starting at day `i` covers days `i` to `i + 6`; its target is day `i + 7`, so "
        "`targets` is `values[config.window:]`. Leave `shuffle` at its default, `False`.",
        """\
```
dataset = keras.utils.timeseries_dataset_from_array(
    values[:, np.newaxis],  # data, (265, 1): one feature per day
    values[config.window :],  # targets[i]: the day after the window that starts at day i
    sequence_length=config.window,
    batch_size=len(values),
)
```""",
    )
    solution_details = (
        "`data` is `(265, 1)`, so each window comes out as 7 time steps of one feature; the "
        "window that starts at day `i` is paired with day `i + 7`. The last window ends on day "
        "263 and forecasts day 264, the last training day: 258 samples, none from the test days.",
    )
    solution_code = """\
values = task.scaler.transform(task.train)  # (265,): the training days, scaled
dataset = keras.utils.timeseries_dataset_from_array(
    values[:, np.newaxis],  # data, (265, 1): one feature per day
    values[config.window :],  # targets[i]: the day after the window that starts at day i
    sequence_length=config.window,
    batch_size=len(values),  # one batch holds every window
)"""

    def _check(self, dataset):
        X, y = read_dataset(dataset)
        if y is None:
            raise Mistake(
                "The dataset holds windows but no targets.",
                "Give `targets` too: `targets[i]` is the target of the window that starts at "
                "day `i`.",
            )
        window = self.task.window
        right_X, right_y = self.task.X_train[..., None], self.task.y_train
        y = y.reshape(len(y)) if y.ndim == 2 and y.shape[1] == 1 else y
        self._check_alignment(X, y)
        name_array(
            X,
            "the dataset's input array",
            right_X,
            windows_lookalikes(
                right_X,
                self.task.scaler,
                "the dataset's input array",
                "the tool cuts its windows out of `data` as it is, so give it the days as one "
                f"column, `values[:, np.newaxis]`, and each window comes out as ({window}, 1).",
            ),
            f"Cut windows of `sequence_length=config.window` ({window}) days from the scaled "
            "training days, `values`, given as one column: `values[:, np.newaxis]`.",
            longer=self.windows_over_all_days()[..., None],
            missing="Give the whole of `values` as `data`: the tool makes a window for every "
            "`targets[i]` it has, and `values[config.window:]` has one for every window. "
            "(A `batch_size` smaller than the number of windows only splits them into batches.)",
        )
        births = self.task.scaler.inverse_transform(right_y)
        name_array(
            y,
            "the dataset's target array",
            right_y,
            [Lookalike(births, "The targets are in births, not scaled.", "Use `values`.")],
            "The target of each window is the scaled day after it: `values[config.window:]`.",
        )
        return Feedback(
            "correct",
            f"The dataset holds {len(X)} windows shaped ({window}, 1), each with the day after "
            "it as its target, in time order, from the training days only.",
            ["Keras's tool makes the same samples as `ch.make_windows` plus a feature axis."],
        )

    def _check_alignment(self, X: np.ndarray, y: np.ndarray) -> None:
        """Raise a mistake when the targets are not the day right after their windows."""
        if X.ndim < 2 or len(X) != len(y):
            raise Mistake(
                f"The dataset pairs {len(X)} windows with {len(y)} targets; each window needs "
                "one target, the day after it.",
                "Give `data` and `targets` from the same scaled days.",
            )
        rows = X.reshape(len(X), -1)
        if y.ndim == 1 and close(y, rows[:, -1], TOL):
            raise Mistake(
                "Each target is the last day of its own window: the model would be shown the "
                "answer among its inputs.",
                "The window that starts at day `i` ends on day `i + window - 1`; its target is "
                "day `i + window`: `targets=values[config.window:]`.",
            )
        values = self.task.scaler.transform(self.task.train)
        skipped = values[self.task.window + 1 :][: len(y)]
        right_length = rows.shape[1] == self.task.window
        if right_length and len(skipped) == len(y) and y.ndim == 1 and close(y, skipped, TOL):
            raise Mistake(
                "Each target is two days after its window: the day right after it is skipped.",
                "The window that starts at day `i` forecasts day `i + window`: "
                "`targets=values[config.window:]`.",
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
        "`keras.Input(shape=(window, 1))`, the shape of Task A's windows."
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
    label="Task B",
    hints=(
        "The LSTM reads the `(window, 1)` window one day at a time and, by default, returns "
        "only its state after the last day, `(units,)`: a summary of the window. What turns "
        "that summary into one number that can take any value?",
        "A small LSTM suits 258 noisy windows: 8 to 32 units (its default tanh and sigmoid "
        "gates are fine on scaled values), then `layers.Dense(1)` with no activation. Compile "
        'with `optimizer="adam", loss="mse"`.',
        """\
```
def build_model(window):
    model = keras.Sequential(
        [keras.Input(shape=(window, 1)), layers.LSTM(16), layers.Dense(1)]
    )
    model.compile(optimizer="adam", loss="mse")
    return model
```""",
    ),
    solution_details=(
        "`(window, 1)` in; the LSTM's state after the last day, `(16,)`, goes to one linear "
        "output.",
        "The check trains it three times on the validation days and compares it with "
        "persistence; the lesson's default LSTM and the moving average are shown beside it.",
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

training = FitExercise(
    5,
    windows="X_lstm",
    title="Train the LSTM with validation data and early stopping",
    label="Task C",
    hints=(
        "As in lesson 3 and 4: the most recent training windows decide when to stop, and the "
        "model fits the windows before them. The windows are `X_lstm`, `(258, 7, 1)`, and "
        "their targets `y_lstm`.",
        "`X_lstm[:-40]`, `y_lstm[:-40]` to fit; `X_lstm[-40:]`, `y_lstm[-40:]` to validate; "
        "an `EarlyStopping` callback on `val_loss` with `restore_best_weights=True`.",
    ),
    solution_details=(
        "The last 40 training windows, in time order, choose the epoch; the model fits only the "
        "218 before them. No test day is read.",
    ),
    split=(
        """\
X_fit, y_fit = X_lstm[:-40], y_lstm[:-40]
X_val, y_val = X_lstm[-40:], y_lstm[-40:]""",
        """\
X_fit, y_fit = X_lstm[:-40], y_lstm[:-40]  # (218, 7, 1), (218,): the earlier windows
X_val, y_val = X_lstm[-40:], y_lstm[-40:]  # (40, 7, 1), (40,): the most recent ones""",
    ),
    builder="lstm_builder",
)

windows = KerasWindowsExercise(5)

Lesson.adopt(__name__, 5)
