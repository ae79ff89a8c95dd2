"""Judge a learner's model by what it does, not by the names of its layers.

Before training, on a fresh model and a batch of real windows:

* :func:`check_trainable`: something must be trainable;
* :func:`check_unbounded_output`: the output can reach every value the training days take (a
  sigmoid, tanh, ReLU or softplus at the end cannot: judged by the range the output map reaches);
* :func:`check_uses_input`: the forecast moves when the window does;
* :func:`check_layers_matter`: changing a lesson layer's weights moves the forecast (an unused
  branch, or one multiplied by zero, does not);
* :func:`check_nonlinear`: the model is not a linear function of the window, whatever the
  nonlinearity is called (ReLU, LeakyReLU, PReLU, ELU, softplus, mish, an LSTM's gates ...).

After training, on the validation forecasts:

* :func:`check_finite`: training did not diverge (the loss stayed finite and did not grow);
* :func:`check_not_naive`: the forecasts are not persistence, a moving average or the training
  mean in disguise, whatever layers surround them.
"""

from __future__ import annotations

from collections.abc import Callable

import keras
import numpy as np
import pandas as pd

from .core import Mistake
from .recognise import naive_forecasts
from .structure import RECURRENT, kind

__all__ = [
    "check_finite",
    "check_layers_matter",
    "check_nonlinear",
    "check_not_naive",
    "check_trainable",
    "check_unbounded_output",
    "check_uses_input",
    "output_range",
]

_SAME = 1e-6  # relative change below this: float32 rounding, not a real effect


def _outputs(model: keras.Model, X: np.ndarray) -> np.ndarray:
    return np.asarray(model(X, training=False), dtype=float).reshape(len(X), -1)


def _moved(before: np.ndarray, after: np.ndarray) -> bool:
    scale = max(1.0, float(np.abs(before).max()))
    return bool(np.abs(after - before).max() > _SAME * scale)


def check_trainable(model: keras.Model) -> None:
    """Raise a mistake when the model has no trainable weight: training could not change it."""
    if model.trainable_weights:
        return
    frozen = [layer.name for layer in model.layers if layer.weights and not layer.trainable]
    raise Mistake(
        "Nothing in this model is trainable: training cannot change a single number in it, so "
        "its forecasts are fixed before it sees any data.",
        (
            f"These layers are frozen (`trainable=False`): {', '.join(frozen)}."
            if frozen
            else "Its layers have no weights at all (a `Lambda` computing a formula is not a "
            "network): forecasts must come from layers that learn, such as `layers.Dense`."
        ),
    )


def _output_chain(model: keras.Model):
    """``(last layer with weights, the weightless layers after it)`` on the output's path.

    None when the path back from the output branches (an ``Add`` of two branches, say).
    """
    chain = []
    tensor = model.outputs[0]
    while True:
        history = getattr(tensor, "_keras_history", None)
        layer = getattr(history, "operation", None)
        if layer is None or type(layer).__name__ == "InputLayer":
            return None
        if layer.weights:
            return layer, chain[::-1]
        inputs = layer.input if not isinstance(layer.input, (list, tuple)) else None
        if inputs is None:
            return None
        chain.append(layer)
        tensor = inputs


def output_range(model: keras.Model) -> tuple[float, float] | None:
    """The lowest and highest value the model's output can take, or None when unbounded/unknown.

    Found by sending every pre-activation from -100 to 100 through the output layer's
    activation and the weightless layers after it (a recurrent output layer multiplies its
    activation by a gate between 0 and 1); a side that keeps growing is infinite.
    """
    found = _output_chain(model)
    if found is None:
        return None
    last, after = found
    inner = getattr(last, "layer", last)
    z = np.linspace(-100, 100, 4001, dtype="float32")
    shape = tuple(last.output.shape[1:])
    grid = np.broadcast_to(z.reshape(-1, *([1] * len(shape))), (len(z), *shape))
    activation = getattr(inner, "activation", None)
    values = keras.ops.convert_to_tensor(grid)
    if activation is not None:
        values = activation(values)
    for layer in after:
        values = layer(values, training=False)
    values = np.asarray(values, dtype=float)
    low, high = float(np.nanmin(values)), float(np.nanmax(values))
    if kind(last) in RECURRENT:  # h = output gate (0..1) * activation(c)
        low, high = min(low, 0.0), max(high, 0.0)
    low, high = (-np.inf if low <= -50 else low), (np.inf if high >= 50 else high)
    return None if (low, high) == (-np.inf, np.inf) else (low, high)


