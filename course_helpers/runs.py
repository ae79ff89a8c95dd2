"""One call from settings to a scored forecast: build, train and evaluate a lesson model.

The explorer, the exercises, the benchmark and the tests all go through
:func:`train_and_evaluate`, so a number in a lesson, in the explorer and in the README comes from
the same code path. Introduced in lesson 3, after the lesson has built, trained and scored the
MLP step by step.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import keras

from .evaluation import N_TEST, ForecastTask, Result, reshape_for, reshape_targets
from .models import model_spec
from .training import fit, set_seed

__all__ = ["ModelCache", "Run", "train_and_evaluate"]


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


class ModelCache:
    """Keeps one compiled model per architecture, settings and data, to be retrained in place.

    Building a Keras model and tracing its training loop costs more than training it on the
    births series. A cache passed to :func:`train_and_evaluate` keeps each model it builds; when a
    later call asks for the same architecture, settings and data, the kept model is given exactly
    the state a new model would have for that seed (weights, random-seed state, optimizer), so the
    numbers are identical, but nothing is traced again. The explorer and the benchmark each own
    one. A model returned in a :class:`Run` from a cache is overwritten by the next such call.
    """

    def __init__(self):
        self._kept: dict = {}  # key -> (series, model)

    def __len__(self) -> int:
        return len(self._kept)

    def clear(self) -> None:
        """Forget every kept model."""
        self._kept.clear()

    def model(self, key, series, fresh: keras.Model) -> keras.Model:
        """The kept model for ``key`` and ``series`` reset to ``fresh``'s state, or ``fresh``."""
        kept_series, kept = self._kept.get(key, (None, None))
        same_data = kept_series is series or (
            series is not None and kept_series is not None and kept_series.equals(series)
        )
        if kept is None or not same_data:
            self._kept[key] = (series, fresh)
            return fresh
        for target, source in zip(kept.variables, fresh.variables, strict=True):
            target.assign(source)
        for model in (kept, fresh):
            if not model.optimizer.built:
                model.optimizer.build(model.trainable_variables)
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
    cache: ModelCache | None = None,
    **model_kwargs,
) -> Run:
    """Build the lesson model ``name``, train it on the births training period, score the test set.

    Unset settings come from the model's registry entry (``course_helpers.MODELS[name]``).
    Without a ``cache`` the Keras session is cleared first, so repeated calls do not pile up
    graphs and memory; with a :class:`ModelCache` the cache's kept model is reused instead. The
    seed is set after that, so the same settings give the same numbers either way. ``progress``
    is passed to :func:`course_helpers.fit` (True for a progress bar, or a callable).
    """
    spec = model_spec(name)
    config = spec.defaults
    window = config.window if window is None else int(window)
    epochs = config.epochs if epochs is None else int(epochs)
    if batch_size == "default":
        batch_size = config.batch_size
    settings = spec.settings(**model_kwargs)

    if cache is None:
        keras.backend.clear_session()
    set_seed(seed)
    task = ForecastTask(window, n_out=spec.output_steps(**settings), n_test=n_test, series=series)
    model = spec.build(window, **settings)
    if cache is not None:
        key = (name, window, n_test, batch_size, repr(sorted(settings.items())))
        model = cache.model(key, series, model)
    X = reshape_for(model, task.X_train)  # (samples, *spec.input_shape(window))
    y = reshape_targets(model, task.y_train)  # (samples,) or (samples, n_out, 1)
    started = time.perf_counter()
    history = fit(model, X, y, epochs=epochs, batch_size=batch_size, seed=seed, progress=progress)
    seconds = time.perf_counter() - started
    return Run(name, model, task, history, task.evaluate(model), seconds, window, epochs, seed)
