"""Lesson 9 exercises: the learner writes one network for the 414 series of M4 Hourly.

* ``exercises.lesson9.build``: ``build_model(window)``, a Keras network that reads a window of
  ``window`` hours, each a log ratio to the window's level, ``(window,)``, and forecasts the next
  48 hours in the same units, ``(48,)``. The check never takes a trained model: it trains the
  builder itself over three seeds with the lesson's sampling loop on the history (each series
  without its last 48 hours), so the validation hours cannot be used, and passes any sound
  network, whatever its sizes, whose validation OWA beats seasonal naive's beyond the noise of
  which series M4 drew.

What the check reads and names: :mod:`.reads` (a builder that reads the validation or test
hours), :mod:`.networks` and :mod:`.structure` (building the learner's model), :mod:`.behaviour`
(nothing trainable, a linear model) and :mod:`.global_networks` (the output's reach, a per-series
naive forecast in disguise, a diverged fit, the verdict against seasonal naive).
"""

from __future__ import annotations

import keras

from .. import global_models as gm
from .behaviour import check_nonlinear, check_trainable
from .core import Exercise, Feedback, Lesson, Mistake
from .global_networks import (
    PROTOCOL,
    WINDOW,
    check_output_reach,
    check_weights_reach,
    judge_global,
    m4_validation,
    perturbed_weights,
)
from .networks import build_learner_model
from .reads import holding, names_used, values_read
from .structure import SEQUENCE_LAYERS, failing_layer, kind

# PROTOCOL: how the check trains each seed
__all__ = ["PROTOCOL", "GlobalNetworkExercise", "build", "check_before_training"]

OTHER_WINDOW = 72  # the builder must use its argument: built again for three days of inputs
LOADERS = {"load_m4_hourly", "load_test", "load_frame", "read_csv"}  # what reads the data files


def check_reads_nothing_held_out(build_model, data) -> None:
    """Raise a mistake when the builder reads an object that holds validation or test hours, or
    loads the data files itself."""
    loads = sorted(names_used(build_model) & LOADERS)
    if loads:
        raise Mistake(
            f"`build_model` loads the data itself (`{loads[0]}`): whatever it builds from them "
            "has seen the validation hours, the last 48 of each training series.",
            "A network is chosen by the validation hours, so it must never see them: the check "
            "trains your network on the hours before them, and `build_model` needs nothing but "
            "`window`.",
        )
    found = holding(values_read(build_model), data.held_out)
    if not found:
        return
    name, what = found[0]
    raise Mistake(
        f"`build_model` reads `{name}`, which holds {what} (the last 48 hours of each training "
        "series are the validation hours; the test file's hours come after them).",
        "A network is chosen by the validation hours, so it must never see them: the check "
        "trains your network on the hours before them, and `build_model` needs nothing but "
        "`window`. Build the layers from `window` alone.",
    )


def build_network(build_model, window: int) -> keras.Model:
    """The learner's network for ``window`` hours, or a named mistake (no traceback).

    A sequence layer (LSTM, Conv1D) given the flat windows is named here, with the fix that
    keeps the lesson's flat input; other failures are named by :mod:`.structure`.
    """
    try:
        return build_learner_model(build_model, window)
    except Mistake as mistake:
        found = failing_layer(mistake.__context__) if mistake.__context__ else None
        if found is None or kind(found[0]) not in SEQUENCE_LAYERS or len(found[1].shape) != 2:
            raise
        name = kind(found[0])
        raise Mistake(
            f"The {name} receives the flat window, `(window,)` per sample, but it reads each "
            "sample as a sequence shaped (timesteps, features).",
            f"Keep `keras.Input(shape=(window,))` and reshape before the {name}: "
            "`layers.Reshape((window, 1))`, the window's hours as time steps, one feature each.",
        ) from None


def _check_input(model: keras.Model, window: int, fix: str) -> None:
    shape = tuple(model.inputs[0].shape[1:])
    if shape != (window,):
        raise Mistake(
            f"For a window of {window} hours the network reads samples of shape {shape}, but "
            f"the windows are ({window},).",
            fix,
        )


def check_shapes(model: keras.Model, build_model) -> None:
    """Raise a mistake unless the network reads ``(window,)`` for any window and outputs (48,)."""
    _check_input(
        model,
        WINDOW,
        "The windows are flat, one row of hours: start with `keras.Input(shape=(window,))`. A "
        "Conv1D or LSTM inside can read them after `layers.Reshape((window, 1))`.",
    )
    _check_input(
        build_network(build_model, OTHER_WINDOW),
        OTHER_WINDOW,
        "Use the `window` argument for the input shape, not a fixed number of hours.",
    )
    shape = tuple(model.outputs[0].shape[1:]) if len(model.outputs) == 1 else None
    if shape == (gm.HORIZON,):
        return
    if shape is None:
        raise Mistake(
            f"This model has {len(model.outputs)} outputs; the task wants one, the 48 hours.",
            "Add the parts together (`layers.Add()`) into one output of shape `(48,)`.",
        )
    if len(shape) > 1:
        raise Mistake(
            f"The network outputs {shape} per window; it should forecast the next 48 hours as "
            "one flat row, `(48,)`.",
            "Flatten what comes before the last Dense layer (`layers.Flatten()`), and end with "
            "`layers.Dense(48)`.",
        )
    raise Mistake(
        f"The network outputs {shape[0]} value{'s' if shape[0] != 1 else ''} per window; it "
        "should forecast the next 48 hours, one value per hour ahead.",
        "End with `layers.Dense(48)`, no activation.",
    )


