"""Lessons 4-7: the learner shapes what a sequence model reads (and, in lesson 7, its targets).

Each shaping task has one right array, made here from the scaled training days with the course's
own windowing, and a few wrong ones that a known mistake gives: the flat windows, the axes
swapped, the days reversed, subsequences of the wrong length or in the wrong order, targets that
overlap the window or skip a day, windows that stop early or reach into the test days, values in
births instead of scaled units. :func:`name_array` compares the learner's array with the right
one and, when they differ, with each :class:`Lookalike` in turn, so the message names the
mistake; an array that matches none is described by its shape and order.

:class:`ShapingExercise` is the base of the four tasks (declared in ``lesson4`` ... ``lesson7``):
it knows the lesson's training task (window, horizon, scaled windows) from the model registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..evaluation import N_TEST, ForecastTask
from ..models import lesson_model
from .core import Exercise, Mistake
from .diagnose import close, numeric, same_rows_any_order

__all__ = [
    "TOL",
    "Lookalike",
    "ShapingExercise",
    "name_array",
    "read_array",
    "windows_lookalikes",
]

TOL = 1e-5  # scaled units: closer than this is the same value (float32 rounding included)


@dataclass(frozen=True)
class Lookalike:
    """An array a known mistake gives, and what to say when the learner's array equals it."""

    array: np.ndarray
    title: str
    fix: str


def _cap(what: str) -> str:
    """``what`` with a capital first letter, to start a message (a `name` stays as it is)."""
    return what[:1].upper() + what[1:]


def read_array(value, what: str) -> np.ndarray:
    """``value`` (an array, a list, a tensor) as floats, or a Mistake that says what it is."""
    if hasattr(value, "element_spec"):  # a tf.data.Dataset, e.g. from timeseries_dataset_...
        raise Mistake(
            f"{_cap(what)} is a dataset of batches, not an array.",
            "Take the arrays out of it: with `batch_size` at least the number of windows the "
            "dataset holds one batch, and `X, y = next(iter(dataset))` gives its two arrays.",
        )
    return numeric(value, what.strip("`"))


def name_array(
    value,
    what: str,
    expected: np.ndarray,
    lookalikes,
    fix: str,
    *,
    longer: np.ndarray | None = None,
    missing: str = "",
) -> np.ndarray:
    """The learner's array if it equals ``expected``; else raise the mistake it shows.

    ``lookalikes`` are tried in order. An array of the right samples that stops early is named
    (``missing`` says why samples go missing), and so is one that goes on into the test days,
    when ``longer`` holds the same samples continued over every day. Anything else gets a
    message about its shape, or about its rows when they are the right ones in another order;
    ``fix`` says how to make the right array.
    """
    array = read_array(value, what)
    if close(array, expected, TOL):
        return array
    for look in lookalikes:
        if close(array, look.array, TOL):
            raise Mistake(look.title, look.fix)
    _check_count(array, what, expected, longer, missing)
    if array.shape != expected.shape:
        raise Mistake(
            f"{_cap(what)} has shape {array.shape}; the lesson needs {expected.shape}.", fix
        )
    rows, right = array.reshape(len(array), -1), expected.reshape(len(expected), -1)
    if same_rows_any_order(rows, right, TOL):
        raise Mistake(
            f"{_cap(what)} holds the right samples, but not in time order.",
            "Keep the samples in the order of their days (no shuffling here): the validation "
            "split takes the most recent ones from the end.",
        )
    raise Mistake(
        f"{_cap(what)} has the right shape, {array.shape}, but not the right values.", fix
    )


def _check_count(array, what: str, expected, longer, missing: str) -> None:
    """Raise a mistake when ``array`` is the right samples, stopped early or continued."""
    n, m = len(expected), len(array)
    if array.shape[1:] != expected.shape[1:] or m == n:
        return
    if m < n and close(array, expected[:m], TOL):
        raise Mistake(
            f"{_cap(what)} holds only the first {m} of the {n} samples the training days make: the "
            f"last {n - m} are missing.",
            missing or "Make the samples from every training day.",
        )
    if longer is not None and n < m <= len(longer) and close(array, longer[:m], TOL):
        raise Mistake(
            f"{_cap(what)} goes on into the test days: it has {m} samples, {m - n} more than the "
            "training days make.",
            f"Make the samples from the training days only; the last {N_TEST} days are the "
            "test set, read once at the end.",
        )


def windows_lookalikes(right: np.ndarray, scaler, what: str, flat_fix: str = "") -> list[Lookalike]:
    """Mistakes in giving windows ``(samples, window)`` the feature axis, as arrays.

    ``right`` is ``(samples, window, 1)``; the lookalikes are the flat windows (``flat_fix``
    says how to add the axis where the task makes the windows another way), the axes swapped,
    the samples on the second axis, the days reversed and the windows in births rather than
    scaled units.
    """
    flat = right[..., 0]
    samples, window = flat.shape
    return [
        Lookalike(
            flat,
            f"{_cap(what)} is still flat, {flat.shape}: one row of {window} numbers per sample.",
            "Conv1D and LSTM layers read each sample as a sequence shaped (timesteps, "
            "features). Here each day is a time step with one feature: "
            + (flat_fix or f"add a last axis of length 1, giving ({samples}, {window}, 1)."),
        ),
        Lookalike(
            flat[:, np.newaxis, :],
            f"{_cap(what)} has shape ({samples}, 1, {window}): each sample is one time step with "
            f"{window} features.",
            "A Conv1D or an LSTM would see a single step: nothing to slide along, nothing to "
            f"read in order. The days are the time steps: ({samples}, {window}, 1).",
        ),
        Lookalike(
            right.transpose(1, 0, 2),
            f"{_cap(what)} has shape ({window}, {samples}, 1): the samples are on the second axis.",
            "Keras reads the first axis as the samples (one window each), then the time steps, "
            f"then the features: ({samples}, {window}, 1).",
        ),
        Lookalike(
            right[:, ::-1],
            f"{_cap(what)} has the right shape, but each window's days run backwards: the most "
            "recent day comes first.",
            "Keep the days in time order, oldest first, as the windows have them: the layer "
            "reads the last step as the most recent day.",
        ),
        Lookalike(
            scaler.inverse_transform(right),
            f"{_cap(what)} is in births, not in scaled units.",
            "The model trains on values standardised with the training days' statistics: "
            "start from the scaled windows (`task.X_train`, or the scaled days `values`).",
        ),
    ]


class ShapingExercise(Exercise):
    """A lesson's shaping task: its training windows come from the model registry's defaults.

    ``lesson`` picks the model (:func:`course_helpers.models.lesson_model`); :attr:`task` is the
    births task for its window and horizon, built once.
    """

    def __init__(self, lesson: int):
        super().__init__()
        self.spec = lesson_model(lesson)

    @cached_property
    def task(self) -> ForecastTask:
        """The births task with the lesson's window and horizon."""
        return ForecastTask(self.spec.defaults.window, horizon=self.spec.output_steps())

    def windows_over_all_days(self) -> np.ndarray:
        """The scaled windows made from every day, test days included: ``(samples, window)``."""
        from ..windowing import make_windows

        values = self.task.scaler.transform(self.task.series)
        return make_windows(values, self.task.window, self.task.horizon)[0]
