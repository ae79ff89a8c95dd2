"""Lesson 3 exercises: the learner builds, trains and scores the births MLP by hand.

* ``exercises.lesson3.build``: ``build_model(window)``, a compiled MLP of any size; judged by
  what it is (:class:`.ArchitectureExercise` with the family :data:`MLP`), then by training it
  over three seeds on the validation days, where it must beat persistence.
* ``exercises.lesson3.training``: ``model.fit`` on all but the last training windows, with the
  last ones as validation data and early stopping.
* ``exercises.lesson3.walk_forward``: the loop that forecasts the 100 test days one at a time.

The hints and worked solutions are class attributes; reading models and recognising forecasts
that did not come from a network are shared steps (:mod:`.networks`, :mod:`.recognise`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..evaluation import N_TEST, ForecastTask, rmse
from ..evaluation import walk_forward as network_walk_forward
from ..models import lesson_model
from .architecture import ArchitectureExercise, Family, Requirement, hidden_dense
from .core import Exercise, Feedback, Lesson, Mistake, is_placeholder
from .diagnose import births
from .fitting import check_best_weights_kept, check_stopped_early, validation_losses
from .recognise import recognise
from .structure import SEQUENCE_LAYERS

__all__ = [
    "MLP",
    "TrainingExercise",
    "WalkForwardExercise",
    "build",
    "training",
    "walk_forward",
]

SPEC = lesson_model(3)
N_VAL = 40  # validation windows at the end of the training period


MLP = Family(
    "MLP",
    requirements=(
        Requirement(
            "hidden Dense",
            hidden_dense,
            "This model has no hidden layer: with one Dense layer it is a linear model. Add a "
            "hidden `layers.Dense` with an activation before the output layer.",
        ),
    ),
    input_fix="Start the model with `keras.Input(shape=(window,))`: one flat row of days.",
    output_fix="End with `layers.Dense(1)`: one value, tomorrow's births.",
    refused={
        name: (
            f"This model has {name} layers; lesson 3's model is an MLP of Dense layers. "
            "Convolutions and LSTMs come in lessons 4 and 5."
        )
        for name in SEQUENCE_LAYERS
    },
)

build = ArchitectureExercise(
    3,
    MLP,
    title="Build the births MLP",
    label="Task A",
    hints=(
        "Section 2's toy model is an MLP of this kind. Two things differ here: what one sample "
        "holds (how many days, in what shape), and how much a model should learn from 265 "
        "noisy days.",
        "`keras.Sequential` takes a list of layers: `keras.Input(shape=...)` first, then "
        "hidden `layers.Dense(units, activation=...)` layers, then an output layer with one unit "
        "and no activation: a ReLU or a sigmoid there could never forecast a below-average day, "
        "which is negative once scaled. A small hidden layer (8 to 32 units) suits noisy data.",
        """\
The skeleton, with the sizes and the nonlinearity left to you:
```
def build_model(window):
    model = keras.Sequential(
        [
            keras.Input(shape=(window,)),
            layers.Dense(____, activation=____),
            layers.Dense(1),
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    return model
```""",
    ),
    solution_details=(
        "`(window,)` in, one hidden layer of 16 ReLU units, one linear output: `(1,)` out.",
        "Other sizes, more hidden layers or another nonlinearity (ELU, LeakyReLU, tanh, ...) "
        "pass as well: the check trains the model three times (seeds 0, 1, 2) on the validation "
        "folds of the training days and asks that it beat persistence there.",
    ),
    solution_code='''\
def build_model(window):
    """The births MLP: (window,) scaled days -> Dense(16, relu) -> Dense(1)."""
    model = keras.Sequential(
        [
            keras.Input(shape=(window,)),  # (samples, window)
            layers.Dense(16, activation="relu"),  # (samples, 16)
            layers.Dense(1),  # (samples, 1): tomorrow, scaled
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    return model''',
)


class TrainingExercise(Exercise):
    """Lesson 3: train with ``model.fit``, a chronological validation tail and early stopping."""

    title = "Train the MLP with validation data and early stopping"
    answers = ("model", "history")
    label = "Task B"
    hints = (
        "Which days may choose the number of epochs? Not the test days, and not a random "
        "sample of the training windows either: the model will forecast days that come after "
        "everything it trained on, so validate it the same way, on the most recent ones.",
        f"Keep the last {N_VAL} training windows, in time order, for validation: "
        "`task.X_train[:-40]` and `task.y_train[:-40]` to fit, `task.X_train[-40:]` and "
        "`task.y_train[-40:]` to validate. `model.fit(..., validation_data=(X_val, y_val))` "
        "then records `val_loss` after every epoch.",
        """\
