"""M4 Hourly as arrays: 414 series in one padded table, and the split the lesson validates on.

The training file holds one series a row, 700 or 960 hours long, padded with empty cells after
its end; the test file the 48 hours that follow each one. :class:`Panel` keeps the series as
one ``(series, hours)`` float array, NaN after each series' length, with the lengths beside it.

The protocol (fixed by the lesson, as N-BEATS did on M4): the last :data:`HORIZON` hours of each
training series are held out as **validation**; every setting is chosen on them with models
trained on the hours before. The test file is read only by :func:`load_test`, which the
validation code never calls.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..data import load_frame

__all__ = [
    "HORIZON",
    "PERIOD",
    "Panel",
    "load_m4_hourly",
    "load_test",
    "validation_split",
]

HORIZON = 48  # hours forecast from each series' end (M4 Hourly's horizon)
PERIOD = 24  # hours in a season: the daily cycle
TRAIN, TEST = "m4-hourly-train", "m4-hourly-test"


@dataclass(frozen=True)
class Panel:
    """Many series of different lengths in one array: ``values[i, :lengths[i]]`` is series ``i``.

    ``values`` is ``(n_series, max_length)`` float64 with NaN after each series' end; ``names``
    the series' names (``H1`` ...).
    """

    values: np.ndarray
    lengths: np.ndarray
    names: tuple[str, ...]

    def __post_init__(self):
        values, lengths = np.asarray(self.values), np.asarray(self.lengths)
        if values.ndim != 2 or lengths.shape != (len(values),) or len(self.names) != len(values):
            raise ValueError(
                f"A Panel needs values (series, hours), one length and one name per series; got "
                f"values {values.shape}, lengths {lengths.shape}, {len(self.names)} names."
            )
        if (lengths < 1).any() or (lengths > values.shape[1]).any():
            raise ValueError("Every length must be between 1 and the width of values.")

    def __len__(self) -> int:
        return len(self.values)

    def series(self, i: int) -> np.ndarray:
        """The observed hours of series ``i``, without padding: ``(lengths[i],)``."""
        return self.values[i, : self.lengths[i]]

    def last(self, hours: int) -> np.ndarray:
        """The last ``hours`` of every series, side by side: ``(n_series, hours)``."""
        ends = self.lengths[:, None] - hours + np.arange(hours)  # (n_series, hours)
        if (ends < 0).any():
            raise ValueError(f"Some series are shorter than {hours} hours.")
        return np.take_along_axis(self.values, ends, axis=1)

    def head(self, drop: int) -> Panel:
        """The same series without their last ``drop`` hours (the padding grows to match)."""
        lengths = self.lengths - drop
        if (lengths < 1).any():
            raise ValueError(f"Dropping {drop} hours would leave a series empty.")
        values = self.values.copy()
        values[np.arange(values.shape[1]) >= lengths[:, None]] = np.nan
        return Panel(values, lengths, self.names)


def load_m4_hourly(**fetch_kwargs) -> Panel:
    """The 414 training series of M4 Hourly (downloaded and verified on first use)."""
    frame = load_frame(TRAIN, **fetch_kwargs)
    values = frame.to_numpy(dtype=float)
    lengths = np.isfinite(values).sum(axis=1)
    if not all(np.isfinite(v[:n]).all() for v, n in zip(values, lengths)):
        raise ValueError(f"{TRAIN}: a series has a gap before its end; the file is not M4's.")
    return Panel(values, lengths, tuple(frame.index))


def load_test(panel: Panel, **fetch_kwargs) -> np.ndarray:
    """The 48 test hours after each series of ``panel``: ``(n_series, 48)``. Score them once."""
    frame = load_frame(TEST, **fetch_kwargs)
    if tuple(frame.index) != panel.names:
        raise ValueError("The test file's series are not the training file's, in the same order.")
    return frame.to_numpy(dtype=float)


def validation_split(panel: Panel, horizon: int = HORIZON) -> tuple[Panel, np.ndarray]:
    """``(history, targets)``: each series without its last ``horizon`` hours, and those hours.

    Models chosen on validation see only ``history``; ``targets`` is ``(n_series, horizon)``.
    """
    return panel.head(horizon), panel.last(horizon)
