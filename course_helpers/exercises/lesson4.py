"""Lesson 4 exercises: the learner shapes, builds and trains the births 1D CNN.

* ``exercises.lesson4.feature_axis`` (Task A): the training windows with the feature axis a
  Conv1D reads, ``(samples, window, 1)``.
* ``exercises.lesson4.build`` (Task B): ``build_model(window)``, any sound 1D CNN; judged over
  three seeds on the validation days (:mod:`.architecture`).
* ``exercises.lesson4.training`` (Task C): ``model.fit`` with a chronological validation tail and
  early stopping (:mod:`.fitting`).
"""

from __future__ import annotations

from .architecture import ArchitectureExercise, Family, Requirement, is_kind
from .core import Feedback, Lesson
from .fitting import FitExercise
from .shaping import ShapingExercise, name_array, windows_lookalikes
from .structure import RECURRENT

__all__ = ["CNN", "FeatureAxisExercise", "build", "feature_axis", "training"]


class FeatureAxisExercise(ShapingExercise):
    """Task A: ``task.X_train`` ``(samples, window)`` given the feature axis, in time order."""

    title = "Give the windows the shape a Conv1D reads"
    answers = ("X_train",)
    label = "Task A"
    hints = (
        "A Conv1D reads each sample as a sequence: one row per time step, one column per "
        "feature. What are the time steps of a window here, and how many features does each "
        "day have?",
        "The days are the time steps and each has one feature, the day's scaled births: "
        "`(258, 7)` should become `(258, 7, 1)`, the numbers in the same order. NumPy adds "
        "an axis of length 1 with `np.newaxis` (or `reshape`).",
        """\
```
X_train = task.X_train[:, :, np.newaxis]  # or task.X_train.reshape(len(task.X_train), -1, 1)
```""",
    )
    solution_details = (
        "Each window of 7 days becomes 7 time steps of one feature: `(258, 7)` -> `(258, 7, 1)`. "
        "The values and their order do not change; only the shape says how to read them.",
    )
    solution_code = """\
X_train = task.X_train[:, :, np.newaxis]  # (258, 7) -> (258, 7, 1): 7 steps of 1 feature"""

    def _check(self, X_train):
        right = self.task.X_train[:, :, None]  # (samples, window, 1)
        samples, window, _ = right.shape
        name_array(
            X_train,
            "`X_train`",
            right,
            windows_lookalikes(right, self.task.scaler, "`X_train`"),
            f"Start from `task.X_train`, {self.task.X_train.shape}, and give each day an axis of "
            f"its own: ({samples}, {window}, 1).",
        )
        return Feedback(
            "correct",
            f"`X_train` is ({samples}, {window}, 1): {samples} windows of {window} time steps, "
            "one feature each, in time order.",
            ["A Conv1D slides its filters along the second axis, the days."],
        )


CNN = Family(
    "1D CNN",
    requirements=(
        Requirement(
            "Conv1D",
            is_kind("Conv1D", wrapped=False),
            "This model has no Conv1D layer: lesson 4's model slides learned filters along the "
            "window with `layers.Conv1D`.",
        ),
    ),
    input_fix=(
        "Conv1D reads samples shaped (timesteps, features): start with "
        "`keras.Input(shape=(window, 1))`, the shape of Task A's windows."
    ),
    output_fix="End with `layers.Dense(1)`: one value, tomorrow's births.",
    refused={
        name: (
            f"This model has {name} layers; lesson 4's model is a CNN. Recurrent layers come in "
            "lesson 5, and a CNN feeding an LSTM in lesson 6."
        )
        for name in RECURRENT
    },
)

build = ArchitectureExercise(
    4,
    CNN,
    title="Write the births 1D CNN",
    label="Task B",
    hints=(
        "Follow the shapes. The model reads `(window, 1)`; a `layers.Conv1D(filters, "
        'kernel_size, activation="relu")` turns that into `(window - kernel_size + 1, '
        "filters)`; `layers.Flatten()` lays it out as one vector, which Dense layers can read; "
        "the last layer gives one number with no activation.",
        "Keep it small for 258 noisy windows: 8 to 32 filters of 2 or 3 days, a hidden Dense "
        'layer of 8 to 32 units. A `layers.MaxPooling1D(2, padding="same")` after the '
        'convolution is optional; keep `padding="same"` if you use it (section 5, "What '
        'pooling could throw away", shows why). Compile with `optimizer="adam", loss="mse"`.',
        """\
```
def build_model(window):
    model = keras.Sequential(
        [
            keras.Input(shape=(window, 1)),
            layers.Conv1D(16, 2, activation="relu"),
            layers.MaxPooling1D(2, padding="same"),
            layers.Flatten(),
            layers.Dense(16, activation="relu"),
            layers.Dense(1),
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    return model
```""",
    ),
    solution_details=(
        "`(window, 1)` in; 16 filters of two days slide along the window; pooling halves the "
        "positions (keeping an odd last one); the flat features go through a small Dense "
        "layer to one linear output.",
        "The check trains it three times on the validation days and compares it with "
        "persistence; the lesson's default CNN and the moving average are shown beside it.",
    ),
    solution_code='''\
def build_model(window):
    """The births CNN: (window, 1) -> Conv1D -> MaxPooling1D -> Flatten -> Dense -> Dense(1)."""
    model = keras.Sequential(
        [
            keras.Input(shape=(window, 1)),  # (samples, window, 1)
            layers.Conv1D(16, 2, activation="relu"),  # (samples, window - 1, 16)
            layers.MaxPooling1D(2, padding="same"),  # (samples, ceil((window - 1) / 2), 16)
            layers.Flatten(),  # (samples, features)
            layers.Dense(16, activation="relu"),  # (samples, 16)
            layers.Dense(1),  # (samples, 1)
        ]
    )
    model.compile(optimizer="adam", loss="mse")
    return model''',
)

training = FitExercise(
    4,
    windows="X_cnn",
    title="Train the CNN with validation data and early stopping",
    label="Task C",
    hints=(
        "As in lesson 3: the most recent training windows decide when to stop, and the model "
        "fits the windows before them. Here the windows are `X_cnn`, shaped `(258, 7, 1)`, and "
        "their targets `task.y_train`.",
        "`X_cnn[:-40]` and `task.y_train[:-40]` to fit, `X_cnn[-40:]` and `task.y_train[-40:]` "
        'to validate; `keras.callbacks.EarlyStopping(monitor="val_loss", patience=10, '
        "restore_best_weights=True)` stops and keeps the best epoch.",
    ),
    solution_details=(
        "The last 40 training windows, in time order, choose the epoch; the model fits only the "
        "218 before them. No test day is read.",
    ),
    split=(
        """\
X_fit, y_fit = X_cnn[:-40], task.y_train[:-40]
X_val, y_val = X_cnn[-40:], task.y_train[-40:]""",
        """\
X_fit, y_fit = X_cnn[:-40], task.y_train[:-40]  # (218, 7, 1), (218,): the earlier windows
X_val, y_val = X_cnn[-40:], task.y_train[-40:]  # (40, 7, 1), (40,): the most recent ones""",
    ),
    builder="cnn_builder",
)

feature_axis = FeatureAxisExercise(4)

Lesson.adopt(__name__, 4)
