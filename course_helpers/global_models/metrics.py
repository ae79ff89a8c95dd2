"""The M4 competition's measures and statistical benchmarks, as its organisers' R code defines them.

The reference is ``Benchmarks and Evaluation.R`` in the public repository Mcompetitions/M4-methods:

* **sMAPE**: ``200 |y - f| / (|y| + |f|)`` at every hour, averaged over hours and series (percent);
* **MASE**: ``|y - f|`` divided by the series' in-sample mean absolute seasonal difference
  (lag 24 for hourly data), averaged over hours and series;
* **OWA**: the mean of sMAPE and MASE, each divided by Naive2's on the same hours;
* **Naive** repeats the last value; **seasonal naive** the last 24 hours; **Naive2** repeats the
  last value of the series divided by its seasonal indices (classical multiplicative
  decomposition) and multiplies the indices back in, for series whose lag-24 autocorrelation
  passes a 90% test; the others get plain Naive.

Every function takes the history as a :class:`~.data.Panel` and forecasts as ``(series, horizon)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .data import HORIZON, PERIOD, Panel

__all__ = [
    "Score",
    "benchmarks",
    "mase_scale",
    "naive",
    "owa_difference",
    "naive2",
    "score",
    "seasonal_indices",
    "seasonal_naive",
    "seasonality_test",
    "smape",
]

T_CRIT = 1.645  # the one-sided 95% (two-sided 90%) normal quantile of the seasonality test


def smape(actual, forecast) -> np.ndarray:
    """sMAPE at each point, in percent: ``200 |y - f| / (|y| + |f|)`` (same shape as the inputs)."""
    actual, forecast = np.asarray(actual, dtype=float), np.asarray(forecast, dtype=float)
    return 200 * np.abs(actual - forecast) / (np.abs(actual) + np.abs(forecast))


def mase_scale(panel: Panel, period: int = PERIOD) -> np.ndarray:
    """Each series' in-sample mean absolute difference at lag ``period``: ``(n_series,)``."""
    diffs = np.abs(panel.values[:, period:] - panel.values[:, :-period])  # NaN past each end
    return np.nanmean(diffs, axis=1)


def _acf(x: np.ndarray, lags: int) -> np.ndarray:
    """Autocorrelations at lags 1..``lags`` as R's ``acf`` computes them (divided by n)."""
    centred = x - x.mean()
    denominator = centred @ centred
    return np.array([centred[:-k] @ centred[k:] / denominator for k in range(1, lags + 1)])


def seasonality_test(x, period: int = PERIOD) -> bool:
    """M4's test: is the autocorrelation at lag ``period`` beyond its 90% limit?

    The limit is ``1.645 / sqrt(n) * sqrt(1 + 2 * sum of the squared autocorrelations at lags
    1 .. period - 1)`` (Bartlett's formula). Series shorter than three seasons are not seasonal,
    nor are those whose ``period`` lies beyond R's default number of lags, ``10 log10(n)``.
    """
    x = np.asarray(x, dtype=float)
    n = len(x)
    if n < 3 * period or period > int(np.floor(10 * np.log10(n))):
        return False
    r = _acf(x, period)
    limit = T_CRIT / np.sqrt(n) * np.sqrt(1 + 2 * np.sum(r[:-1] ** 2))
    return bool(abs(r[-1]) > limit)


def seasonal_indices(x, period: int = PERIOD) -> np.ndarray:
    """Classical multiplicative decomposition's seasonal indices (R's ``decompose``): ``(period,)``.

    The trend is a centred moving average over one season (a 2 x ``period`` average for an even
    period); index ``j`` is the mean of ``x / trend`` at positions ``j, j + period, ...``,
    and the indices are scaled to average 1. Position 0 is the series' first value.
    """
    x = np.asarray(x, dtype=float)
    if len(x) < 2 * period:
        raise ValueError(f"A decomposition needs two seasons ({2 * period} values), not {len(x)}.")
    weights = np.ones(period + 1 - period % 2) / period
    if period % 2 == 0:
        weights[[0, -1]] = 0.5 / period
    half = len(weights) // 2
    trend = np.full(len(x), np.nan)
    trend[half : len(x) - half] = np.convolve(x, weights, mode="valid")
    ratio = x / trend
    figure = np.array([np.nanmean(ratio[j::period]) for j in range(period)])
    return figure / figure.mean()


def naive(panel: Panel, horizon: int = HORIZON) -> np.ndarray:
    """The last value of each series, repeated: ``(n_series, horizon)``."""
    return np.repeat(panel.last(1), horizon, axis=1)


def seasonal_naive(panel: Panel, horizon: int = HORIZON, period: int = PERIOD) -> np.ndarray:
    """The last ``period`` values of each series, repeated: ``(n_series, horizon)``."""
    return np.tile(panel.last(period), int(np.ceil(horizon / period)))[:, :horizon]


