"""One call from settings to a scored forecast: build, train and evaluate a lesson model.

The widgets, the benchmark and the tests all go through :func:`train_and_evaluate`, so a number
in a lesson, in the explorer and in the README comes from the same code path.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import keras
import numpy as np

from .evaluation import N_TEST, ForecastTask, Result, reshape_for
from .models import DEFAULTS, build_model
from .training import fit, set_seed

__all__ = ["Run", "train_and_evaluate"]


@dataclass
class Run:
    """A trained model with its task, training history, test result and training time."""

    name: str
    model: keras.Model
    task: ForecastTask
    history: keras.callbacks.History
    result: Result
    seconds: float
    window: int
    epochs: int
    seed: int


# Models kept by reuse=True, one per architecture and data: (series, model). They stay small (a few
# MB each, mostly the traced training loop, which TensorFlow would keep alive anyway).
_KEPT: dict = {}


def _restart(kept: keras.Model, fresh: keras.Model) -> keras.Model:
    """Give ``kept`` the state of ``fresh`` (weights, seed state, optimizer) and return it."""
    for target, source in zip(kept.variables, fresh.variables, strict=True):
        target.assign(source)
    fresh.optimizer.build(fresh.trainable_variables)
    for target, source in zip(kept.optimizer.variables, fresh.optimizer.variables, strict=True):
        target.assign(source)
    return kept


def train_and_evaluate(
    name: str = "mlp",
    window: int | None = None,
    epochs: int | None = None,
    seed: int = 0,
    batch_size: int | None | str = "default",
    n_test: int = N_TEST,
    series=None,
    progress=False,
    reuse: bool = False,
    **model_kwargs,
) -> Run:
    """Build the lesson model ``name``, train it on the births training period, score the test set.

    Unset settings come from :data:`course_helpers.models.DEFAULTS`. The Keras session is cleared
    first, so repeated calls (a widget, a benchmark) do not pile up graphs and memory, and the
    seed is set after that, so the same settings give the same numbers. ``progress`` is passed
    to :func:`course_helpers.fit` (True for a progress bar, or a callable).

    ``reuse=True`` (the explorer and the benchmark use it) keeps each model and its compiled
    training loop: when a later call asks for the same architecture and data, it gets the same
    fresh initial weights for its seed and the same optimizer state as a new model would, so the
    numbers are identical, but nothing is traced or compiled again. That makes a retrain faster
    and keeps memory flat. The returned ``Run.model`` is then overwritten by the next such call.
    """
    config = DEFAULTS.get(name)
    if config is None:
        build_model(name, 1)  # raises the helpful unknown-model error
    window = config.window if window is None else int(window)
    epochs = config.epochs if epochs is None else int(epochs)
    if batch_size == "default":
        batch_size = config.batch_size
    kwargs = {**config.kwargs, **model_kwargs}
    n_out = kwargs.get("n_out", 1) if name == "encoder_decoder" else 1

    key = (name, window, n_test, batch_size, repr(sorted(kwargs.items())))
    kept_series, kept = _KEPT.get(key, (None, None))
    if kept is not None and not (
        kept_series is series
        or (series is not None and kept_series is not None and kept_series.equals(series))
    ):
        kept = None
    if not reuse:
        keras.backend.clear_session()
        _KEPT.clear()  # models kept before a clear_session are not to be trusted after it
    set_seed(seed)
    task = ForecastTask(window, n_out=n_out, n_test=n_test, series=series)
    model = build_model(name, window, **kwargs)
    if reuse and kept is not None:
        model = _restart(kept, model)
    elif reuse:
        _KEPT[key] = (series, model)
    X = reshape_for(model, task.X_train)
    y = task.y_train[..., np.newaxis] if n_out > 1 else task.y_train  # (samples, n_out, 1)
    started = time.perf_counter()
    history = fit(model, X, y, epochs=epochs, batch_size=batch_size, seed=seed, progress=progress)
    seconds = time.perf_counter() - started
    return Run(name, model, task, history, task.evaluate(model), seconds, window, epochs, seed)
