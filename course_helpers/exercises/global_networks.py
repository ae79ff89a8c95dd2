"""Judging a learner's global network on M4 Hourly's validation hours (lesson 9's task).

The learner writes ``build_model(window)``; the check trains it itself, so the validation hours
cannot be used: over three seeds, with the lesson's sampling loop (:func:`.global_models.train`)
on the windows of the **history** (each series without its last 48 hours), then forecasts the 48
validation hours from the end of the history and scores them as M4 does. These steps name what
can go wrong by what the network does:

* before training, on real windows: an output that cannot reach the targets
  (:func:`check_output_reach`), a forecast that ignores the window or that no weight reaches,
  i.e. a per-series naive forecast computed inside the model (:func:`check_weights_reach`);
* after training: a diverged fit (:func:`check_fit`), forecasts that are a per-series naive
  forecast in disguise (:func:`check_not_naive`), forecasts too close to the validation hours
  to be honest (:func:`check_not_too_close`);
* the verdict: every seed's validation OWA below seasonal naive's (the check stops at the first
  seed that is not), and the median of the seeds' forecasts ahead of seasonal naive beyond the
  noise of which series M4 drew (an interval over series, :func:`.global_models.owa_difference`).
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache

import keras
import numpy as np
import tensorflow as tf

from .. import global_models as gm
from .behaviour import output_range
from .core import Mistake
from .networks import build_learner_model

__all__ = [
    "PROTOCOL",
    "SEEDS",
    "WINDOW",
    "GlobalJudgement",
    "M4Validation",
    "check_fit",
    "check_not_naive",
    "check_not_too_close",
    "check_output_reach",
    "check_weights_reach",
    "judge_global",
    "m4_validation",
    "perturbed_weights",
]

SEEDS = (0, 1, 2)
WINDOW = 168  # the lesson's input length: a week of hours
# Each seed's training. The loss is both of OWA's measures: with sMAPE alone, small networks with
# smooth activations (64 tanh or ELU units) lowered sMAPE but raised MASE above seasonal naive's.
PROTOCOL = dict(epochs=1, batch_size=256, learning_rate=3e-3, loss="sMAPE + MASE")
SAME = 0.01  # forecasts within 1% of a naive forecast, on average, are that forecast
TOO_GOOD = 0.25  # a validation OWA below this: far beyond every published M4 Hourly result


@dataclass(frozen=True)
class M4Validation:
    """What the check reads: the history, the validation hours and the forecasts it compares.

    ``naive`` maps a description to a per-series naive forecast of the validation hours
    ``(414, 48)``; ``held_out`` the hours no builder may read (the validation hours, and the test
    hours, read here only to look for them).
    """

    history: gm.Panel
    actual: np.ndarray
    windows: gm.Windows
    reference: gm.Score
    seasonal_naive: gm.Score
    naive: dict
    held_out: dict
    zero_loss: float  # the training loss of forecasting each window's level (an output of 0)


def naive_forecasts(history: gm.Panel, window: int = WINDOW) -> dict[str, np.ndarray]:
    """Per-series forecasts of the 48 hours after ``history`` that no network is needed for."""
    horizon = gm.HORIZON
    last_day = history.last(gm.PERIOD)
    return {
        "seasonal naive (the last 24 hours, repeated)": gm.seasonal_naive(history),
        "naive (the last hour, repeated)": gm.naive(history),
        "Naive2": gm.naive2(history),
        "the last 48 hours, repeated": history.last(horizon),
        "the same hours a week before": history.last(7 * gm.PERIOD)[:, :horizon],
        "the mean of the last 24 hours (each window's level), repeated": np.repeat(
            last_day.mean(axis=1, keepdims=True), horizon, axis=1
        ),
        f"the mean of the last {window} hours, repeated": np.repeat(
            history.last(window).mean(axis=1, keepdims=True), horizon, axis=1
        ),
    }


@lru_cache(maxsize=1)
def m4_validation() -> M4Validation:
    """The check's data, built once per kernel."""
    train = gm.load_m4_hourly()
    history, actual = gm.validation_split(train)
    windows = gm.Windows(history, WINDOW, level_hours=gm.PERIOD)
    reference = gm.score(history, actual, gm.naive2(history))
    snaive = gm.score(history, actual, gm.seasonal_naive(history), reference)
    _, y, level, scale = windows.sample(tf.random.Generator.from_seed(2024), 8192)
    zero = float(tf.reduce_mean(gm.LOSSES[PROTOCOL["loss"]](y, tf.zeros_like(y), level, scale)))
    held_out = {"the validation hours": actual, "the test hours": gm.load_test(train)}
    naive = naive_forecasts(history)
    return M4Validation(history, actual, windows, reference, snaive, naive, held_out, zero)


