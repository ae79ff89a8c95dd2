"""Lesson 2 exercises: the births series as supervised windows, and training data without leakage.

* ``exercises.lesson2.windows``: turn the series into samples (X, y) with a window of choice.
* ``exercises.lesson2.training_data``: split in time, scale with training statistics, window the
  training part, shaped for the model.

The hints and worked solutions are class attributes; the diagnosis of windows and scalers is
shared with other tasks (:mod:`.window_checks`, :mod:`.diagnose`).
"""

from __future__ import annotations

from ..evaluation import N_TEST
from ..windowing import make_windows, train_test_split
from .core import Exercise, Feedback, Lesson, Mistake, ____, is_placeholder
from .diagnose import births, check_input_shape, check_scaler, close, fmt, numeric, transform
from .window_checks import diagnose_windows, read_windows

__all__ = ["TrainingDataExercise", "WindowsExercise", "training_data", "windows"]


class WindowsExercise(Exercise):
    """Lesson 2: turn the births series into supervised samples (X, y) with a window of choice."""

    title = "Births as supervised samples"
    answers = ("X", "y")
    label = "Task 1"
    hints = (
        (
            "Pick a `window`, the number of days each sample reads (a week, 7, is a natural "
            "choice). Each sample is `window` consecutive days as inputs and the day right after "
            "them as the target."
        ),
        (
            "With a loop: for each start `i` from 0, the inputs are `values[i : i + window]` and "
            "the target is `values[i + window]`. How many starts are there before the target runs "
            "off the end of 365 values?"
        ),
        (
            "`values = births.to_numpy()`, then `range(len(values) - window)` gives every start. "
            "Collect rows in two lists and turn them into arrays with `np.array`. "
            "`ch.make_windows(births, window)` should give the very same arrays."
        ),
    )
    solution_details = (
        "Every start i from 0 to len(values) - window - 1 gives one sample: 365 - window in all.",
        "`ch.make_windows(births, window)` returns the same X and y in one call.",
    )
    solution_code = """\
window = 7
values = births.to_numpy()
rows, targets = [], []
for i in range(len(values) - window):
    rows.append(values[i : i + window])  # `window` days of inputs
    targets.append(values[i + window])  # the day right after them
X, y = np.array(rows), np.array(targets)  # X: (358, 7), y: (358,)"""

    def _check(self, X=____, y=____, window=None):
        if is_placeholder((X, y)):
            return self._not_attempted()
        values = births().to_numpy(dtype=float)
        X, y = read_windows(X, y, window)
        n = X.shape[1]
        if n >= len(values):
            raise Mistake(
                f"A window of {n} days leaves no sample in a series of {len(values)} days."
            )
        diagnose_windows(X, y, values, n, tol=1e-9)
        return Feedback(
            "correct",
            f"X has shape {X.shape} and y {y.shape}: {len(X)} samples from {len(values)} days "
            f"with a window of {n}.",
            [
                f"First sample: {fmt(X[0])} -> {y[0]:g}; last: {fmt(X[-1])} -> {y[-1]:g}.",
                "Each row is consecutive days in time order and its target is the day right after.",
            ],
        )


