"""Diagnosis of windowed samples (X, y): shapes first, then what differs from the true windows.

:func:`read_windows` turns an answer into X (samples, n) and y (samples,) and names shape
mistakes; :func:`diagnose_windows` compares them with the windows of the series and names the
mistake it recognises (a window off by one, the target inside its inputs, windows missing,
shuffled, backwards or scaled, ...). Both raise a :class:`~.core.Mistake`.
"""

from __future__ import annotations

import numpy as np

from ..windowing import make_windows
from .core import Mistake
from .diagnose import close, fmt, numeric, same_rows_any_order

__all__ = ["diagnose_targets", "diagnose_windows", "read_windows", "window_fix"]


def window_fix(n: int) -> str:
    """The sentence that says what row i of X and y[i] should be for a window of ``n``."""
    return (
        f"Row i of X should be `series[i : i + {n}]` and y[i] the value right after it, "
        f"`series[i + {n}]`."
    )


# --------------------------------------------------------------------------------------------
# Reading an answer: X as (samples, n), y as (samples,)
# --------------------------------------------------------------------------------------------


def _read_shapes(X, y):
    """X and y as float arrays of 2 and 1 dimensions, or a Mistake naming the shape problem."""
    X = numeric(X, "X")
    y = numeric(y, "y")
    if X.ndim == 3 and X.shape[2] == 1:
        X = X[..., 0]  # already shaped for Conv1D/LSTM: fine, compare the windows
    if X.ndim != 2:
        raise Mistake(
            f"X has shape {X.shape}; it should be a table with one row per sample: "
            "(samples, window).",
            "A single window or a flat list of values is not enough: stack one row per window, "
            "e.g. `np.array(rows)`.",
        )
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim == 2:
        raise Mistake(
            f"y has shape {y.shape}: {y.shape[1]} values per sample, but this task asks for one "
            "output per window (the next day).",
            "Several outputs at once come back in lesson 7; here take only the next value.",
        )
    if y.ndim != 1:
        raise Mistake(f"y has shape {y.shape}; it should hold one target per sample: (samples,).")
    if np.isnan(X).any() or np.isnan(y).any():
        raise Mistake(
            "There are missing values (NaN) in X or y.",
            "With `shift`, the first rows have nothing to look back on and the last rows "
            "nothing to look forward to: drop them with `.dropna()` before taking the values.",
        )
    return X, y


def _transposed(X) -> Mistake:
    return Mistake(
        f"X looks transposed: shape {X.shape}; rows should be samples.",
        "Use `X.T`, or build one row per window.",
    )


def _check_window(X, y, window) -> None:
    """Raise a Mistake unless each row of X holds the ``window`` values the learner chose."""
    if not isinstance(window, (int, np.integer)) or window < 1:
        raise Mistake(f"window should be a whole number of at least 1, got {window!r}.")
    if X.shape[1] == window:
        return
    if X.shape[0] == window and X.shape[1] == len(y):
        raise _transposed(X)
    if X.shape[1] == window - 1:
        raise Mistake(
            f"Off by one: you chose window = {window} but each row of X has {window - 1} values.",
            "A slice `series[i : i + window]` holds window values; `i + window - 1` stops "
            "one short. " + window_fix(window),
        )
    if X.shape[1] == window + 1:
        raise Mistake(
            f"Off by one: you chose window = {window} but each row of X has {window + 1} values.",
            "A slice `series[i : i + window + 1]` also takes the target into the window. "
            + window_fix(window),
        )
    raise Mistake(
        f"You chose window = {window}, but each row of X has {X.shape[1]} values.",
        window_fix(window),
    )


def read_windows(X, y, window):
    """X as (samples, n) and y as (samples,), with shape mistakes named."""
    X, y = _read_shapes(X, y)
    if window is not None:
        _check_window(X, y, window)
    if X.shape[1] == len(y) and len(X) != len(y):
        raise _transposed(X)
    if len(X) != len(y):
        raise Mistake(
            f"X has {len(X)} rows but y has {len(y)} values; there should be one target per window."
        )
    return X, y


# --------------------------------------------------------------------------------------------
# Comparing with the true windows of the series
# --------------------------------------------------------------------------------------------


def diagnose_targets(X, y, values, n, tol, first=0):
    """X holds the right windows in order, from window ``first`` on; say what is wrong with y."""
    N = len(X)
    for k in (*range(1, 6), -n - 1):  # y taken k steps too late, or from before the window
        idx = np.arange(N) + first + n + k
        if idx.min() >= 0 and idx.max() < len(values) and close(y, values[idx], tol):
            if k > 0:
                raise Mistake(
                    f"y is the value {k + 1} steps after each window, not the next one "
                    f"(off by {k}).",
                    f"For the window {fmt(X[0])} the target is the next value, "
                    f"{values[first + n]:g}; "
                    f"you have {y[0]:g}. {window_fix(n)}",
                )
            raise Mistake(
                "y is the value just before each window, not the one after it.", window_fix(n)
            )
    expected = values[first + n : first + n + N]
    if close(np.sort(y), np.sort(expected), tol):
        raise Mistake(
            "y holds the right values but in another order than X, so each window is paired "
            "with the wrong target.",
            "If you shuffle, shuffle X and y together with the same permutation; for a time "
            "series, better keep both in time order.",
        )
    wrong = int(np.argmax(~np.isclose(y, expected, rtol=0, atol=tol)))
    raise Mistake(
        "y is not the value right after each window.",
        f"Row {wrong}: the window {fmt(X[wrong])} should have target {expected[wrong]:g}, "
        f"but y[{wrong}] is {y[wrong]:g}. {window_fix(n)}",
    )