def _forecast(model: keras.Model, data: M4Validation, x: np.ndarray | None = None) -> np.ndarray:
    """The model's forecasts of the validation hours, in the data's units: ``(414, 48)``."""
    inputs, level = data.windows.last_inputs()
    outputs = np.asarray(model(inputs if x is None else x, training=False), dtype=float)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.exp(outputs.reshape(len(inputs), -1)) * level


def _distance(forecast: np.ndarray, other: np.ndarray) -> float:
    """Mean absolute log ratio of two positive forecasts (0.01: 1% apart on average)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        gap = np.abs(np.log(forecast / other))
    return float(np.mean(gap)) if np.isfinite(gap).all() else np.inf


def _closest_naive(forecasts: list[np.ndarray], data: M4Validation) -> tuple[str, float] | None:
    """The naive forecast every one of ``forecasts`` is within :data:`SAME` of, or None."""
    for name, naive in data.naive.items():
        distance = max(_distance(f, naive) for f in forecasts)
        if distance < SAME:
            return name, distance
    return None


def check_output_reach(model: keras.Model, data: M4Validation) -> None:
    """Raise a mistake when the output cannot reach the targets' log ratios (a bounded output)."""
    reach = output_range(model)
    if reach is None:
        return
    low, high = reach
    _, y, _, _ = data.windows.sample(tf.random.Generator.from_seed(7), 4096)
    y = y.numpy().ravel()
    if low <= y.min() and high >= y.max():
        return
    outside = float(np.mean((y < low) | (y > high)))
    span = (
        f"of at least {low:.3g}" if np.isinf(high) else
        f"of at most {high:.3g}" if np.isinf(low) else f"from {low:.3g} to {high:.3g}"
    )  # fmt: skip
    raise Mistake(
        f"This network's output can only take values {span}: as a log ratio to the window's "
        "level, its activation at the end bounds every forecast.",
        f"{outside:.0%} of the training targets lie outside that range (an hour below its "
        "window's level is a negative log ratio), so no amount of training lets it forecast "
        "them. ReLU, sigmoid or tanh belong in the hidden layers.",
        "End with a linear output: `layers.Dense(48)`, no activation.",
    )


@contextmanager
def perturbed_weights(model: keras.Model, seed: int = 0):
    """Inside the block, every trainable weight has noise added; afterwards it is put back."""
    saved = [w.numpy() for w in model.trainable_weights]
    rng = np.random.default_rng(seed)
    try:
        for w, value in zip(model.trainable_weights, saved):
            noise = rng.normal(0, max(float(np.std(value)), 0.1), value.shape)
            w.assign((value + noise).astype(value.dtype))
        yield model
    finally:
        for w, value in zip(model.trainable_weights, saved):
            w.assign(value)


