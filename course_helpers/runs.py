"""One call from settings to a scored forecast: build, train and evaluate a lesson model.

The explorer, the exercises, the benchmark and the tests all go through
:func:`train_and_evaluate`, so a number in a lesson, in the explorer and in the README comes from
the same code path. Introduced in lesson 3, after the lesson has built, trained and scored the
MLP step by step.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

from .evaluation import N_TEST, ForecastTask, Result, reshape_for, reshape_targets
from .models import model_spec
from .training import set_seed, train_in_place

__all__ = ["ModelCache", "Run", "model_key", "train_and_evaluate"]


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
    births series. A cache passed to :func:`train_and_evaluate` or
    :func:`course_helpers.validate` keeps each model it builds; when a later call asks for the
    same architecture, settings and data, the kept model is given exactly the state a new model
    would have for that seed (weights, random-seed state, optimizer), so the numbers are
    identical, but nothing is traced again. That starting state is recorded the first time a
    seed is used (:meth:`seeded`), so later runs neither build a model nor reset the global seeds
    (which would clear TensorFlow's kernel cache). The explorer and the benchmark each own one. A
    model returned in a :class:`Run` from a cache is overwritten by the next such call.
    """

    def __init__(self):
        self._kept: dict = {}  # key -> (series, model)
        self._starts: dict = {}  # (key, seed) -> values of a new model's variables

    def __len__(self) -> int:
        return len(self._kept)

    def clear(self) -> None:
        """Forget every kept model."""
        self._kept.clear()
        self._starts.clear()

    def model(self, key, series, fresh: keras.Model) -> keras.Model:
        """The kept model for ``key`` and ``series`` reset to ``fresh``'s state, or ``fresh``."""
        kept_series, kept = self._kept.get(key, (None, None))
        if kept is None or not _same_data(kept_series, series):
            self._kept[key] = (series, fresh)
            return fresh
        _load_state(kept, _state(fresh))
        return kept

    def seeded(self, key, series, seed: int, build: Callable[[], keras.Model]) -> keras.Model:
        """The kept model for ``key`` in the state ``build()`` gives just after ``set_seed(seed)``.

        Only the first call for a seed builds a model (after setting the seed); later calls
        load the state recorded then. Train the result with
        :func:`course_helpers.training.train_in_place` and ``shuffle_seed=seed``.
        """
        start = self._starts.get((key, seed))
        kept_series, kept = self._kept.get(key, (None, None))
        if start is None or kept is None or not _same_data(kept_series, series):
            set_seed(seed)
            fresh = build()
            start = self._starts[(key, seed)] = _state(fresh)
            return self.model(key, series, fresh)
        _load_state(kept, start)
        return kept

    def predict(self, model: keras.Model, X) -> np.ndarray:
        """``model(X, training=False)`` through a traced call kept with the model.

        One trace serves inputs of any number of samples; for a recurrent model it is several
        times faster than an eager call, which runs the recurrence step by step in Python.
        """
        call = model.__dict__.get("_course_predict")
        if call is None:
            spec = tf.TensorSpec([None, *model.inputs[0].shape[1:]], tf.float32)
            call = tf.function(lambda x: model(x, training=False), input_signature=[spec])
            model.__dict__["_course_predict"] = call  # bypasses Keras's attribute tracking
        return call(np.asarray(X, dtype="float32")).numpy()


def _same_data(kept, series) -> bool:
    """Whether two series (or two Nones, the default dataset) hold the same data."""
    return kept is series or (kept is not None and series is not None and kept.equals(series))


def _state(model: keras.Model) -> list[np.ndarray]:
    """The values of a compiled model's variables and its optimizer's (built if need be)."""
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    return [v.numpy() for v in (*model.variables, *model.optimizer.variables)]


def _load_state(model: keras.Model, values: list[np.ndarray]) -> None:
    """Give ``model`` (and its optimizer) the variable values :func:`_state` recorded."""
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    targets = (*model.variables, *model.optimizer.variables)
    for target, value in zip(targets, values, strict=True):
        target.assign(value)


def model_key(name, window: int, batch_size, settings: dict) -> tuple:
    """The :class:`ModelCache` key of a model: validation and test runs of it share one."""
    return (name, int(window), batch_size, repr(sorted(settings.items())))


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
    model starts from the state a new model has for ``seed`` and the batches are shuffled with
    ``seed``, so the same settings give the same numbers either way. ``progress``
    is passed to :func:`course_helpers.fit` (True for a progress bar, or a callable).
    """
    spec = model_spec(name)
    config = spec.defaults
    window = config.window if window is None else int(window)
    epochs = config.epochs if epochs is None else int(epochs)
    if batch_size == "default":
        batch_size = config.batch_size
    settings = spec.settings(**model_kwargs)

    task = ForecastTask(window, horizon=spec.output_steps(**settings), n_test=n_test, series=series)
    if cache is None:
        keras.backend.clear_session()
        cache = ModelCache()  # of this call only
    key = model_key(name, window, batch_size, settings)
    model = cache.seeded(key, series, seed, lambda: spec.build(window, **settings))
    X = reshape_for(model, task.X_train)  # (samples, *spec.input_shape(window))
    y = reshape_targets(model, task.y_train)  # (samples,) or (samples, horizon, 1)
    started = time.perf_counter()
    history = train_in_place(
        model, X, y, epochs, batch_size=batch_size, shuffle_seed=seed, progress=progress
    )
    seconds = time.perf_counter() - started
    return Run(name, model, task, history, task.evaluate(model), seconds, window, epochs, seed)
