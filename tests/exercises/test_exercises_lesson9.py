"""Lesson 9's task: each mistake a learner can make before any training is named, and sound
networks of other sizes and shapes get past every one of those steps.

Every answer here is written as a learner writes it in the notebook's task cell; none of these
checks trains a network (they stop at the first mistake, in well under a second each once the
data is loaded). The answers the check has to train are in ``test_exercises_lesson9_training``.
"""

import time

import pytest
from exercise_helpers import assert_says
from lesson9_cells import learner_cell

from course_helpers import exercises as ex
from course_helpers.exercises.lesson9 import check_before_training

task = ex.lesson9.build

BLANK = '''
def build_model(window):
    """A global network: (samples, window) log ratios in, (samples, 48) log ratios out."""
    model = ____  # your network
    return model
'''

MISTAKES = {
    "a model instead of the function": (
        """
def make(window):
    inputs = keras.Input(shape=(window,))
    hidden = layers.Dense(64, activation="relu")(inputs)
    return keras.Model(inputs, layers.Dense(48)(hidden))

build_model = make(168)
""",
        ["This is a model", "Pass `build_model` itself"],
    ),
    "a typo inside the builder": (
        """
def build_model(window):
    inputs = keras.Input(shape=(window,))
    hidden = layers.Dense(64, activation="relu")(inputs)
    return keras.Model(inputs, layers.Dense(48)(hiden))
""",
        ["`build_model(168)` raised NameError", "hiden"],
    ),
    "no return": (
        """
def build_model(window):
    inputs = keras.Input(shape=(window,))
    hidden = layers.Dense(64, activation="relu")(inputs)
    model = keras.Model(inputs, layers.Dense(48)(hidden))
""",
        ["returned NoneType, not a Keras model", "return model"],
    ),
    "a fixed input length": (
        """
def build_model(window):
    inputs = keras.Input(shape=(168,))
    hidden = layers.Dense(64, activation="relu")(inputs)
    return keras.Model(inputs, layers.Dense(48)(hidden))
""",
        ["window of 72 hours", "(168,)", "Use the `window` argument"],
    ),
    "a sequence input": (
        """
def build_model(window):
    inputs = keras.Input(shape=(window, 1))
    hidden = layers.LSTM(16)(inputs)
    return keras.Model(inputs, layers.Dense(48)(hidden))
""",
        ["(168, 1)", "The windows are flat", "layers.Reshape((window, 1))"],
    ),
    "an LSTM given the flat window": (
        """
def build_model(window):
    inputs = keras.Input(shape=(window,))
    hidden = layers.LSTM(16)(inputs)
    return keras.Model(inputs, layers.Dense(48)(hidden))
""",
        ["The LSTM receives the flat window", "layers.Reshape((window, 1))"],
    ),
    "one day ahead only": (
        """
def build_model(window):
    inputs = keras.Input(shape=(window,))
    hidden = layers.Dense(64, activation="relu")(inputs)
    return keras.Model(inputs, layers.Dense(24)(hidden))
""",
        ["outputs 24 values per window", "`layers.Dense(48)`"],
    ),
    "an output with a feature axis": (
        """
def build_model(window):
    inputs = keras.Input(shape=(window,))
    hidden = layers.Dense(64, activation="relu")(inputs)
    outputs = layers.Reshape((48, 1))(layers.Dense(48)(hidden))
    return keras.Model(inputs, outputs)
""",
        ["outputs (48, 1) per window", "one flat row"],
    ),
    "frozen layers": (
        """
def build_model(window):
    model = keras.Sequential(
        [keras.Input(shape=(window,)), layers.Dense(64, activation="relu"), layers.Dense(48)]
    )
    model.trainable = False
    return model
""",
        ["Nothing in this model is trainable", "trainable=False"],
    ),
    "a sigmoid output": (
        """
def build_model(window):
    inputs = keras.Input(shape=(window,))
    hidden = layers.Dense(64, activation="relu")(inputs)
    return keras.Model(inputs, layers.Dense(48, activation="sigmoid")(hidden))
""",
        ["can only take values from 0 to 1", "negative log ratio", "no activation"],
    ),
    "a ReLU output": (
        """
def build_model(window):
    return keras.Sequential(
        [
            keras.Input(shape=(window,)),
            layers.Dense(64, activation="relu"),
            layers.Dense(48, activation="relu"),
        ]
    )
""",
        ["can only take values of at least 0", "training targets lie outside"],
    ),
    "seasonal naive in disguise": (
        """
def build_model(window):
    inputs = keras.Input(shape=(window,))
    hidden = layers.Dense(64, activation="relu")(inputs)
    correction = layers.Dense(48)(hidden)
    silenced = layers.Lambda(lambda c: 0.0 * c)(correction)
    return keras.Model(inputs, layers.Add()([silenced, gm.RepeatLastDay()(inputs)]))
""",
        ["seasonal naive (the last 24 hours, repeated), in disguise", "trainable weight"],
    ),
    "the last hour in disguise": (
        """
def build_model(window):
    inputs = keras.Input(shape=(window,))
    last_hour = layers.Lambda(lambda x: keras.ops.repeat(x[:, -1:], 48, axis=1))(inputs)
    hidden = layers.Dense(32, activation="relu")(inputs)
    unused = layers.Lambda(lambda h: 0.0 * h)(layers.Dense(48)(hidden))
    return keras.Model(inputs, layers.Add()([last_hour, unused]))
""",
        ["naive (the last hour, repeated), in disguise"],
    ),
    "the window's level in disguise": (
        """
def build_model(window):
    inputs = keras.Input(shape=(window,))
    hidden = layers.Dense(64, activation="relu")(inputs)
    outputs = layers.Lambda(lambda o: o * 0.0)(layers.Dense(48)(hidden))
    return keras.Model(inputs, outputs)
""",
        ["the mean of the last 24 hours (each window's level), repeated, in disguise"],
    ),
    "a forecast that ignores the window": (
        """
def build_model(window):
    inputs = keras.Input(shape=(window,))
    blank = layers.Lambda(lambda x: x * 0.0)(inputs)
    hidden = layers.Dense(64, activation="relu")(blank)
    return keras.Model(inputs, layers.Dense(48)(hidden))
""",
        ["does not depend on the window"],
    ),
    "a linear model": (
        """
def build_model(window):
    return keras.Sequential([keras.Input(shape=(window,)), layers.Dense(48)])
""",
        ["linear function of its window", 'activation="relu"'],
    ),
    "reads the validation hours": (
        """
def build_model(window):
    typical = float(np.log(actual / actual.mean(axis=1, keepdims=True)).mean())
    inputs = keras.Input(shape=(window,))
    hidden = layers.Dense(64, activation="relu")(inputs)
    start = keras.initializers.Constant(typical)
    return keras.Model(inputs, layers.Dense(48, bias_initializer=start)(hidden))
""",
        ["reads `actual`, which holds the validation hours", "nothing but `window`"],
    ),
    "reads the whole training series": (
        """
def build_model(window):
    inputs = keras.Input(shape=(window,))
    hidden = layers.Dense(len(train), activation="relu")(inputs)
    return keras.Model(inputs, layers.Dense(48)(hidden))
""",
        ["reads `train`, which holds the validation hours"],
    ),
    "a closure over the test hours in float32": (
        """
def builder_for(hours):
    def build_model(window):
        inputs = keras.Input(shape=(window,))
        hidden = layers.Dense(64, activation="relu")(inputs)
        shift = layers.Lambda(lambda h: h + 0.0 * float(hours[0][0]))(hidden)
        return keras.Model(inputs, layers.Dense(48)(shift))
    return build_model

build_model = builder_for([test.astype("float32")])
""",
        ["reads `hours`, which holds the test hours"],
    ),
    "log values of the validation hours inside a Lambda": (
        """
scaled = np.log(train.values)

def build_model(window):
    inputs = keras.Input(shape=(window,))
    hidden = layers.Dense(64, activation="relu")(inputs)
    outputs = layers.Dense(48)(hidden)
    return keras.Model(inputs, layers.Lambda(lambda o: o + 0 * scaled[0, 0])(outputs))
""",
        ["reads `scaled`, which holds the validation hours"],
    ),
    "a builder that loads the data": (
        """
def build_model(window):
    panel = gm.load_m4_hourly()
    inputs = keras.Input(shape=(window,))
    hidden = layers.Dense(64, activation="relu")(inputs)
    return keras.Model(inputs, layers.Dense(48)(hidden))
""",
        ["loads the data itself (`load_m4_hourly`)"],
    ),
}


