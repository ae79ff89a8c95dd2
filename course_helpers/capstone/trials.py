"""Training lesson 8's networks over seeds, and scoring what they forecast.

:func:`train_network` trains one builder (or a :data:`~.models.MODELS` name) once per seed on a
task's training samples with :func:`course_helpers.fit`; the :class:`Trial` it returns holds the
trained model, every seed's weights and validation forecasts, and scores them. The test year's
forecasts are computed only when asked for (``trial.forecasts("test")``): training never looks
at 2014, and nothing is forecast for it before the lesson's test-year section asks.
"""

from __future__ import annotations

import gc
import inspect
import statistics
from collections.abc import Callable
from dataclasses import dataclass

import keras
import numpy as np

from ..evaluation import reshape_targets
from ..runs import ModelCache
from ..training import fit
from .baselines import Score, score
from .data import AirQualityTask
from .models import MODELS, ridge_layer

__all__ = ["Trial", "predict", "train_network"]


def predict(model, X) -> np.ndarray:
    """The model's forecasts for windows ``X``, in scaled units, as (samples, 24)."""
    out = np.asarray(model(np.asarray(X, dtype="float32"), training=False))  # a few hundred rows
    return out[..., 0] if out.ndim == 3 and out.shape[-1] == 1 else out


@dataclass
class Trial:
    """Networks of one kind trained over several seeds on one task, and their forecasts.

    ``forecasts(period)`` gives (seeds, origins, 24) in µg/m³, clipped at 0; ``scores(period)``
    one :class:`Score` per seed; ``ensemble(period)`` the score of the mean forecast. ``model``
    is the network (it holds the last seed's weights), ``weights`` every seed's, ``run`` how one
    forecast is made (``run(model, windows)``, scaled).
    """

    name: str
    task: AirQualityTask
    model: keras.Model
    seeds: list
    weights: list  # one list of arrays per seed
    run: Callable
    predictions: dict  # period -> (seeds, origins, 24) in µg/m³, filled when first asked for

    def forecasts(self, period: str = "validation") -> np.ndarray:
        """Every seed's forecasts for the midnights of ``period``: (seeds, origins, 24).

        Computed the first time a period is asked for (each seed's weights put back in the
        model), then kept.
        """
        windows = self.task.period(period)  # checks the name
        if period not in self.predictions:
            kept = []
            for weights in self.weights:
                self.model.set_weights(weights)
                kept.append(self.task.to_pm(self.run(self.model, windows)))
            self.predictions[period] = np.stack(kept)
        return self.predictions[period]

    def scores(self, period: str = "validation") -> list[Score]:
        """One score per seed."""
        actual = self.task.period(period).y
        return [score(f, actual) for f in self.forecasts(period)]

    def rmse(self, period: str = "validation") -> tuple[float, float]:
        """Mean and sd over seeds of the RMSE over all 24 hours."""
        values = [s.rmse for s in self.scores(period)]
        return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0

    def ensemble(self, period: str = "validation") -> Score:
        """The score of the mean of the seeds' forecasts (an ensemble)."""
        return score(self.forecasts(period).mean(axis=0), self.task.period(period).y)

    def by_horizon(self, period: str = "validation"):
        """Mean RMSE over seeds at each hour ahead (a Series indexed 1 to 24)."""
        frames = [s.by_horizon["rmse"] for s in self.scores(period)]
        return sum(frames) / len(frames)

    def summary(self, period: str = "validation") -> dict:
        """RMSE mean and sd over seeds, MAE mean, ensemble RMSE: one row of a table."""
        mean, sd = self.rmse(period)
        return {
            "rmse": mean,
            "sd": sd,
            "mae": statistics.fmean(s.mae for s in self.scores(period)),
            "ensemble rmse": self.ensemble(period).rmse,
        }


def _release_training_loop(model) -> None:
    """Let go of the compiled training loop :func:`fit` keeps with a model.

    :func:`fit` empties the loop's copy of the training data when it ends (67 MB for 48 hours
    of 16 inputs every hour of three years); the loop's own variables (the best weights, the
    shuffling state) go with it here, and the model itself stays usable.
    """
    model.__dict__.pop("_course_runner", None)
    gc.collect()


def _registered(name: str, task: AirQualityTask, ridge=None):
    """The :data:`~.models.MODELS` entry ``name`` and its builder ``(window, n_features)``.

    A network that holds the ridge (``"ridge_mlp"``) gets ``ridge`` as a frozen layer, a new one
    for each model built.
    """
    if name not in MODELS:
        raise ValueError(f"Unknown network {name!r}; choose one of {', '.join(MODELS)}.")
    spec = MODELS[name]
    if "linear" not in inspect.signature(spec.builder).parameters:
        return spec, lambda window, n_features: spec.build(window, n_features=n_features)
    if ridge is None:
        raise ValueError(
            f"The {spec.title} holds the ridge: train_network({name!r}, task, ridge=ridge)."
        )

    def build(window, n_features):
        return spec.build(window, n_features=n_features, linear=ridge_layer(ridge, task))

    return spec, build


def train_network(
    build,
    task: AirQualityTask,
    *,
    seeds=None,
    epochs: int | None = None,
    batch_size: int = 256,
    targets=None,
    name: str | None = None,
    progress=False,
    forecaster=None,
    epoch_end=None,
    ridge=None,
) -> Trial:
    """Train ``build(window, n_features)`` once per seed on the task's training samples.

    ``build`` is a builder or a :data:`~.models.MODELS` name, whose title, epochs, seeds and
    sizes are the defaults (else 6 epochs, seeds 0, 1 and 2). ``targets`` replaces the scaled
    24-hour targets (the recursive strategy trains on the first hour only);
    ``forecaster(model, windows)`` replaces one call of the model (the recursive strategy runs
    it 24 times); ``epoch_end(model, epochs_done)`` is called after every epoch of every seed
    (the validation curves of ``make tune-capstone``); ``ridge`` is the fitted ridge a network
    that holds it (``"ridge_mlp"``) is built on. Every seed starts from the state a new model
    would have for that seed, but one model and its compiled training loop serve every seed (a
    :class:`course_helpers.ModelCache`), so the training windows are copied once. Returns a
    :class:`Trial` with every seed's weights and validation forecasts; the test year is forecast
    only when ``trial.forecasts("test")`` asks for it.
    """
    if isinstance(build, str):
        spec, build = _registered(build, task, ridge)
        name, epochs = name or spec.title, epochs or spec.defaults.epochs
        seeds = seeds or spec.seeds
    epochs, seeds = epochs or 6, tuple(seeds or (0, 1, 2))
    targets = task.y_train if targets is None else targets
    X = np.asarray(task.train.X, dtype="float32")  # the one copy of the training windows
    run = forecaster or (lambda model, windows: predict(model, windows.X))
    cache = ModelCache()  # one model for every seed, put in each seed's starting state
    weights, validation = [], []
    keras.backend.clear_session()  # names and global state only; earlier trials keep working
    for seed in seeds:
        model = cache.seeded(build, task, seed, lambda: build(task.window, task.n_features))
        y = reshape_targets(model, targets)  # (samples, 24) or (samples, 24, 1)
        fit(model, X, y, epochs, batch_size, seed=seed, progress=progress, epoch_end=epoch_end)
        weights.append(model.get_weights())
        validation.append(task.to_pm(run(model, task.validation)))
    _release_training_loop(model)
    label = name or getattr(build, "__name__", "network")
    predictions = {"validation": np.stack(validation)}
    return Trial(label, task, model, list(seeds), weights, run, predictions)
