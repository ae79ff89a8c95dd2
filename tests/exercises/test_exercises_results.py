"""What later cells use: a task's result (the learner's answer if it passed, else the worked one).

A toy task stands in for a lesson's: it doubles numbers, so nothing trains and every path of the
framework is quick to run. The lessons' own tasks are run through the same paths in their tests.
"""

from functools import partial

import keras
import numpy as np
import pytest
from exercise_helpers import assert_says

from course_helpers import exercises as ex
from course_helpers.exercises import Feedback, Mistake, ____
from course_helpers.exercises.answers import answer_key, free_names


class Double(ex.Exercise):
    """Double every value: ``doubled`` is the answer, ``values`` what the task gives."""

    title = "Double the values"
    label = "Task D"
    answers = ("doubled",)
    solution_code = "doubled = [2 * v for v in values]  # one per value"

    def __init__(self):
        super().__init__()
        self.runs = 0

    def _check(self, doubled, values):
        self.runs += 1
        if list(doubled) != [2 * v for v in values]:
            raise Mistake("These are not the values doubled.")
        return Feedback("correct", "Each value doubled.")


def notebook(**names):
    """A namespace like a notebook's, with the toy task in it."""
    return {"task": Double(), "____": ____, **names}


def run(cell, namespace):
    """Run a cell in the namespace, as a notebook would; return the namespace."""
    exec(cell, namespace)
    return namespace


def test_a_passing_answer_is_used_as_it_is(capsys):
    ns = run("mine = [2, 4]\nused = task.result(mine, [1, 2])", notebook())
    assert ns["used"] is ns["mine"]
    shown = capsys.readouterr().out
    assert "The cells below use your `doubled`: its check passed." in shown
    assert "Correct" not in shown


def test_a_blank_gives_the_worked_answer_and_leaves_the_learners_names(capsys):
    ns = run("values = [1, 2, 3]\ndoubled = ____\nused = task.result(doubled, values)", notebook())
    assert ns["used"] == [2, 4, 6] and ns["doubled"] is ____
    shown = capsys.readouterr().out
    assert "Task D is not done yet, so the cells below continue with the worked answer's" in shown
    assert "(yours are left as they are)" in shown


def test_a_wrong_answer_gives_the_worked_answer_and_says_so(capsys):
    ns = run("values = [1, 2]\nused = task.result([1, 2], values)", notebook())
    assert ns["used"] == [2, 4]
    assert "Task D has not passed, so the cells below continue" in capsys.readouterr().out


def test_the_worked_answer_reads_only_the_names_it_needs_and_says_which_are_missing():
    task = Double()
    assert task.reference({"values": [5]}) == ([10],)
    with pytest.raises(NameError, match="reads `values`, which this notebook has not defined"):
        task.reference({})
    assert free_names(task.solution_code) == {"values"}


def test_the_worked_answer_runs_once_per_input():
    task = Double()
    first = task.reference({"values": [1]})
    assert task.reference({"values": [1]})[0] is first[0]
    assert task.reference({"values": [2]}) == ([4],)


def test_a_check_remembers_its_verdict_for_the_same_answer():
    task = Double()
    assert task.check([2], [1]).passed and task.check([2], [1]).passed
    task.result([2], [1], names={})
    assert task.runs == 1
    task.check([4], [2])
    assert task.runs == 2


def test_a_function_redefined_with_the_same_code_is_the_same_answer():
    cell = "def f(x):\n    return SIZE * x\n"
    first = run(cell, {"SIZE": 2})["f"]
    again = run(cell, {"SIZE": 2})["f"]
    edited = run(cell.replace("SIZE * x", "SIZE * x + 0"), {"SIZE": 2})["f"]
    other_size = run(cell, {"SIZE": 3})["f"]
    assert answer_key(first) == answer_key(again)
    assert answer_key(first) != answer_key(edited)
    assert answer_key(first) != answer_key(other_size)


def test_a_model_is_a_new_answer_once_its_weights_change():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    before = answer_key(model)
    model.set_weights([w + 1 for w in model.get_weights()])
    assert answer_key(model) != before
    assert answer_key(np.arange(3)) == answer_key(np.arange(3))
    assert answer_key(object()) is None  # unknown objects: checked again every time
    reads_an_object = run("def g(x):\n    return thing\n", {"thing": object()})["g"]
    assert answer_key(reads_an_object) is None
    assert answer_key(partial(keras.layers.Dense, 2)) != answer_key(partial(keras.layers.Dense, 3))


def test_the_blank_explains_itself_when_used():
    with pytest.raises(AttributeError, match="still the blank `____`"):
        ____.fit  # noqa: B018
    with pytest.raises(TypeError, match="still the blank `____`"):
        ____(7)


def test_the_lessons_results_name_their_answers():
    assert ex.lesson3.build.answer_names() == ("build_model",)
    assert ex.lesson3.training.answer_names() == ("model", "history")
    assert ex.lesson3.walk_forward.answer_names() == ("forecasts",)
    assert ex.lesson2.windows.answer_names() == ("X", "y")
    assert_says(Feedback("continue", "x"), "continue", "x")
