"""Small panels for lesson 9's tests, in which every value says where it sits."""

import numpy as np

from course_helpers.global_models.data import Panel


def position_panel(lengths=(60, 90, 75)):
    """Series ``i`` holds ``1000 * (i + 1) + t`` at hour ``t``: a value names its place."""
    width = max(lengths)
    values = np.full((len(lengths), width), np.nan)
    for i, n in enumerate(lengths):
        values[i, :n] = 1000 * (i + 1) + np.arange(n)
    return Panel(values, np.array(lengths), tuple(f"S{i}" for i in range(len(lengths))))


def place(values):
    """Invert :func:`position_panel`: (series, hour) of each value."""
    values = np.rint(np.asarray(values)).astype(int)
    return values // 1000 - 1, values % 1000


def daily_panel(n_series=6, hours=24 * 30):
    """Series with a daily cycle of different levels and amplitudes, and a little noise."""
    rng = np.random.default_rng(0)
    t = np.arange(hours)
    values = np.array(
        [
            (50 + 40 * i)
            * (1 + (0.2 + 0.05 * i) * np.sin(2 * np.pi * t / 24))
            * rng.uniform(0.97, 1.03, hours)
            for i in range(n_series)
        ]
    )
    return Panel(values, np.full(n_series, hours), tuple(f"S{i}" for i in range(n_series)))
