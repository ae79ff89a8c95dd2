"""Training windows of many series as views: index arithmetic on one padded array, not copies.

A window starts ``window`` hours before an **origin** ``t`` and ends ``horizon`` hours after it:
the inputs are hours ``t - window .. t - 1``, the targets ``t .. t + horizon - 1``, all inside one
series' history. :class:`Windows` holds the padded history once (float32) and, per series, the
first and last origin allowed; a batch is gathered from ``(series, origin)`` pairs drawn at
random, inside the compiled training step. No ``(samples, window)`` array of all windows is
ever built: :meth:`Windows.memory` says what one would cost.

**Scaling.** Each window is divided by its own level, the mean of its last ``level_hours``
inputs, and the logarithm is taken: inputs and targets become log ratios to the level (around 0,
the same for a series of tens and one of millions), and a forecast ``o`` is turned back into
the data's units as ``level * exp(o)``. ``per_series=True`` uses one level per series instead
(the mean of its whole history), for the lesson's comparison.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import tensorflow as tf

from .data import HORIZON, Panel
from .metrics import mase_scale

__all__ = ["Windows"]

BYTES = 4  # float32


@dataclass
class Windows:
    """Every training window of ``panel`` for one input length, and how a batch is drawn.

    ``series`` limits the windows to some series (all by default); ``recent`` to origins in the
    last ``recent`` hours of each history (all by default). ``level_hours`` is how many of the
    last inputs set a window's level (all of them by default); ``per_series`` replaces it by one
    level per series.
    """

    panel: Panel
    window: int
    horizon: int = HORIZON
    level_hours: int | None = None
    per_series: bool = False
    series: np.ndarray | None = None
    recent: int | None = None
    _tensors: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self.level_hours = self.window if self.level_hours is None else self.level_hours
        if not 1 <= self.level_hours <= self.window:
            raise ValueError(f"level_hours must be 1 to the window ({self.window}).")
        self.series = np.arange(len(self.panel)) if self.series is None else np.asarray(self.series)
        if np.nanmin(self.panel.values) <= 0:
            raise ValueError(
                "Windows are scaled by log ratios to their level, so every value must be above 0 "
                f"(the smallest here is {np.nanmin(self.panel.values):g})."
            )
        if (self.counts < 1).any():
            short = self.panel.names[int(self.series[np.argmin(self.counts)])]
            raise ValueError(
                f"The window ({self.window}) and horizon ({self.horizon}) do not fit in series "
                f"{short}: choose a shorter window."
            )

    @cached_property
    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """First and last origin of each chosen series: two ``(n_series,)`` int arrays."""
        last = self.panel.lengths[self.series] - self.horizon
        first = np.full_like(last, self.window)
        if self.recent is not None:
            first = np.maximum(first, last - self.recent + 1)
        return first, last

    @property
    def counts(self) -> np.ndarray:
        """How many windows each chosen series has: ``(n_series,)``."""
        first, last = self.bounds
        return last - first + 1

    def __len__(self) -> int:
        return int(self.counts.sum())

    @cached_property
    def levels(self) -> np.ndarray:
        """One level per series of the panel (its history's mean), for ``per_series``."""
        return np.nanmean(self.panel.values, axis=1)

    def memory(self) -> dict[str, int]:
        """Bytes a full copy of every window would take, and the bytes the views' tensors hold.

        The views hold the padded series (as logarithms), the log level at every origin, and a
        few numbers per series (bounds, MASE scale).
        """
        held = sum(t.shape.num_elements() * t.dtype.size for t in self.tensors().values())
        return {
            "windows": len(self),
            "copy of every window": len(self) * (self.window + self.horizon) * BYTES,
            "held (series, levels and bounds)": held,
        }

    def _log_levels(self) -> np.ndarray:
        """log(level) of a window at every origin: ``(n_series, width)``, 0 where none fits.

        The level at origin ``t`` is the mean of hours ``t - level_hours .. t - 1`` (a running
        sum), or the series' mean with ``per_series``.
        """
        values = np.nan_to_num(self.panel.values)
        if self.per_series:
            return np.broadcast_to(np.log(self.levels)[:, None], values.shape)
        sums = np.cumsum(values, axis=1)
        means = np.zeros_like(values)
        n = self.level_hours
        means[:, n:] = (sums[:, n - 1 : -1] - np.pad(sums, ((0, 0), (1, 0)))[:, : -n - 1]) / n
        return np.log(np.where(means > 0, means, 1.0))

    def tensors(self) -> dict[str, tf.Tensor]:
        """The padded history (as logarithms), each origin's log level and the bounds (made once).

        Holding ``log(values)`` and ``log(level)`` makes a window's scaling one subtraction.
        """
        if self._tensors:
            return self._tensors
        with tf.init_scope():  # eager constants, even when first asked inside a tf.function
            first, last = self.bounds
            logs = np.log(np.where(np.isfinite(self.panel.values), self.panel.values, 1.0))
            self._tensors.update(
                log_values=tf.constant(logs.reshape(-1).astype("float32")),  # (n_series * width,)
                log_levels=tf.constant(self._log_levels().reshape(-1).astype("float32")),
                width=tf.constant(logs.shape[1]),
                series=tf.constant(self.series.astype("int32")),
                first=tf.constant(first.astype("int32")),
                count=tf.constant(self.counts.astype("int32")),
                cumulative=tf.constant(np.cumsum(self.counts).astype("int64")),
                mase_scale=tf.constant(mase_scale(self.panel).astype("float32")),
                offsets=tf.range(-self.window, self.horizon),
            )
        return self._tensors

    def gather(self, series, origins):
        """Scaled windows at ``(series, origins)`` (int tensors of one shape ``S``).

        Returns ``x`` ``S + (window,)``, ``y`` ``S + (horizon,)`` as log ratios to the level,
        ``level`` ``S + (1,)`` and the MASE scale of each window's series ``S + (1,)``.
        """
        t = self.tensors()
        at = series * t["width"] + origins  # S: the origins in the flat arrays
        block = tf.gather(t["log_values"], at[..., None] + t["offsets"])  # S + (window + horizon,)
        log_level = tf.gather(t["log_levels"], at)[..., None]  # S + (1,)
        block = block - log_level
        scale = tf.gather(t["mase_scale"], series)[..., None]
        return block[..., : self.window], block[..., self.window :], tf.exp(log_level), scale

    def sample(self, rng: tf.random.Generator, batch_size: int):
        """A random batch, every window equally likely: :meth:`gather` of ``(batch_size,)``."""
        t = self.tensors()
        k = rng.uniform([batch_size], 0, len(self), dtype=tf.int64)
        j = tf.searchsorted(t["cumulative"], k, side="right")  # which chosen series
        before = tf.gather(t["cumulative"], j) - tf.cast(tf.gather(t["count"], j), tf.int64)
        origin = tf.gather(t["first"], j) + tf.cast(k - before, tf.int32)
        return self.gather(tf.gather(t["series"], j), origin)

    def sample_each(self, rng: tf.random.Generator, per_series: int):
        """``per_series`` random windows of every chosen series: shapes ``(n, per_series, ...)``.

        For the local models, one network per series: row ``j`` holds series ``j``'s windows.
        """
        t = self.tensors()
        first, count = t["first"][:, None], t["count"][:, None]  # (n, 1)
        u = rng.uniform([len(self.series), per_series])
        origin = tf.minimum(
            first + tf.cast(u * tf.cast(count, tf.float32), tf.int32), first + count - 1
        )
        return self.gather(tf.broadcast_to(t["series"][:, None], origin.shape), origin)

    def last_inputs(self, panel: Panel | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The scaled last ``window`` hours of each chosen series of ``panel`` and their levels.

        ``panel`` defaults to the training history (a validation forecast); pass the whole
        training series to forecast the test hours. Returns ``x (n, window)``, ``level (n, 1)``.
        """
        panel = self.panel if panel is None else panel
        inputs = panel.last(self.window)[self.series]  # (n, window)
        if self.per_series:
            level = self.levels[self.series, None]
        else:
            level = inputs[:, -self.level_hours :].mean(axis=1, keepdims=True)
        return np.log(inputs / level).astype("float32"), level
