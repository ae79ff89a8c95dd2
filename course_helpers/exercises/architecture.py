"""The task of lessons 4-7: write the lesson's architecture as ``build_model(window)``.

:class:`ArchitectureExercise` is one task type for four lessons. Each ``lessonN`` module declares
its instance with the layers its architecture must have (and what to say when one is missing),
how to fix the input shape, and its hints and worked solution as text; ``tests/exercises`` runs
each worked solution as shown, so a solution shown to learners is known to pass. The check builds
the learner's model, reads its layers and shapes, then trains it over three seeds on the
validation days of the training period, beside the lesson's default model (:mod:`.networks`).
"""

from __future__ import annotations

from ..models import lesson_model
from .core import Exercise, Feedback, Mistake
from .networks import (
    build_learner_model,
    check_compiled,
    check_input_shape,
    check_output_steps,
    judge_on_validation,
    layer_names,
    validation_lines,
)

__all__ = ["ArchitectureExercise"]


class ArchitectureExercise(Exercise):
    """Lessons 4-7: ``check(build_model)`` for the lesson's architecture on the births task.

    ``required`` maps a layer name as :func:`.networks.layer_names` gives it (``"LSTM"``,
    ``"TimeDistributed(Conv1D)"``) to the message shown when the model has none; ``count`` asks
    for at least that many of a layer (the encoder-decoder's two LSTMs). ``input_fix`` says how
    to shape the input. The window, epochs and output steps are the registry's defaults for the
    lesson's model.
    """

    def __init__(
        self,
        lesson: int,
        *,
        title: str,
        required: dict[str, str],
        input_fix: str,
        hints: tuple[str, ...],
        solution_details: tuple[str, ...],
        solution_code: str,
        count: dict[str, int] | None = None,
    ):
        super().__init__()
        self.spec = lesson_model(lesson)
        self.title = title
        self.required = dict(required)
        self.count = dict(count or {})
        self.input_fix = input_fix
        self.hints = tuple(hints)
        self.solution_details = tuple(solution_details)
        self.solution_code = solution_code

    def _check(self, build_model):
        spec = self.spec
        window = spec.defaults.window
        model = build_learner_model(build_model, window)
        check_input_shape(model, spec.input_shape(window), window, self.input_fix)
        self._check_layers(layer_names(model))
        check_output_steps(model, spec.output_steps())
        check_compiled(model)
        learner, default = judge_on_validation(build_model, spec.name, window, spec.defaults.epochs)
        details = validation_lines(learner, default)
        if learner.rmse_by_horizon is not None:
            table = learner.baselines_by_horizon().round(3)
            details += [
                f"{h} day{'s' if h > 1 else ''} ahead: yours {row['model']:.3f}, persistence "
                f"{row['persistence']:.3f}, 7-day moving average "
                f"{row['moving average (7 days)']:.3f}, training mean {row['training mean']:.3f}"
                for h, row in table.iterrows()
            ]
        return Feedback(
            "correct",
            f"Your {spec.title} forecasts the validation days with RMSE {learner.rmse:.3f} "
            f"± {learner.sd:.3f} births over three seeds.",
            details,
        )

    def _check_layers(self, names: list[str]) -> None:
        for layer, message in self.required.items():
            found = sum(name == layer for name in names)
            if found < self.count.get(layer, 1):
                raise Mistake(message, f"Its layers: {', '.join(names) or 'none'}.")
