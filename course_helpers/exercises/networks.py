"""Reading a learner's model and judging it over seeds on the validation days.

The model lessons ask for a function ``build_model(window)`` that returns a compiled Keras model.
These steps turn what goes wrong into a message a teacher would give: a model instead of the
function, an error inside the function (named from the layer that refused its input,
:mod:`.structure`), the wrong input shape, a model that was never compiled. Then
:func:`judge_on_validation` trains it over three seeds on the validation folds of the training
days and passes it when it beats persistence there beyond day-to-day noise, and its forecasts
are neither diverged nor a naive forecast in disguise (:mod:`.behaviour`). The lesson's default
model and the moving average of the same days are shown beside it, as information.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import keras

from ..comparison import Comparison, compare_forecasts
from ..models import ModelSpec
from ..validation import Validation, validate
from .behaviour import check_finite, check_not_naive
from .core import Mistake, is_placeholder
from .diagnose import births
from .structure import diagnose_build_error

__all__ = [
    "Judgement",
    "build_learner_model",
    "check_compiled",
    "check_input_shape",
    "default_validation",
    "judge_on_validation",
    "layer_names",
]

SEEDS = (0, 1, 2)


def layer_names(model: keras.Model) -> list[str]:
    """Class names of the model's layers, ``TimeDistributed(Conv1D)`` for wrapped ones."""
    names = []
    for layer in model.layers:
        inner = getattr(layer, "layer", None)
        name = type(layer).__name__
        names.append(f"{name}({type(inner).__name__})" if inner is not None else name)
    return [n for n in names if n != "InputLayer"]


def _call_learner(build, window: int, settings: dict):
    """``build(window, *settings)`` with Keras' traceback kept whole, for the diagnosis."""
    filtering = keras.config.is_traceback_filtering_enabled()
    keras.config.disable_traceback_filtering()
    try:
        return build(window, *settings.values())
    finally:
        if filtering:
            keras.config.enable_traceback_filtering()


def build_learner_model(build, window: int, **settings) -> keras.Model:
    """Call the learner's ``build(window, ...)``; return the model or raise a named mistake.

    ``settings`` are the task's other arguments by name, such as lesson 8's ``n_features=16``;
    they are passed by position, so the learner may name the parameters as they like.
    """
    arguments = ", ".join(["window", *settings])
    call = f"build_model({', '.join(str(v) for v in (window, *settings.values()))})"
    if isinstance(build, keras.Model):
        raise Mistake(
            "This is a model; the check needs the function that builds one.",
            "Pass `build_model` itself (no brackets): the check calls it once per seed, so each "
            "run starts from fresh random weights.",
        )
    if not callable(build):
        raise Mistake(
            f"Expected a function `build_model({arguments})`, got {type(build).__name__}.",
            f"Define it with `def build_model({arguments}): ...` and pass `build_model` to the "
            "check.",
        )
    try:
        model = _call_learner(build, window, settings)
    except Exception as exc:  # noqa: BLE001 (the learner's code: name the mistake, no traceback)
        raise diagnose_build_error(exc, call) from None
    if is_placeholder(model):
        raise Mistake("`build_model` still returns `____`.", status="not attempted")
    if not isinstance(model, keras.Model):
        raise Mistake(
            f"`{call}` returned {type(model).__name__}, not a Keras model: its forecasts would "
            "not come from a network.",
            "End the function with `return model`.",
        )
    return model


def check_input_shape(model: keras.Model, expected: tuple, window: int, fix: str) -> None:
    """Raise a mistake that says what to reshape when the model does not read these windows."""
    shape = tuple(model.inputs[0].shape[1:])
    if shape != expected:
        raise Mistake(
            f"For a window of {window} days the model reads samples of shape {shape}, "
            f"but the windows are {expected}.",
            fix,
        )


