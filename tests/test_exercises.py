"""Every exercise check both ways: a right answer passes, each named mistake has its message."""

from types import SimpleNamespace

import keras
import numpy as np
import pandas as pd
import pytest
from keras import layers

from course_helpers import (
    Result,
    Scaler,
    add_feature_axis,
    load_series,
    make_windows,
    moving_average,
    persistence,
    rmse,
    seasonal_naive,
    train_test_split,
)
from course_helpers import exercises as ex
from course_helpers.exercises import Feedback, ____


@pytest.fixture(scope="module")
def births():
    return load_series()


@pytest.fixture(scope="module")
def windows(births):
    return make_windows(births, 7)  # (358, 7), (358,)


def assert_says(feedback, status, *fragments):
    """The feedback has this status and its text contains every fragment (case-insensitive)."""
    assert isinstance(feedback, Feedback)
    assert feedback.status == status, feedback.message
    for fragment in fragments:
        assert fragment.lower() in feedback.message.lower(), (fragment, feedback.message)


# ---------------------------------------------------------------------------------------------
# Placeholder, feedback, hints, solutions, registry
# ---------------------------------------------------------------------------------------------


def test_placeholder_is_one_named_object():
    assert ex.Placeholder() is ____
    assert repr(____) == "____"
    assert not ____


@pytest.mark.parametrize(
    "call",
    [
        lambda: ex.lesson1.capabilities.check(cnn=____, rnn="LSTMs remember the past"),
        lambda: ex.lesson2.windows.check(____, ____),
        lambda: ex.lesson2.windows.check(np.zeros((3, 2)), [1, 2, 3], n_in=____),
        lambda: ex.lesson2.training_data.check(____, ____, ____),
        lambda: ex.lesson3.improve.check(____),
        lambda: ex.lesson3.improve.check(),
        lambda: ex.lesson3.improve.check(default=7.0),
        lambda: ex.lesson1.capabilities.check(cnn="CNNs find local patterns"),
        lambda: ex.lesson2.windows.check(n_in=7),
    ],
)
def test_placeholder_means_not_attempted(call):
    feedback = call()
    assert_says(feedback, "not attempted", "replace each `____`")
    assert not feedback.passed


def test_feedback_renders_as_html_markdown_and_text():
    feedback = Feedback("incorrect", "Use `X.T` here.", ["Detail with **bold**."], "x = 1")
    html = feedback._repr_html_()
    assert "<code>X.T</code>" in html and "<b>bold</b>" in html and "#cf222e" in html
    assert "<pre" in html and "x = 1" in html
    markdown = feedback._repr_markdown_()
    assert markdown.startswith("**❌ Not yet:**") and "```python\nx = 1\n```" in markdown
    text = str(feedback)
    assert text.startswith("❌ Not yet: Use `X.T` here.") and "  - Detail" in text
    assert repr(feedback) == text
    assert Feedback("correct", "ok").passed and not feedback.passed


def test_feedback_escapes_html():
    assert "&lt;script&gt;" in Feedback("hint", "<script>")._repr_html_()


def test_feedback_rejects_unknown_status():
    with pytest.raises(ValueError, match="Unknown status"):
        Feedback("maybe", "?")


def test_hints_come_one_at_a_time_then_stop_at_the_last():
    task = ex.WindowsExercise()
    first, second, third, again = task.hint(), task.hint(), task.hint(), task.hint()
    assert (first.label, second.label, third.label) == ("Hint 1 of 3", "Hint 2 of 3", "Hint 3 of 3")
    assert first.title == task.hints[0] and second.title == task.hints[1]
    assert "last hint" in third.message and again.label == "Hint 3 of 3"
    assert task.hint(2).title == task.hints[1]
    assert "between 1 and 3" in task.hint(7).title
    assert all(f.status == "hint" for f in (first, second, third))


def test_solutions_show_code_and_explanations():
    for task in (
        ex.lesson1.capabilities,
        ex.lesson2.windows,
        ex.lesson2.training_data,
        ex.lesson5.improve,
    ):
        solution = task.solution()
        assert solution.status == "solution" and solution.details
    assert "make_windows" in ex.lesson2.windows.solution().message
    assert "for i in range(len(values) - n_in)" in ex.lesson2.windows.solution().code
    assert "train_and_evaluate('lstm'" in ex.lesson5.improve.solution().code


