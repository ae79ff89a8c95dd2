"""Exercises with feedback: check an answer, ask for hints, reveal a worked solution.

In a notebook::

    from course_helpers import exercises
    from course_helpers.exercises import ____    # the placeholder for "not done yet"

    X = ____
    exercises.lesson2.windows.check(X, y)     # "not attempted yet" until X is filled in
    exercises.lesson2.windows.hint()          # the next hint; hint(2) for the second one
    exercises.lesson2.windows.solution()      # a worked answer

A check returns a :class:`Feedback`: coloured in Jupyter, plain text elsewhere, and ``.passed`` for
code. It names the mistake it recognises (wrong shape, a window off by one, the target inside its
own inputs, shuffled rows, unscaled data, a scaler fitted on the test period, a missing feature axis
for Conv1D/LSTM, ...) instead of only saying "wrong".

Each lesson's tasks hang off a :class:`Lesson`: ``exercises.lesson1`` ... ``exercises.lesson7``. A
new task subclasses :class:`Exercise`, implements ``_check`` and is added with ``Lesson.add``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from .evaluation import N_TEST, mae, persistence, rmse
from .windowing import make_windows, train_test_split

__all__ = [
    "LESSONS",
    "CapabilitiesExercise",
    "Exercise",
    "Feedback",
    "ImproveModelExercise",
    "Lesson",
    "Placeholder",
    "TrainingDataExercise",
    "WindowsExercise",
    "____",
    "lesson",
    "lesson1",
    "lesson2",
    "lesson3",
    "lesson4",
    "lesson5",
    "lesson6",
    "lesson7",
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


def _is_placeholder(value) -> bool:
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


class _Mistake(Exception):
    """Raised inside a check to stop at the first problem found, carrying its feedback."""

    def __init__(self, title: str, *details: str, status: str = "incorrect"):
        super().__init__(title)
        self.feedback = Feedback(status, title, list(details))


# --------------------------------------------------------------------------------------------
# The base class and the per-lesson registry
# --------------------------------------------------------------------------------------------


class Exercise:
    """A task with a check, progressive hints and a solution.

    Subclasses set ``title``, ``hints`` (easiest first), ``solution_details`` / ``solution_code``
    and implement ``_check(*answer)``, which returns a :class:`Feedback` or raises ``_Mistake``.
    Any argument left as the placeholder ``____`` gives "not attempted yet" without calling
    ``_check``.
    """

    title = "Exercise"
    hints: tuple[str, ...] = ()
    solution_details: tuple[str, ...] = ()
    solution_code: str | None = None

    def __init__(self):
        self._hints_shown = 0

    def check(self, *args, **kwargs) -> Feedback:
        """Check an answer and say what is right or which mistake it shows."""
        if not args and not kwargs or any(_is_placeholder(a) for a in (*args, *kwargs.values())):
            return self._not_attempted()
        try:
            return self._check(*args, **kwargs)
        except _Mistake as mistake:
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


class Lesson:
    """The exercises of one lesson, as attributes: ``exercises.lesson2.windows``."""

    def __init__(self, number: int):
        self.number = number
        self._names: list[str] = []

    def add(self, name: str, exercise: Exercise) -> Exercise:
        """Register ``exercise`` under ``name`` (a Python identifier) and return it."""
        if not name.isidentifier():
            raise ValueError(f"An exercise name must be a Python identifier, got {name!r}.")
        if name not in self._names:
            self._names.append(name)
        setattr(self, name, exercise)
        return exercise

    def __iter__(self):
        return iter(self._names)

    def __repr__(self):
        names = ", ".join(self._names) or "none yet"
        return f"Lesson {self.number} exercises: {names}"


LESSONS: dict[int, Lesson] = {n: Lesson(n) for n in range(1, 8)}


def lesson(number: int) -> Lesson:
    """The exercises of lesson ``number`` (1-7)."""
    if number not in LESSONS:
        raise ValueError(f"There are lessons 1 to 7, not {number!r}.")
    return LESSONS[number]


# --------------------------------------------------------------------------------------------
# Shared helpers: the births series, array conversion, scalers, window diagnosis
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _births() -> pd.Series:
    from .data import load_series

    return load_series()


def _numeric(value, what: str) -> np.ndarray:
    """``value`` as a float array, or a _Mistake that says why it is not one."""
    if isinstance(value, str):
        raise _Mistake(f"`{what}` is text; it should be an array of numbers.")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise _Mistake(
            f"`{what}` could not be read as an array of numbers.",
            "Rows of different lengths, text or `None` entries cause this. Build it "
            "with NumPy (`np.array(rows)`) from rows of equal length.",
        ) from None
    if array.ndim == 0:
        raise _Mistake(f"`{what}` is a single number; it should hold one entry per sample.")
    if len(array) == 0:
        raise _Mistake(f"`{what}` is empty: there are no samples in it.")
    return array


def _close(a: np.ndarray, b: np.ndarray, tol: float) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=0, atol=tol))


def _same_rows_any_order(a: np.ndarray, b: np.ndarray, tol: float) -> bool:
    """True when ``a`` and ``b`` hold the same rows, perhaps in another order."""
    if a.shape != b.shape:
        return False

    def lex_sorted(m):
        return m[np.lexsort(m.T[::-1])]

    return _close(lex_sorted(np.round(a, 6)), lex_sorted(np.round(b, 6)), tol)


def _fmt(values) -> str:
    return "[" + ", ".join(f"{v:g}" for v in np.asarray(values).ravel()) + "]"


def _scaler_stats(scaler):
    """(kind, location, spread) of a fitted scaler, or a _Mistake saying why not."""
    if hasattr(scaler, "std_") and hasattr(scaler, "mean_"):  # course_helpers.Scaler
        if scaler.mean_ is None:
            raise _Mistake(
                "The scaler is not fitted yet.",
                "Fit it on the training period only: `scaler = Scaler().fit(train)`.",
            )
        return "standard", float(np.ravel(scaler.mean_)[0]), float(np.ravel(scaler.std_)[0])
    if hasattr(scaler, "scale_") and hasattr(scaler, "mean_"):  # scikit-learn StandardScaler
        return "standard", float(np.ravel(scaler.mean_)[0]), float(np.ravel(scaler.scale_)[0])
    if hasattr(scaler, "data_min_") and hasattr(scaler, "data_max_"):  # scikit-learn MinMaxScaler
        return "minmax", float(np.ravel(scaler.data_min_)[0]), float(np.ravel(scaler.data_max_)[0])
    if hasattr(scaler, "mean_") or hasattr(scaler, "scale_") or hasattr(scaler, "data_min_"):
        raise _Mistake("The scaler is not fitted yet.", "Fit it on the training period only.")
    raise _Mistake(
        f"Cannot read the statistics of a {type(scaler).__name__}.",
        "Use `course_helpers.Scaler` (or scikit-learn's StandardScaler or "
        "MinMaxScaler) and pass the fitted scaler.",
    )


def _check_scaler(scaler, series: pd.Series, n_test: int) -> None:
    """Raise a _Mistake unless ``scaler`` learned its statistics from the training period only."""
    kind, first, second = _scaler_stats(scaler)
    train, test = train_test_split(series, n_test)

    def stats(part):
        values = part.to_numpy(dtype=float)
        if kind == "standard":
            return values.mean(), (values.std(), values.std(ddof=1))
        return values.min(), (values.max(),)

    def matches(part):
        location, spreads = stats(part)
        return abs(first - location) < 1e-6 * max(1, abs(location)) and any(
            abs(second - s) < 1e-6 * max(1, abs(s)) for s in spreads
        )

    if matches(train):
        return
    name = "mean" if kind == "standard" else "minimum"
    expected = stats(train)[0]
    if matches(series):
        raise _Mistake(
            f"The scaler was fitted on the whole series ({name} {first:.3f}), test days included.",
            f"The training period alone has {name} {expected:.3f}. Statistics taken from the test "
            "period let the future shape the inputs: a small but real leak.",
            "Split first, then fit on the training part only: "
            f"`train, test = train_test_split(series, {n_test})` and `Scaler().fit(train)`.",
        )
    if matches(test):
        raise _Mistake(
            f"The scaler was fitted on the test period ({name} {first:.3f}).",
            f"Fit it on the training period (the first {len(train)} days, {name} "
            f"{expected:.3f}) and use those statistics for the test days too.",
        )
    raise _Mistake(
        f"The scaler's {name} is {first:.3f}, but the training period's is {expected:.3f}.",
        f"Fit the scaler on exactly the training period: the first {len(train)} days "
        f"(`train_test_split(series, {n_test})`).",
    )


def _transform(scaler, values: np.ndarray) -> np.ndarray:
    """Apply a scaler to a 1-D array, whether it wants 1-D (ours) or a column (scikit-learn)."""
    try:
        out = np.asarray(scaler.transform(values), dtype=float)
        if out.shape == values.shape:
            return out
    except (ValueError, TypeError):
        pass
    return np.asarray(scaler.transform(values.reshape(-1, 1)), dtype=float).ravel()


def _window_fix(n: int) -> str:
    return (
        f"Row i of X should be `series[i : i + {n}]` and y[i] the value right after it, "
        f"`series[i + {n}]`."
    )


def _diagnose_targets(X, y, values, n, tol, first=0):
    """X holds the right windows in order, from window ``first`` on; say what is wrong with y."""
    N = len(X)
    for k in (*range(1, 6), -n - 1):  # y taken k steps too late, or from before the window
        idx = np.arange(N) + first + n + k
        if idx.min() >= 0 and idx.max() < len(values) and _close(y, values[idx], tol):
            if k > 0:
                raise _Mistake(
                    f"y is the value {k + 1} steps after each window, not the next one "
                    f"(off by {k}).",
                    f"For the window {_fmt(X[0])} the target is the next value, "
                    f"{values[first + n]:g}; "
                    f"you have {y[0]:g}. {_window_fix(n)}",
                )
            raise _Mistake(
                "y is the value just before each window, not the one after it.", _window_fix(n)
            )
    expected = values[first + n : first + n + N]
    if _close(np.sort(y), np.sort(expected), tol):
        raise _Mistake(
            "y holds the right values but in another order than X, so each window is paired "
            "with the wrong target.",
            "If you shuffle, shuffle X and y together with the same permutation; for a time "
            "series, better keep both in time order.",
        )
    wrong = int(np.argmax(~np.isclose(y, expected, rtol=0, atol=tol)))
    raise _Mistake(
        "y is not the value right after each window.",
        f"Row {wrong}: the window {_fmt(X[wrong])} should have target {expected[wrong]:g}, "
        f"but y[{wrong}] is {y[wrong]:g}. {_window_fix(n)}",
    )


def _diagnose_windows(X, y, values, n, *, tol, shuffle_ok=False, units="births"):
    """Raise a _Mistake naming what differs between (X, y) and the windows of ``values``.

    Returns None for the windows in time order, or "shuffled" for the right (window, target)
    pairs in another order when ``shuffle_ok``.
    """
    exp_X, exp_y = make_windows(values, n)  # (N, n), (N,)
    N = len(exp_X)
    for j in range(n):  # the target inside its own inputs
        if _close(X[:, j], y, tol):
            where = "the last value" if j == n - 1 else f"column {j}"
            raise _Mistake(
                f"The target leaks into the inputs: y[i] equals X[i, {j}], {where} of its own "
                "window.",
                "A model shown the answer among its inputs learns to copy it and fails on new "
                f"data, where that value is still in the future. {_window_fix(n)}",
            )
    if _close(X, exp_X, tol):
        if _close(y, exp_y, tol):
            return
        _diagnose_targets(X, y, values, n, tol)
    if len(X) < N:
        short = N - len(X)
        if _close(X, exp_X[: len(X)], tol):
            if not _close(y, exp_y[: len(X)], tol):
                _diagnose_targets(X, y, values, n, tol)
            raise _Mistake(
                (
                    "The last window is missing"
                    if short == 1
                    else f"The last {short} windows are missing"
                )
                + f": you have {len(X)} samples, a window of {n} leaves {N} "
                f"({len(values)} - {n}).",
                (
                    "An off-by-one in the loop: `range(len(series) - n_in - 1)` stops one window "
                    "early; `range(len(series) - n_in)` gives them all."
                )
                if short == 1
                else "Slide the window up to the last full window (the last row ends one day "
                "before the final day, which is the last target).",
            )
        if _close(X, exp_X[short:], tol):
            if not _close(y, exp_y[short:], tol):
                _diagnose_targets(X, y, values, n, tol, first=short)
            raise _Mistake(
                (
                    "The first window is missing"
                    if short == 1
                    else f"The first {short} windows are missing"
                )
                + f": you have {len(X)} samples, a window of {n} leaves {N}.",
                "Start at the very first day: the first row is `series[0 : n_in]`.",
            )
        for step in range(2, n + 2):
            if _close(X, exp_X[::step], tol):
                raise _Mistake(
                    f"Your windows jump {step} days at a time, so you get {len(X)} samples "
                    f"instead of {N}.",
                    "Slide the window one day at a time: overlapping windows are fine and give "
                    "the model many more examples.",
                )
    if len(X) > N:
        raise _Mistake(
            f"You have {len(X)} samples, but only {N} windows of {n} fit in {len(values)} "
            "values with a target after each.",
            "Windows that run past the end are padded or wrap around; stop at the last window "
            f"that still has a target: {_window_fix(n)}",
        )
    if _same_rows_any_order(X, exp_X, tol):
        if shuffle_ok and _same_rows_any_order(
            np.column_stack([X, y]), np.column_stack([exp_X, exp_y]), tol
        ):
            return "shuffled"
        raise _Mistake(
            "The windows are right but not in time order (shuffled).",
            "Keep the samples in the order of the series: the first row starts on the first "
            "day. Shuffling a time series before splitting it mixes future days into training "
            "and makes the test error look better than it will be.",
        )
    if _close(X[:, ::-1], exp_X, tol):
        raise _Mistake(
            "Each window runs backwards: newest value first.",
            "Keep the oldest value in the first column and the newest in the last, the order "
            "`make_windows` and the models of the course use. With `shift`, list the columns "
            "from the largest shift to the smallest.",
        )
    if X.shape == exp_X.shape:
        slope, intercept = np.polyfit(exp_X.ravel(), X.ravel(), 1)
        if _close(X, slope * exp_X + intercept, 1e-6 * max(1.0, abs(intercept))) and not (
            abs(slope - 1) < 1e-9 and abs(intercept) < 1e-9
        ):
            raise _Mistake(
                f"X holds the right windows but transformed (scaled) values, not {units}.",
                f"This task compares with the series in {units}: make the windows from the "
                "values themselves.",
            )
    raise _Mistake(
        f"The rows of X are not consecutive windows of the series ({units}).",
        f"The first window should be {_fmt(exp_X[0])} -> {exp_y[0]:g}; your first row is "
        f"{_fmt(X[0])}. {_window_fix(n)}",
    )


def _model_input_shape(model, n_steps: int):
    """Per-sample input shape the model wants, from a Keras model or a model name."""
    if model is None:
        return None
    if hasattr(model, "inputs"):
        return tuple(int(d) for d in model.inputs[0].shape[1:])
    from .models import DEFAULTS, MODEL_NAMES

    if model not in MODEL_NAMES:
        raise ValueError(f"Unknown model {model!r}. Choose one of {', '.join(MODEL_NAMES)}.")
    if model == "mlp":
        return (n_steps,)
    if model == "cnn_lstm":
        n_seq = DEFAULTS["cnn_lstm"].kwargs.get("n_seq", 2)
        return (n_seq, n_steps // n_seq, 1)
    return (n_steps, 1)


_RNN_CNN = "Conv1D and LSTM layers read samples shaped (timesteps, features)"


def _check_input_shape(X: np.ndarray, model) -> None:
    """Raise a _Mistake when X does not have the per-sample shape ``model`` takes."""
    n_steps = int(np.prod(X.shape[1:]))
    expected = _model_input_shape(model, n_steps)
    if expected is None or tuple(X.shape[1:]) == expected:
        return
    want = f"({len(X)}, {', '.join(map(str, expected))})"
    if len(expected) == 2 and X.ndim == 2:
        raise _Mistake(
            f"X has shape {X.shape}: the feature axis for Conv1D/LSTM is missing.",
            f"{_RNN_CNN}, so X must be {want}. Add the axis with "
            "`add_feature_axis(X)` or `X.reshape(len(X), -1, 1)`.",
        )
    if len(expected) == 3 and X.ndim in (2, 3):
        raise _Mistake(
            f"X has shape {X.shape}, but the CNN-LSTM reads subsequences: {want}.",
            f"Split each window with `to_subsequences(X, {expected[0]})`.",
        )
    if len(expected) == 1 and X.ndim > 2:
        raise _Mistake(
            f"X has shape {X.shape}, but an MLP takes flat rows: {want}.",
            "Flatten each sample with `X.reshape(len(X), -1)`.",
        )
    raise _Mistake(
        f"X has shape {X.shape}, but the model takes {want}.",
        "Reshape X, or build the model for the window length you chose.",
    )


# --------------------------------------------------------------------------------------------
# Lesson 1: capabilities of CNNs and RNNs (free text)
# --------------------------------------------------------------------------------------------

# Each idea and the words (regular expressions) that show it in an answer.
CNN_IDEAS = {
    "learn local patterns (features) from short stretches of the series": (
        "local",
        "pattern",
        "motif",
        "shape",
        "spike",
        "peak",
        "bump",
        "edge",
        "feature",
        "filter",
        "kernel",
        "convol",
    ),
    "learn features straight from the raw values, with no hand-made features": (
        r"\braw\b",
        "automatic",
        "by (it|them)sel",
        "hand[- ]?(made|craft)",
        "manual",
        "feature (extraction|learning)",
    ),
    "recognise a pattern wherever it occurs (shift invariance)": (
        "invarian",
        "shift",
        "anywhere",
        "wherever",
        "translation",
        "position",
        "location",
        "regardless",
    ),
    "read long inputs efficiently: shared weights, few parameters, parallel, pooling": (
        "parallel",
        "efficien",
        "fast",
        "fewer parameters",
        "weight[- ]shar",
        "shared weights",
        "pooling",
        "downsampl",
        "less memory",
    ),
    "read several input series at once as channels": (
        "channel",
        "multivariate",
        "multiple (input )?(series|variables)",
    ),
}
RNN_IDEAS = {
    "take the order of the values into account, step by step": (
        r"\border",
        "sequen",
        "step[- ]by[- ]step",
        "one step at a time",
        "temporal",
        "time steps",
        "over time",
    ),
    "keep a memory (state) of what came before: long-range dependence": (
        "memory",
        "remember",
        r"\bstate",
        "long[- ](term|range)",
        "dependenc",
        "context",
        "history",
        r"\bpast\b",
    ),
    "accept inputs of different lengths": (
        "variable[- ]length",
        "any length",
        "different lengths",
        "arbitrary length",
        "varying length",
    ),
    "produce sequences as output (multi-step forecasts)": (
        "seq(uence)?[ -]?(2|to)[ -]?seq",
        "multi[- ]step",
        "output sequence",
        "sequence output",
    ),
    "gates (LSTM) learn what to keep and what to forget": (r"\bgate", "forget", "vanishing"),
}


def _ideas(text: str, ideas: dict[str, tuple[str, ...]]) -> list[str]:
    """The ideas whose words occur in ``text``."""
    lowered = text.lower()
    return [idea for idea, words in ideas.items() if re.search("|".join(words), lowered)]


class CapabilitiesExercise(Exercise):
    """Lesson 1: one capability of CNNs and one of RNNs that helps forecasting (free text).

    The check looks for recognisable ideas by keyword; it cannot grade prose, so it says which
    ideas it found and points to the example answers.
    """

    title = "One capability of CNNs and one of RNNs for forecasting"
    hints = (
        (
            "Think about what each layer looks at. A convolution slides a small filter along the "
            "series; a recurrent layer reads the series one step at a time and carries a state."
        ),
        (
            "For the CNN: what can a small filter that slides along the whole window notice, and "
            "does it matter where in the window that happens? For the RNN: what does the state "
            "carried from step to step let it do?"
        ),
        (
            "Name one idea per network in a sentence, e.g. for CNNs something about *local "
            "patterns*, for RNNs something about *order* or *memory*."
        ),
    )
    solution_details = (
        (
            "**CNNs:** they learn local patterns straight from the raw values (a filter is a small "
            "pattern detector), and because the same filter slides along the whole window they "
            "recognise a pattern wherever it occurs. Shared weights keep them small and fast on "
            "long inputs, and several input series can be read as channels."
        ),
        (
            "**RNNs (LSTMs):** they read a sequence in order, one step at a time, and carry a "
            "state that acts as memory, so they can learn dependence on values far back. The same "
            "cell handles inputs of any length, and a decoder can emit a whole sequence as output."
        ),
        "Any one idea per network is a good answer; these are examples, not the only ones.",
    )

    def _check(self, cnn=____, rnn=____):
        if _is_placeholder((cnn, rnn)):
            return self._not_attempted()
        answers = {"cnn": cnn, "rnn": rnn}
        for name, answer in answers.items():
            if not isinstance(answer, str):
                raise _Mistake(
                    f'Write the `{name}` answer as text in quotes, e.g. `{name} = "..."`.'
                )
        found = {"cnn": _ideas(cnn, CNN_IDEAS), "rnn": _ideas(rnn, RNN_IDEAS)}
        crossed = {"cnn": _ideas(cnn, RNN_IDEAS), "rnn": _ideas(rnn, CNN_IDEAS)}
        notes, missing = [], []
        for name, label, other in (
            ("cnn", "CNNs", "recurrent networks"),
            ("rnn", "RNNs", "convolutional networks"),
        ):
            text = answers[name].strip()
            if found[name]:
                notes.append(f"{label}: recognised *{found[name][0]}*.")
            elif not text:
                missing.append(f"{label}: the answer is empty.")
            elif len(text.split()) < 3:
                missing.append(
                    f'{label}: "{text}" is too short to tell; write a sentence '
                    "about what the network does with a sequence."
                )
            elif crossed[name]:
                missing.append(
                    f"{label}: that sounds like {other} (*{crossed[name][0]}*). "
                    "What is special about this kind of network?"
                )
            else:
                missing.append(
                    f"{label}: no capability recognised. Say what the network does "
                    "with the values of the window that helps it forecast."
                )
        if not missing:
            return Feedback(
                "correct",
                "Both answers name a real capability.",
                [*notes, "Compare with the example answers: `solution()`."],
            )
        if notes:
            return Feedback(
                "partial",
                "One answer names a capability, the other not yet.",
                [
                    *notes,
                    *missing,
                    (
                        "A keyword check can miss a good answer in unusual words; the "
                        "example answers in `solution()` help you judge."
                    ),
                ],
            )
        return Feedback(
            "incorrect",
            "Neither answer names a capability the check recognises.",
            [
                *missing,
                (
                    "A keyword check can miss a good answer in unusual words; "
                    "the example answers in `solution()` help you judge."
                ),
            ],
        )


# --------------------------------------------------------------------------------------------
# Lesson 2: windows of the births series, and training data ready for a model
# --------------------------------------------------------------------------------------------


def _read_windows(X, y, n_in):
    """X as (samples, n) and y as (samples,), with shape mistakes named."""
    X = _numeric(X, "X")
    y = _numeric(y, "y")
    if X.ndim == 3 and X.shape[2] == 1:
        X = X[..., 0]  # already shaped for Conv1D/LSTM: fine, compare the windows
    if X.ndim != 2:
        raise _Mistake(
            f"X has shape {X.shape}; it should be a table with one row per sample: "
            "(samples, n_in).",
            "A single window or a flat list of values is not enough: stack one row per window, "
            "e.g. `np.array(rows)`.",
        )
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim == 2:
        raise _Mistake(
            f"y has shape {y.shape}: {y.shape[1]} values per sample, but this task asks for one "
            "output per window (the next day).",
            "Several outputs at once come back in lesson 7; here take only the next value.",
        )
    if y.ndim != 1:
        raise _Mistake(f"y has shape {y.shape}; it should hold one target per sample: (samples,).")
    if np.isnan(X).any() or np.isnan(y).any():
        raise _Mistake(
            "There are missing values (NaN) in X or y.",
            "With `shift`, the first rows have nothing to look back on and the last rows "
            "nothing to look forward to: drop them with `.dropna()` before taking the values.",
        )
    if n_in is not None:
        if not isinstance(n_in, (int, np.integer)) or n_in < 1:
            raise _Mistake(f"n_in should be a whole number of at least 1, got {n_in!r}.")
        if X.shape[1] != n_in:
            if X.shape[0] == n_in and X.shape[1] == len(y):
                raise _Mistake(
                    f"X looks transposed: shape {X.shape}; rows should be samples.",
                    "Use `X.T`, or build one row per window.",
                )
            if X.shape[1] == n_in - 1:
                raise _Mistake(
                    f"Off by one: you chose n_in = {n_in} but each row of X has {n_in - 1} values.",
                    "A slice `series[i : i + n_in]` holds n_in values; `i + n_in - 1` stops "
                    "one short. " + _window_fix(n_in),
                )
            if X.shape[1] == n_in + 1:
                raise _Mistake(
                    f"Off by one: you chose n_in = {n_in} but each row of X has {n_in + 1} values.",
                    "A slice `series[i : i + n_in + 1]` also takes the target into the window. "
                    + _window_fix(n_in),
                )
            raise _Mistake(
                f"You chose n_in = {n_in}, but each row of X has {X.shape[1]} values.",
                _window_fix(n_in),
            )
    if X.shape[1] == len(y) and len(X) != len(y):
        raise _Mistake(
            f"X looks transposed: shape {X.shape}; rows should be samples.",
            "Use `X.T`, or build one row per window.",
        )
    if len(X) != len(y):
        raise _Mistake(
            f"X has {len(X)} rows but y has {len(y)} values; there should be one target per window."
        )
    return X, y


class WindowsExercise(Exercise):
    """Lesson 2: turn the births series into supervised samples (X, y) with a window of choice."""

    title = "Births as supervised samples"
    hints = (
        (
            "Pick a window width `n_in` (a week, 7, is a natural choice). Each sample is `n_in` "
            "consecutive days as inputs and the day right after them as the target."
        ),
        (
            "With a loop: for each start `i` from 0, the inputs are `values[i : i + n_in]` and the "
            "target is `values[i + n_in]`. How many starts are there before the target runs off "
            "the end of 365 values?"
        ),
        (
            "`values = births.to_numpy()`, then `range(len(values) - n_in)` gives every start. "
            "Collect rows in two lists and turn them into arrays with `np.array`. "
            "`make_windows(births, n_in)` should give the very same arrays."
        ),
    )
    solution_details = (
        "Every start i from 0 to len(values) - n_in - 1 gives one sample: 365 - n_in in all.",
        "`make_windows(births, n_in)` returns the same X and y in one call.",
    )
    solution_code = (
        "n_in = 7\n"
        "values = births.to_numpy()\n"
        "rows, targets = [], []\n"
        "for i in range(len(values) - n_in):\n"
        "    rows.append(values[i : i + n_in])   # n_in days of inputs\n"
        "    targets.append(values[i + n_in])    # the day right after them\n"
        "X, y = np.array(rows), np.array(targets)  # X: (358, 7), y: (358,)\n"
        "exercises.lesson2.windows.check(X, y, n_in=n_in)"
    )

    def _check(self, X=____, y=____, n_in=None):
        if _is_placeholder((X, y)):
            return self._not_attempted()
        values = _births().to_numpy(dtype=float)
        X, y = _read_windows(X, y, n_in)
        n = X.shape[1]
        if n >= len(values):
            raise _Mistake(
                f"A window of {n} days leaves no sample in a series of {len(values)} days."
            )
        _diagnose_windows(X, y, values, n, tol=1e-9)
        return Feedback(
            "correct",
            f"X has shape {X.shape} and y {y.shape}: {len(X)} samples from {len(values)} days "
            f"with a window of {n}.",
            [
                f"First sample: {_fmt(X[0])} -> {y[0]:g}; last: {_fmt(X[-1])} -> {y[-1]:g}.",
                "Each row is consecutive days in time order and its target is the day right after.",
            ],
        )


class TrainingDataExercise(Exercise):
    """Split the births series in time, scale with training statistics, window the training part.

    ``model`` (a name from ``MODEL_NAMES`` or a Keras model) fixes the input shape to check;
    ``None`` accepts flat (samples, n_in) or (samples, n_in, 1) windows.
    """

    title = "Training samples without leakage"
    hints = (
        (
            "Three steps in this order: split the series in time (the last 100 days are the test "
            "set), fit the scaler on the training part only, then make windows from the scaled "
            "training values."
        ),
        (
            "`train, test = train_test_split(births, 100)`, `scaler = Scaler().fit(train)`, "
            "`make_windows(scaler.transform(train), n_in)`."
        ),
        (
            "Conv1D and LSTM layers need a feature axis: (samples, n_in) -> (samples, n_in, 1) "
            "with `add_feature_axis(X_train)`; an MLP takes the flat rows as they are."
        ),
    )
    solution_details = (
        "Splitting before scaling keeps every statistic of the test days out of training.",
        "Windows made from the training part alone never contain a test day.",
    )
    solution_code = (
        "train, test = train_test_split(births, 100)   # 265 and 100 days, in time order\n"
        "scaler = Scaler().fit(train)                  # mean and std of the training days only\n"
        "X_train, y_train = make_windows(scaler.transform(train), 7)  # (258, 7), (258,)\n"
        "# for Conv1D or LSTM models: X_train = add_feature_axis(X_train)  -> (258, 7, 1)\n"
        "exercises.lesson2.training_data.check(X_train, y_train, scaler)"
    )

    def __init__(self, model=None, n_test: int = N_TEST):
        super().__init__()
        self.model = model
        self.n_test = n_test

    def _check(self, X_train=____, y_train=____, scaler=____, model=None):
        if _is_placeholder((X_train, y_train, scaler)):
            return self._not_attempted()
        series = _births()
        model = self.model if model is None else model
        _check_scaler(scaler, series, self.n_test)
        raw_X = _numeric(X_train, "X_train")
        _check_input_shape(raw_X, model)
        X = raw_X.reshape(len(raw_X), -1)  # windows in time order, whatever the model's shape
        X, y = _read_windows(X, y_train, None)
        n = X.shape[1]
        train, _ = train_test_split(series, self.n_test)
        raw_train = train.to_numpy(dtype=float)
        if n >= len(raw_train):
            raise _Mistake(
                f"A window of {n} days leaves no sample in {len(raw_train)} training days."
            )
        raw_all = series.to_numpy(dtype=float)
        if any(_close(X, make_windows(v, n)[0], 1e-6) for v in (raw_train, raw_all)):
            raise _Mistake(
                f"X_train holds unscaled values (births, mean {X.mean():.1f}).",
                "Scale before windowing: `make_windows(scaler.transform(train), n_in)`. "
                "Networks train best on values near 0 with a spread near 1.",
            )
        scaled_all = _transform(scaler, raw_all)
        whole_X, _ = make_windows(scaled_all, n)
        if _close(X, whole_X, 1e-6) or len(X) > len(raw_train) - n:
            raise _Mistake(
                f"The windows run into the test period: {len(X)} samples, but the "
                f"{len(raw_train)} training days give only {len(raw_train) - n}.",
                "Split first, then window only the training part: the model must never train "
                f"on the last {self.n_test} days it will be tested on.",
            )
        order = _diagnose_windows(
            X,
            y,
            scaled_all[: len(raw_train)],
            n,
            tol=1e-6,
            shuffle_ok=True,
            units="scaled training values",
        )
        shape = f"{raw_X.shape}" + (f" ready for {model!r}" if isinstance(model, str) else "")
        details = [
            (
                f"{len(X)} samples from {len(raw_train)} training days with a window of {n}; "
                f"the last {self.n_test} days stay unseen for testing."
            )
        ]
        if order == "shuffled":
            details.append(
                "The training samples are shuffled, each with its own target: fine "
                "for training (never for the test period)."
            )
        return Feedback(
            "correct",
            f"X_train {shape}, y_train {y.shape}: scaled with training statistics, windows "
            "inside the training period.",
            details,
        )


# --------------------------------------------------------------------------------------------
# Lessons 3-7: improve on the lesson's default model, on the fixed protocol
# --------------------------------------------------------------------------------------------

LESSON_MODELS = {3: "mlp", 4: "cnn", 5: "lstm", 6: "cnn_lstm", 7: "encoder_decoder"}
MODEL_TITLES = {
    "mlp": "MLP",
    "cnn": "CNN",
    "lstm": "LSTM",
    "cnn_lstm": "CNN-LSTM",
    "encoder_decoder": "encoder-decoder LSTM",
}
SUSPICIOUS = 0.6  # an RMSE below 60 % of persistence's on births points to a leak, not skill

# Settings that improve on each lesson's default (mean RMSE over seeds 0-2 on the protocol), with
# the reason shown to the learner. tests/test_exercises.py runs each solution as shown, through the
# check against the default, so a solution shown to learners is known to pass.
SOLUTION_SETTINGS: dict[str, tuple[dict, str]] = {
    "mlp": (
        {"units": 32},
        "Twice the hidden units of the default: room for a slightly richer mapping from the "
        "week to the next day, still small enough not to memorise the noise.",
    ),
    "cnn": (
        {"epochs": 8},
        "Two epochs fewer than the default's 10: on this noisy series the CNN starts fitting the "
        "noise soon after it has found the level, so stopping earlier helps a little.",
    ),
    "lstm": (
        {"epochs": 15},
        "A few more epochs than the default's 10: the LSTM was still learning when it stopped.",
    ),
    "cnn_lstm": (
        {"epochs": 30},
        "More epochs than the default's 22: the two-stage model needs a little longer to train.",
    ),
    "encoder_decoder": (
        {"units": 32},
        "Twice the units in the encoder and decoder LSTMs: more room to summarise the week.",
    ),
}


def _rmse_of(value) -> float | None:
    """The RMSE of a Run, a Result, a number, or the mean over a list of them."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)):
        return float(np.mean([_rmse_of(v) for v in value]))
    if hasattr(value, "result"):
        value = value.result
    return float(value.rmse) if hasattr(value, "rmse") else float(value)


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
    """

    def __init__(self, lesson: int, model: str | None = None, n_test: int = N_TEST):
        super().__init__()
        if model is None:
            if lesson not in LESSON_MODELS:
                raise ValueError(
                    f"Give the model for lesson {lesson}: one of {', '.join(MODEL_TITLES)}."
                )
            model = LESSON_MODELS[lesson]
        self.lesson, self.model, self.n_test = lesson, model, n_test
        name = MODEL_TITLES.get(model, model)
        settings, reason = SOLUTION_SETTINGS.get(
            model, ({"epochs": 50}, "More epochs let the model learn a little more.")
        )
        args = ", ".join(f"{k}={v!r}" for k, v in settings.items())
        check = f"exercises.lesson{lesson}.improve.check"
        self.title = f"Improve on the lesson's {name} for the births series"
        self.hints = (
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
                f"`train_and_evaluate({model!r}, window=..., epochs=..., seed=0, ...)` also takes "
                "the builder's arguments (units, dropout, learning_rate, ...). Check a run with "
                f"`{check}(run)`, or several seeds at once with `{check}(runs, default=...)`: "
                "one lucky seed can mislead."
            ),
        )
        self.solution_details = (
            f"`{args}`: {reason}",
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
        self.solution_code = (
            f"default_runs = [train_and_evaluate({model!r}, seed=seed) for seed in range(3)]\n"
            f"runs = [train_and_evaluate({model!r}, {args}, seed=seed) for seed in range(3)]\n"
            f"{check}(runs, default=default_runs)"
        )

    def _unwrap(self, answer, scaler):
        if hasattr(answer, "result") and hasattr(answer, "task"):  # a Run
            scaler = answer.task.scaler if scaler is None else scaler
            answer = answer.result
        per_horizon = getattr(answer, "per_horizon", None)
        if hasattr(answer, "predictions") and hasattr(answer, "rmse"):  # a Result
            answer = answer.predictions
        if hasattr(answer, "evaluate") and hasattr(answer, "scaler"):
            raise _Mistake(
                "That is the task itself; pass its result instead.",
                "`result = task.evaluate(model)`, then `check(result, task.scaler)`.",
            )
        if hasattr(answer, "predict") and hasattr(answer, "layers"):
            raise _Mistake(
                "That is a model; pass its forecasts of the test period instead.",
                "`result = task.evaluate(model)` (a `ForecastTask`) or "
                "`run = train_and_evaluate(...)`; then check the result or run.",
            )
        return answer, scaler, per_horizon

    def _score(self, answer, scaler, series, train, test):
        """Check one answer; return (rmse, mae, per_horizon, scaler, copies persistence)."""
        answer, scaler, per_horizon = self._unwrap(answer, scaler)
        predictions = self._check_protocol(answer, series, test)
        if scaler is not None:
            _check_scaler(scaler, series, self.n_test)
        values, actual = predictions.to_numpy(dtype=float), test.to_numpy(dtype=float)
        self._check_units(values, actual, train)
        naive = persistence(series, self.n_test).to_numpy(dtype=float)
        score = rmse(actual, values)
        self._check_leakage(values, actual, score, rmse(actual, naive))
        return score, mae(actual, values), per_horizon, scaler, _close(values, naive, 0.05)

    def _check(self, answer=____, scaler=None, *, default=None):
        if answer is ____:
            return self._not_attempted()
        series = _births()
        train, test = train_test_split(series, self.n_test)
        answers = list(answer) if isinstance(answer, (list, tuple)) else [answer]
        if not answers:
            raise _Mistake("The list is empty: pass at least one run or result.")
        scored = []
        for number, one in enumerate(answers, start=1):
            try:
                scored.append(self._score(one, scaler, series, train, test))
            except _Mistake as mistake:
                if len(answers) > 1:
                    mistake.feedback.title = f"Run {number} of {len(answers)}: " + (
                        mistake.feedback.title
                    )
                raise
        rmses = np.array([s[0] for s in scored])
        score = float(rmses.mean())
        persistence_rmse = rmse(test, persistence(series, self.n_test))
        if len(scored) == 1:
            _, mae_, per_horizon, used_scaler, copies = scored[0]
            what = f"RMSE {score:.3f}"
            details = [
                f"RMSE {score:.3f} births (MAE {mae_:.3f}); persistence {persistence_rmse:.3f}."
            ]
            if per_horizon is not None:
                details += [
                    f"{h} day(s) ahead: RMSE {row['rmse']:.3f} (persistence "
                    f"{row['persistence_rmse']:.3f})"
                    for h, row in per_horizon.iterrows()
                ]
        else:
            used_scaler = scored[0][3]
            copies = all(s[4] for s in scored)
            what = f"mean RMSE {score:.3f}"
            each = ", ".join(f"{r:.3f}" for r in rmses)
            details = [
                f"Mean RMSE over {len(scored)} runs {score:.3f} ± {rmses.std(ddof=1):.3f} births "
                f"(each: {each}); persistence {persistence_rmse:.3f}."
            ]
        if used_scaler is None:
            details.append(
                "Pass the scaler as well (`check(result, scaler)`) to have its "
                "statistics checked too."
            )
        if score >= persistence_rmse:
            if copies:
                details.insert(
                    0,
                    "The forecasts are yesterday's values: the model learned to "
                    "copy the last input. More epochs or a longer window usually "
                    "help it find more than that.",
                )
            return Feedback(
                "incorrect",
                f"Protocol respected, but {what} does not beat "
                f"persistence ({persistence_rmse:.3f}).",
                details,
            )
        default_rmse = _rmse_of(default)
        if default_rmse is not None and score >= default_rmse:
            return Feedback(
                "partial",
                f"Beats persistence, but not yet the lesson's default "
                f"({what} vs {default_rmse:.3f}).",
                [*details, "Try another setting; `hint()` suggests where to look."],
            )
        headline = f"Honest forecasts that beat persistence: {what} < {persistence_rmse:.3f}."
        if default_rmse is not None:
            headline += f" The lesson's default had {default_rmse:.3f}."
        if len(scored) == 1:
            details.append(
                "One seed can be lucky: repeat with a few seeds before you trust the gain."
            )
        return Feedback("correct", headline, details)

    def _check_protocol(self, predictions, series, test) -> pd.Series:
        n = self.n_test
        span = f"{test.index[0]:%Y-%m-%d} to {test.index[-1]:%Y-%m-%d}"
        if isinstance(predictions, pd.DataFrame):
            raise _Mistake(
                "These are forecasts for several horizons (a table); pass one Series.",
                "For multi-step forecasts pass the one-day-ahead column (`paths[1]`) or the "
                "`Result` of `task.evaluate(model)`.",
            )
        if not isinstance(predictions, pd.Series):
            array = np.asarray(predictions)
            raise _Mistake(
                f"Pass the forecasts as a pandas Series indexed by the test dates, not a "
                f"{type(predictions).__name__} of shape {array.shape}.",
                "`pd.Series(forecasts.ravel(), index=test.index)` attaches the dates, so the "
                "check can confirm each forecast belongs to its day.",
            )
        if predictions.isna().any():
            raise _Mistake(
                f"{int(predictions.isna().sum())} forecast(s) are missing (NaN).",
                "Every one of the 100 test days needs a forecast.",
            )
        if not isinstance(predictions.index, pd.DatetimeIndex):
            raise _Mistake(
                "The forecasts are not indexed by dates.",
                f"Index them by the test dates ({span}): `pd.Series(values, index=test.index)`.",
            )
        if len(predictions) != n:
            first, last = predictions.index.min(), predictions.index.max()
            detail = (
                f"The test period is the last {n} days, {span}; yours run from "
                f"{first:%Y-%m-%d} to {last:%Y-%m-%d}."
            )
            if len(predictions) < n and first > test.index[0]:
                detail += (
                    " The first test days have no forecast: windows made from the test "
                    "values alone cannot cover them. Let each window reach back into the "
                    "training days, as `walk_forward` does."
                )
            elif first < test.index[0]:
                detail += " Forecasts of training days do not count; keep only the test days."
            raise _Mistake(
                f"There are {len(predictions)} forecasts, but the test period has {n} days.", detail
            )
        if predictions.index.equals(test.index):
            return predictions
        if predictions.index.sort_values().equals(test.index):
            raise _Mistake(
                "The test days are shuffled: the forecasts are not in date order.",
                "Never shuffle the test period. Walk forward through it day by day, so each "
                "forecast uses only days before it, and keep the dates in order.",
            )
        position = series.index.get_indexer(predictions.index[:1])[0]
        shift = position - (len(series) - n)
        if (
            position >= 0
            and 0 < abs(shift) <= 7
            and predictions.index.equals(series.index[position:][:n])
        ):
            raise _Mistake(
                f"The forecast dates are {abs(shift)} day(s) too "
                f"{'late' if shift > 0 else 'early'}: the first is "
                f"{predictions.index[0]:%Y-%m-%d}, the test period starts "
                f"{test.index[0]:%Y-%m-%d}.",
                "The forecast for a day carries that day's date, not the date of the last "
                "input it saw.",
            )
        raise _Mistake(
            "The forecast dates are not the test dates.",
            f"The test period is {span}, one forecast per day, in order.",
        )

    @staticmethod
    def _check_units(values, actual, train):
        mean, std = float(train.mean()), float(train.std(ddof=0))
        scaled_actual = (actual - mean) / std
        if rmse(scaled_actual, values) < rmse(actual, values):
            raise _Mistake(
                f"The forecasts look like scaled values (mean {values.mean():.2f}) rather than "
                f"births (test mean {actual.mean():.1f}).",
                "Turn them back into births before scoring: `scaler.inverse_transform(...)`. "
                "Errors in scaled units are not comparable with persistence.",
            )

    @staticmethod
    def _check_leakage(values, actual, score, persistence_rmse):
        if _close(values, actual, 1e-6):
            raise _Mistake(
                "Leakage: the forecasts are exactly the actual test values.",
                "The model (or the code around it) saw the values it was asked to forecast. "
                "Each forecast may use only the days before it.",
            )
        if _close(values[:-1], actual[1:], 1e-6):
            raise _Mistake(
                "Leakage: each forecast equals the next day's actual value.",
                "The windows reach one day into the future. The forecast for day t must use "
                "the days before t only.",
            )
        if score < SUSPICIOUS * persistence_rmse:
            raise _Mistake(
                f"Suspiciously accurate: RMSE {score:.3f} is far below persistence "
                f"({persistence_rmse:.3f}); daily births are too noisy for that.",
                "Check for leakage: does any input window contain the day it forecasts, or was "
                "the model trained on test days? Use `walk_forward` or `task.evaluate(model)`.",
            )


# --------------------------------------------------------------------------------------------
# The registry: one Lesson per notebook
# --------------------------------------------------------------------------------------------

lesson1, lesson2, lesson3, lesson4, lesson5, lesson6, lesson7 = (LESSONS[n] for n in range(1, 8))
lesson1.add("capabilities", CapabilitiesExercise())
lesson2.add("windows", WindowsExercise())
lesson2.add("training_data", TrainingDataExercise())
for _number in LESSON_MODELS:
    LESSONS[_number].add("improve", ImproveModelExercise(lesson=_number))