def check_compiled(model: keras.Model) -> None:
    """Raise a mistake unless the model was compiled with an optimizer and a squared-error loss."""
    if getattr(model, "optimizer", None) is None or not getattr(model, "compiled", False):
        raise Mistake(
            "The model is not compiled.",
            'Before `return model`, add `model.compile(optimizer="adam", loss="mse")`.',
        )
    loss = model.loss
    name = loss if isinstance(loss, str) else getattr(loss, "name", type(loss).__name__)
    if str(name).lower() not in ("mse", "mean_squared_error", "meansquarederror"):
        raise Mistake(
            f"The model is compiled with the loss {name!r}.",
            "The course scores forecasts by RMSE, so train on the mean squared error: "
            '`loss="mse"`.',
        )


@lru_cache(maxsize=8)
def default_validation(name: str, seeds: tuple[int, ...]) -> Validation:
    """The lesson default's validation over ``seeds`` (computed once per kernel)."""
    return validate(name, seeds=list(seeds))


@dataclass
class Judgement:
    """A learner's model judged on the validation days: its validation, the paired comparison of
    its seeds' mean forecast with persistence, and (for information) the lesson default's
    validation on the same seeds, trained only when a message shows it."""

    learner: Validation
    against_persistence: Comparison
    default_name: str

    @property
    def default(self) -> Validation:
        """The lesson default's validation on the learner's seeds (cached per kernel)."""
        return default_validation(self.default_name, tuple(self.learner.seeds))

    def lines(self) -> list[str]:
        """The numbers behind the verdict, one line each, in the data's units."""
        learner, default = self.learner, self.default
        seeds = ", ".join(f"{r:.3f}" for r in learner.rmse_by_seed)
        c = self.against_persistence
        return [
            f"Your model, seeds {learner.seeds}: RMSE {seeds} (mean {learner.rmse:.3f} ± "
            f"{learner.sd:.3f}).",
            f"Persistence on the same days: {learner.baselines['persistence']:.3f}. The mean of "
            f"your seeds' forecasts against it: {c.difference:+.3f} births better, "
            f"{c.level:.0%} interval [{c.low:+.3f}, {c.high:+.3f}] (paired, over days).",
            f"For information: the lesson's default model {default.rmse:.3f} ± {default.sd:.3f}; "
            f"7-day moving average {learner.baselines['moving average (7 days)']:.3f}; training "
            f"mean {learner.baselines['training mean']:.3f}.",
            f"Validation: {len(learner.dates)} training days held out in 3 blocks, each forecast "
            "by a model trained only on the days before it; no test day is read.",
        ]


def judge_on_validation(build, spec: ModelSpec, seeds=SEEDS) -> Judgement:
    """Train the learner's model like the lesson's default and judge it on the validation days.

    It passes when every seed's RMSE is below persistence's and the paired interval of the gap
    (its seeds' mean forecast against persistence, resampling days) is above 0. A diverged fit
    or forecasts equal to a naive forecast are named first.
    """
    window, epochs = spec.defaults.window, spec.defaults.epochs
    learner = validate(build, window, epochs, seeds=list(seeds))
    check_finite(learner)
    check_not_naive(learner, births())
    versus = compare_forecasts(
        learner.actual,
        learner.forecasts.mean(axis=0),
        learner.naive["persistence"],
        names=("your model", "persistence"),
    )
    judgement = Judgement(learner, versus, spec.name)
    persistence = learner.baselines["persistence"]
    worse = [s for s, r in zip(learner.seeds, learner.rmse_by_seed) if r >= persistence]
    if worse:
        raise Mistake(
            f"With seed{'s' if len(worse) > 1 else ''} {', '.join(map(str, worse))} your model "
            f"does no better than persistence on the validation days ({persistence:.3f}).",
            *judgement.lines(),
            "A network that cannot beat yesterday's value on every run has not learned the "
            "level: look at its size, its activations, its learning rate and how long it trains.",
        )
    if versus.verdict != "better":
        raise Mistake(
            "Your model's margin over persistence on the validation days is inside day-to-day "
            "noise: the paired interval of the gap reaches 0.",
            *judgement.lines(),
            "A sound network of this lesson beats persistence clearly on these days; look at "
            "its size, its activations and how long it trains.",
        )
    return judgement