SOUND = {  # networks of the lesson's family, of other sizes and shapes: no mistake before training
    "one hidden layer, no seasonal-naive start": """
def build_model(window):
    inputs = keras.Input(shape=(window,))
    hidden = layers.Dense(128, activation="relu")(inputs)
    return keras.Model(inputs, layers.Dense(48)(hidden))
""",
    "five tanh layers and Dropout": """
def build_model(window):
    model = keras.Sequential([keras.Input(shape=(window,))])
    for _ in range(5):
        model.add(layers.Dense(32, activation="tanh"))
    model.add(layers.Dropout(0.1))
    model.add(layers.Dense(48))
    return model
""",
    "ELU and LeakyReLU with the seasonal-naive start": """
def build_model(window):
    inputs = keras.Input(shape=(window,))
    hidden = layers.Dense(64, activation="elu")(inputs)
    hidden = layers.LeakyReLU()(layers.Dense(64)(hidden))
    outputs = layers.Add()([layers.Dense(48)(hidden), gm.RepeatLastDay()(inputs)])
    return keras.Model(inputs, outputs)
""",
    "two N-BEATS-style blocks": """
def build_model(window):
    inputs = keras.Input(shape=(window,))
    residual, forecasts = inputs, []
    for _ in range(2):
        hidden = layers.Dense(100, activation="relu")(residual)
        residual = layers.Subtract()([residual, layers.Dense(window)(hidden)])  # the backcast
        forecasts.append(layers.Dense(48)(hidden))
    return keras.Model(inputs, layers.Add()(forecasts))
""",
    "a Conv1D on the reshaped window": """
def build_model(window):
    inputs = keras.Input(shape=(window,))
    steps = layers.Reshape((window, 1))(inputs)
    features = layers.Conv1D(8, 24, strides=12, activation="relu")(steps)
    return keras.Model(inputs, layers.Dense(48)(layers.Flatten()(features)))
""",
}