def check_weights_reach(model: keras.Model, data: M4Validation) -> None:
    """Raise a mistake when the forecast ignores the window or no trainable weight reaches it.

    Every trainable weight is perturbed at once (:func:`perturbed_weights`): if the forecasts of
    the validation hours do not move, they are a fixed formula of the window, named when it is a
    per-series naive forecast (seasonal naive, the last hour, the window's level ...). Whether
    the forecast follows the window is asked of the perturbed network, so an output layer that
    starts at zero is no mistake.
    """
    inputs, _ = data.windows.last_inputs()
    shifted = inputs + np.random.default_rng(1).normal(0, 0.3, inputs.shape).astype(inputs.dtype)
    before = _forecast(model, data)
    with perturbed_weights(model):
        after = _forecast(model, data)
        follows_window = _distance(_forecast(model, data, shifted), after) > 1e-5
    if _distance(after, before) <= 1e-5:
        named = _closest_naive([before], data)
        what = f"{named[0]}, in disguise" if named else "a fixed formula of the window"
        raise Mistake(
            f"This model's forecast is {what}: changing every trainable weight leaves every "
            "forecast of the validation hours exactly as it was, so training could not change "
            "it.",
            "The layers that learn are cut off from the output (multiplied by zero, or not "
            "connected to it). A naive forecast computed inside a model is still a naive "
            "forecast: the forecast must come through layers that learn.",
        )
    if not follows_window:
        raise Mistake(
            "This network's forecast does not depend on the window: changing every input hour "
            "leaves every forecast as it was.",
            "Somewhere the input is thrown away or multiplied by zero; each forecast must be "
            "computed from the hours the network reads.",
        )


def check_fit(seed: int, losses: list[float], forecast: np.ndarray, data: M4Validation):
    """Raise a mistake when training diverged with ``seed``.

    Diverged: a training loss that is not a finite number, a forecast that is not, or a last
    loss above that of forecasting each window's level (an output of 0).
    """
    if np.isfinite(losses).all() and np.isfinite(forecast).all() and losses[-1] <= data.zero_loss:
        return
    raise Mistake(
        f"Training diverged with seed {seed}: the training loss ended above that of forecasting "
        f"each window's level ({data.zero_loss:.3f}) or stopped being a finite number.",
        "Outputs that start huge overflow once turned back into the data's units "
        "(`level * exp(output)`): keep the output linear and unscaled, and the layers' initial "
        "weights at Keras' defaults.",
    )


def check_not_naive(forecasts: list[np.ndarray], data: M4Validation) -> None:
    """Raise a mistake when every seed's trained forecasts are one per-series naive forecast."""
    named = _closest_naive(forecasts, data)
    if named is None:
        return
    name, distance = named
    raise Mistake(
        f"After training, these forecasts are {name} in disguise: with every seed they are "
        f"within {distance:.2%} of it on average, over the 414 series and 48 hours.",
        "Whatever the network adds is too small to matter: a naive forecast computed inside a "
        "model is still a naive forecast. Let layers that learn shape the forecast (an output "
        "that is not squashed to a tiny range, no factor that shrinks it).",
    )


def check_not_too_close(score: gm.Score) -> None:
    """Raise a mistake when the validation OWA is beyond anything an honest forecast reaches."""
    if score.owa >= TOO_GOOD:
        return
    best = gm.PUBLISHED["best Hourly entry (Doornik et al.)"]
    raise Mistake(
        f"These forecasts follow the validation hours far too closely: OWA {score.owa:.3f}, "
        f"where the best M4 Hourly entry reached {best.owa:.3f} on the test hours. The network "
        "must have seen the hours it forecasts.",
        "The validation hours (the last 48 of each training series) are what every setting is "
        "chosen by; a builder reads nothing but `window`.",
    )


@dataclass
class GlobalJudgement:
    """A learner's network over seeds on the validation hours, beside seasonal naive."""

    seeds: tuple[int, ...]
    scores: list[gm.Score]  # one per seed
    median: gm.Score  # the median of the seeds' forecasts
    difference: tuple[float, float, float]  # median minus seasonal naive: OWA, low, high
    data: M4Validation
    seconds: float

    def lines(self) -> list[str]:
        """The numbers behind the verdict, one line each."""
        seeds = ", ".join(f"{s.owa:.3f}" for s in self.scores)
        diff, low, high = self.difference
        snaive = self.data.seasonal_naive
        return [
            f"Your network, seeds {', '.join(map(str, self.seeds))}: validation OWA {seeds}; the "
            f"median of their forecasts: {self.median}.",
            f"Seasonal naive on the same hours: {snaive}. The median forecast minus seasonal "
            f"naive: OWA {diff:+.3f}, 95% interval over series [{low:+.3f}, {high:+.3f}].",
            f"Each seed trained {PROTOCOL['epochs']} pass over the "
            f"{len(self.data.windows):,} windows of the history (batch "
            f"{PROTOCOL['batch_size']}, learning rate {PROTOCOL['learning_rate']:g} falling to "
            f"0, loss {PROTOCOL['loss']}) with `gm.train`: no validation hour was a target or "
            "an input.",
        ]


