"""Lesson 9's networks: the MLP (global, and one per series) and an N-BEATS-style stack.

Every network reads a window of log ratios to its level, ``(window,)``, and forecasts the next
``horizon`` hours in the same units, ``(horizon,)``; :mod:`.windows` scales and unscales.

* :func:`build_mlp`: Dense ReLU layers, then ``Dense(horizon)``: the course's MLP, direct
  multi-step. With ``repeat_last_day`` the last 24 inputs, repeated, are added to the output:
  the network starts from seasonal naive and learns corrections to it.
* :func:`build_local_mlp`: the same MLP once per series, ``n_series`` independent networks in
  one model: each ``Dense`` becomes a :class:`SeriesDense` whose kernel has a leading series
  axis, ``(n_series, inputs, units)``. It reads ``(n_series, samples, window)`` and forecasts
  ``(n_series, samples, horizon)``; series ``j``'s forecasts depend on series ``j``'s weights
  and windows only.
* :func:`build_nbeats`: blocks of Dense ReLU layers with two linear heads, a backcast subtracted
  from the block's input and a forecast added to the sum (Oreshkin et al., 2020).
"""

from __future__ import annotations

import math

import keras
from keras import layers, ops

from .data import HORIZON, PERIOD

__all__ = ["build_local_mlp", "build_mlp", "build_nbeats", "matmul_flops"]


class RepeatLastDay(layers.Layer):
    """The last ``period`` inputs repeated over the horizon: seasonal naive, in scaled units."""

    def __init__(self, horizon: int = HORIZON, period: int = PERIOD, **kwargs):
        super().__init__(**kwargs)
        self.horizon, self.period = horizon, period

    def call(self, x):
        """``(..., window)`` -> ``(..., horizon)``: hour ``h`` ahead copies hour ``h - 24k``."""
        reps = -(-self.horizon // self.period)  # ceiling division
        last = x[..., -self.period :]
        return ops.concatenate([last] * reps, axis=-1)[..., : self.horizon]

    def get_config(self):
        """The layer's settings, so a saved model can be loaded."""
        return {**super().get_config(), "horizon": self.horizon, "period": self.period}


def _with_skip(inputs, outputs, repeat_last_day: bool, horizon: int):
    if repeat_last_day:
        outputs = layers.Add()([outputs, RepeatLastDay(horizon)(inputs)])
    return outputs


def build_mlp(
    window: int,
    horizon: int = HORIZON,
    units: int = 256,
    depth: int = 2,
    repeat_last_day: bool = True,
    name: str = "mlp",
) -> keras.Model:
    """``(window,)`` -> ``depth`` x Dense(units, relu) -> Dense(horizon): one network."""
    inputs = keras.Input(shape=(window,))
    x = inputs
    for _ in range(depth):
        x = layers.Dense(units, activation="relu")(x)  # (units,)
    outputs = layers.Dense(horizon)(x)  # (horizon,)
    return keras.Model(inputs, _with_skip(inputs, outputs, repeat_last_day, horizon), name=name)


class SeriesDense(layers.Layer):
    """A Dense layer with its own weights for each series: no weight is shared between series.

    Reads ``(n_series, samples, inputs)`` and returns ``(n_series, samples, units)``: series
    ``j``'s samples meet only kernel ``j`` ``(inputs, units)`` and bias ``j``. The series axis
    comes first so that the product is one batched matrix product, with no transposes.
    """

    def __init__(self, n_series: int, units: int, activation=None, **kwargs):
        super().__init__(**kwargs)
        self.n_series, self.units = n_series, units
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        """Kernel ``(n_series, inputs, units)``, each initialised like a Dense kernel (Glorot)."""
        inputs = int(input_shape[-1])
        limit = math.sqrt(6 / (inputs + self.units))  # Glorot uniform for one series' kernel
        self.kernel = self.add_weight(
            shape=(self.n_series, inputs, self.units),
            initializer=keras.initializers.RandomUniform(-limit, limit),
            name="kernel",
        )
        self.bias = self.add_weight(shape=(self.n_series, 1, self.units), initializer="zeros")

    def call(self, x):
        """``(n_series, samples, inputs)`` -> ``(n_series, samples, units)``."""
        return self.activation(ops.matmul(x, self.kernel) + self.bias)

    def get_config(self):
        """The layer's settings, so a saved model can be loaded."""
        config = {"n_series": self.n_series, "units": self.units}
        return {**super().get_config(), **config, "activation": self.activation.__name__}


def build_local_mlp(
    n_series: int,
    window: int,
    horizon: int = HORIZON,
    units: int = 256,
    depth: int = 2,
    repeat_last_day: bool = True,
) -> keras.Model:
    """:func:`build_mlp` once per series: ``(n_series, samples, window)`` -> ``(.., horizon)``.

    The model's first axis is the series (always ``n_series`` long), the second the samples of
    each series; each :class:`SeriesDense` holds one kernel per series.
    """
    inputs = keras.Input(shape=(None, window), batch_size=n_series)
    x = inputs
    for _ in range(depth):
        x = SeriesDense(n_series, units, activation="relu")(x)  # (n_series, samples, units)
    outputs = SeriesDense(n_series, horizon)(x)  # (n_series, samples, horizon)
    outputs = _with_skip(inputs, outputs, repeat_last_day, horizon)
    return keras.Model(inputs, outputs, name="local_mlp")


def build_nbeats(
    window: int,
    horizon: int = HORIZON,
    blocks: int = 3,
    units: int = 256,
    depth: int = 2,
    repeat_last_day: bool = True,
) -> keras.Model:
    """A small N-BEATS-style stack: ``blocks`` residual MLP blocks, ``(window,)`` -> ``(horizon,)``.

    Each block reads what the blocks before it left of the input, ``depth`` x Dense(units,
    relu), and emits a forecast ``(horizon,)`` (summed over the blocks) and, but for the last
    block, a backcast ``(window,)`` subtracted from its input.
    """
    inputs = keras.Input(shape=(window,))
    residual, forecasts = inputs, []
    for block in range(blocks):
        h = residual
        for _ in range(depth):
            h = layers.Dense(units, activation="relu")(h)  # (units,)
        forecasts.append(layers.Dense(horizon)(h))  # (horizon,)
        if block < blocks - 1:  # no block reads the last one's backcast
            residual = layers.Subtract()([residual, layers.Dense(window)(h)])  # input - backcast
    outputs = forecasts[0] if blocks == 1 else layers.Add()(forecasts)
    outputs = _with_skip(inputs, outputs, repeat_last_day, horizon)
    return keras.Model(inputs, outputs, name="nbeats")


def matmul_flops(model: keras.Model) -> int:
    """Floating-point operations of the matrix products of one training sample, forward and back.

    Each kernel weight takes one multiply-add (2 operations) forward and two backward (the
    gradients of the layer's input and of the weight): 6 operations per weight per sample. For a
    local model a sample is one window of every series.
    """
    kernels = [layer.kernel for layer in model.layers if hasattr(layer, "kernel")]
    return 6 * sum(math.prod(kernel.shape) for kernel in kernels)  # a series axis counts too