def run_solution(code, **names):
    """Run a solution's code as a learner would; return the value of its last line (the check)."""
    *body, last = code.strip().splitlines()
    namespace = {"np": np, "exercises": ex, **names}
    exec("\n".join(body), namespace)
    return eval(last, namespace)


def test_worked_solutions_pass_their_own_checks(births):
    code = ex.lesson2.windows.solution().code
    assert run_solution(code, births=births).passed
    code = ex.lesson2.training_data.solution().code
    names = {
        "births": births,
        "Scaler": Scaler,
        "make_windows": make_windows,
        "train_test_split": train_test_split,
    }
    assert run_solution(code, **names).passed


def test_example_answers_pass_the_capabilities_check():
    cnn, rnn = ex.lesson1.capabilities.solution_details[:2]
    assert cnn.startswith("**CNNs:**") and rnn.startswith("**RNNs (LSTMs):**")
    assert ex.lesson1.capabilities.check(cnn=cnn, rnn=rnn).passed


def test_registry_has_a_lesson_per_notebook():
    assert isinstance(ex.lesson1.capabilities, ex.CapabilitiesExercise)
    assert isinstance(ex.lesson2.windows, ex.WindowsExercise)
    assert isinstance(ex.lesson2.training_data, ex.TrainingDataExercise)
    for number, model in ex.LESSON_MODELS.items():
        task = ex.lesson(number).improve
        assert isinstance(task, ex.ImproveModelExercise) and task.model == model
    assert list(ex.lesson2) == ["windows", "training_data"]
    assert "windows, training_data" in repr(ex.lesson2)
    with pytest.raises(ValueError, match="lessons 1 to 7"):
        ex.lesson(8)
    with pytest.raises(ValueError, match="identifier"):
        ex.Lesson(9).add("not a name", ex.WindowsExercise())


def test_an_unforeseen_answer_gets_an_explanation_not_a_traceback():
    feedback = ex.lesson2.windows.check(np.zeros((3, 3)), np.zeros(3), n_in=3, extra=1)
    assert_says(feedback, "incorrect", "could not read this answer", "TypeError")


# ---------------------------------------------------------------------------------------------
# Lesson 1: capabilities of CNNs and RNNs
# ---------------------------------------------------------------------------------------------

CAPABILITIES = ex.lesson1.capabilities


@pytest.mark.parametrize(
    "cnn, rnn",
    [
        ("CNNs learn local patterns from the raw series", "LSTMs keep a memory of the past"),
        (
            "A convolution finds the same shape wherever it appears in the window",
            "They read the values in order, one step at a time",
        ),
        ("They are fast because the filter weights are shared", "RNNs accept inputs of any length"),
    ],
)
def test_capabilities_recognised(cnn, rnn):
    feedback = CAPABILITIES.check(cnn=cnn, rnn=rnn)
    assert_says(feedback, "correct", "recognised", "solution()")
    assert feedback.passed


def test_capabilities_one_of_two():
    feedback = CAPABILITIES.check(
        cnn="CNNs detect local patterns in the window", rnn="They are quite good at everything"
    )
    assert_says(feedback, "partial", "CNNs: recognised", "RNNs: no capability recognised")


def test_capabilities_swapped_ideas_are_named():
    feedback = CAPABILITIES.check(
        cnn="They remember long-term dependencies", rnn="They find local patterns with filters"
    )
    assert_says(
        feedback,
        "incorrect",
        "CNNs: that sounds like recurrent networks",
        "RNNs: that sounds like convolutional networks",
    )


def test_capabilities_too_short_and_empty():
    feedback = CAPABILITIES.check(cnn="good", rnn="  ")
    assert_says(feedback, "incorrect", '"good" is too short', "RNNs: the answer is empty")


def test_capabilities_answers_must_be_text():
    assert_says(CAPABILITIES.check(cnn=3, rnn="memory"), "incorrect", "as text in quotes")


