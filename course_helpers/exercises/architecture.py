"""The model lessons' task (3-7): write the lesson's kind of network, ``build_model(window)``.

:class:`ArchitectureExercise` is one task type for five lessons. Each ``lessonN`` module declares
its instance with a :class:`Family`: what makes a model one of the lesson's kind (the layers it
must forecast through, the layers it must not have, the alternatives it accepts with a note) and
how the lesson's input and output are shaped, plus its hints and worked answer as text.

The check judges what was built, then the number. It builds the learner's model (a failed build
is named from the layer that refused its input), checks that it reads the lesson's windows for
any window length, is of the family, outputs the lesson's forecast, is compiled, can learn
(something trainable, an output that can reach every training value, a forecast that moves with
the window and with each lesson layer's weights, and, where asked, a nonlinear one), and only
then trains it over three seeds on the validation days: any sound model of the family that beats
persistence there passes, whatever its sizes (:mod:`.networks`, :mod:`.behaviour`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import keras

from ..evaluation import ForecastTask, reshape_for
from ..models import lesson_model
from .behaviour import (
    check_layers_matter,
    check_nonlinear,
    check_trainable,
    check_unbounded_output,
    check_uses_input,
)
from .core import Exercise, Feedback, Mistake
from .networks import (
    build_learner_model,
    check_compiled,
    check_input_shape,
    judge_on_validation,
    layer_names,
)
from .structure import check_output_shape, kind

__all__ = ["ArchitectureExercise", "Family", "Requirement"]


@dataclass(frozen=True)
class Requirement:
    """Layers a model of the family forecasts through: which, how many, and the message if not.

    ``matches(layer, model)`` picks them; each must also reach the forecast (perturbing its
    weights moves it), which :func:`.behaviour.check_layers_matter` judges.
    """

    what: str  # how the message names them: "Conv1D", "hidden Dense"
    matches: Callable[[keras.layers.Layer, keras.Model], bool]
    missing: str  # the message when the model has too few
    count: int = 1


@dataclass(frozen=True)
class Family:
    """What makes a model one of a lesson's kind, and how its input and output are shaped."""

    name: str  # "MLP", "1D CNN", ...
    requirements: tuple[Requirement, ...]
    input_fix: str  # how to shape the input, when it is not the lesson's
    output_fix: str  # how the model should end, when its output has the wrong width
    refused: dict[str, str] = field(default_factory=dict)  # layer kind -> why not here
    notes: dict[str, str] = field(default_factory=dict)  # layer kind -> a note on passing
    nonlinear: bool = True  # the model must not be a linear function of the window


def is_kind(*names: str, wrapped: bool | None = None) -> Callable:
    """A ``Requirement.matches`` for layers of these kinds; ``wrapped``: inside TimeDistributed."""

    def matches(layer, model) -> bool:
        """Whether ``layer`` is of these kinds (and wrapped as asked)."""
        if kind(layer) not in names:
            return False
        inside = type(layer).__name__ == "TimeDistributed"
        return wrapped is None or inside == wrapped

    return matches


def hidden_dense(layer, model) -> bool:
    """A Dense layer (perhaps per step) whose output is not the model's output."""
    return kind(layer) == "Dense" and layer.output is not model.outputs[0]


class ArchitectureExercise(Exercise):
    """Lessons 3-7: ``check(build_model)`` for the lesson's kind of network on the births task.

    The window, epochs and output steps are the registry's defaults for the lesson's model
    (:func:`course_helpers.models.lesson_model`).
    """

    answers = ("build_model",)

    def __init__(
        self,
        lesson: int,
        family: Family,
        *,
        title: str,
        hints: tuple[str, ...],
        solution_details: tuple[str, ...],
        solution_code: str,
        label: str = "this task",
    ):
        super().__init__()
        self.spec = lesson_model(lesson)
        self.family = family
        self.title = title
        self.hints = tuple(hints)
        self.solution_details = tuple(solution_details)
        self.solution_code = solution_code
        self.label = label

    def _check(self, build_model):
        spec, family = self.spec, self.family
        window = spec.defaults.window
        model = self._read(build_model, window)
        longer = build_learner_model(build_model, 2 * window)
        check_input_shape(
            longer,
            spec.input_shape(2 * window),
            2 * window,
            "Use the `window` argument for the input shape, not a fixed number of days.",
        )
        self._check_probes(model)
        judgement = judge_on_validation(build_model, spec)
        learner = judgement.learner
        over = "the mean over three seeds"
        if learner.rmse_by_horizon is not None:
            days = len(learner.rmse_by_horizon)
            over = (
                f"the mean over three seeds and all {days} days ahead (1 day ahead alone, the "
                f"number the explorer shows: {learner.rmse_by_horizon[0]:.3f})"
            )
        return Feedback(
            "correct",
            f"Your {family.name} beats persistence on the validation days: RMSE {learner.rmse:.3f}"
            f" ± {learner.sd:.3f} births, {over}, against persistence's "
            f"{learner.baselines['persistence']:.3f} on the same days"
            + (" and horizons." if learner.rmse_by_horizon is not None else "."),
            [*judgement.lines(), *self._horizon_lines(learner), *self._notes(model)],
        )

    def _read(self, build_model, window: int) -> keras.Model:
        """The learner's model, checked for shapes, family and compilation (no training yet)."""
        spec, family = self.spec, self.family
        keras.utils.set_random_seed(0)
        model = build_learner_model(build_model, window)
        check_input_shape(model, spec.input_shape(window), window, family.input_fix)
        check_trainable(model)
        self._check_family(model)
        check_output_shape(model, spec.output_steps(), family.output_fix)
        check_compiled(model)
        return model

    def _check_family(self, model: keras.Model) -> None:
        names = layer_names(model)
        for layer in model.layers:
            if kind(layer) in self.family.refused:
                raise Mistake(self.family.refused[kind(layer)], f"Its layers: {', '.join(names)}.")
        for need in self.family.requirements:
            if sum(need.matches(layer, model) for layer in model.layers) < need.count:
                raise Mistake(need.missing, f"Its layers: {', '.join(names) or 'none'}.")

    def _check_probes(self, model: keras.Model) -> None:
        """Judge the untrained model by behaviour on real windows of the training days."""
        task = ForecastTask(self.spec.defaults.window)
        X = reshape_for(model, task.X_train).astype("float32")
        scaled_days = task.scaler.transform(task.train)
        check_unbounded_output(model, scaled_days, task.scaler.inverse_transform, "births")
        check_uses_input(model, X)
        for need in self.family.requirements:
            chosen = [layer for layer in model.layers if need.matches(layer, model)]
            check_layers_matter(model, X, chosen, need.what)
        if self.family.nonlinear:
            check_nonlinear(model, X)

    @staticmethod
    def _horizon_lines(learner) -> list[str]:
        if learner.rmse_by_horizon is None:
            return []
        table = learner.baselines_by_horizon()
        return [
            f"{h} day{'s' if h > 1 else ''} ahead: yours {row['model']:.3f}, persistence "
            f"{row['persistence']:.3f}, 7-day moving average "
            f"{row['moving average (7 days)']:.3f}, training mean {row['training mean']:.3f}"
            for h, row in table.iterrows()
        ]

    def _notes(self, model: keras.Model) -> list[str]:
        kinds = {kind(layer) for layer in model.layers}
        return [note for name, note in self.family.notes.items() if name in kinds]