def _what_bounds(model: keras.Model) -> str:
    found = _output_chain(model)
    if found is None:
        return "the output"
    last, after = found
    if after:
        return f"the `{type(after[-1]).__name__}` layer at the end"
    activation = getattr(getattr(last, "layer", last), "activation", None)
    name = getattr(activation, "__name__", "its activation")
    return f"the output layer's activation, `{name}`"


def check_unbounded_output(
    model: keras.Model, values: np.ndarray, to_units: Callable = lambda v: v, unit: str = ""
) -> None:
    """Raise a mistake when the output cannot reach the range of ``values`` (scaled targets).

    ``to_units`` turns scaled values into the data's units for the message (``unit``: "births").
    """
    reach = output_range(model)
    if reach is None:
        return
    low, high = reach
    values = np.asarray(values, dtype=float).ravel()
    if low <= values.min() and high >= values.max():
        return
    outside = float(np.mean((values < low) | (values > high)))
    raise Mistake(
        f"This model's output can only take values {_span(low, high, lambda v: f'{v:.3g}')} in "
        f"scaled units, that is {_span(low, high, lambda v: f'{float(to_units(v)):.1f}', '')}"
        f"{' ' + unit if unit else ''}: {_what_bounds(model)} bounds it.",
        f"{outside:.0%} of the training days lie outside that range, so no amount of training "
        "lets it forecast them. A ReLU, sigmoid or tanh belongs in the hidden layers.",
        "End with a linear output: `layers.Dense(1)`, no activation.",
    )


def _span(low: float, high: float, show: Callable[[float], str], lead: str = "of ") -> str:
    """``from a to b``, ``of at least a`` or ``of at most b``, each bound shown by ``show``.

    ``lead=""`` leaves out "from" and "of": ``a to b``, ``at least a``.
    """
    if np.isinf(high):
        return f"{lead}at least {show(low)}"
    if np.isinf(low):
        return f"{lead}at most {show(high)}"
    return f"{'from ' if lead else ''}{show(low)} to {show(high)}"


def check_uses_input(model: keras.Model, X: np.ndarray) -> None:
    """Raise a mistake when the forecasts do not change at all when the window changes."""
    rng = np.random.default_rng(0)
    before = _outputs(model, X)
    if _moved(before, _outputs(model, X + rng.normal(0, 1, X.shape).astype(X.dtype))):
        return
    raise Mistake(
        "This model's forecast does not depend on the window: changing every input day leaves "
        "every forecast exactly as it was.",
        "Somewhere the input is thrown away or multiplied by zero; a forecast must be computed "
        "from the days it reads.",
    )


def check_layers_matter(model: keras.Model, X: np.ndarray, layers: list, what: str) -> None:
    """Raise a mistake when changing the weights of one of ``layers`` does not move the forecast.

    ``what`` names the layers for the message ("Conv1D", "hidden Dense"). Layers without
    weights (``RepeatVector``) have nothing to change and are passed over.
    """
    rng = np.random.default_rng(0)
    before = _outputs(model, X)
    for layer in (layer for layer in layers if layer.weights):
        weights = layer.get_weights()
        noisy = [w + rng.normal(0, max(float(np.std(w)), 0.5), w.shape) for w in weights]
        layer.set_weights([w.astype(o.dtype) for w, o in zip(noisy, weights)])
        after = _outputs(model, X)
        layer.set_weights(weights)
        if not _moved(before, after):
            raise Mistake(
                f"The {what} layer `{layer.name}` does not reach the forecast: changing its "
                "weights leaves every forecast exactly as it was.",
                "Its output is unused or multiplied away, so the forecast comes from the other "
                f"layers alone. The lesson's model forecasts through its {what} layer.",
            )