# ---------------------------------------------------------------------------------------------
# Lesson 2: windows of the births series
# ---------------------------------------------------------------------------------------------

WINDOWS = ex.lesson2.windows


def loop_windows(values, n_in):
    rows = [values[i : i + n_in] for i in range(len(values) - n_in)]
    return np.array(rows), np.array([values[i + n_in] for i in range(len(values) - n_in)])


@pytest.mark.parametrize("n_in", [1, 3, 7, 30])
def test_windows_right_answers_pass(births, n_in):
    X, y = loop_windows(births.to_numpy(), n_in)
    feedback = WINDOWS.check(X, y, n_in=n_in)
    assert_says(feedback, "correct", f"{365 - n_in} samples", f"window of {n_in}")
    assert WINDOWS.check(*make_windows(births, n_in)).passed


def test_windows_from_shift_and_with_feature_axis_pass(births, windows):
    table = pd.DataFrame({f"t-{k}": births.shift(k) for k in range(7, 0, -1)})
    table["t"] = births
    table = table.dropna()
    assert WINDOWS.check(table.drop(columns="t"), table["t"], n_in=7).passed
    X, y = windows
    assert WINDOWS.check(add_feature_axis(X), y[:, None]).passed


def test_windows_nan_rows_from_shift(births):
    table = pd.DataFrame({"t-2": births.shift(2), "t-1": births.shift(1), "t": births})
    feedback = WINDOWS.check(table[["t-2", "t-1"]], table["t"])
    assert_says(feedback, "incorrect", "missing values (NaN)", ".dropna()")


def test_windows_wrong_shapes(windows, births):
    X, y = windows
    assert_says(WINDOWS.check(X[0], y[:1]), "incorrect", "one row per sample")
    assert_says(
        WINDOWS.check(X, np.column_stack([y, y])), "incorrect", "2 values per sample", "lesson 7"
    )
    assert_says(WINDOWS.check(X, y[:, None, None]), "incorrect", "one target per sample")
    assert_says(WINDOWS.check(X, y[:-3]), "incorrect", "358 rows but y has 355")
    assert_says(WINDOWS.check(X.T, y), "incorrect", "transposed")
    assert_says(WINDOWS.check(X.T, y, n_in=7), "incorrect", "transposed")
    assert_says(WINDOWS.check("X", y), "incorrect", "is text")
    assert_says(WINDOWS.check([[1, 2], [3]], [1, 2]), "incorrect", "rows of different lengths")
    assert_says(WINDOWS.check(np.array([]), y), "incorrect", "empty")
    assert_says(WINDOWS.check(X, y, n_in=0), "incorrect", "at least 1")
    X_full = np.tile(births.to_numpy(), (2, 1))
    assert_says(WINDOWS.check(X_full, [1, 2]), "incorrect", "leaves no sample")


def test_windows_off_by_one_in_the_slice(windows):
    X, y = windows
    assert_says(WINDOWS.check(X[:, :6], y, n_in=7), "incorrect", "off by one", "6 values")
    X8, _ = make_windows(load_series(), 8)
    assert_says(WINDOWS.check(X8, y[:-1], n_in=7), "incorrect", "off by one", "takes the target")
    assert_says(WINDOWS.check(X[:, :4], y, n_in=7), "incorrect", "each row of X has 4 values")


def test_windows_last_window_missing(windows):
    X, y = windows
    assert_says(
        WINDOWS.check(X[:-1], y[:-1]),
        "incorrect",
        "last window is missing",
        "range(len(series) - n_in)",
    )
    assert_says(WINDOWS.check(X[:-5], y[:-5]), "incorrect", "last 5 windows are missing")


def test_windows_first_window_missing(windows):
    X, y = windows
    assert_says(
        WINDOWS.check(X[1:], y[1:]), "incorrect", "first window is missing", "series[0 : n_in]"
    )


def test_windows_target_leaks_into_inputs(windows, births):
    X, y = windows
    assert_says(
        WINDOWS.check(X, X[:, -1]), "incorrect", "target leaks into the inputs", "the last value"
    )
    ahead = make_windows(births.to_numpy()[2:], 7)[0]  # windows two days late: y sits inside
    assert_says(WINDOWS.check(ahead, y[:-2]), "incorrect", "target leaks", "X[i, 5]")