def _check_target_not_in_inputs(X, y, n, tol) -> None:
    """Raise a Mistake when y is one of the columns of X: the target inside its own window."""
    for j in range(n):
        if close(X[:, j], y, tol):
            where = "the last value" if j == n - 1 else f"column {j}"
            raise Mistake(
                f"The target leaks into the inputs: y[i] equals X[i, {j}], {where} of its own "
                "window.",
                "A model shown the answer among its inputs learns to copy it and fails on new "
                f"data, where that value is still in the future. {window_fix(n)}",
            )


def _diagnose_fewer(X, y, values, n, exp_X, exp_y, tol) -> None:
    """Fewer samples than windows: name the windows missing at the end or start, or a stride."""
    N, short = len(exp_X), len(exp_X) - len(X)
    if close(X, exp_X[: len(X)], tol):
        if not close(y, exp_y[: len(X)], tol):
            diagnose_targets(X, y, values, n, tol)
        raise Mistake(
            (
                "The last window is missing"
                if short == 1
                else f"The last {short} windows are missing"
            )
            + f": you have {len(X)} samples, a window of {n} leaves {N} "
            f"({len(values)} - {n}).",
            (
                "An off-by-one in the loop: `range(len(series) - window - 1)` stops one window "
                "early; `range(len(series) - window)` gives them all."
            )
            if short == 1
            else "Slide the window up to the last full window (the last row ends one day "
            "before the final day, which is the last target).",
        )
    if close(X, exp_X[short:], tol):
        if not close(y, exp_y[short:], tol):
            diagnose_targets(X, y, values, n, tol, first=short)
        raise Mistake(
            (
                "The first window is missing"
                if short == 1
                else f"The first {short} windows are missing"
            )
            + f": you have {len(X)} samples, a window of {n} leaves {N}.",
            "Start at the very first day: the first row is `series[0 : window]`.",
        )
    for step in range(2, n + 2):
        if close(X, exp_X[::step], tol):
            raise Mistake(
                f"Your windows jump {step} days at a time, so you get {len(X)} samples "
                f"instead of {N}.",
                "Slide the window one day at a time: overlapping windows are fine and give "
                "the model many more examples.",
            )


def _diagnose_order(X, y, exp_X, exp_y, tol, shuffle_ok) -> str | None:
    """The right rows in another order: "shuffled" when allowed, else a Mistake naming it."""
    if same_rows_any_order(X, exp_X, tol):
        if shuffle_ok and same_rows_any_order(
            np.column_stack([X, y]), np.column_stack([exp_X, exp_y]), tol
        ):
            return "shuffled"
        raise Mistake(
            "The windows are right but not in time order (shuffled).",
            "Keep the samples in the order of the series: the first row starts on the first "
            "day. Shuffling a time series before splitting it mixes future days into training "
            "and makes the test error look better than it will be.",
        )
    if close(X[:, ::-1], exp_X, tol):
        raise Mistake(
            "Each window runs backwards: newest value first.",
            "Keep the oldest value in the first column and the newest in the last, the order "
            "`make_windows` and the models of the course use. With `shift`, list the columns "
            "from the largest shift to the smallest.",
        )
    return None


def _check_not_transformed(X, exp_X, units) -> None:
    """Raise a Mistake when X is a linear transform (a scaling) of the true windows."""
    if X.shape != exp_X.shape:
        return
    slope, intercept = np.polyfit(exp_X.ravel(), X.ravel(), 1)
    if close(X, slope * exp_X + intercept, 1e-6 * max(1.0, abs(intercept))) and not (
        abs(slope - 1) < 1e-9 and abs(intercept) < 1e-9
    ):
        raise Mistake(
            f"X holds the right windows but transformed (scaled) values, not {units}.",
            f"This task compares with the series in {units}: make the windows from the "
            "values themselves.",
        )


def diagnose_windows(X, y, values, n, *, tol, shuffle_ok=False, units="births"):
    """Raise a Mistake naming what differs between (X, y) and the windows of ``values``.

    Returns None for the windows in time order, or "shuffled" for the right (window, target)
    pairs in another order when ``shuffle_ok``.
    """
    exp_X, exp_y = make_windows(values, n)  # (N, n), (N,)
    N = len(exp_X)
    _check_target_not_in_inputs(X, y, n, tol)
    if close(X, exp_X, tol):
        if close(y, exp_y, tol):
            return None
        diagnose_targets(X, y, values, n, tol)
    if len(X) < N:
        _diagnose_fewer(X, y, values, n, exp_X, exp_y, tol)
    if len(X) > N:
        raise Mistake(
            f"You have {len(X)} samples, but only {N} windows of {n} fit in {len(values)} "
            "values with a target after each.",
            "Windows that run past the end are padded or wrap around; stop at the last window "
            f"that still has a target: {window_fix(n)}",
        )
    order = _diagnose_order(X, y, exp_X, exp_y, tol, shuffle_ok)
    if order:
        return order
    _check_not_transformed(X, exp_X, units)
    raise Mistake(
        f"The rows of X are not consecutive windows of the series ({units}).",
        f"The first window should be {fmt(exp_X[0])} -> {exp_y[0]:g}; your first row is "
        f"{fmt(X[0])}. {window_fix(n)}",
    )
