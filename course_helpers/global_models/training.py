"""Training on windows drawn at random inside one compiled loop, and forecasting with the result.

Why not :func:`course_helpers.fit`: it trains on arrays ``(X, y)`` held whole in variables, so
every window would first be copied out of the series (:meth:`.Windows.memory` gives the bytes),
and each window's scaling would be done once, up front, for all of them. Here each step draws
``batch_size`` windows, gathers and scales them from the one padded array, and takes one Adam
step; many steps run inside one ``tf.function`` call, as in ``fit``. The loss is one of
:data:`LOSSES`, computed in the data's own units where the M4 measures are.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import keras
import numpy as np
import tensorflow as tf

from ..training import _progress_bar
from .models import matmul_flops
from .windows import Windows

__all__ = ["LOSSES", "Training", "forecast", "train"]


def _smape(y, o, level, scale):
    actual, forecast = tf.exp(y), tf.exp(o)  # the level cancels out
    return 2 * tf.abs(actual - forecast) / (actual + forecast)


def _mase(y, o, level, scale):
    return tf.abs(tf.exp(y) - tf.exp(o)) * level / scale


def _log_mae(y, o, level, scale):
    return tf.abs(y - o)


LOSSES = {  # per hour: (targets, outputs, level, MASE scale), all as log ratios to the level
    "sMAPE": _smape,  # M4's sMAPE / 100
    "MASE": _mase,  # M4's MASE: the error in data units over the series' seasonal scale
    "sMAPE + MASE": lambda *a: _smape(*a) + _mase(*a) / 10,  # 1/10: MASE runs ~10x sMAPE / 100
    "log MAE": _log_mae,  # mean absolute error of the log ratios (close to sMAPE when small)
}


@dataclass
class Training:
    """What one training run did: steps, samples, time and the loss every chunk of steps."""

    steps: int
    batch_size: int
    windows_per_step: int
    seconds: float
    cpu_seconds: float
    losses: list[float]
    flops_per_sample: int

    @property
    def samples(self) -> int:
        """Windows seen in training (a window drawn twice counts twice)."""
        return self.steps * self.windows_per_step

    @property
    def samples_per_second(self) -> float:
        """Training windows per second of wall time."""
        return self.samples / self.seconds

    @property
    def gflops(self) -> float:
        """Billions of floating-point operations per second in the matrix products."""
        return self.steps * self.batch_size * self.flops_per_sample / self.seconds / 1e9


def _apply_step(model, optimizer, batch, loss_fn, local: bool = False):
    """One optimizer step on ``batch = (x, y, level, scale)``; returns the loss.

    A global model's loss is the mean over windows and hours. A local model's batch is
    ``(n_series, windows, ...)`` and its gradient that of the sum over series of each series'
    mean: series ``j``'s term depends only on series ``j``'s weights, so each gets the gradient
    it would get alone. The loss returned is the mean over series, comparable with a global one.
    """
    x, y, level, scale = batch
    weights = model.trainable_variables
    with tf.GradientTape() as tape:
        losses = loss_fn(y, model(x, training=True), level, scale)
        per_series = tf.reduce_mean(losses, axis=[1, 2]) if local else tf.reduce_mean(losses)
        total = tf.reduce_sum(per_series)
    optimizer.apply_gradients(zip(tape.gradient(total, weights), weights))
    return tf.reduce_mean(per_series)


def train(
    model: keras.Model,
    windows: Windows,
    epochs: float,
    *,
    batch_size: int = 1024,
    loss: str = "sMAPE",
    learning_rate: float = 1e-3,
    seed: int = 0,
    progress: bool = False,
    local: bool = False,
) -> Training:
    """Train ``model`` on windows drawn at random from ``windows``; return a :class:`Training`.

    ``epochs`` counts passes' worth of windows (``epochs * len(windows)`` samples). The learning
    rate falls from ``learning_rate`` to 0 along a cosine. ``local=True`` trains a
    :func:`.build_local_mlp` model: each step draws ``batch_size`` windows of every series.
    ``progress=True`` shows a bar; the batches drawn depend only on ``seed``.
    """
    if loss not in LOSSES:
        raise ValueError(f"Unknown loss {loss!r}; choose one of {', '.join(LOSSES)}.")
    per_step = batch_size * (len(windows.series) if local else 1)
    steps = max(1, math.ceil(epochs * len(windows) / per_step))
    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, steps)
    optimizer = keras.optimizers.Adam(schedule)
    optimizer.build(model.trainable_variables)
    rng = tf.random.Generator.from_seed(seed)
    draw = windows.sample_each if local else windows.sample

    @tf.function
    def run(n):
        total = tf.constant(0.0)
        for _ in tf.range(n):
            batch = draw(rng, batch_size)
            total += _apply_step(model, optimizer, batch, LOSSES[loss], local)
        return total / tf.cast(n, tf.float32)

    chunks = np.diff(np.linspace(0, steps, min(steps, 20) + 1).astype(int))
    bar = _bar(steps) if progress else None
    losses, wall, cpu = [], time.perf_counter(), time.process_time()
    for n in chunks:
        losses.append(float(run(tf.constant(n))))
        if bar is not None:
            bar.update(n)
            bar.set_postfix(loss=f"{losses[-1]:.4f}")
    if bar is not None:
        bar.close()
    seconds, cpu = time.perf_counter() - wall, time.process_time() - cpu
    flops = matmul_flops(model)
    return Training(steps, batch_size, per_step, seconds, cpu, losses, flops)


def _bar(total: int):
    """The course's progress bar (its final text is kept in a saved notebook), counting steps."""
    bar = _progress_bar(total)
    bar.unit = "step"
    return bar


def forecast(model: keras.Model, windows: Windows, panel=None, local: bool = False) -> np.ndarray:
    """Forecast the ``horizon`` hours after the end of each series, in the data's units.

    ``panel`` defaults to the training history (validation); pass the whole training series to
    forecast the test hours. Returns ``(n_series, horizon)``.
    """
    x, level = windows.last_inputs(panel)  # (n, window), (n, 1)
    outputs = model(x[:, None] if local else x, training=False)  # log ratios to the level
    outputs = np.asarray(outputs)[:, 0] if local else np.asarray(outputs)  # (n, horizon)
    return np.exp(outputs.astype(float)) * level