def test_windows_target_off_by_one(windows, births):
    X, _ = windows
    values = births.to_numpy()
    late = values[np.arange(len(X) - 1) + 8]  # two days after each window
    assert_says(WINDOWS.check(X[:-1], late), "incorrect", "2 steps after", "off by 1")
    before = values[np.arange(1, len(X)) - 1]  # the day before each window
    assert_says(WINDOWS.check(X[1:], before), "incorrect", "just before each window")


def test_windows_target_shuffled_apart_from_inputs(windows):
    X, y = windows
    shuffled = np.random.default_rng(0).permutation(y)
    assert_says(WINDOWS.check(X, shuffled), "incorrect", "another order than X")
    wrong = y.copy()
    wrong[10] += 1
    assert_says(WINDOWS.check(X, wrong), "incorrect", "not the value right after", "Row 10")


def test_windows_shuffled_samples(windows):
    X, y = windows
    order = np.random.default_rng(1).permutation(len(X))
    assert_says(WINDOWS.check(X[order], y[order]), "incorrect", "not in time order (shuffled)")


def test_windows_non_overlapping(windows):
    X, y = windows
    assert_says(
        WINDOWS.check(X[::7], y[::7]), "incorrect", "jump 7 days at a time", "one day at a time"
    )


def test_windows_too_many_samples(windows):
    X, y = windows
    padded = np.vstack([X, np.zeros((2, 7))])
    assert_says(WINDOWS.check(padded, np.r_[y, 0, 0]), "incorrect", "only 358 windows")


def test_windows_backwards(windows):
    X, y = windows
    assert_says(WINDOWS.check(X[:, ::-1], y), "incorrect", "newest value first")


def test_windows_scaled_values(windows):
    X, y = windows
    assert_says(WINDOWS.check((X - 42) / 7, y), "incorrect", "transformed (scaled)")


def test_windows_not_from_the_series(windows):
    X, y = windows
    other = X + np.arange(X.shape[1])  # not a single linear transform of the windows
    assert_says(
        WINDOWS.check(other, y),
        "incorrect",
        "not consecutive windows",
        "[35, 32, 30, 31, 44, 29, 45] -> 43",
    )


# ---------------------------------------------------------------------------------------------
# Lesson 2: training data without leakage
# ---------------------------------------------------------------------------------------------

TRAINING = ex.lesson2.training_data


@pytest.fixture(scope="module")
def prepared(births):
    train, test = train_test_split(births, 100)
    scaler = Scaler().fit(train)
    X_train, y_train = make_windows(scaler.transform(train), 7)
    return SimpleNamespace(train=train, test=test, scaler=scaler, X=X_train, y=y_train)


def test_training_data_right_answer(prepared):
    feedback = TRAINING.check(prepared.X, prepared.y, prepared.scaler)
    assert_says(feedback, "correct", "258 samples from 265 training days")
    assert "shuffled" not in feedback.message


def test_training_data_shuffled_pairs_are_fine(prepared):
    order = np.random.default_rng(0).permutation(len(prepared.X))
    feedback = TRAINING.check(prepared.X[order], prepared.y[order], prepared.scaler)
    assert_says(feedback, "correct", "fine for training")


def test_training_data_scaler_fitted_on_everything(births, prepared):
    feedback = TRAINING.check(prepared.X, prepared.y, Scaler().fit(births))
    assert_says(feedback, "incorrect", "fitted on the whole series", "leak", "41.064")


def test_training_data_scaler_fitted_on_test(prepared):
    feedback = TRAINING.check(prepared.X, prepared.y, Scaler().fit(prepared.test))
    assert_says(feedback, "incorrect", "fitted on the test period")


def test_training_data_scaler_fitted_elsewhere(births, prepared):
    feedback = TRAINING.check(prepared.X, prepared.y, Scaler().fit(births.iloc[:100]))
    assert_says(feedback, "incorrect", "but the training period's is 41.064")


