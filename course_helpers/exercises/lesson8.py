"""Lesson 8 exercise (``exercises.lesson8.add_to_ridge``): a network that adds to the ridge.

The learner writes ``build_model(window, n_features)``: a compiled Keras network that reads
windows of 24 hours of the 16 inputs and forecasts the next 24 hours of PM2.5 (scaled, as
``task.y_train``). The check builds the network itself, once per seed, and trains it on
2010-2012 only, so nothing the learner fitted elsewhere (on 2013, say) can help it. Before
training it names what is wrong with the model as built (not a network, wrong shapes, not
compiled, nothing trainable, frozen weights fitted beforehand, forecasting well before any
training, linear throughout); after training, a fit whose losses are not finite and an output
that is bounded. Then the bar: the mean forecast of the three seeds, averaged half and half
with the ridge's, must beat the ridge alone on the 365 midnights of 2013, by a paired interval
over the days (``compare_forecasts``, blocks of 7 days) that does not cover 0. The network alone
against the ridge, the best epoch and the seeds' spread are reported beside it, as information.
2014 is never looked at.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import keras
import numpy as np

from ..capstone.baselines import RIDGE_WINDOW, fit_ridge, persistence_24, score
from ..capstone.data import HORIZON, AirQualityTask, shared_task
from ..capstone.trials import predict, train_network
from ..comparison import compare_forecasts
from .behaviour import check_nonlinear, check_trainable
from .core import Exercise, Feedback, Lesson, Mistake
from .networks import build_learner_model, check_compiled

__all__ = [
    "AddToRidgeExercise",
    "Reference",
    "add_to_ridge",
    "check_bounded_output",
    "check_no_prefitted_weights",
    "check_nonlinear_when_trained",
    "redraw_weights",
    "reference",
]

WINDOW = 24  # hours each window holds: the window `make tune-capstone` chose for the MLP
SEEDS = (0, 1, 2)
EPOCHS = range(1, 31)  # what the check accepts


@dataclass(frozen=True)
class Reference:
    """What the check compares with, on the 2013 midnights: the ridge and persistence."""

    task: AirQualityTask  # the learner's windows: 24 hours of every input
    ridge: np.ndarray  # the ridge's forecasts (µg/m³, clipped at 0), (365, 24)
    persistence: np.ndarray


@lru_cache(maxsize=1)
def reference() -> Reference:
    """The learner's task and the 2013 forecasts of the ridge (its own 48-hour windows, shared
    with the lesson) and of persistence."""
    ridge_task = shared_task(RIDGE_WINDOW, "all")
    ridge = fit_ridge(ridge_task)[0]
    task = shared_task(WINDOW, "all")
    return Reference(
        task,
        ridge_task.to_pm(ridge.predict(ridge_task.validation.X)),
        persistence_24(task.validation),
    )


def check_shapes(model: keras.Model, window: int, n_features: int) -> None:
    """Raise a mistake unless the model reads (window, n_features) and writes 24 hours."""
    shape = tuple(model.inputs[0].shape[1:])
    if shape != (window, n_features):
        raise Mistake(
            f"The model reads samples of shape {shape}, but each window is ({window}, "
            f"{n_features}): {window} hours of {n_features} features.",
            "Start with `keras.Input(shape=(window, n_features))`; an MLP flattens inside the "
            "model with `layers.Flatten()`.",
        )
    out = tuple(model.outputs[0].shape[1:])
    if out not in ((HORIZON,), (HORIZON, 1)):
        raise Mistake(
            f"The model outputs samples of shape {out}; it should forecast the next {HORIZON} "
            f"hours at once: end with `layers.Dense({HORIZON})`.",
        )


def check_untrained(model: keras.Model, ref: Reference) -> None:
    """Raise a mistake when the model forecasts 2013 better than persistence before training:
    it then carries knowledge fitted before the check, which the check cannot vouch for."""
    val = ref.task.validation
    untrained = ref.task.to_pm(predict(model, val.X))
    versus = compare_forecasts(val.y, untrained, ref.persistence, names=("untrained", "p"))
    if versus.verdict == "better":
        raise Mistake(
            f"Before any training, your model already forecasts 2013 better than persistence "
            f"(RMSE {versus.score:.1f} against {versus.reference_score:.1f} µg/m³): it carries "
            "weights fitted before the check.",
            "The check builds your network and trains it on 2010-2012 itself, so that nothing "
            "fitted on 2013 (or on any year you chose) can help it. Let every weight start from "
            "Keras's random initial values: no initializer or layer taken from a fitted model.",
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
    biases and other vectors keep theirs. The model changes in place.

    A branch whose last kernel starts at 0 (a common start for a residual branch) is linear as
    built; with drawn weights it is judged by what training can make of it.
    """
    rng = np.random.default_rng(seed)
    drawn = []
    for values in model.get_weights():
        if values.ndim >= 2:
            fan_in = int(np.prod(values.shape[:-1]))
            values = rng.normal(0.0, 1.0 / np.sqrt(fan_in), values.shape).astype(values.dtype)
        drawn.append(values)
    model.set_weights(drawn)


