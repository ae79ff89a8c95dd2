"""The exercise framework, apart from any content: placeholder, feedback, tasks and lessons.

* ``____`` (:class:`Placeholder`): the blank in an exercise cell; a check that receives it says
  "not attempted yet".
* :class:`Feedback` and :class:`Mistake` (from :mod:`.feedback`): what a check says, and how it
  stops at the first problem found.
* :class:`Exercise`: the base class of a task: ``check``, ``hint``, ``solution``, and for the
  cells after a task ``result``, the learner's answer if its check passed, else the worked answer
  (saying which, and never assigning to the learner's names).
* :class:`Lesson`: the exercises of one lesson. Each ``lessonN`` module of this package turns
  itself into one with :meth:`Lesson.adopt`, so ``exercises.lesson2`` is the module
  ``lesson2.py`` and its exercises are that module's names.
"""

from __future__ import annotations

import inspect
import sys
import types

from .answers import answer_key, free_names, run_worked_answer
from .feedback import Feedback, Mistake, show

__all__ = [
    "LESSONS",
    "Exercise",
    "Feedback",
    "Lesson",
    "Mistake",
    "Placeholder",
    "____",
    "is_placeholder",
    "lesson",
]


# --------------------------------------------------------------------------------------------
# The placeholder
# --------------------------------------------------------------------------------------------


class Placeholder:
    """The blank in an exercise cell. A check that receives it says "not attempted yet"."""

    _instance = None

    def __new__(cls):
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self):
        return "____"

    def __bool__(self):
        return False

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        raise AttributeError(
            f"`____.{name}`: this is still the blank `____`. Replace it with your answer (or run "
            "the task's cell above first)."
        )

    def __call__(self, *args, **kwargs):
        raise TypeError(
            "`____(...)`: this is still the blank `____`. Replace it with your answer (or run "
            "the task's cell above first)."
        )


____ = Placeholder()


def is_placeholder(value) -> bool:
    """True for ``____`` itself, or a tuple or list with ``____`` among its items."""
    if value is ____:
        return True
    if isinstance(value, (tuple, list)):
        return any(item is ____ for item in value)
    return False


# --------------------------------------------------------------------------------------------
# The base class of a task and the lessons that hold them
# --------------------------------------------------------------------------------------------