def test_training_data_scaler_not_fitted_or_unknown(prepared):
    assert_says(TRAINING.check(prepared.X, prepared.y, Scaler()), "incorrect", "not fitted yet")
    assert_says(
        TRAINING.check(prepared.X, prepared.y, object()),
        "incorrect",
        "Cannot read the statistics of a object",
    )


class FakeStandardScaler:
    """Duck-typed scikit-learn StandardScaler: wants columns, has mean_ and scale_."""

    def __init__(self, values):
        values = np.asarray(values, dtype=float)
        self.mean_, self.scale_ = np.array([values.mean()]), np.array([values.std()])

    def transform(self, X):
        X = np.asarray(X, dtype=float)
        if X.ndim != 2:
            raise ValueError("Expected 2D array")
        return (X - self.mean_) / self.scale_


class FakeMinMaxScaler:
    def __init__(self, values):
        values = np.asarray(values, dtype=float)
        self.data_min_, self.data_max_ = np.array([values.min()]), np.array([values.max()])

    def transform(self, X):
        X = np.asarray(X, dtype=float).reshape(-1, 1)
        return (X - self.data_min_) / (self.data_max_ - self.data_min_)


def test_training_data_accepts_scikit_learn_style_scalers(births, prepared):
    for kind in (FakeStandardScaler, FakeMinMaxScaler):
        scaler = kind(prepared.train)
        X, y = make_windows(scaler.transform(prepared.train.to_numpy()[:, None]).ravel(), 5)
        assert TRAINING.check(X, y, scaler).passed, kind
        assert_says(TRAINING.check(X, y, kind(births)), "incorrect", "whole series")


def test_training_data_unscaled(prepared):
    X, y = make_windows(prepared.train, 7)
    assert_says(
        TRAINING.check(X, y, prepared.scaler),
        "incorrect",
        "unscaled values",
        "scaler.transform(train)",
    )


def test_training_data_windows_reach_into_the_test_period(births, prepared):
    X, y = make_windows(prepared.scaler.transform(births), 7)
    assert_says(
        TRAINING.check(X, y, prepared.scaler),
        "incorrect",
        "run into the test period",
        "358 samples",
        "only 258",
    )


def test_training_data_window_mistakes_are_named_in_scaled_units(prepared):
    feedback = TRAINING.check(prepared.X[:-1], prepared.y[:-1], prepared.scaler)
    assert_says(feedback, "incorrect", "last window is missing")
    feedback = TRAINING.check(prepared.X, prepared.X[:, -1], prepared.scaler)
    assert_says(feedback, "incorrect", "target leaks")


def test_training_data_forgot_the_feature_axis(prepared):
    feedback = TRAINING.check(prepared.X, prepared.y, prepared.scaler, model="lstm")
    assert_says(
        feedback,
        "incorrect",
        "feature axis for Conv1D/LSTM is missing",
        "(258, 7, 1)",
        "add_feature_axis",
    )
    lstm_task = ex.TrainingDataExercise(model="cnn")
    assert_says(
        lstm_task.check(prepared.X, prepared.y, prepared.scaler), "incorrect", "feature axis"
    )
    feedback = lstm_task.check(add_feature_axis(prepared.X), prepared.y, prepared.scaler)
    assert_says(feedback, "correct", "(258, 7, 1) ready for 'cnn'")


def test_training_data_shapes_for_mlp_and_cnn_lstm(prepared):
    X3 = add_feature_axis(prepared.X)
    assert_says(
        TRAINING.check(X3, prepared.y, prepared.scaler, model="mlp"),
        "incorrect",
        "an MLP takes flat rows",
        "X.reshape(len(X), -1)",
    )
    X8, y8 = make_windows(prepared.scaler.transform(prepared.train), 8)
    assert_says(
        TRAINING.check(X8, y8, prepared.scaler, model="cnn_lstm"),
        "incorrect",
        "reads subsequences",
        "to_subsequences(X, 2)",
    )
    assert TRAINING.check(X8.reshape(-1, 2, 4, 1), y8, prepared.scaler, model="cnn_lstm").passed