def check_bounded_output(scaled_forecasts, scaled_targets, share: float = 0.1) -> None:
    """Raise a mistake when the forecasts (scaled) never cross 0 or 1 although at least
    ``share`` of the targets do: an activation bounds the output.

    Judged on the trained forecasts, so it also sees a bound after an ``Add`` of two branches,
    which :func:`.behaviour.check_unbounded_output` (the output map's reach) leaves open.
    """
    forecasts = np.asarray(scaled_forecasts, dtype=float)
    targets = np.asarray(scaled_targets, dtype=float)
    for bound, below, words in ((0.0, True, "below"), (1.0, False, "above")):
        never = forecasts.min() >= bound if below else forecasts.max() <= bound
        crossing = np.mean(targets < bound) if below else np.mean(targets > bound)
        if never and crossing >= share:
            raise Mistake(
                f"Your network never forecasts {words} {bound:g} in scaled units, while "
                f"{crossing:.0%} of the training targets are {words} it: its output is bounded.",
                "An activation on the output (relu, sigmoid, tanh, softmax) limits what the "
                "network can say; end with a plain `layers.Dense(24)`.",
            )


def check_nonlinear_when_trained(model: keras.Model, X) -> None:
    """:func:`.behaviour.check_nonlinear` on the model with its kernels drawn anew (the model
    changes: pass a copy the check does not train), with what a linear network means here."""
    redraw_weights(model)
    try:
        check_nonlinear(model, np.asarray(X, dtype="float32"))
    except Mistake as mistake:
        said = mistake.feedback
        raise Mistake(
            said.title,
            *said.details,
            "Trained, a linear network is the ridge again: at best it ties with it, and a "
            "nonlinear layer whose output is multiplied away or unused adds nothing either.",
        ) from None


def _best_epoch(curves: list[list[float]]) -> tuple[int, float, float]:
    """The epoch with the lowest mean validation RMSE over seeds, that RMSE and the last one."""
    mean = np.mean(curves, axis=0)
    best = int(np.argmin(mean))
    return best + 1, float(mean[best]), float(mean[-1])


