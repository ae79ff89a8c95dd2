"""Turn a series into supervised samples, split it in time, and scale it without leakage.

The sliding window: the ``window`` values before a point are the inputs, the ``horizon`` values
from that point on are the targets. For the series 1, 2, 3, 4, 5 and ``window=3`` that is
``[1, 2, 3] -> 4`` and ``[2, 3, 4] -> 5``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

__all__ = [
    "make_windows",
    "to_subsequences",
    "add_feature_axis",
    "train_test_split",
    "Scaler",
    "as_float_array",
]


def as_float_array(values, *, what: str = "values") -> np.ndarray:
    """Return ``values`` (list, array, Series or DataFrame) as a float array, or explain why not."""
    if isinstance(values, (pd.Series, pd.DataFrame)):
        values = values.to_numpy()
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(
            f"The {what} must be numbers; found non-numeric entries. Convert text columns with "
            "pandas.to_numeric(...) or drop them first."
        ) from None
    if array.ndim == 0:
        raise ValueError(f"The {what} must be a sequence of numbers, not a single number.")
    if np.isnan(array).any():
        count = int(np.isnan(array).sum())
        raise ValueError(
            f"The {what} contain {count} missing value(s) (NaN). Fill them before windowing, e.g. "
            "series.interpolate() for gaps inside the series or series.ffill() to carry the last "
            "value forward, or drop the rows with series.dropna()."
        )
    return array


def _whole_number(n, label: str, minimum: int = 1) -> int:
    """``n`` as an int if it is a whole number of at least ``minimum``, else a clear ValueError."""
    try:
        whole = int(n) == n and n >= minimum
    except (TypeError, ValueError):
        whole = False
    if not whole:
        raise ValueError(f"{label} must be a whole number of at least {minimum}, got {n!r}.")
    return int(n)


def make_windows(values, window: int, horizon: int = 1, *, target: int = 0):
    """Slide a window over ``values`` and return supervised samples ``(X, y)``.

    Row ``i`` of ``X`` is ``values[i : i + window]``; its target is the ``horizon`` values after it.

    * 1-D values of length n: ``X`` has shape (n - window - horizon + 1, window); ``y`` has shape
      (samples,) when ``horizon == 1`` and (samples, horizon) otherwise.
    * 2-D values of shape (time, features): ``X`` has shape (samples, window, features) and ``y`` is
      taken from column ``target`` (the first by default).
    """
    array = as_float_array(values)
    if array.ndim not in (1, 2):
        raise ValueError(
            f"Expected a 1-D series or a 2-D (time, features) table, got an array with shape "
            f"{array.shape}. Pass one column, or reshape to (time, features)."
        )
    window, horizon = _whole_number(window, "window"), _whole_number(horizon, "horizon")
    length = array.shape[0]
    if window + horizon > length:
        fix = (
            f"Use window <= {length - horizon} or a longer series."
            if length - horizon >= 1
            else f"Use a series of at least {horizon + 1} values (or a smaller horizon)."
        )
        raise ValueError(
            f"A window of {window} input(s) and {horizon} output(s) needs at least "
            f"{window + horizon} values, but the series has {length}. {fix}"
        )
    if array.ndim == 1 and target != 0:
        raise ValueError(
            f"target={target!r} picks a column of a 2-D (time, features) table; a 1-D "
            "series has only one. Leave target at 0."
        )
    if array.ndim == 2 and not (
        isinstance(target, (int, np.integer)) and -array.shape[1] <= target < array.shape[1]
    ):
        raise ValueError(
            f"target={target!r} is not a column index of a table with "
            f"{array.shape[1]} columns; use 0 to {array.shape[1] - 1}."
        )

    samples = length - window - horizon + 1
    if array.ndim == 1:
        X = sliding_window_view(array, window)[:samples]  # (samples, window)
        targets = array
    else:
        # the window axis comes last: (samples, features, window) -> (samples, window, features)
        X = sliding_window_view(array, window, axis=0)[:samples].transpose(0, 2, 1)
        targets = array[:, target]
    y = sliding_window_view(targets[window:], horizon)  # (samples, horizon)
    y = y[:, 0] if horizon == 1 else y
    return X.copy(), y.copy()


def add_feature_axis(X) -> np.ndarray:
    """Reshape (samples, timesteps) to (samples, timesteps, 1), the input Conv1D and LSTM expect.

    Arrays that already have a feature axis are returned unchanged.
    """
    X = as_float_array(X, what="inputs")
    if X.ndim == 2:
        return X[..., np.newaxis]
    if X.ndim == 3:
        return X
    raise ValueError(f"Expected inputs of shape (samples, timesteps[, features]), got {X.shape}.")


def to_subsequences(X, n_seq: int) -> np.ndarray:
    """Split each window into ``n_seq`` equal subsequences for the CNN-LSTM.

    (samples, window) or (samples, window, features) -> (samples, n_seq, window // n_seq, features).
    """
    X = add_feature_axis(X)
    samples, window, features = X.shape
    n_seq = _whole_number(n_seq, "n_seq")
    if window % n_seq:
        fits = [k for k in range(1, window + 1) if window % k == 0]
        raise ValueError(
            f"A window of {window} steps cannot be cut into {n_seq} equal subsequences. Choose "
            f"n_seq from {fits}, or a window that is a multiple of {n_seq}."
        )
    return X.reshape(samples, n_seq, window // n_seq, features)


def train_test_split(series, n_test: int):
    """Split a series (or array) in time: everything but the last ``n_test`` values, then those.

    No shuffling: the test period always comes after the training period.
    """
    length = len(series)
    try:
        valid = int(n_test) == n_test and 1 <= n_test < length
    except (TypeError, ValueError):
        valid = False
    if not valid:
        raise ValueError(
            f"n_test must be between 1 and {length - 1} for a series of {length} values, "
            f"got {n_test!r}."
        )
    if isinstance(series, (pd.Series, pd.DataFrame)):
        return series.iloc[:-n_test], series.iloc[-n_test:]
    return series[:-n_test], series[-n_test:]


class Scaler:
    """Standardise values with the mean and standard deviation of the training data only.

    >>> scaler = Scaler().fit(train)
    >>> scaled = scaler.transform(series)           # test values use the training statistics
    >>> births = scaler.inverse_transform(scaled)   # back to the data's own units
    """

    def __init__(self):
        self.mean_: float | None = None
        self.std_: float | None = None

    def fit(self, train) -> Scaler:
        """Learn mean and standard deviation from ``train`` (training data only)."""
        values = as_float_array(train, what="training values")
        self.mean_ = float(values.mean())
        std = float(values.std())
        self.std_ = std if std > 0 else 1.0
        return self

    def _check_fitted(self):
        if self.mean_ is None:
            raise ValueError("This Scaler is not fitted yet: call scaler.fit(train) first.")

    def transform(self, values) -> np.ndarray:
        """Scale ``values`` with the training statistics: (values - mean) / std."""
        self._check_fitted()
        return (as_float_array(values) - self.mean_) / self.std_

    def fit_transform(self, train) -> np.ndarray:
        """Fit on ``train`` and return it scaled."""
        return self.fit(train).transform(train)

    def inverse_transform(self, values) -> np.ndarray:
        """Undo :meth:`transform`: back to the data's own units."""
        self._check_fitted()
        return np.asarray(values, dtype=float) * self.std_ + self.mean_

    def __repr__(self):
        if self.mean_ is None:
            return "Scaler(not fitted)"
        return f"Scaler(mean={self.mean_:.3f}, std={self.std_:.3f})"