def test_training_data_checks_against_a_keras_model(prepared):
    model = keras.Sequential([keras.Input((5, 1)), layers.LSTM(2), layers.Dense(1)])
    feedback = TRAINING.check(
        add_feature_axis(prepared.X), prepared.y, prepared.scaler, model=model
    )
    assert_says(feedback, "incorrect", "the model takes (258, 5, 1)")
    assert_says(
        TRAINING.check(prepared.X, prepared.y, prepared.scaler, model="gru"),
        "incorrect",
        "Unknown model 'gru'",
    )


# ---------------------------------------------------------------------------------------------
# Lessons 3-7: improve on the default model
# ---------------------------------------------------------------------------------------------

IMPROVE = ex.lesson3.improve


@pytest.fixture(scope="module")
def honest(births):
    """Walk-forward forecasts that beat persistence without any model: a 7-day moving average."""
    return moving_average(births, 7)  # RMSE 7.049 on the test days


def test_improve_honest_forecasts_pass(honest, prepared):
    feedback = IMPROVE.check(honest, prepared.scaler)
    assert_says(feedback, "correct", "beat persistence", "7.049 < 7.892", "few seeds")
    assert "Pass the scaler" not in feedback.message
    assert_says(IMPROVE.check(honest), "correct", "Pass the scaler as well")


def test_improve_accepts_results_and_runs(honest, prepared):
    result = Result(7.049, 5.763, 7.892, honest)
    assert IMPROVE.check(result, prepared.scaler).passed
    run = SimpleNamespace(result=result, task=SimpleNamespace(scaler=prepared.scaler))
    feedback = IMPROVE.check(run)
    assert feedback.passed and "Pass the scaler" not in feedback.message


def test_improve_against_the_default(honest, prepared):
    better_default = Result(6.9, 5.3, 7.892, honest)
    feedback = IMPROVE.check(honest, prepared.scaler, default=better_default)
    assert_says(feedback, "partial", "not yet the lesson's default", "7.049 vs 6.900")
    feedback = IMPROVE.check(honest, prepared.scaler, default=7.2)
    assert_says(feedback, "correct", "The lesson's default had 7.200")
    run = SimpleNamespace(result=Result(7.1, 5.5, 7.892, honest))
    assert_says(IMPROVE.check(honest, default=run), "correct", "default had 7.100")


def test_improve_lists_errors_per_horizon(honest):
    per_horizon = pd.DataFrame(
        {"rmse": [7.0, 7.5], "mae": [5.0, 5.5], "persistence_rmse": [7.892, 8.5]},
        index=pd.Index([1, 2], name="horizon"),
    )
    feedback = ex.lesson7.improve.check(Result(7.049, 5.763, 7.892, honest, per_horizon))
    assert_says(feedback, "correct", "2 day(s) ahead: RMSE 7.500 (persistence 8.500)")


def test_improve_not_beating_persistence(births):
    feedback = IMPROVE.check(persistence(births))
    assert_says(feedback, "incorrect", "does not beat persistence", "copy the last input")
    feedback = IMPROVE.check(seasonal_naive(births, 7))
    assert_says(feedback, "incorrect", "RMSE 9.145 does not beat persistence (7.892)")
    assert "copy" not in feedback.message


def test_improve_needs_a_series_with_dates(honest):
    assert_says(IMPROVE.check(honest.to_numpy()), "incorrect", "pandas Series", "shape (100,)")
    assert_says(
        IMPROVE.check(honest.reset_index(drop=True)),
        "incorrect",
        "not indexed by dates",
        "1959-09-23 to 1959-12-31",
    )
    table = pd.DataFrame({1: honest, 2: honest})
    assert_says(IMPROVE.check(table), "incorrect", "several horizons")
    gaps = honest.copy()
    gaps.iloc[3] = np.nan
    assert_says(IMPROVE.check(gaps), "incorrect", "1 forecast(s) are missing")


def test_improve_wrong_number_of_test_days(births, honest):
    assert_says(
        IMPROVE.check(honest.iloc[7:]),
        "incorrect",
        "93 forecasts",
        "reach back into the training days",
    )
    longer = births.rolling(7).mean().shift(1).iloc[-110:]
    assert_says(IMPROVE.check(longer), "incorrect", "110 forecasts", "training days do not count")


