"""Is one forecast really better than another, or is the gap inside day-to-day noise?

Two forecasts of the same days are compared *paired*: each resample of days scores both on the
same days, so what the days have in common (a hard week, a calm one) cancels. The days are
resampled in blocks of consecutive days (a moving-block bootstrap, Künsch 1989), because a
forecast's errors on neighbouring days are alike; resampling single days would pretend there is
more evidence than there is. The interval is the middle ``level`` of the resampled differences.

>>> result = compare_forecasts(actual, mlp, ridge, names=("ridge + MLP", "ridge"))
>>> print(result)  # ... RMSE ..., gain +0.37, 95% interval [-0.02, +0.72] (...): a tie

The difference is always *reference minus forecast*, so a positive number means the forecast's
error is lower. An interval that covers 0 is a tie, whatever the seed spread says: a model that
gives the same forecast for every seed has no spread at all, yet can still be lucky on these days.
:func:`bootstrap_difference` does the same for any score built from per-unit numbers, e.g. OWA
over the series of a competition (``block=1``: series are not neighbours in time).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "Comparison",
    "block_bootstrap_indices",
    "bootstrap_difference",
    "compare_forecasts",
    "comparison_table",
]

MEASURES = {"rmse": "RMSE", "mae": "MAE"}


@dataclass(frozen=True)
class Comparison:
    """A paired comparison of two forecasts' scores, with a bootstrap interval on the gap.

    ``difference`` is ``reference_score - score`` (positive: the forecast's error is lower);
    ``low`` and ``high`` bound it at ``level``. ``verdict`` is ``"better"``, ``"worse"`` or
    ``"tie"`` (the interval covers 0).
    """

    name: str
    reference: str
    measure: str
    score: float
    reference_score: float
    difference: float
    low: float
    high: float
    level: float
    block: int
    units: int
    unit: str = "days"

    @property
    def verdict(self) -> str:
        """``"better"`` if the whole interval is above 0, ``"worse"`` if below, else ``"tie"``."""
        if self.low > 0:
            return "better"
        if self.high < 0:
            return "worse"
        return "tie"

    def as_row(self) -> dict:
        """The comparison as one row of a table."""
        return {
            self.measure: self.score,
            f"{self.reference} {self.measure}": self.reference_score,
            "gain": self.difference,
            f"{self.level:.0%} low": self.low,
            f"{self.level:.0%} high": self.high,
            "verdict": self.verdict,
        }

    def __str__(self) -> str:
        if self.block > 1:
            how = f"moving-block bootstrap over {self.units} {self.unit}, blocks of {self.block}"
        else:
            how = f"bootstrap over {self.units} {self.unit}"
        verdict = {"better": "better", "worse": "worse", "tie": "a tie"}[self.verdict]
        return (
            f"{self.name} vs {self.reference}: {self.measure} {self.score:.2f} vs "
            f"{self.reference_score:.2f}, gain {self.difference:+.2f}, {self.level:.0%} interval "
            f"[{self.low:+.2f}, {self.high:+.2f}] (paired {how}): {verdict}"
        )


def block_bootstrap_indices(n_units: int, block: int, n_boot: int, seed: int = 0) -> np.ndarray:
    """Resampled unit positions, ``(n_boot, n_units)``: runs of ``block`` consecutive units.

    Each row joins ``ceil(n_units / block)`` runs that start at random positions (any start
    that leaves a whole run inside the data) and is cut to ``n_units``. ``block=1`` is the
    ordinary bootstrap.
    """
    n_units, block, n_boot = int(n_units), int(block), int(n_boot)
    if n_units < 2:
        raise ValueError(f"A bootstrap needs at least 2 units to resample, got {n_units}.")
    if not 1 <= block <= n_units:
        raise ValueError(f"The block length must be from 1 to {n_units} (the units), got {block}.")
    if n_boot < 1:
        raise ValueError(f"n_boot must be at least 1, got {n_boot}.")
    rng = np.random.default_rng(seed)
    runs = -(-n_units // block)  # ceil
    starts = rng.integers(0, n_units - block + 1, size=(n_boot, runs))  # (n_boot, runs)
    positions = starts[:, :, None] + np.arange(block)  # (n_boot, runs, block)
    return positions.reshape(n_boot, runs * block)[:, :n_units]  # (n_boot, n_units)


def bootstrap_difference(
    statistic: Callable[[np.ndarray], tuple],
    n_units: int,
    *,
    block: int = 7,
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int = 0,
) -> tuple[float, float, float, float, float]:
    """Point scores and a bootstrap interval for ``reference - forecast``.

    ``statistic(positions)`` takes an integer array whose last axis lists units (any leading
    axes are resamples) and returns ``(forecast_score, reference_score)``, each an array of the
    leading shape. Returns ``(score, reference_score, difference, low, high)``.
    """
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1 (e.g. 0.95), got {level}.")
    score, reference = (float(v) for v in statistic(np.arange(n_units)))
    positions = block_bootstrap_indices(n_units, block, n_boot, seed)
    resampled, resampled_reference = statistic(positions)
    gaps = np.asarray(resampled_reference, dtype=float) - np.asarray(resampled, dtype=float)
    tail = (1 - level) / 2
    low, high = np.quantile(gaps, [tail, 1 - tail])
    return score, reference, reference - score, float(low), float(high)


def _per_unit(actual, forecast, what: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per-unit sums of squared and absolute errors and counts, over the observed values."""
    actual = np.asarray(actual, dtype=float)
    forecast = np.asarray(forecast, dtype=float)
    if forecast.shape != actual.shape:
        raise ValueError(
            f"The {what} has shape {forecast.shape} but the actual values {actual.shape}: give "
            "one row per day (the unit resampled) and the same columns (e.g. hours ahead)."
        )
    if np.isnan(forecast).any():
        raise ValueError(f"The {what} contains NaN; every forecast must be a number.")
    observed = ~np.isnan(actual)
    error = np.where(observed, forecast - np.nan_to_num(actual), 0.0)
    axes = tuple(range(1, actual.ndim))
    return (error**2).sum(axis=axes), np.abs(error).sum(axis=axes), observed.sum(axis=axes)


def compare_forecasts(
    actual,
    forecast,
    reference,
    *,
    measure: str = "rmse",
    names: tuple[str, str] = ("forecast", "reference"),
    block: int = 7,
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int = 0,
    unit: str = "days",
) -> Comparison:
    """Compare two forecasts of the same days by RMSE or MAE, with a moving-block interval.

    ``actual``, ``forecast`` and ``reference`` share one shape: ``(days,)`` or ``(days, ...)``
    (e.g. ``(days, hours ahead)``); NaN in ``actual`` marks a value not observed, left out of
    both scores. Days are resampled in runs of ``block`` consecutive days, ``n_boot`` times.
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {sorted(MEASURES)}, got {measure!r}.")
    sq, ab, count = _per_unit(actual, forecast, "forecast")
    sq_ref, ab_ref, _ = _per_unit(actual, reference, "reference")
    if count.sum() == 0:
        raise ValueError("No actual value is observed: there is nothing to score.")
    errors, errors_ref = (sq, sq_ref) if measure == "rmse" else (ab, ab_ref)

    def statistic(positions):
        n = count[positions].sum(axis=-1)
        mean, mean_ref = errors[positions].sum(axis=-1) / n, errors_ref[positions].sum(axis=-1) / n
        return (np.sqrt(mean), np.sqrt(mean_ref)) if measure == "rmse" else (mean, mean_ref)

    numbers = bootstrap_difference(
        statistic, len(count), block=block, n_boot=n_boot, level=level, seed=seed
    )
    return Comparison(
        names[0], names[1], MEASURES[measure], *numbers, level, int(block), len(count), unit
    )


def comparison_table(actual, forecasts: dict, reference: str, **options) -> pd.DataFrame:
    """Every forecast of ``forecasts`` (name -> array) against ``forecasts[reference]``, one row
    each (:meth:`Comparison.as_row`), the reference's own row left out.

    ``options`` are those of :func:`compare_forecasts` (``measure``, ``block``, ``level``, ...);
    every row resamples the same days, so the rows can be read side by side.
    """
    if reference not in forecasts:
        raise ValueError(
            f"The reference {reference!r} is not one of the forecasts: {list(forecasts)}."
        )
    rows = {
        name: compare_forecasts(
            actual, forecast, forecasts[reference], names=(name, reference), **options
        ).as_row()
        for name, forecast in forecasts.items()
        if name != reference
    }
    return pd.DataFrame.from_dict(rows, orient="index")