Ask for more epochs than you need and let a callback stop the training:
```
stop = keras.callbacks.EarlyStopping(
    monitor="val_loss", patience=____, restore_best_weights=True
)
history = model.fit(
    X_fit, y_fit, validation_data=(X_val, y_val), epochs=300, batch_size=32,
    callbacks=[stop], verbose=0,
)
```""",
    )
    solution_details = (
        "The validation windows are the last 40 of the training period: never shuffled in, "
        "never from the test days. Early stopping picks the number of epochs on them and puts "
        "back the weights of the best epoch.",
    )
    solution_code = """\
X_fit, y_fit = task.X_train[:-40], task.y_train[:-40]  # (218, 7), (218,): the earlier windows
X_val, y_val = task.X_train[-40:], task.y_train[-40:]  # (40, 7), (40,): the most recent ones
keras.utils.set_random_seed(0)
model = mlp_builder(config.window)
stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience=20, restore_best_weights=True)
history = model.fit(
    X_fit,
    y_fit,
    validation_data=(X_val, y_val),
    epochs=300,
    batch_size=32,
    callbacks=[stop],
    verbose=0,
)"""

    def _check(self, model, history, X_val):
        val_loss = validation_losses(model, history)
        task = ForecastTask(int(model.inputs[0].shape[-1]))
        n_val = _check_validation_windows(np.asarray(X_val, dtype=float), task)
        epochs, asked = check_stopped_early(history, patience=20)
        y_val = task.y_train[-n_val:]
        now = float(np.mean((np.asarray(model(X_val, training=False))[:, 0] - y_val) ** 2))
        best = check_best_weights_kept(val_loss, now, rel=1e-4)
        scale = task.scaler.std_
        return Feedback(
            "correct",
            f"Early stopping ended training after {epochs} of {asked} epochs and kept the best "
            f"epoch ({best + 1}).",
            [
                f"Validation RMSE on the last {n_val} training days: "
                f"{np.sqrt(min(val_loss)) * scale:.3f} births.",
                "No test day was used to choose when to stop.",
            ],
        )


def _check_validation_windows(X_val: np.ndarray, task: ForecastTask) -> int:
    """Raise a mistake unless ``X_val`` is the last windows of the training days, in order."""
    X_train = task.X_train
    if X_val.ndim != 2 or X_val.shape[1] != X_train.shape[1] or not 10 <= len(X_val) <= 100:
        raise Mistake(
            f"X_val has shape {X_val.shape}; expected between 10 and 100 windows of "
            f"{X_train.shape[1]} days, such as `task.X_train[-40:]`."
        )
    n = len(X_val)
    if np.allclose(X_val, X_train[-n:]):
        return n
    test_windows = task.scaler.transform(task.series.to_numpy()[-N_TEST - X_train.shape[1] :])
    if any(
        np.allclose(row, test_windows[i : i + X_train.shape[1]])
        for row in X_val[:3]
        for i in range(N_TEST)
    ):
        raise Mistake(
            "X_val holds windows of the test days: choose epochs without them.",
            "Validate on the last training windows, `task.X_train[-40:]`.",
        )
    inside = [np.any(np.all(np.isclose(X_train, row), axis=1)) for row in X_val]
    if all(inside):
        raise Mistake(
            "X_val is training windows, but not the last ones in time order.",
            "Validation should be the most recent training days, as the test days follow "
            "them: `task.X_train[-40:]`, not a shuffled or early part.",
        )
    raise Mistake(
        "X_val is not windows of the scaled training days.",
        "Take them from `task.X_train`, which is already scaled and windowed.",
    )


class WalkForwardExercise(Exercise):
    """Lesson 3: forecast the 100 test days one at a time with the trained network."""

    title = "Walk forward through the test days"
    answers = ("forecasts",)
    label = "Task C"
    hints = (
        "One forecast per test day, in order. For test day `t` (a position in the year, from "
        "265 to 364), which values may the model read? Only days before `t`, and in the units "
        "it was trained on.",
        "The window of day `t` is `values[t - config.window : t]` (`t` itself is not in it). "
        "The model takes a batch of samples, so give it shape `(1, window)`; its answer has "
        "shape `(1, 1)` and is in scaled units: `task.scaler.inverse_transform(...)` turns it "
        "back into births.",
        """\