class TrainingDataExercise(Exercise):
    """Split the births series in time, scale with training statistics, window the training part.

    ``model`` (a name from ``MODEL_NAMES`` or a Keras model) fixes the input shape to check;
    ``None`` accepts flat (samples, window) or (samples, window, 1) windows.
    """

    title = "Training samples without leakage"
    answers = ("X_train", "y_train")
    label = "Task 2"
    hints = (
        (
            "Three steps in this order: split the series in time (the last 100 days are the test "
            "set), fit the scaler on the training part only, then make windows from the scaled "
            "training values."
        ),
        (
            "`train, test = ch.train_test_split(births, 100)`, `scaler = ch.Scaler().fit(train)`, "
            "`ch.make_windows(scaler.transform(train), window)`."
        ),
        (
            "Conv1D and LSTM layers need a feature axis: (samples, window) -> (samples, window, 1) "
            "with `ch.add_feature_axis(X_train)`; an MLP takes the flat rows as they are."
        ),
    )
    solution_details = (
        "Splitting before scaling keeps every statistic of the test days out of training.",
        "Windows made from the training part alone never contain a test day.",
    )
    solution_code = """\
train, test = ch.train_test_split(births, 100)  # 265 and 100 days, in time order
scaler = ch.Scaler().fit(train)  # mean and std of the training days only
X_train, y_train = ch.make_windows(scaler.transform(train), 7)  # (258, 7), (258,)
# for Conv1D or LSTM models: X_train = ch.add_feature_axis(X_train)  -> (258, 7, 1)"""

    def __init__(self, model=None, n_test: int = N_TEST):
        super().__init__()
        self.model = model
        self.n_test = n_test

    def _check(self, X_train=____, y_train=____, scaler=____, model=None):
        if is_placeholder((X_train, y_train, scaler)):
            return self._not_attempted()
        series = births()
        model = self.model if model is None else model
        check_scaler(scaler, series, self.n_test)
        raw_X = numeric(X_train, "X_train")
        check_input_shape(raw_X, model)
        X = raw_X.reshape(len(raw_X), -1)  # windows in time order, whatever the model's shape
        X, y = read_windows(X, y_train, None)
        n = X.shape[1]
        raw_train = train_test_split(series, self.n_test)[0].to_numpy(dtype=float)
        if n >= len(raw_train):
            raise Mistake(
                f"A window of {n} days leaves no sample in {len(raw_train)} training days."
            )
        scaled_all = self._check_scaled_training_windows(X, scaler, series, raw_train)
        order = diagnose_windows(
            X,
            y,
            scaled_all[: len(raw_train)],
            n,
            tol=1e-6,
            shuffle_ok=True,
            units="scaled training values",
        )
        return self._verdict(raw_X, y, model, len(raw_train), shuffled=order == "shuffled")

    def _check_scaled_training_windows(self, X, scaler, series, raw_train):
        """Raise a Mistake for unscaled windows or windows into the test period.

        Returns the whole series scaled with ``scaler``, for the diagnosis of the windows.
        """
        n = X.shape[1]
        raw_all = series.to_numpy(dtype=float)
        if any(close(X, make_windows(v, n)[0], 1e-6) for v in (raw_train, raw_all)):
            raise Mistake(
                f"X_train holds unscaled values (births, mean {X.mean():.1f}).",
                "Scale before windowing: `make_windows(scaler.transform(train), window)`. "
                "Networks train best on values near 0 with a spread near 1.",
            )
        scaled_all = transform(scaler, raw_all)
        whole_X, _ = make_windows(scaled_all, n)
        if close(X, whole_X, 1e-6) or len(X) > len(raw_train) - n:
            raise Mistake(
                f"The windows run into the test period: {len(X)} samples, but the "
                f"{len(raw_train)} training days give only {len(raw_train) - n}.",
                "Split first, then window only the training part: the model must never train "
                f"on the last {self.n_test} days it will be tested on.",
            )
        return scaled_all

    def _verdict(self, raw_X, y, model, n_train: int, shuffled: bool) -> Feedback:
        """The feedback for training samples that passed every check."""
        n = len(y)
        window = int(raw_X.size // len(raw_X))
        shape = f"{raw_X.shape}" + (f" ready for {model!r}" if isinstance(model, str) else "")
        details = [
            (
                f"{n} samples from {n_train} training days with a window of {window}; "
                f"the last {self.n_test} days stay unseen for testing."
            )
        ]
        if shuffled:
            details.append(
                "The training samples are shuffled, each with its own target: fine "
                "for training (never for the test period)."
            )
        return Feedback(
            "correct",
            f"X_train {shape}, y_train {y.shape}: scaled with training statistics, windows "
            "inside the training period.",
            details,
        )


windows = WindowsExercise()
training_data = TrainingDataExercise()

Lesson.adopt(__name__, 2)
