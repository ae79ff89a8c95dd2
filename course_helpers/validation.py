"""Rolling-origin validation inside the training days: how settings are chosen without the test.

The last 100 days are the test period and are scored once, at the end. Every choice before that
(window, epochs, architecture, a learner's own model) is judged here instead. Fold k holds out a
block of ``fold_days`` consecutive training days and trains only on the days before it: the last
fold holds out the final 40 training days, the one before it the 40 days before those, and so on.
Each fold fits its own scaler on the days it trains on, so nothing about a held-out block leaks
into its model. The forecasts of a block are walk-forward forecasts: each uses only actual values
before the day it forecasts. Introduced in lesson 3.

>>> score = validate("mlp", seeds=[0, 1, 2])     # the lesson model at its defaults
>>> score.rmse, score.sd, score.baselines         # births, over the 120 held-out days
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import keras
import numpy as np
import pandas as pd

from .data import load_series
from .evaluation import N_TEST, reshape_for, reshape_targets
from .models import model_spec
from .runs import ModelCache, model_key
from .training import train_in_place
from .windowing import Scaler, make_windows

__all__ = [
    "FOLDS",
    "FOLD_DAYS",
    "Validation",
    "output_steps",
    "rolling_origin_folds",
    "validate",
]

FOLDS = 3  # held-out blocks
FOLD_DAYS = 40  # days per block: 120 of the 265 training days are forecast, 40 at a time


def rolling_origin_folds(
    n_windows: int, folds: int = FOLDS, fold_days: int = FOLD_DAYS, horizon: int = 1
) -> list[tuple[int, int, int]]:
    """``(fit_end, val_start, val_end)`` window indices of each fold, the latest block first.

    Windows are in time order. Fold k holds out windows ``val_start:val_end`` and fits on
    ``:fit_end``; with targets of ``horizon`` days, ``horizon - 1`` windows between the two are
    dropped so that no fitting target falls inside the held-out block.
    """
    bounds = []
    for fold in range(folds):
        val_end = n_windows - fold * fold_days
        val_start = val_end - fold_days
        fit_end = val_start - (horizon - 1)
        if fit_end < 1:
            raise ValueError(
                f"{folds} folds of {fold_days} days leave nothing to train on; "
                "use fewer or shorter folds, or a shorter window."
            )
        bounds.append((fit_end, val_start, val_end))
    return bounds


@dataclass
class Validation:
    """Validation errors in the data's units, per seed, beside naive forecasts of the same days.

    ``forecasts`` has one row per seed and one column per held-out day (a third axis per horizon
    for multi-step models); ``actual`` the values of those days (per horizon likewise) and
    ``dates`` the days forecast one step ahead. ``baselines`` scores persistence, the 7-day
    moving average and the mean of the days each fold trained on over the same days and horizons
    (``naive`` holds their forecasts, laid out like ``forecasts``' rows). ``losses`` holds each
    fit's training loss per epoch, ``(seeds, folds, epochs)``, latest fold first.
    """

    forecasts: np.ndarray
    actual: np.ndarray
    dates: pd.DatetimeIndex
    baselines: dict[str, float]
    seeds: list[int] = field(default_factory=list)
    naive: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    losses: np.ndarray | None = field(default=None, repr=False)

    @property
    def rmse_by_seed(self) -> np.ndarray:
        """RMSE of each seed's forecasts over all held-out days (and horizons)."""
        errors = (self.forecasts - self.actual) ** 2
        return np.sqrt(errors.reshape(len(errors), -1).mean(axis=1))

    @property
    def rmse(self) -> float:
        """Mean over seeds of :attr:`rmse_by_seed`: the number to compare settings by."""
        return float(self.rmse_by_seed.mean())

    @property
    def sd(self) -> float:
        """Standard deviation over seeds: how much one run moves (0 for a single seed)."""
        return float(self.rmse_by_seed.std(ddof=1)) if len(self.forecasts) > 1 else 0.0

    @property
    def rmse_by_horizon(self) -> np.ndarray | None:
        """Mean over seeds of the RMSE at each horizon, for multi-step forecasts."""
        if self.forecasts.ndim < 3:
            return None
        per_seed = np.sqrt(((self.forecasts - self.actual) ** 2).mean(axis=1))  # (seeds, horizon)
        return per_seed.mean(axis=0)

    def baselines_by_horizon(self) -> pd.DataFrame:
        """RMSE of each naive forecast at each horizon (rows) beside the model's mean."""
        actual = self.actual if self.actual.ndim == 2 else self.actual[:, None]
        table = {
            name: np.sqrt(((np.reshape(v, actual.shape) - actual) ** 2).mean(axis=0))
            for name, v in self.naive.items()
        }
        model = self.rmse_by_horizon
        table = {"model": model if model is not None else [self.rmse], **table}
        return pd.DataFrame(table, index=pd.RangeIndex(1, len(actual[0]) + 1, name="horizon"))

    def __str__(self) -> str:
        spread = f" ± {self.sd:.3f} over {len(self.forecasts)} seeds" if self.sd else ""
        naive = ", ".join(f"{name} {value:.3f}" for name, value in self.baselines.items())
        return f"validation RMSE {self.rmse:.3f}{spread} ({naive})"


def _builder(model, settings: dict) -> tuple[Callable[[int], keras.Model], str | None]:
    """A function ``window -> compiled model``, and the registry name if ``model`` is one."""
    if isinstance(model, str):
        spec = model_spec(model)
        return (lambda window: spec.build(window, **settings)), model
    if callable(model):
        return model, None
    raise TypeError(
        "Give validate() a model name such as 'mlp' or a function that builds a compiled model "
        f"for a window length, not {type(model).__name__}."
    )


def output_steps(model: keras.Model) -> int:
    """How many days ahead a model forecasts: its output is (1,), (horizon,) or (horizon, 1)."""
    shape = tuple(model.outputs[0].shape[1:])
    return int(shape[0]) if shape else 1


class _Fold:
    """One fold's scaled windows, scaler and naive forecasts of its held-out block."""

    def __init__(self, train: np.ndarray, window: int, horizon: int, bounds):
        self.fit_end, self.val_start, self.val_end = bounds
        fit_days = self.fit_end + window + horizon - 1  # days the fitting windows read
        self.scaler = Scaler().fit(train[:fit_days])
        X, Y = make_windows(self.scaler.transform(train), window, horizon)  # (n, window), (n[, h])
        self.X_fit, self.Y_fit = X[: self.fit_end], Y[: self.fit_end]
        self.X_val = X[self.val_start : self.val_end]
        last = np.arange(self.val_start, self.val_end) + window - 1  # each window's last day
        steps = np.arange(1, horizon + 1)
        self.actual = train[last[:, None] + steps]  # (days, horizon)
        self.target_days = last + 1  # the origins: one step ahead
        recent = np.stack([train[day - 6 : day + 1].mean() for day in last])
        self.naive = {
            "persistence": np.repeat(train[last][:, None], horizon, axis=1),
            "moving average (7 days)": np.repeat(recent[:, None], horizon, axis=1),
            "training mean": np.full((len(last), horizon), train[:fit_days].mean()),
        }

    def forecast(self, model: keras.Model, cache: ModelCache) -> np.ndarray:
        """The model's forecasts of the held-out block in the data's units: (days, horizon)."""
        scaled = cache.predict(model, reshape_for(model, self.X_val))
        return self.scaler.inverse_transform(scaled.reshape(len(self.X_val), -1))


def _resolve(model, window, epochs, batch_size, settings):
    """The builder, registry name, window, epochs and batch size, defaults filled in."""
    build, name = _builder(model, settings)
    config = model_spec(name).defaults if name else None
    if window is None and config:
        window = config.window
    if epochs is None and config:
        epochs = config.epochs
    if window is None or epochs is None:
        raise ValueError(
            "Give the window and the number of epochs: validate(build_model, window, epochs)."
        )
    if batch_size == "default":
        batch_size = config.batch_size if config else 32
    return build, name, int(window), int(epochs), batch_size


def validate(
    model="mlp",
    window: int | None = None,
    epochs: int | None = None,
    seeds=(0,),
    *,
    batch_size: int | None | str = "default",
    series: pd.Series | None = None,
    n_test: int = N_TEST,
    folds: int = FOLDS,
    fold_days: int = FOLD_DAYS,
    cache=None,
    progress: Callable[[int, int], None] | None = None,
    **settings,
) -> Validation:
    """Train ``model`` on each fold and seed, and score its forecasts of the held-out days.

    ``model`` is a registry name (its defaults fill unset ``window``, ``epochs``, ``batch_size``
    and builder ``settings``) or a function that returns a compiled model for a window length,
    such as a learner's ``build_model``; then ``window`` and ``epochs`` are required. Training
    takes the steps :func:`course_helpers.fit` takes with each seed. The test period is never
    read: only the first ``len(series) - n_test`` values are. Every fit starts from the state a
    new model has for its seed, but one compiled model serves them all; ``cache`` (a
    :class:`course_helpers.ModelCache`) keeps it for later calls too (the explorer's retrains).
    ``progress(done, total)`` is called as training goes on, in epochs over all folds and seeds;
    an exception it raises stops the validation (the explorer's Stop button).
    """
    build, name, window, epochs, batch_size = _resolve(model, window, epochs, batch_size, settings)
    series = load_series() if series is None else series
    train = np.asarray(series.iloc[:-n_test], dtype=float)
    seeds = [int(s) for s in np.atleast_1d(seeds)]
    if cache is None:  # a cache of this call only: one model, traced once, serves every fit
        keras.backend.clear_session()
        cache = ModelCache()
    key = _cache_key(build, name, window, batch_size, settings)

    def seeded(seed):  # the state a new model has for the seed, built once per seed
        return cache.seeded(key, series, seed, lambda: build(window))

    horizon = output_steps(seeded(seeds[0]))
    bounds = rolling_origin_folds(len(train) - window - horizon + 1, folds, fold_days, horizon)
    counter = _EpochCounter(progress, epochs, len(bounds) * len(seeds))
    forecasts, blocks, losses = [], [], []
    for fold in (_Fold(train, window, horizon, b) for b in bounds):
        row = []
        for seed in seeds:
            net = seeded(seed)
            X, Y = reshape_for(net, fold.X_fit), reshape_targets(net, fold.Y_fit)
            history = train_in_place(
                net, X, Y, epochs, batch_size=batch_size, shuffle_seed=seed, progress=counter.fit()
            )
            losses.append(history.history["loss"])
            row.append(fold.forecast(net, cache))
        forecasts.append(np.stack(row))  # (seeds, fold_days, horizon)
        blocks.append(fold)
    result = _collect(forecasts, blocks[::-1], series, seeds)
    by_fit = np.asarray(losses, dtype=float).reshape(len(bounds), len(seeds), -1)
    result.losses = by_fit.transpose(1, 0, 2)  # (seeds, folds, epochs)
    return result


def _cache_key(build, name, window, batch_size, settings) -> tuple:
    """The model's key in a ModelCache; for a registry model, the one train_and_evaluate uses.

    A test run of the explorer's settings then reuses the validation's traced loop.
    """
    if name is None:
        return model_key(id(build), window, batch_size, settings)
    return model_key(name, window, batch_size, model_spec(name).settings(**settings))


class _EpochCounter:
    """Turns each fit's ``(done, epochs)`` into ``progress(epochs so far, total)`` over all fits."""

    def __init__(self, progress, epochs: int, fits: int):
        self.progress, self.epochs, self.total, self.fits = progress, epochs, epochs * fits, 0

    def fit(self):
        """The progress callback of the next fit (False, no callback, without ``progress``)."""
        if self.progress is None:
            return False
        before = self.fits * self.epochs
        self.fits += 1
        return lambda done, _epochs: self.progress(before + done, self.total)


def _collect(forecasts: list, blocks: list, series: pd.Series, seeds: list) -> Validation:
    """Put the folds' forecasts in time order and score the naive forecasts of the same days."""
    forecasts = np.concatenate(forecasts[::-1], axis=1)  # (seeds, days, horizon), oldest first
    actual = np.concatenate([b.actual for b in blocks])
    naive = {k: np.concatenate([b.naive[k] for b in blocks]) for k in blocks[0].naive}
    days = np.concatenate([b.target_days for b in blocks])
    if forecasts.shape[-1] == 1:  # one step ahead: (seeds, days)
        forecasts, actual = forecasts[..., 0], actual[:, 0]
        naive = {k: v[:, 0] for k, v in naive.items()}
    return Validation(
        forecasts,
        actual,
        series.index[days],
        {k: float(np.sqrt(((v - actual) ** 2).mean())) for k, v in naive.items()},
        seeds,
        naive,
    )
