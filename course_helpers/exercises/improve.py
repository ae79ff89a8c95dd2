"""The task of lessons 3-7: improve on the lesson's default model, on the fixed protocol.

:class:`ImproveModelExercise` is one task type for five lessons. Its texts are templates (class
attributes) filled in with the lesson's model from the registry (:data:`course_helpers.MODELS`);
each ``lessonN`` module declares its instance with the settings of its worked solution and the
reason shown for them. The checks of the forecasts themselves are in :mod:`.protocol`.
"""

from __future__ import annotations

import numpy as np

from ..evaluation import N_TEST, persistence, rmse
from ..models import MODEL_NAMES, lesson_model, model_spec
from ..windowing import train_test_split
from .core import Exercise, Feedback, Mistake, ____
from .diagnose import births, rmse_of
from .protocol import Score, score

__all__ = ["ImproveModelExercise"]


class ImproveModelExercise(Exercise):
    """Lessons 3-7: improve on the lesson's default model on the course's fixed protocol.

    ``check(answer, scaler=None, *, default=None)`` where ``answer`` is one of

    * a :class:`course_helpers.Run` (from ``train_and_evaluate``; its scaler is read from it),
    * a :class:`course_helpers.Result` (from ``ForecastTask.evaluate``),
    * a ``pandas.Series`` of one-step walk-forward forecasts indexed by the 100 test dates, or
    * a list of these, e.g. the same settings over several seeds (scored by their mean RMSE).

    ``scaler`` is the fitted scaler used for training (checked against the training-period
    statistics) and ``default`` the lesson default's Run, Result, RMSE or a list of them (their
    mean) to beat. Each answer must respect the protocol (the 100 test dates, in order), show no
    leakage (forecasts equal or suspiciously close to the actual values, forecasts of the next
    day's value, a scaler fitted on test days) and be in births rather than scaled units. It
    passes when its RMSE beats persistence and, if given, ``default``.

    ``model`` defaults to the registry's model of ``lesson``; ``settings`` (the builder or
    training arguments of the worked solution) and ``reason`` (why they help) fill in the
    solution.
    """

    # The texts, filled in with {title} (the model's title), {model} (its name), {check} (the
    # check a learner calls), {args} (the solution's settings) and {reason}.
    title_template = "Improve on the lesson's {title} for the births series"
    hint_templates = (
        (
            "Change one setting at a time and keep the protocol: `train_and_evaluate` (or a "
            "`ForecastTask`) holds out the last 100 days, scales with training statistics and "
            "scores walk-forward forecasts in births."
        ),
        (
            "Each setting pulls two ways: more units, more epochs or a longer window let the "
            "model learn more, and also memorise more of the noise. Nudge one at a time, up "
            "and down: units, epochs, window, dropout."
        ),
        (
            "`train_and_evaluate({model!r}, window=..., epochs=..., seed=0, ...)` also takes "
            "the builder's arguments (units, dropout, learning_rate, ...). Check a run with "
            "`{check}(run)`, or several seeds at once with `{check}(runs, default=...)`: "
            "one lucky seed can mislead."
        ),
    )
    solution_templates = (
        "`{args}`: {reason}",
        (
            "Same protocol as the lesson: last 100 days as test, scaling fitted on training "
            "days, one-step walk-forward forecasts, RMSE in births. Three seeds each, so a "
            "lucky seed cannot decide."
        ),
        (
            "The gain is small, which is honest for this series. Choosing settings by their "
            "test error flatters them a little; for a real project choose on a validation "
            "split (`ForecastTask.validation_split`) and touch the test set once."
        ),
    )
    solution_code_template = (
        "default_runs = [train_and_evaluate({model!r}, seed=seed) for seed in range(3)]\n"
        "runs = [train_and_evaluate({model!r}, {args}, seed=seed) for seed in range(3)]\n"
        "{check}(runs, default=default_runs)"
    )
    # The solution when a lesson gives none of its own.
    default_settings = {"epochs": 50}
    default_reason = "More epochs let the model learn a little more."

    def __init__(
        self,
        lesson: int,
        model: str | None = None,
        n_test: int = N_TEST,
        *,
        settings: dict | None = None,
        reason: str | None = None,
    ):
        super().__init__()
        if model is None:
            try:
                model = lesson_model(lesson).name
            except ValueError:
                raise ValueError(
                    f"Give the model for lesson {lesson}: one of {', '.join(MODEL_NAMES)}."
                ) from None
        spec = model_spec(model)
        self.lesson, self.model, self.n_test = lesson, model, n_test
        self.solution_settings = dict(self.default_settings if settings is None else settings)
        self.solution_reason = self.default_reason if reason is None else reason
        texts = {
            "title": spec.title,
            "model": model,
            "check": f"exercises.lesson{lesson}.improve.check",
            "args": ", ".join(f"{k}={v!r}" for k, v in self.solution_settings.items()),
            "reason": self.solution_reason,
        }
        self.title = self.title_template.format(**texts)
        self.hints = tuple(text.format(**texts) for text in self.hint_templates)
        self.solution_details = tuple(text.format(**texts) for text in self.solution_templates)
        self.solution_code = self.solution_code_template.format(**texts)

    def _check(self, answer=____, scaler=None, *, default=None):
        if answer is ____:
            return self._not_attempted()
        series = births()
        _, test = train_test_split(series, self.n_test)
        scored = self._score_all(answer, scaler, series)
        error = float(np.mean([s.rmse for s in scored]))
        persistence_rmse = rmse(test, persistence(series, self.n_test))
        what, details = self._summary(scored, persistence_rmse)
        if scored[0].scaler is None:
            details.append(
                "Pass the scaler as well (`check(result, scaler)`) to have its "
                "statistics checked too."
            )
        if error >= persistence_rmse:
            copies = all(s.copies_persistence for s in scored)
            return self._not_beating_persistence(what, details, persistence_rmse, copies)
        return self._verdict(what, details, error, persistence_rmse, default, len(scored))

    def _score_all(self, answer, scaler, series) -> list[Score]:
        """Check and score each answer of a list (or the one answer); name the run that fails."""
        answers = list(answer) if isinstance(answer, (list, tuple)) else [answer]
        if not answers:
            raise Mistake("The list is empty: pass at least one run or result.")
        scored = []
        for number, one in enumerate(answers, start=1):
            try:
                scored.append(score(one, scaler, series, self.n_test))
            except Mistake as mistake:
                if len(answers) > 1:
                    mistake.feedback.title = f"Run {number} of {len(answers)}: " + (
                        mistake.feedback.title
                    )
                raise
        return scored

    @staticmethod
    def _summary(scored: list[Score], persistence_rmse: float) -> tuple[str, list[str]]:
        """The score in a few words ("RMSE 7.049") and the details: errors, per horizon or run."""
        rmses = np.array([s.rmse for s in scored])
        error = float(rmses.mean())
        if len(scored) > 1:
            each = ", ".join(f"{r:.3f}" for r in rmses)
            return f"mean RMSE {error:.3f}", [
                f"Mean RMSE over {len(scored)} runs {error:.3f} ± {rmses.std(ddof=1):.3f} births "
                f"(each: {each}); persistence {persistence_rmse:.3f}."
            ]
        one = scored[0]
        details = [
            f"RMSE {error:.3f} births (MAE {one.mae:.3f}); persistence {persistence_rmse:.3f}."
        ]
        if one.per_horizon is not None:
            details += [
                f"{h} day(s) ahead: RMSE {row['rmse']:.3f} (persistence "
                f"{row['persistence_rmse']:.3f})"
                for h, row in one.per_horizon.iterrows()
            ]
        return f"RMSE {error:.3f}", details

    @staticmethod
    def _not_beating_persistence(what, details, persistence_rmse, copies) -> Feedback:
        """Incorrect: honest forecasts, but no better than yesterday's value."""
        if copies:
            details.insert(
                0,
                "The forecasts are yesterday's values: the model learned to "
                "copy the last input. More epochs or a longer window usually "
                "help it find more than that.",
            )
        return Feedback(
            "incorrect",
            f"Protocol respected, but {what} does not beat persistence ({persistence_rmse:.3f}).",
            details,
        )

    @staticmethod
    def _verdict(what, details, error, persistence_rmse, default, runs) -> Feedback:
        """Beats persistence: correct, or partial when it does not beat ``default``."""
        default_rmse = rmse_of(default)
        if default_rmse is not None and error >= default_rmse:
            return Feedback(
                "partial",
                f"Beats persistence, but not yet the lesson's default "
                f"({what} vs {default_rmse:.3f}).",
                [*details, "Try another setting; `hint()` suggests where to look."],
            )
        headline = f"Honest forecasts that beat persistence: {what} < {persistence_rmse:.3f}."
        if default_rmse is not None:
            headline += f" The lesson's default had {default_rmse:.3f}."
        if runs == 1:
            details.append(
                "One seed can be lucky: repeat with a few seeds before you trust the gain."
            )
        return Feedback("correct", headline, details)
