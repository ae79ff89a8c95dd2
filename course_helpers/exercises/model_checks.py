"""What a learner's network does, judged by its behaviour rather than by its layers' names.

Each check raises a :class:`~.core.Mistake` that names the problem:

* :func:`check_trainable`: nothing in the model can learn;
* :func:`check_no_prefitted_weights`: frozen weights that hold values (a layer fitted elsewhere,
  such as a ridge regression, or a ``Normalization`` adapted beforehand): what they know did not
  come from the check's training;
* :func:`check_nonlinear`: the model's output is an affine function of its input, whatever its
  layers are called (``LeakyReLU``, ``PReLU``, ``elu``, ``softplus``, ``mish`` are nonlinear; a
  ReLU branch multiplied by 0 is not). For an affine ``f``, ``f(t a + (1 - t) b)`` equals
  ``t f(a) + (1 - t) f(b)`` up to rounding; any nonlinearity that matters leaves a gap. The
  weights are drawn anew first, so a branch that starts at 0 (a common way to begin a residual
  branch) is judged by what it can become, not by its first values;
* :func:`check_bounded_output`: forecasts that never go below (or above) a bound that the targets
  cross often: an activation on the output layer.
"""

from __future__ import annotations

import keras
import numpy as np

from .core import Mistake
from .networks import layer_names

__all__ = [
    "check_bounded_output",
    "check_no_prefitted_weights",
    "check_nonlinear",
    "check_trainable",
    "nonlinearity",
    "redraw_weights",
]

LINEAR_GAP = 1e-4  # below this, the gap is float32 rounding (linear models: about 3e-7)


def check_trainable(model: keras.Model) -> None:
    """Raise a mistake when the model has no trainable weight: training could change nothing."""
    if not model.trainable_weights:
        raise Mistake(
            "Nothing in this model can be trained: it has no trainable weights.",
            f"Its layers: {', '.join(layer_names(model)) or 'none'}. Layers with weights "
            "(`Dense`, `Conv1D`, `LSTM`) learn unless `trainable=False`.",
        )


def check_no_prefitted_weights(model: keras.Model) -> None:
    """Raise a mistake for frozen weights that hold values other than all 0 or all 1.

    Keras's own frozen weights start at 0 or 1 (a ``BatchNormalization``'s moving mean and
    variance); any other frozen values were fitted or set before the check.
    """
    for weight in model.non_trainable_weights:
        values = np.asarray(weight)
        if not (np.all(values == 0) or np.all(values == 1)):
            raise Mistake(
                f"The model holds frozen weights with values of their own ({weight.path}, "
                f"shape {tuple(values.shape)}): they were fitted before the check, on data the "
                "check cannot see.",
                "The check trains your network from its first weights on 2010-2012, so that "
                "nothing fitted on 2013 can help it. Make every layer trainable (no "
                "`trainable=False`, no layer taken from a fitted model); the inputs are already "
                "scaled with the training years' statistics.",
            )


def redraw_weights(model: keras.Model, seed: int = 0) -> None:
    """Give every kernel (a weight of 2 or more axes) new random values, scaled by its fan-in;
    biases and other vectors keep theirs. The model changes in place."""
    rng = np.random.default_rng(seed)
    drawn = []
    for values in model.get_weights():
        if values.ndim >= 2:
            fan_in = int(np.prod(values.shape[:-1]))
            values = rng.normal(0.0, 1.0 / np.sqrt(fan_in), values.shape).astype(values.dtype)
        drawn.append(values)
    model.set_weights(drawn)


def nonlinearity(model: keras.Model, X, t: float = 0.3, seed: int = 0) -> float:
    """How far the model is from affine on pairs of inputs ``X``: the RMS of
    ``f(t a + (1 - t) b) - (t f(a) + (1 - t) f(b))`` over that of ``f(a) - f(b)``."""
    X = np.asarray(X, dtype="float32")
    rng = np.random.default_rng(seed)
    a, b = X, X[rng.permutation(len(X))]

    def f(x):
        return np.asarray(model(x, training=False), dtype=float)

    gap = f(t * a + (1 - t) * b) - (t * f(a) + (1 - t) * f(b))
    spread = f(a) - f(b)
    return float(np.sqrt(np.mean(gap**2)) / max(np.sqrt(np.mean(spread**2)), 1e-12))


def check_nonlinear(model: keras.Model, X) -> None:
    """Raise a mistake when the model is an affine function of its input windows whatever its
    weights (they are drawn anew: the model is changed, check a copy you do not train)."""
    redraw_weights(model)
    if nonlinearity(model, X) < LINEAR_GAP:
        raise Mistake(
            "Your model is a linear function of the window: the output of every mix of two "
            "windows is the same mix of their outputs. Trained, it is the ridge regression "
            "again, fitted by gradient descent: at best it ties.",
            f"Its layers: {', '.join(layer_names(model)) or 'none'}. A nonlinear activation "
            "(relu, elu, tanh, ...) on a hidden layer whose output reaches the forecast changes "
            "that; one multiplied away, or on a branch that is not used, does not.",
        )


def check_bounded_output(scaled_forecasts, scaled_targets, share: float = 0.1) -> None:
    """Raise a mistake when the forecasts (scaled) never cross 0 or 1 although at least
    ``share`` of the targets do: the output layer's activation (relu, sigmoid, tanh) bounds it."""
    forecasts = np.asarray(scaled_forecasts, dtype=float)
    targets = np.asarray(scaled_targets, dtype=float)
    for bound, below, words in ((0.0, True, "below"), (1.0, False, "above")):
        never = forecasts.min() >= bound if below else forecasts.max() <= bound
        crossing = np.mean(targets < bound) if below else np.mean(targets > bound)
        if never and crossing >= share:
            raise Mistake(
                f"Your network never forecasts {words} {bound:g} in scaled units, while "
                f"{crossing:.0%} of the training targets are {words} it: its output is bounded.",
                "An activation on the output layer (relu, sigmoid, tanh, softmax) limits what "
                "the network can say; end with a plain `layers.Dense(24)`.",
            )
