"""Diagnosis helpers the checks share: reading answers as arrays, scalers, input shapes, RMSEs.

Each ``check_...`` function returns quietly for a right answer and raises a
:class:`~course_helpers.exercises.core.Mistake` that names the problem otherwise. The windows of
a series have a module of their own, :mod:`course_helpers.exercises.window_checks`.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from ..models import model_spec
from ..windowing import train_test_split
from .core import Mistake

__all__ = [
    "births",
    "check_input_shape",
    "check_scaler",
    "close",
    "fmt",
    "model_input_shape",
    "numeric",
    "same_rows_any_order",
    "scaler_stats",
    "transform",
]


@lru_cache(maxsize=1)
def births() -> pd.Series:
    """The daily births series every exercise checks against (loaded once)."""
    from ..data import load_series

    return load_series()


def numeric(value, what: str) -> np.ndarray:
    """``value`` as a float array, or a Mistake that says why it is not one."""
    if isinstance(value, str):
        raise Mistake(f"`{what}` is text; it should be an array of numbers.")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise Mistake(
            f"`{what}` could not be read as an array of numbers.",
            "Rows of different lengths, text or `None` entries cause this. Build it "
            "with NumPy (`np.array(rows)`) from rows of equal length.",
        ) from None
    if array.ndim == 0:
        raise Mistake(f"`{what}` is a single number; it should hold one entry per sample.")
    if len(array) == 0:
        raise Mistake(f"`{what}` is empty: there are no samples in it.")
    return array


def close(a: np.ndarray, b: np.ndarray, tol: float) -> bool:
    """True when ``a`` and ``b`` have the same shape and agree within ``tol``."""
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=0, atol=tol))


def _lex_sorted(m: np.ndarray) -> np.ndarray:
    return m[np.lexsort(m.T[::-1])]


def same_rows_any_order(a: np.ndarray, b: np.ndarray, tol: float) -> bool:
    """True when ``a`` and ``b`` hold the same rows, perhaps in another order."""
    if a.shape != b.shape:
        return False
    return close(_lex_sorted(np.round(a, 6)), _lex_sorted(np.round(b, 6)), tol)


def fmt(values) -> str:
    """Values as a short list for a message: ``[35, 32, 30]``."""
    return "[" + ", ".join(f"{v:g}" for v in np.asarray(values).ravel()) + "]"


# --------------------------------------------------------------------------------------------
# Scalers: fitted on the training period only?
# --------------------------------------------------------------------------------------------


def scaler_stats(scaler):
    """(kind, location, spread) of a fitted scaler, or a Mistake saying why not."""
    if hasattr(scaler, "std_") and hasattr(scaler, "mean_"):  # course_helpers.Scaler
        if scaler.mean_ is None:
            raise Mistake(
                "The scaler is not fitted yet.",
                "Fit it on the training period only: `scaler = Scaler().fit(train)`.",
            )
        return "standard", float(np.ravel(scaler.mean_)[0]), float(np.ravel(scaler.std_)[0])
    if hasattr(scaler, "scale_") and hasattr(scaler, "mean_"):  # scikit-learn StandardScaler
        return "standard", float(np.ravel(scaler.mean_)[0]), float(np.ravel(scaler.scale_)[0])
    if hasattr(scaler, "data_min_") and hasattr(scaler, "data_max_"):  # scikit-learn MinMaxScaler
        return "minmax", float(np.ravel(scaler.data_min_)[0]), float(np.ravel(scaler.data_max_)[0])
    if hasattr(scaler, "mean_") or hasattr(scaler, "scale_") or hasattr(scaler, "data_min_"):
        raise Mistake("The scaler is not fitted yet.", "Fit it on the training period only.")
    raise Mistake(
        f"Cannot read the statistics of a {type(scaler).__name__}.",
        "Use `course_helpers.Scaler` (or scikit-learn's StandardScaler or "
        "MinMaxScaler) and pass the fitted scaler.",
    )


def _period_stats(kind: str, part: pd.Series):
    """(location, possible spreads) of a period, as a scaler of ``kind`` would learn them."""
    values = part.to_numpy(dtype=float)
    if kind == "standard":
        return values.mean(), (values.std(), values.std(ddof=1))
    return values.min(), (values.max(),)


def _fitted_on(part: pd.Series, kind: str, first: float, second: float) -> bool:
    """True when a scaler with statistics (first, second) was fitted on ``part``."""
    location, spreads = _period_stats(kind, part)
    return abs(first - location) < 1e-6 * max(1, abs(location)) and any(
        abs(second - s) < 1e-6 * max(1, abs(s)) for s in spreads
    )


def check_scaler(scaler, series: pd.Series, n_test: int) -> None:
    """Raise a Mistake unless ``scaler`` learned its statistics from the training period only."""
    kind, first, second = scaler_stats(scaler)
    train, test = train_test_split(series, n_test)
    if _fitted_on(train, kind, first, second):
        return
    name = "mean" if kind == "standard" else "minimum"
    expected = _period_stats(kind, train)[0]
    if _fitted_on(series, kind, first, second):
        raise Mistake(
            f"The scaler was fitted on the whole series ({name} {first:.3f}), test days included.",
            f"The training period alone has {name} {expected:.3f}. Statistics taken from the test "
            "period let the future shape the inputs: a small but real leak.",
            "Split first, then fit on the training part only: "
            f"`train, test = train_test_split(series, {n_test})` and `Scaler().fit(train)`.",
        )
    if _fitted_on(test, kind, first, second):
        raise Mistake(
            f"The scaler was fitted on the test period ({name} {first:.3f}).",
            f"Fit it on the training period (the first {len(train)} days, {name} "
            f"{expected:.3f}) and use those statistics for the test days too.",
        )
    raise Mistake(
        f"The scaler's {name} is {first:.3f}, but the training period's is {expected:.3f}.",
        f"Fit the scaler on exactly the training period: the first {len(train)} days "
        f"(`train_test_split(series, {n_test})`).",
    )


def transform(scaler, values: np.ndarray) -> np.ndarray:
    """Apply a scaler to a 1-D array, whether it wants 1-D (ours) or a column (scikit-learn)."""
    try:
        out = np.asarray(scaler.transform(values), dtype=float)
        if out.shape == values.shape:
            return out
    except (ValueError, TypeError):
        pass
    return np.asarray(scaler.transform(values.reshape(-1, 1)), dtype=float).ravel()


# --------------------------------------------------------------------------------------------
# Input shapes: what a model (a Keras model or a name in the registry) reads
# --------------------------------------------------------------------------------------------


def model_input_shape(model, n_steps: int):
    """Per-sample input shape the model wants, from a Keras model or a model name."""
    if model is None:
        return None
    if hasattr(model, "inputs"):
        return tuple(int(d) for d in model.inputs[0].shape[1:])
    return model_spec(model).input_shape(n_steps)


_RNN_CNN = "Conv1D and LSTM layers read samples shaped (timesteps, features)"


def check_input_shape(X: np.ndarray, model) -> None:
    """Raise a Mistake when X does not have the per-sample shape ``model`` takes."""
    n_steps = int(np.prod(X.shape[1:]))
    expected = model_input_shape(model, n_steps)
    if expected is None or tuple(X.shape[1:]) == expected:
        return
    want = f"({len(X)}, {', '.join(map(str, expected))})"
    if len(expected) == 2 and X.ndim == 2:
        raise Mistake(
            f"X has shape {X.shape}: the feature axis for Conv1D/LSTM is missing.",
            f"{_RNN_CNN}, so X must be {want}. Add the axis with "
            "`add_feature_axis(X)` or `X.reshape(len(X), -1, 1)`.",
        )
    if len(expected) == 3 and X.ndim in (2, 3):
        raise Mistake(
            f"X has shape {X.shape}, but the CNN-LSTM reads subsequences: {want}.",
            f"Split each window with `to_subsequences(X, {expected[0]})`.",
        )
    if len(expected) == 1 and X.ndim > 2:
        raise Mistake(
            f"X has shape {X.shape}, but an MLP takes flat rows: {want}.",
            "Flatten each sample with `X.reshape(len(X), -1)`.",
        )
    raise Mistake(
        f"X has shape {X.shape}, but the model takes {want}.",
        "Reshape X, or build the model for the window length you chose.",
    )