class AddToRidgeExercise(Exercise):
    """``check(build_model, epochs=10)``: a network whose forecasts, averaged with the ridge's,
    beat the ridge on 2013 by a day-level interval that does not cover 0."""

    title = "Build a network that adds to the linear autoregression"
    answers = ("build_model", "epochs")
    label = "The task of section 12"
    hints = (
        "The check trains your network itself: three seeds, 2010-2012 only, windows of 24 hours "
        "of 16 features, batches of 256, as many epochs as you pass. It then averages the "
        "seeds' forecasts and blends them half and half with the ridge's. For the blend to beat "
        "the ridge, your network must be good, and wrong where the ridge is right less often "
        "than the ridge is: what can a network represent that a linear model cannot?",
        "Two ways to add nothing: a network that is linear throughout (the ridge again, "
        "however it is trained) and one that is far behind the ridge, because it trained too "
        "little or so long that it learned the training years' noise. The check prints the "
        "epoch at which your network did best on 2013; section 5's settings come from the "
        "tuning's curves.",
        'One sound design: flatten the window, one hidden `Dense(32, activation="relu")`, '
        "then `Dense(24)`. A linear path beside it, `layers.Dense(24)(flat)` added to the "
        "branch's output with `layers.Add()`, gives the network the ridge's strength in the "
        "first hours. About 10 epochs.",
    )
    solution_details = (
        "A linear path and a nonlinear branch, both learned from 2010-2012: the linear path "
        "does what the ridge does, the ReLU branch learns relations a linear model cannot "
        "(the wind's effect depends on how polluted the air already is). Its errors differ "
        "from the ridge's, so averaging the two cancels part of each.",
    )
    solution_code = '''\
def build_model(window, n_features):
    """A linear path beside a ReLU branch: (window, n_features) -> (24,)."""
    inputs = keras.Input(shape=(window, n_features))
    flat = layers.Flatten()(inputs)  # (window * n_features,)
    linear = layers.Dense(24)(flat)  # (24,): what a linear autoregression does
    hidden = layers.Dense(32, activation="relu")(flat)  # (32,)
    outputs = layers.Add()([linear, layers.Dense(24)(hidden)])  # (24,)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer="adam", loss="mse")
    return model


epochs = 10  # as section 5's MLP; the check prints the epoch where yours did best'''

    def _check(self, build_model, epochs=10):
        if not isinstance(epochs, int) or epochs not in EPOCHS:
            raise Mistake(f"epochs must be a whole number from 1 to 30, got {epochs!r}.")
        ref = reference()
        task = ref.task
        model = build_learner_model(build_model, task.window, n_features=task.n_features)
        check_shapes(model, task.window, task.n_features)
        check_compiled(model)
        check_trainable(model)
        check_no_prefitted_weights(model)
        check_untrained(model, ref)
        check_nonlinear_when_trained(model, task.train.X[:: len(task.train) // 64][:64])
        curves = []

        def follow(trained, done):
            """Score the 2013 forecasts after every epoch; a new curve for each seed."""
            if done == 1:
                curves.append([])  # a new seed
            forecast = task.to_pm(predict(trained, task.validation.X))
            finite = np.isfinite(forecast).all()  # a diverged fit is named after training
            curves[-1].append(score(forecast, task.validation.y).rmse if finite else np.nan)

        trial = train_network(
            build_model, task, seeds=SEEDS, epochs=epochs, name="yours", epoch_end=follow
        )
        return self._verdict(trial, ref, curves)

    def _verdict(self, trial, ref: Reference, curves) -> Feedback:
        """After training: a diverged fit, a bounded output, then the blend's interval."""
        val = ref.task.validation
        forecasts = trial.forecasts("validation")  # (seeds, 365, 24), clipped at 0
        if not np.isfinite(forecasts).all():
            raise Mistake(
                "Training diverged: the network's losses and forecasts are not finite numbers.",
                "A learning rate too high for the scale of the data does this; the default of "
                '`optimizer="adam"` (0.001) trains this task.',
            )
        check_bounded_output(ref.task.scale(forecasts), ref.task.y_train)
        ensemble = forecasts.mean(axis=0)
        blend = compare_forecasts(val.y, (ensemble + ref.ridge) / 2, ref.ridge)
        alone = compare_forecasts(val.y, ensemble, ref.ridge, names=("your network", "ridge"))
        numbers = _numbers(trial, blend, alone, curves)
        if blend.verdict != "better":
            said = "a tie" if blend.verdict == "tie" else "worse"
            raise Mistake(
                f"Averaged half and half with the ridge, your network does not beat the ridge "
                f"on 2013: gain {blend.difference:+.2f} µg/m³, 95% interval [{blend.low:+.2f}, "
                f"{blend.high:+.2f}] over the days, {said}.",
                *numbers,
                "Ask for a hint: what can your network know that a linear model cannot, and did "
                "it train long enough, or too long?",
            )
        return Feedback(
            "correct",
            f"Your network adds to the ridge: averaged with it, its forecasts score "
            f"{blend.score:.2f} against the ridge's {blend.reference_score:.2f} µg/m³ on 2013, "
            f"gain {blend.difference:+.2f}, 95% interval [{blend.low:+.2f}, {blend.high:+.2f}] "
            "over the days.",
            numbers,
        )


def _numbers(trial, blend, alone, curves) -> list[str]:
    """The lines beside a verdict: the network alone, the seeds, the best epoch."""
    runs = ", ".join(f"{s.rmse:.2f}" for s in trial.scores("validation"))
    mean, sd = trial.rmse("validation")
    epoch, best, last = _best_epoch(curves)
    verdict = {"better": "better", "worse": "worse", "tie": "a tie"}[alone.verdict]
    return [
        f"Your network alone (the mean of its seeds' forecasts): {alone.score:.2f} against the "
        f"ridge's {alone.reference_score:.2f}, gain {alone.difference:+.2f} [{alone.low:+.2f}, "
        f"{alone.high:+.2f}]: {verdict}.",
        f"Seeds {trial.seeds}: {runs} (mean {mean:.2f} ± {sd:.2f} µg/m³).",
        f"Mean over seeds by epoch: lowest after epoch {epoch} ({best:.2f}), {last:.2f} after "
        f"the last ({len(curves[0])}).",
        "2013: the 365 midnights, 24 hours ahead each, observed hours only; forecasts clipped "
        f"at 0; intervals from a moving-block bootstrap over the days (blocks of {blend.block}).",
    ]


add_to_ridge = AddToRidgeExercise()

Lesson.adopt(__name__, 8)