A loop over the test days:
```
forecasts = []
for t in range(len(values) - 100, len(values)):
    x = ____  # (1, window): the days before t
    scaled = float(mlp(x, training=False)[0, 0])
    forecasts.append(____)  # in births
```""",
    )
    solution_details = (
        "Each forecast uses only actual values before its day, scaled with the training days' "
        "statistics, and is turned back into births before it is scored.",
    )
    solution_code = """\
values = task.scaler.transform(task.series)  # (365,): every day, scaled with training statistics
forecasts = []
for t in range(len(values) - 100, len(values)):  # the 100 test days
    x = values[t - config.window : t].reshape(1, config.window)  # (1, 7): the days before t
    scaled = float(mlp(x, training=False)[0, 0])  # (1, 1) -> one number
    forecasts.append(task.scaler.inverse_transform(scaled))
forecasts = pd.Series(forecasts, index=task.test.index)"""

    def _check(self, forecasts, model, scaler):
        values = np.asarray(pd.Series(forecasts).to_list(), dtype=object)
        if any(is_placeholder(v) for v in values):
            raise Mistake("Some forecasts are still `____`.", status="not attempted")
        if len(values) != N_TEST:
            raise Mistake(f"There are {len(values)} forecasts; the test period has {N_TEST} days.")
        values = values.astype(float)
        series = births()
        window = int(model.inputs[0].shape[-1])
        expected = network_walk_forward(model, series, window, scaler, N_TEST).to_numpy()
        if np.max(np.abs(values - expected)) < 1e-3:
            test = series.iloc[-N_TEST:]
            naive = series.shift(1).iloc[-N_TEST:]
            return Feedback(
                "correct",
                f"Your loop gives the network's walk-forward forecasts: RMSE "
                f"{rmse(test, values):.3f} births on the test days (persistence "
                f"{rmse(test, naive):.3f}).",
                ["Scored once, on days the model never trained on or chose anything by."],
            )
        found = recognise(values, series, N_TEST, leaked=_leaked(model, scaler, window))
        raise Mistake(
            found or "These are not the network's walk-forward forecasts of the test days.",
            "Each forecast must come from `model` on the window of the days just before it.",
        )


def _leaked(model, scaler, window: int) -> np.ndarray:
    """The network's forecasts from windows that wrongly end on the day being forecast."""
    values = scaler.transform(births())
    n = len(values)
    X = np.stack([values[t - window + 1 : t + 1] for t in range(n - N_TEST, n)])
    return scaler.inverse_transform(np.asarray(model(X, training=False))[:, 0])


training = TrainingExercise()
walk_forward = WalkForwardExercise()

Lesson.adopt(__name__, 3)