def test_the_blank_is_not_attempted_yet():
    assert_says(task.check(learner_cell(BLANK)), "not attempted", "still returns `____`")


@pytest.mark.parametrize("cell, fragments", MISTAKES.values(), ids=list(MISTAKES))
def test_each_mistake_is_named_before_any_training(cell, fragments, capsys):
    build_model = learner_cell(cell)
    started = time.perf_counter()
    feedback = task.check(build_model)
    assert_says(feedback, "incorrect", *fragments)
    assert "Traceback" not in feedback.message and "File " not in feedback.message
    assert time.perf_counter() - started < 10, "this mistake should be named before training"
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err


@pytest.mark.parametrize("cell", SOUND.values(), ids=list(SOUND))
def test_sound_networks_pass_every_check_before_training(cell):
    check_before_training(learner_cell(cell))  # no Mistake raised


def test_a_builder_reading_only_the_history_is_not_a_leak():
    cell = """
def build_model(window):
    inputs = keras.Input(shape=(window,))
    hidden = layers.Dense(len(history), activation="relu")(inputs)  # 414 units
    return keras.Model(inputs, layers.Dense(48)(hidden))
"""
    from course_helpers.exercises.global_networks import m4_validation
    from course_helpers.exercises.lesson9 import check_reads_nothing_held_out

    check_reads_nothing_held_out(learner_cell(cell), m4_validation())  # no Mistake raised


def test_the_task_text_hints_and_worked_answer_hold_together():
    assert task.label == "Task A" and task.answers == ("build_model",)
    assert len(task.hints) == 3 and "def build_model(window):" in task.hints[-1]
    assert "____" in task.hints[-1] and "____" not in task.solution_code
    assert task.solution().code == task.solution_code
    for line in task.solution_code.splitlines():
        assert len(line) <= 100, line
    assert repr(ex.lesson9) == "Lesson 9 exercises: build" and ex.lesson(9) is ex.lesson9
