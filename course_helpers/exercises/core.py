"""The exercise framework, apart from any content: placeholder, feedback, tasks and lessons.

* ``____`` (:class:`Placeholder`): the blank in an exercise cell; a check that receives it says
  "not attempted yet".
* :class:`Feedback`: what a check, a hint or a solution returns; coloured in Jupyter, plain text
  elsewhere, ``.passed``, ``.status`` and ``.message`` for code.
* :class:`Mistake`: raised inside a check to stop at the first problem found.
* :class:`Exercise`: the base class of a task; hint and solution texts are class attributes.
* :class:`Lesson`: the exercises of one lesson. Each ``lessonN`` module of this package turns
  itself into one with :meth:`Lesson.adopt`, so ``exercises.lesson2`` is the module
  ``lesson2.py`` and its exercises are that module's names.
"""

from __future__ import annotations

import html
import re
import sys
import types
from dataclasses import dataclass, field

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
# The placeholder and the feedback a check returns
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


____ = Placeholder()


def is_placeholder(value) -> bool:
    """True for ``____`` itself, or a tuple or list with ``____`` among its items."""
    if value is ____:
        return True
    if isinstance(value, (tuple, list)):
        return any(item is ____ for item in value)
    return False


_STYLES = {  # status: (icon, label, accent colour, background)
    "correct": ("✅", "Correct", "#1a7f37", "#e9f6ec"),
    "partial": ("🟠", "Almost", "#9a6700", "#fff5db"),
    "incorrect": ("❌", "Not yet", "#cf222e", "#fdecec"),
    "not attempted": ("✏️", "Not attempted yet", "#57606a", "#f3f4f6"),
    "hint": ("💡", "Hint", "#0969da", "#eaf2fd"),
    "solution": ("📖", "Solution", "#8250df", "#f3effd"),
}


def _inline_html(text: str) -> str:
    """Escape text for HTML and turn `code` spans into <code> and **bold** into <b>."""
    escaped = html.escape(text)
    escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
    return re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", escaped)


@dataclass
class Feedback:
    """What a check, a hint or a solution says: a status, a headline, details and maybe code.

    Shown as a coloured box in Jupyter (``_repr_html_``), as Markdown where HTML is not rendered and
    as plain text in a terminal. ``passed`` is True only for a correct answer.
    """

    status: str
    title: str
    details: list[str] = field(default_factory=list)
    code: str | None = None
    label: str | None = None  # overrides the status label, e.g. "Hint 2 of 3"

    def __post_init__(self):
        if self.status not in _STYLES:
            raise ValueError(f"Unknown status {self.status!r}; use one of {', '.join(_STYLES)}.")

    @property
    def passed(self) -> bool:
        """True when the answer was checked and is right."""
        return self.status == "correct"

    @property
    def message(self) -> str:
        """The headline and the details as one string (what the tests read)."""
        return "\n".join([self.title, *self.details])

    def _head(self):
        icon, label, *_ = _STYLES[self.status]
        return icon, self.label or label

    def __str__(self):
        icon, label = self._head()
        lines = [f"{icon} {label}: {self.title}"]
        lines += [f"  - {detail}" for detail in self.details]
        if self.code:
            lines += ["", *("    " + line for line in self.code.splitlines())]
        return "\n".join(lines)

    __repr__ = __str__

    def _repr_markdown_(self):
        icon, label = self._head()
        parts = [f"**{icon} {label}:** {self.title}"]
        if self.details:
            parts.append("\n".join(f"- {detail}" for detail in self.details))
        if self.code:
            parts.append(f"```python\n{self.code}\n```")
        return "\n\n".join(parts)

    def _repr_html_(self):
        icon, label = self._head()
        _, _, accent, background = _STYLES[self.status]
        body = [
            (
                f"<div><b style='color:{accent}'>{icon} {html.escape(label)}:</b> "
                f"{_inline_html(self.title)}</div>"
            )
        ]
        if self.details:
            items = "".join(f"<li>{_inline_html(d)}</li>" for d in self.details)
            body.append(f"<ul style='margin:0.3em 0 0 0'>{items}</ul>")
        if self.code:
            body.append(
                "<pre style='margin:0.5em 0 0 0;padding:0.5em;background:#ffffff99'>"
                f"<code>{html.escape(self.code)}</code></pre>"
            )
        return (
            f"<div style='border-left:5px solid {accent};background:{background};"
            f"padding:0.5em 0.9em;margin:0.4em 0;border-radius:4px'>{''.join(body)}</div>"
        )


class Mistake(Exception):
    """Raised inside a check to stop at the first problem found, carrying its feedback."""

    def __init__(self, title: str, *details: str, status: str = "incorrect"):
        super().__init__(title)
        self.feedback = Feedback(status, title, list(details))


# --------------------------------------------------------------------------------------------
# The base class of a task and the lessons that hold them
# --------------------------------------------------------------------------------------------


class Exercise:
    """A task with a check, progressive hints and a solution.

    Subclasses set ``title``, ``hints`` (easiest first), ``solution_details`` / ``solution_code``
    and implement ``_check(*answer)``, which returns a :class:`Feedback` or raises
    :class:`Mistake`. Any argument left as the placeholder ``____`` gives "not attempted yet"
    without calling ``_check``.
    """

    title = "Exercise"
    hints: tuple[str, ...] = ()
    solution_details: tuple[str, ...] = ()
    solution_code: str | None = None

    def __init__(self):
        self._hints_shown = 0

    def check(self, *args, **kwargs) -> Feedback:
        """Check an answer and say what is right or which mistake it shows."""
        if not args and not kwargs or any(is_placeholder(a) for a in (*args, *kwargs.values())):
            return self._not_attempted()
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
    """The exercises of lesson ``number`` (1-8; 8 is the capstone)."""
    if number not in LESSONS:
        raise ValueError(f"There are lessons {min(LESSONS)} to {max(LESSONS)}, not {number!r}.")
    return LESSONS[number]