def _train_seed(build, seed: int, data: M4Validation):
    """One seed: a fresh network, trained with the lesson's loop; its losses and forecasts."""
    keras.utils.set_random_seed(seed)
    model = build_learner_model(build, WINDOW)
    try:
        training = gm.train(model, data.windows, seed=seed, **PROTOCOL)
    except Exception as exc:  # noqa: BLE001 (the learner's network: say what failed, no traceback)
        raise Mistake(
            f"Training your network with the lesson's loop failed: {type(exc).__name__}: "
            f"{str(exc).splitlines()[0] if str(exc) else ''}",
            "The loop calls it on batches of windows, `(256, window)`, inside a compiled "
            "function, and compares its `(256, 48)` outputs with the targets.",
        ) from None
    forecast = _forecast(model, data)
    keras.backend.clear_session()
    return training.losses, forecast


def _check_seed_beats_seasonal_naive(seed: int, score: gm.Score, data: M4Validation) -> None:
    """Raise a mistake, with the numbers, when one seed's forecasts lose to seasonal naive.

    The check stops at the first such seed: every seed must beat seasonal naive, so the others
    need not be trained to know the verdict.
    """
    snaive = data.seasonal_naive
    if score.owa < snaive.owa:
        return
    diff, low, high = gm.owa_difference(score, snaive, data.reference)
    raise Mistake(
        f"With seed {seed} your network does no better than seasonal naive on the validation "
        f"hours (OWA {snaive.owa:.3f}).",
        f"Your network, seed {seed}: {score}. Seasonal naive on the same hours: {snaive}. "
        f"Your network minus seasonal naive: OWA {diff:+.3f}, 95% interval over series "
        f"[{low:+.3f}, {high:+.3f}]. The check stopped there: every seed must beat it.",
        "Each seed trains for one pass over the windows: a network that must learn the "
        "daily cycle from nothing needs enough units to do it in that time. Look at its size "
        "and its activations, or start it from seasonal naive (the second hint).",
    )


def judge_global(build, seeds: tuple[int, ...] = SEEDS) -> GlobalJudgement:
    """Train ``build`` over ``seeds``, name what went wrong, and judge it against seasonal naive
    on the validation hours; raise :class:`Mistake` unless it beats it beyond noise.

    A seed that diverges or loses to seasonal naive ends the check at once (after a naive
    forecast in disguise has been ruled out for it); a naive forecast in disguise is named when
    every seed's forecasts are one.
    """
    data = m4_validation()
    started = time.perf_counter()
    forecasts, scores = [], []
    for seed in seeds:
        losses, forecast = _train_seed(build, seed, data)
        check_fit(seed, losses, forecast, data)
        forecasts.append(forecast)
        scores.append(gm.score(data.history, data.actual, forecast, data.reference))
        if _closest_naive([forecast], data) is None:
            check_not_too_close(scores[-1])
            _check_seed_beats_seasonal_naive(seed, scores[-1], data)
    check_not_naive(forecasts, data)
    for seed, score in zip(seeds, scores):  # the seeds that were close to a naive forecast
        _check_seed_beats_seasonal_naive(seed, score, data)
    median = gm.score(data.history, data.actual, np.median(forecasts, axis=0), data.reference)
    check_not_too_close(median)
    difference = gm.owa_difference(median, data.seasonal_naive, data.reference)
    seconds = time.perf_counter() - started
    judgement = GlobalJudgement(seeds, scores, median, difference, data, seconds)
    if difference[2] >= 0:
        raise Mistake(
            "Your network's margin over seasonal naive is inside the noise of which series M4 "
            "drew: the 95% interval of the difference reaches 0.",
            *judgement.lines(),
        )
    return judgement
