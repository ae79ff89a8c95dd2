"""Lessons 4-7: train the lesson's network with ``model.fit``, a chronological validation tail
and early stopping, as lesson 3 taught it, on the windows the learner shaped.

The check (:class:`FitExercise`) reads the trained model, the ``History`` that ``model.fit``
returned, and the windows the model fitted and was validated on. It names what goes wrong:
no validation data, validation windows that are not the most recent training windows (test
windows, shuffled or early ones), fitting windows that include the validation windows or, for
multi-step targets, whose last targets are days the validation windows forecast, training that
ran every epoch, and a model that kept its last epoch's weights instead of its best.
"""

from __future__ import annotations

import keras
import numpy as np

from ..evaluation import reshape_for
from .core import Feedback, Mistake
from .diagnose import close
from .shaping import TOL, ShapingExercise, read_array

__all__ = ["FitExercise", "fit_code"]

N_VAL_RANGE = (10, 100)  # validation windows the check accepts at the end of the training days


class FitExercise(ShapingExercise):
    """``check(model, history, X_fit, X_val)``: ``model.fit`` with validation and early stopping.

    ``windows`` names the lesson's shaped training windows as the notebook calls them
    (``X_cnn``), for the messages.
    """

    answers = ("model", "history")

    def __init__(
        self,
        lesson: int,
        *,
        windows: str,
        title: str,
        hints: tuple[str, ...],
        split: tuple[str, str],
        builder: str,
        solution_details: tuple[str, ...],
        label: str,
        targets: str = "y",
    ):
        """``hints`` are the text hints; the last hint (a skeleton) and the worked answer are
        written from ``split``, the code that makes ``X_fit``, ``{targets}_fit``, ``X_val``
        and ``{targets}_val`` (as the hint shows it, then with the worked answer's comments),
        and ``builder``, the notebook's name for the function that builds the model."""
        super().__init__(lesson)
        self.windows = windows
        self.title = title
        short, commented = split
        self.hints = (*hints, f"```\n{fit_code(short, targets)}\n```")
        self.solution_details = tuple(solution_details)
        self.solution_code = fit_code(commented, targets, builder=builder)
        self.label = label

    def _check(self, model, history, X_fit, X_val):
        val_loss = validation_losses(model, history)
        shaped = reshape_for(model, self.task.X_train)  # (samples, ...) as the model reads them
        n_val = self._check_validation(read_array(X_val, "X_val"), shaped)
        self._check_fitting(read_array(X_fit, "X_fit"), shaped, n_val)
        epochs, asked = check_stopped_early(history, patience=10)
        now = self._validation_loss(model, shaped[-n_val:], n_val)
        best = check_best_weights_kept(val_loss, now, rel=1e-3)
        return Feedback(
            "correct",
            f"Early stopping ended training after {epochs} of {asked} epochs and kept epoch "
            f"{best + 1}, the best on the validation windows.",
            [
                f"Validation RMSE on the last {n_val} training windows: "
                f"{np.sqrt(val_loss[best]) * self.task.scaler.std_:.3f} births"
                + (f", over the {self.task.horizon} days ahead." if self.task.horizon > 1 else "."),
                "No test day was used to choose when to stop.",
            ],
        )

    def _validation_loss(self, model, X_val, n_val: int) -> float:
        """The mean squared error of ``model`` on the last ``n_val`` windows, scaled units."""
        y_val = self.task.y_train[-n_val:]
        forecasts = np.asarray(model(X_val.astype("float32"), training=False))
        return float(np.mean((forecasts.reshape(y_val.shape) - y_val) ** 2))

    def _check_validation(self, X_val: np.ndarray, shaped: np.ndarray) -> int:
        """How many windows ``X_val`` holds, if they are the last ones in time order."""
        low, high = N_VAL_RANGE
        example = f"`{self.windows}[-40:]`"
        if X_val.shape[1:] != shaped.shape[1:] or not low <= len(X_val) <= high:
            raise Mistake(
                f"X_val has shape {X_val.shape}; expected {low} to {high} windows shaped "
                f"{shaped.shape[1:]}, such as {example}.",
            )
        n = len(X_val)
        if close(X_val, shaped[-n:], TOL):
            return n
        rows = X_val.reshape(n, -1)
        windows = shaped.reshape(len(shaped), -1)
        test = reshape_for_rows(self.windows_over_all_days(), len(windows))
        if any(_contains(test, row) for row in rows[:3]):
            raise Mistake(
                "X_val holds windows of the test days: choose the epochs without them.",
                f"Validate on the last training windows, {example}.",
            )
        if all(_contains(windows, row) for row in rows):
            raise Mistake(
                "X_val is training windows, but not the last ones in time order.",
                "The test days follow the training days, so validate the same way: on the most "
                f"recent training windows, {example}, not on a shuffled or an early part.",
            )
        raise Mistake(
            "X_val is not windows of the scaled training days as the model reads them.",
            f"Take them from the end of `{self.windows}`: {example}.",
        )

    def _check_fitting(self, X_fit: np.ndarray, shaped: np.ndarray, n_val: int) -> None:
        """Raise a mistake unless ``X_fit`` is the windows before the validation windows."""
        horizon, n = self.task.horizon, len(shaped)
        last_allowed = n - n_val - (horizon - 1)  # windows whose targets precede the validation
        if X_fit.shape[1:] != shaped.shape[1:] or not 1 <= len(X_fit) <= n:
            raise Mistake(
                f"X_fit has shape {X_fit.shape}; expected windows shaped {shaped.shape[1:]} from "
                f"the start of `{self.windows}`.",
            )
        m = len(X_fit)
        if not close(X_fit, shaped[:m], TOL):
            raise Mistake(
                "X_fit is not the first windows of the training days, in time order.",
                f"Fit on the windows before the validation windows: `{self.windows}[:-{n_val}]`"
                + (f" minus {horizon - 1} more" if horizon > 1 else "")
                + ".",
            )
        if m > n - n_val:
            raise Mistake(
                f"X_fit includes {m - (n - n_val)} of the validation windows: the model fits the "
                "days it is validated on, so the validation loss can no longer tell when it "
                "starts to learn noise.",
                f"Fit on the windows before them only: `{self.windows}[:-{n_val}]`.",
            )
        if m > last_allowed:
            overlap = m - last_allowed
            raise Mistake(
                f"The last {overlap} fitting window{'s' if overlap > 1 else ''} have targets that "
                "are days the first validation windows forecast: each window's targets are the "
                f"{horizon} days after it, so they reach into the validation block.",
                f"Leave {horizon - 1} windows out between the two: fit on "
                f"`{self.windows}[:-{n_val + horizon - 1}]`.",
            )