def check_nonlinear(model: keras.Model, X: np.ndarray) -> None:
    """Raise a mistake when the model is an affine function of its window (a linear model).

    Tested on pairs of real windows: an affine map sends the midpoint of two windows to the
    midpoint of their forecasts, and ``x``, ``0``, ``-x`` to three points on a line.
    """
    rng = np.random.default_rng(0)
    a, b = X, X[rng.permutation(len(X))]
    f = _outputs(model, np.concatenate([a, b, (a + b) / 2, 2 * a, np.zeros_like(a[:1]), -2 * a]))
    n = len(X)
    fa, fb, fmid = f[:n], f[n : 2 * n], f[2 * n : 3 * n]
    f2a, f0, fneg = f[3 * n : 4 * n], f[4 * n], f[4 * n + 1 :]
    gaps = np.concatenate([fmid - (fa + fb) / 2, (f2a + fneg) / 2 - f0])
    spread = max(float(np.std(fa)), 1e-6)
    if np.abs(gaps).max() > 1e-3 * spread:
        return
    raise Mistake(
        "This model is a linear function of its window: every layer passes on a weighted sum, "
        "so together they are one weighted sum, a linear autoregression fitted by gradient "
        "descent.",
        "A network needs a nonlinearity between its layers: an activation such as "
        '`activation="relu"` on a hidden layer (LeakyReLU, ELU, tanh, ... work too).',
    )


def check_finite(validation, worse: float = 10.0) -> None:
    """Raise a mistake when training diverged with some seed.

    Diverged: a training loss that is not a finite number, a forecast that is NaN or infinite,
    or a last epoch's loss more than ``worse`` times that of always forecasting the training
    mean (about 1 on targets scaled with their own mean and standard deviation).
    """
    bad = []
    for i, seed in enumerate(validation.seeds):
        losses = validation.losses[i] if validation.losses is not None else np.zeros((1, 1))
        finite = np.isfinite(losses).all() and np.isfinite(validation.forecasts[i]).all()
        if not finite or (losses[:, -1] > worse).any():
            bad.append(seed)
    if not bad:
        return
    raise Mistake(
        f"Training diverged with seed{'s' if len(bad) > 1 else ''} {', '.join(map(str, bad))}: "
        "its training loss ended far above that of always forecasting the mean, or stopped "
        "being a finite number, and its forecasts are far off or NaN.",
        'A learning rate that is too large makes each step overshoot; with `optimizer="adam"` '
        "at its default rate (0.001) these models train smoothly. Inputs must be scaled too.",
    )


def check_not_naive(validation, series: pd.Series, tolerance: float = 0.01) -> None:
    """Raise a mistake when every seed's forecasts equal one naive forecast of the same days.

    ``tolerance`` is a share of the series' standard deviation: closer than that (root mean
    square, over all validation days) counts as the same forecast.
    """
    days = series.index.get_indexer(validation.dates)
    naive = naive_forecasts(series, days)
    naive["the training mean"] = validation.naive["training mean"]
    limit = tolerance * float(series.std())
    for name, forecast in naive.items():
        forecast = np.reshape(forecast, (len(days), -1))
        gaps = [
            np.sqrt(np.mean((np.reshape(f, (len(days), -1)) - forecast) ** 2))
            for f in validation.forecasts
        ]
        if max(gaps) < limit:
            raise Mistake(
                f"These forecasts are {name}, whatever layers surround it: on every validation "
                f"day they are within {max(gaps):.3f} of it.",
                "A naive forecast computed inside the model is still a naive forecast. The "
                "forecast must come from layers that learn from the window.",
            )