def check_before_training(build_model) -> None:
    """Raise the first mistake that shows before any training: what the builder reads, its
    network's shapes, nothing trainable, a forecast no weight reaches, a bounded output, a
    linear model."""
    data = m4_validation()
    check_reads_nothing_held_out(build_model, data)
    keras.utils.set_random_seed(0)
    model = build_network(build_model, WINDOW)
    check_shapes(model, build_model)
    check_trainable(model)
    check_weights_reach(model, data)
    check_output_reach(model, data)
    with perturbed_weights(model):  # a zero-initialised output layer is no linear model
        check_nonlinear(model, data.windows.last_inputs()[0])


class GlobalNetworkExercise(Exercise):
    """Lesson 9: ``check(build_model)`` for one network trained on the windows of all series."""

    title = "Write one network for the 414 series"
    answers = ("build_model",)
    label = "Task A"
    hints = (
        "Section 5's global MLP is one network of this kind; yours may be smaller, larger, "
        "deeper or shaped otherwise. Three things matter more than the layers: what one sample "
        "is (a flat row of `window` log ratios), what comes out (48 numbers that can be "
        "negative: an hour below the window's level is a negative log ratio), and what the "
        "builder reads (nothing but `window`).",
        "With Keras' functional API: `inputs = keras.Input(shape=(window,))`, hidden "
        '`layers.Dense(units, activation="relu")` layers, and `layers.Dense(48)` with no '
        "activation at the end. No `compile` is needed: the lesson's loop brings its optimizer "
        "and its loss (sMAPE + MASE, the two measures OWA averages). Adding "
        "`gm.RepeatLastDay()(inputs)` to the output, as section 5 does, starts the network "
        "from seasonal naive; it is a help, not a requirement.",
        """\
The skeleton, with the sizes left to you:
```
def build_model(window):
    inputs = keras.Input(shape=(window,))  # (samples, window)
    hidden = layers.Dense(____, activation="relu")(inputs)
    hidden = layers.Dense(____, activation="relu")(hidden)
    correction = layers.Dense(48)(hidden)  # (samples, 48)
    outputs = layers.Add()([correction, gm.RepeatLastDay()(inputs)])
    return keras.Model(inputs, outputs)
```""",
    )
    solution_details = (
        "`(window,)` log ratios in, two hidden layers of 256 ReLU units, a linear `Dense(48)` "
        "added to the last 24 inputs repeated (seasonal naive in these units): `(48,)` out.",
        "Other sizes, one hidden layer or five, no seasonal-naive start, another nonlinearity "
        "or an N-BEATS-style stack pass as well: the check trains the network over three seeds "
        "(0, 1, 2) on the history and asks that it beat seasonal naive on the validation hours.",
    )
    solution_code = '''\
def build_model(window):
    """A global MLP: (samples, window) log ratios in, (samples, 48) log ratios out."""
    inputs = keras.Input(shape=(window,))  # (samples, window): log ratios to the level
    hidden = layers.Dense(256, activation="relu")(inputs)  # (samples, 256)
    hidden = layers.Dense(256, activation="relu")(hidden)  # (samples, 256)
    correction = layers.Dense(48)(hidden)  # (samples, 48): linear, so of any sign
    last_day = gm.RepeatLastDay()(inputs)  # (samples, 48): seasonal naive, as log ratios
    outputs = layers.Add()([correction, last_day])  # seasonal naive plus a learnt correction
    return keras.Model(inputs, outputs, name="global_network")'''

    def _check(self, build_model):
        check_before_training(build_model)
        judgement = judge_global(build_model)
        median, snaive = judgement.median, judgement.data.seasonal_naive
        return Feedback(
            "correct",
            f"Your network beats seasonal naive on the validation hours: OWA {median.owa:.3f} "
            f"against {snaive.owa:.3f}, beyond the noise of which series M4 drew.",
            [
                *judgement.lines(),
                f"The check trained {len(judgement.scores)} networks in "
                f"{judgement.seconds:.0f} s. Section 9 scores the test hours with yours, once.",
            ],
        )


build = GlobalNetworkExercise()

Lesson.adopt(__name__, 9)