def fit_code(split: str, targets: str = "y", *, builder: str | None = None) -> str:
    """Task C's code: ``split``, a fresh model from ``builder`` if given (seed 0), then
    ``model.fit`` on ``X_fit`` with ``(X_val, {targets}_val)`` and early stopping."""
    seeded = (
        f"keras.utils.set_random_seed(0)\nmodel = {builder}(config.window)\n" if builder else ""
    )
    stop = (
        'keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, restore_best_weights=True)'
    )
    return f"""\
{split}
{seeded}stop = {stop}
history = model.fit(
    X_fit,
    {targets}_fit,
    validation_data=(X_val, {targets}_val),
    epochs=300,
    batch_size=32,
    callbacks=[stop],
    verbose=0,
)"""


def reshape_for_rows(windows: np.ndarray, skip: int) -> np.ndarray:
    """The windows after the first ``skip`` ones, as flat rows: the windows of later days."""
    return windows[skip:].reshape(len(windows) - skip, -1)


def _contains(rows: np.ndarray, row: np.ndarray) -> bool:
    return bool(np.any(np.all(np.abs(rows - row) < TOL, axis=1)))


def validation_losses(model, history) -> list[float]:
    """The validation loss of every epoch of ``history``, once the answer is a trained model and
    the History ``model.fit`` returned, and was trained with validation data."""
    if not isinstance(model, keras.Model):
        raise Mistake(f"Expected the trained Keras model, got {type(model).__name__}.")
    if not isinstance(history, keras.callbacks.History):
        raise Mistake(
            f"Expected the History that `model.fit` returns, got {type(history).__name__}.",
            "Write `history = model.fit(...)`.",
        )
    val_loss = history.history.get("val_loss")
    if not val_loss:
        raise Mistake(
            "The history has no `val_loss`: the model was trained without validation data.",
            "Pass `validation_data=(X_val, y_val)` to `model.fit`.",
        )
    return list(val_loss)


def check_stopped_early(history, patience: int) -> tuple[int, int]:
    """(epochs run, epochs asked for); a Mistake if training ran every epoch it was given."""
    epochs = len(history.epoch)
    asked = history.params.get("epochs", epochs)
    if epochs >= asked:
        raise Mistake(
            f"Training ran all {asked} epochs: nothing stopped it early.",
            'Add `callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss", '
            f"patience={patience}, restore_best_weights=True)]`, and ask for more epochs than "
            "it will need.",
        )
    return epochs, asked


def check_best_weights_kept(val_loss: list[float], now: float, rel: float) -> int:
    """The best epoch's index; a Mistake if the model's validation loss ``now`` is not that
    epoch's (within ``rel``), that is, the last epoch's weights were kept."""
    best = int(np.argmin(val_loss))
    if best != len(val_loss) - 1 and abs(now - val_loss[best]) > rel * val_loss[best]:
        raise Mistake(
            "The model keeps the weights of its last epoch, not of its best one.",
            f"Its validation loss is {now:.4f}; the best epoch reached {val_loss[best]:.4f}. "
            "Add `restore_best_weights=True` to the EarlyStopping callback.",
        )
    return best