class Exercise:
    """A task with a check, progressive hints, a worked answer, and a result later cells use.

    Subclasses set ``title``, ``hints`` (easiest first), ``solution_details`` and
    ``solution_code``, and implement ``_check(...)``, which returns a :class:`Feedback` or raises
    :class:`Mistake`. Its parameters are named as the task cell names its answer
    (``_check(self, build_model)``), and ``solution_code`` is what a learner could have written in
    that cell: it assigns every name of ``answers`` (default: every parameter of ``_check``).
    Any argument left as the placeholder ``____`` gives "not attempted yet" without calling
    ``_check``, and a check remembers its verdict per answer (:func:`.answers.answer_key`), so
    running it again with the same answer, or asking for the result, does not train again.
    """

    title = "Exercise"
    hints: tuple[str, ...] = ()
    solution_details: tuple[str, ...] = ()
    solution_code: str | None = None
    answers: tuple[str, ...] = ()  # the parameters of _check the learner writes; () = all
    label = "this task"  # how result() names the task: "Task A"

    _REMEMBERED = 16  # verdicts a check keeps, per exercise

    def __init__(self):
        self._hints_shown = 0
        self._verdicts: dict = {}
        self._references: dict = {}

    # -- checking ------------------------------------------------------------------------------

    def check(self, *args, **kwargs) -> Feedback:
        """Check an answer and say what is right or which mistake it shows."""
        if not args and not kwargs or any(is_placeholder(a) for a in (*args, *kwargs.values())):
            return self._not_attempted()
        key = answer_key((args, kwargs))
        if key is not None and key in self._verdicts:
            return self._verdicts[key]
        feedback = self._judge(args, kwargs)
        if key is not None:
            if len(self._verdicts) >= self._REMEMBERED:
                self._verdicts.pop(next(iter(self._verdicts)))
            self._verdicts[key] = feedback
        return feedback

    def _judge(self, args, kwargs) -> Feedback:
        try:
            return self._check(*args, **kwargs)
        except Mistake as mistake:
            return mistake.feedback
        except Exception as exc:  # noqa: BLE001 (an unforeseen answer: explain, no traceback)
            return Feedback(
                "incorrect",
                "The check could not read this answer.",
                [
                    f"{type(exc).__name__}: {exc}",
                    "Compare the type and shape of your answer with the task, or ask for a hint.",
                ],
            )

    def _not_attempted(self) -> Feedback:
        return Feedback(
            "not attempted",
            f"{self.title}: replace each `____` with your answer, then run the cell again.",
        )

    def _check(self, *args, **kwargs) -> Feedback:
        raise NotImplementedError

    # -- hints and the worked answer -------------------------------------------------------------

    def hint(self, n: int | None = None) -> Feedback:
        """Hint ``n`` (1 = gentlest); without ``n``, the next hint not shown yet."""
        if not self.hints:
            return Feedback("hint", "There are no hints for this task.")
        if n is None:
            n = min(self._hints_shown + 1, len(self.hints))
        if int(n) != n or not 1 <= n <= len(self.hints):
            return Feedback("hint", f"Choose a hint between 1 and {len(self.hints)}.")
        n = int(n)
        self._hints_shown = max(self._hints_shown, n)
        details = [self.hints[n - 1]]
        if n == len(self.hints):
            details.append("That was the last hint; `solution()` shows a worked answer.")
        return Feedback("hint", details[0], details[1:], label=f"Hint {n} of {len(self.hints)}")

    def solution(self) -> Feedback:
        """A worked answer with a short explanation."""
        return Feedback("solution", self.title, list(self.solution_details), self.solution_code)

    # -- what later cells use ------------------------------------------------------------------

    def answer_names(self) -> tuple[str, ...]:
        """The names of the learner's answer: ``answers``, or every parameter of ``_check``."""
        return self.answers or tuple(inspect.signature(self._check).parameters)

    def reference(self, names: dict | None = None, **given) -> tuple:
        """The worked answer's values of :meth:`answer_names`, run on the notebook's names.

        ``names`` (default: the caller's global names, i.e. the notebook's) and ``given`` supply
        what the worked answer reads; it runs in a namespace of its own, so none of them is
        changed. Computed once per set of inputs.
        """
        if names is None:
            names = sys._getframe(1).f_globals
        names = {**names, **given}
        needed = sorted(free_names(self.solution_code) & set(names))
        key = tuple((n, answer_key(names[n])) for n in needed)
        if any(k is None for _, k in key):
            key = None
        if key is None or key not in self._references:
            values = run_worked_answer(self.solution_code, names, self.answer_names(), self.title)
            if key is None:
                return values
            self._references[key] = values
        return self._references[key]

    def result(self, *args, names: dict | None = None, **kwargs):
        """The learner's answer if its check passes, else the worked answer; says which.

        Call it as the check is called (``result(build_model)``). The check is not run again for
        an answer it has judged. Returns the values of :meth:`answer_names`: one value, or a
        tuple of them in that order. The learner's own names are never assigned to.
        """
        feedback = self.check(*args, **kwargs)
        wanted = self.answer_names()
        quoted = [f"`{n}`" for n in wanted]
        listed = " and ".join([", ".join(quoted[:-1]), quoted[-1]] if len(quoted) > 1 else quoted)
        if feedback.passed:
            bound = inspect.signature(self._check).bind(*args, **kwargs).arguments
            values = tuple(bound[n] for n in wanted)
            note = Feedback("continue", f"The cells below use your {listed}: its check passed.")
        else:
            values = self.reference(sys._getframe(1).f_globals if names is None else names)
            why = "is not done yet" if feedback.status == "not attempted" else "has not passed"
            note = Feedback(
                "continue",
                f"{self.label[:1].upper()}{self.label[1:]} {why}, so the cells below continue "
                f"with the worked answer's {listed} (yours are left as they are).",
                label="Continuing with the worked answer",
            )
        show(note)
        return values[0] if len(values) == 1 else values

    def __repr__(self):
        return (
            f"{self.title}: call .check(...) with your answer, .hint() for a hint, "
            ".solution() for a worked answer."
        )


class Lesson(types.ModuleType):
    """The exercises of one lesson, as attributes: ``exercises.lesson2.windows``.

    A lesson is a module: each ``lessonN.py`` of this package declares its exercises as module
    names (``windows = WindowsExercise()``) and ends with ``Lesson.adopt(__name__, N)``. Shown, a
    lesson lists its exercises; iterated, it gives their names in the order they were declared.
    """

    number: int

    def __init__(self, number: int, name: str | None = None):
        super().__init__(name or f"lesson{number}")
        self.number = number

    @classmethod
    def adopt(cls, module_name: str, number: int) -> Lesson:
        """Turn the module ``module_name`` into lesson ``number`` and register it in LESSONS."""
        module = sys.modules[module_name]
        module.__class__ = cls
        module.number = number
        LESSONS[number] = module
        return module

    def add(self, name: str, exercise: Exercise) -> Exercise:
        """Register ``exercise`` under ``name`` (a Python identifier) and return it."""
        if not name.isidentifier():
            raise ValueError(f"An exercise name must be a Python identifier, got {name!r}.")
        setattr(self, name, exercise)
        return exercise

    def __iter__(self):
        names = [
            name
            for name, value in vars(self).items()
            if isinstance(value, Exercise) and not name.startswith("_")
        ]
        return iter(names)

    def __repr__(self):
        names = ", ".join(self) or "none yet"
        return f"Lesson {self.number} exercises: {names}"


# Filled by the lesson modules as the package imports them (Lesson.adopt).
LESSONS: dict[int, Lesson] = {}


def lesson(number: int) -> Lesson:
    """The exercises of lesson ``number`` (1-9; 8 is the capstone, 9 the global models)."""
    if number not in LESSONS:
        raise ValueError(f"There are lessons {min(LESSONS)} to {max(LESSONS)}, not {number!r}.")
    return LESSONS[number]