def test_improve_shuffled_test_days(honest):
    shuffled = honest.sample(frac=1, random_state=0)
    assert_says(IMPROVE.check(shuffled), "incorrect", "shuffled", "Never shuffle the test")


def test_improve_dates_off_by_one(births, honest):
    early = pd.Series(honest.to_numpy(), index=births.index[-101:-1])
    assert_says(IMPROVE.check(early), "incorrect", "1 day(s) too early", "that day's date")
    other = pd.Series(honest.to_numpy(), index=births.index[:100])
    assert_says(IMPROVE.check(other), "incorrect", "not the test dates")


def test_improve_scaled_units(honest, prepared):
    scaled = (honest - prepared.scaler.mean_) / prepared.scaler.std_
    assert_says(
        IMPROVE.check(scaled, prepared.scaler), "incorrect", "scaled values", "inverse_transform"
    )


def test_improve_scaler_fitted_on_the_whole_series(births, honest):
    assert_says(
        IMPROVE.check(honest, Scaler().fit(births)), "incorrect", "fitted on the whole series"
    )


def test_improve_leakage(births):
    test = births.iloc[-100:]
    assert_says(IMPROVE.check(test.copy()), "incorrect", "exactly the actual test values")
    tomorrow = pd.Series(np.r_[test.to_numpy()[1:], 40.0], index=test.index)
    assert_says(IMPROVE.check(tomorrow), "incorrect", "next day's actual value")
    near = test + np.random.default_rng(0).normal(0, 2, len(test))
    assert_says(IMPROVE.check(near), "incorrect", "Suspiciously accurate", "leakage")


def test_improve_rejects_a_task_or_model(births):
    from course_helpers import ForecastTask

    assert_says(IMPROVE.check(ForecastTask(7, series=births)), "incorrect", "the task itself")
    model = keras.Sequential([keras.Input((3,)), layers.Dense(1)])
    assert_says(IMPROVE.check(model), "incorrect", "That is a model")


def test_improve_exercise_needs_a_model_outside_lessons_3_to_7():
    with pytest.raises(ValueError, match="Give the model"):
        ex.ImproveModelExercise(lesson=9)
    assert ex.ImproveModelExercise(lesson=9, model="lstm").model == "lstm"


def test_improve_several_runs_are_scored_by_their_mean(births, honest, prepared):
    ma14 = moving_average(births, 14)
    feedback = IMPROVE.check([honest, ma14], prepared.scaler, default=[7.2, 7.4])
    mean = (7.049 + rmse(births.iloc[-100:], ma14)) / 2
    assert_says(
        feedback, "correct", f"mean RMSE {mean:.3f} < 7.892", "default had 7.300", "over 2 runs"
    )
    assert "One seed can be lucky" not in feedback.message
    assert_says(
        IMPROVE.check((honest, honest), default=[7.0, 7.0]), "partial", "mean RMSE 7.049 vs 7.000"
    )
    assert_says(
        IMPROVE.check([persistence(births)] * 2),
        "incorrect",
        "mean RMSE 7.892 does not beat",
        "copy the last input",
    )


def test_improve_names_the_run_with_a_mistake(honest):
    feedback = IMPROVE.check([honest, honest.sample(frac=1, random_state=0), honest])
    assert_says(feedback, "incorrect", "Run 2 of 3: The test days are shuffled")
    assert_says(IMPROVE.check([]), "incorrect", "list is empty")


@pytest.mark.parametrize("lesson", sorted(ex.LESSON_MODELS))
def test_improve_solution_beats_the_default(lesson):
    """The solution's code, run as shown (three seeds each), improves on the lesson default."""
    from course_helpers import train_and_evaluate

    task = ex.lesson(lesson).improve
    settings, _ = ex.SOLUTION_SETTINGS[task.model]
    code = task.solution().code
    assert all(f"{key}={value!r}" in code for key, value in settings.items())
    feedback = run_solution(code, train_and_evaluate=train_and_evaluate)
    assert feedback.passed, feedback.message
    assert "over 3 runs" in feedback.message