def naive2(panel: Panel, horizon: int = HORIZON, period: int = PERIOD) -> np.ndarray:
    """Naive on the seasonally adjusted series, seasonality put back: ``(n_series, horizon)``.

    Only series that pass :func:`seasonality_test` are adjusted; the others get plain naive.
    """
    forecasts = naive(panel, horizon)
    for i in range(len(panel)):
        x = panel.series(i)
        if seasonality_test(x, period):
            figure = seasonal_indices(x, period)
            n = len(x)
            ahead = figure[(n + np.arange(horizon)) % period]  # the indices of the next hours
            forecasts[i] = x[-1] / figure[(n - 1) % period] * ahead
    return forecasts


@dataclass(frozen=True)
class Score:
    """sMAPE (percent) and MASE of a forecast, each ``(n_series, horizon)`` point by point.

    ``owa`` is set when a Naive2 score on the same hours was given to :func:`score`.
    """

    smape_points: np.ndarray
    mase_points: np.ndarray
    owa: float | None = None

    @property
    def smape(self) -> float:
        """sMAPE over every hour of every series (percent)."""
        return float(self.smape_points.mean())

    @property
    def mase(self) -> float:
        """MASE over every hour of every series."""
        return float(self.mase_points.mean())

    def by_horizon(self) -> dict[str, np.ndarray]:
        """sMAPE and MASE at each hour ahead, 1 to ``horizon``: two ``(horizon,)`` arrays."""
        return {"smape": self.smape_points.mean(axis=0), "mase": self.mase_points.mean(axis=0)}

    def by_series(self) -> dict[str, np.ndarray]:
        """sMAPE and MASE of each series over its hours: two ``(n_series,)`` arrays."""
        return {"smape": self.smape_points.mean(axis=1), "mase": self.mase_points.mean(axis=1)}

    def row(self) -> dict[str, float]:
        """``{"sMAPE": ..., "MASE": ..., "OWA": ...}`` for a table (OWA only when known)."""
        row = {"sMAPE": self.smape, "MASE": self.mase}
        return row if self.owa is None else {**row, "OWA": self.owa}

    def __str__(self) -> str:
        text = f"sMAPE {self.smape:.3f}, MASE {self.mase:.3f}"
        return text if self.owa is None else f"{text}, OWA {self.owa:.3f}"


def score(
    history: Panel, actual, forecast, naive2_score: Score | None = None, period: int = PERIOD
) -> Score:
    """Score ``forecast`` against ``actual`` (both ``(n_series, horizon)``) as M4 does.

    ``history`` gives each series' MASE scale (the hours before the forecast, at lag
    ``period``). With ``naive2_score`` (the score of :func:`naive2` on the same hours) the OWA is
    filled in.
    """
    actual, forecast = np.asarray(actual, dtype=float), np.asarray(forecast, dtype=float)
    if actual.shape != forecast.shape or actual.shape[0] != len(history):
        raise ValueError(
            f"actual {actual.shape} and forecast {forecast.shape} must both be (series, hours) "
            f"with one row per series of the history ({len(history)})."
        )
    if not np.isfinite(forecast).all():
        raise ValueError("The forecast holds NaN or infinite values; M4 scores only numbers.")
    scale = mase_scale(history, period)[:, None]  # (n_series, 1)
    points = smape(actual, forecast), np.abs(actual - forecast) / scale
    owa = None
    if naive2_score is not None:
        owa = (points[0].mean() / naive2_score.smape + points[1].mean() / naive2_score.mase) / 2
    return Score(*points, owa=None if owa is None else float(owa))


def benchmarks(history: Panel, actual, horizon: int = HORIZON) -> dict[str, Score]:
    """Naive, seasonal naive and Naive2 scored on ``actual``, OWA relative to Naive2."""
    reference = score(history, actual, naive2(history, horizon))
    forecasts = {
        "Naive": naive(history, horizon),
        "seasonal naive": seasonal_naive(history, horizon),
        "Naive2": naive2(history, horizon),
    }
    return {name: score(history, actual, f, reference) for name, f in forecasts.items()}


def owa_difference(a: Score, b: Score, naive2_score: Score, draws: int = 2000, seed: int = 0):
    """OWA of ``a`` minus OWA of ``b`` on the same hours, with a 95% interval over series.

    The interval resamples the series with replacement (a bootstrap: the series are the units
    M4 draws conclusions over) and recomputes both OWAs, Naive2's means included, on each
    draw. Returns ``(difference, low, high)``; an interval that excludes 0 says the difference
    is larger than what the choice of series alone would produce.
    """
    per_series = [(s.smape_points.mean(axis=1), s.mase_points.mean(axis=1)) for s in (a, b)]
    reference = naive2_score.smape_points.mean(axis=1), naive2_score.mase_points.mean(axis=1)

    def owa(pick):
        ref = [r[pick].mean(axis=-1) for r in reference]
        return [
            (sm[pick].mean(-1) / ref[0] + ms[pick].mean(-1) / ref[1]) / 2 for sm, ms in per_series
        ]

    everything = np.arange(len(reference[0]))
    first, second = owa(everything)
    picks = np.random.default_rng(seed).integers(0, len(everything), (draws, len(everything)))
    drawn = np.subtract(*owa(picks))  # (draws,)
    low, high = np.percentile(drawn, [2.5, 97.5])
    return float(first - second), float(low), float(high)
