"""Reading a learner's model: build it, name its layers, and judge it over seeds on validation.

The model lessons ask for a function ``build_model(window)`` that returns a compiled Keras model.
These steps turn what goes wrong into a message a teacher would give: a model instead of the
function, an error inside the function, the wrong input or output shape, a missing layer family,
a model that was never compiled, and finally a model that trains but does not forecast well on
the validation days (over several seeds, beside the lesson's default and persistence).
"""

from __future__ import annotations

from functools import lru_cache

import keras

from ..validation import Validation, validate
from .core import Mistake, is_placeholder

__all__ = [
    "build_learner_model",
    "check_compiled",
    "check_input_shape",
    "check_output_steps",
    "default_validation",
    "judge_on_validation",
    "layer_names",
]


def layer_names(model: keras.Model) -> list[str]:
    """Class names of the model's layers, ``TimeDistributed(Conv1D)`` for wrapped ones."""
    names = []
    for layer in model.layers:
        inner = getattr(layer, "layer", None)
        name = type(layer).__name__
        names.append(f"{name}({type(inner).__name__})" if inner is not None else name)
    return [n for n in names if n != "InputLayer"]


def build_learner_model(build, window: int, **settings) -> keras.Model:
    """Call the learner's ``build(window, ...)``; return the model or raise a named mistake.

    ``settings`` are the task's other arguments by name, such as lesson 8's ``n_features=16``;
    they are passed by position, so the learner may name the parameters as they like.
    """
    arguments = ", ".join(["window", *settings])
    call = ", ".join(str(value) for value in (window, *settings.values()))
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
        model = build(window, *settings.values())
    except Exception as exc:  # noqa: BLE001 (the learner's code: report, no traceback)
        raise Mistake(
            f"`build_model({call})` raised {type(exc).__name__}: {exc}",
            f"Run `build_model({call}).summary()` in a cell of its own to see where it fails.",
        ) from None
    if is_placeholder(model):
        raise Mistake("`build_model` still returns `____`.", status="not attempted")
    if not isinstance(model, keras.Model):
        raise Mistake(
            f"`build_model({call})` returned {type(model).__name__}, not a Keras model: its "
            "forecasts would not come from a network.",
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


def check_output_steps(model: keras.Model, horizon: int) -> None:
    """Raise a mistake unless the model forecasts ``horizon`` values per sample."""
    shape = tuple(model.outputs[0].shape[1:])
    if shape not in ((horizon,), (horizon, 1)):
        want = "one value: end with `layers.Dense(1)`" if horizon == 1 else f"{horizon} values"
        raise Mistake(f"The model outputs samples of shape {shape}; it should forecast {want}.")


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


def judge_on_validation(build, name: str, window: int, epochs: int, seeds=(0, 1, 2)):
    """Train the learner's model like the default and compare both on the validation days.

    Returns ``(learner, default)`` validations; raises a mistake that shows the numbers when the
    learner's mean is not better than persistence, or worse than the default's mean by more than
    the default's own spread over seeds.
    """
    default = default_validation(name, tuple(seeds))
    learner = validate(build, window, epochs, seeds=list(seeds))
    persistence = learner.baselines["persistence"]
    numbers = validation_lines(learner, default)
    if learner.rmse >= persistence:
        raise Mistake(
            f"Your model's mean validation RMSE ({learner.rmse:.3f}) is no better than "
            f"persistence ({persistence:.3f}).",
            *numbers,
            "A network that cannot beat yesterday's value has not learned the level: check the "
            "scaling of its inputs, its size and its activation.",
        )
    if learner.rmse > default.rmse + default.sd:
        raise Mistake(
            f"Your model's mean validation RMSE ({learner.rmse:.3f}) is worse than the lesson's "
            f"default ({default.rmse:.3f}) by more than the default's seed spread "
            f"({default.sd:.3f}).",
            *numbers,
            "Compare your layers with the lesson's: a much larger or smaller model, or a missing "
            "activation, often explains it.",
        )
    return learner, default


def validation_lines(learner: Validation, default: Validation) -> list[str]:
    """The numbers behind a verdict, one line each, in births over the validation days."""
    seeds = ", ".join(f"{r:.3f}" for r in learner.rmse_by_seed)
    return [
        f"Your model, seeds {learner.seeds}: {seeds} (mean {learner.rmse:.3f} ± {learner.sd:.3f}).",
        f"The lesson's default: {default.rmse:.3f} ± {default.sd:.3f}; persistence "
        f"{learner.baselines['persistence']:.3f}; 7-day moving average "
        f"{learner.baselines['moving average (7 days)']:.3f}.",
        f"Validation: {len(learner.actual)} training days held out in "
        "3 blocks, each forecast by a model trained only on the days before it.",
    ]
