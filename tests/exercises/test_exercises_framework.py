"""The exercise framework: placeholder, feedback, hints, solutions, lessons, package layout."""

import ast
import sys
from pathlib import Path

import numpy as np
import pytest
from exercise_helpers import assert_says

import course_helpers
from course_helpers import exercises as ex
from course_helpers.exercises import Feedback, ____
from course_helpers.models import MODELS

PACKAGE = Path(ex.__file__).parent

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
        lambda: ex.lesson2.windows.check(np.zeros((3, 2)), [1, 2, 3], window=____),
        lambda: ex.lesson2.training_data.check(____, ____, ____),
        lambda: ex.lesson4.build.check(____),
        lambda: ex.lesson4.build.check(),
        lambda: ex.lesson3.training.check(____, ____, ____),
        lambda: ex.lesson1.capabilities.check(cnn="CNNs find local patterns"),
        lambda: ex.lesson2.windows.check(window=7),
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
        ex.lesson5.build,
    ):
        solution = task.solution()
        assert solution.status == "solution" and solution.details
    assert "make_windows" in ex.lesson2.windows.solution().message
    assert "for i in range(len(values) - window)" in ex.lesson2.windows.solution().code
    assert "layers.LSTM(16)" in ex.lesson5.build.solution().code


def test_registry_has_a_lesson_per_notebook():
    assert isinstance(ex.lesson1.capabilities, ex.CapabilitiesExercise)
    assert isinstance(ex.lesson2.windows, ex.WindowsExercise)
    assert isinstance(ex.lesson2.training_data, ex.TrainingDataExercise)
    assert list(ex.lesson3) == ["build", "training", "walk_forward"]  # by hand, in lesson 3
    for spec in (s for s in MODELS.values() if s.lesson > 3):  # the registry's model of each
        task = ex.lesson(spec.lesson).build
        assert isinstance(task, ex.ArchitectureExercise) and task.spec is spec
    assert list(ex.lesson2) == ["windows", "training_data"]
    assert "windows, training_data" in repr(ex.lesson2)
    assert ex.lesson(8) is ex.lesson8 and list(ex.lesson8) == ["add_to_ridge"]  # the capstone
    assert ex.lesson(9) is ex.lesson9 and list(ex.lesson9) == ["build"]  # global models
    with pytest.raises(ValueError, match="lessons 1 to 9"):
        ex.lesson(10)
    with pytest.raises(ValueError, match="identifier"):
        ex.Lesson(10).add("not a name", ex.WindowsExercise())


def test_an_unforeseen_answer_gets_an_explanation_not_a_traceback():
    feedback = ex.lesson2.windows.check(np.zeros((3, 3)), np.zeros(3), window=3, extra=1)
    assert_says(feedback, "incorrect", "could not read this answer", "TypeError")


# ---------------------------------------------------------------------------------------------
# Lessons are the modules lesson1 ... lesson7; model facts come from the registry
# ---------------------------------------------------------------------------------------------


def test_each_lesson_is_its_module():
    from course_helpers.exercises import lesson3

    for number in range(1, 8):
        module = sys.modules[f"course_helpers.exercises.lesson{number}"]
        assert ex.lesson(number) is module is ex.LESSONS[number]
        assert getattr(ex, f"lesson{number}") is module
        assert isinstance(module, ex.Lesson) and module.number == number
    assert lesson3 is ex.lesson3 and course_helpers.exercises is ex
    assert repr(ex.lesson3) == "Lesson 3 exercises: build, training, walk_forward"
    assert repr(ex.lesson1) == "Lesson 1 exercises: capabilities"
    assert list(ex.lesson5) == ["build", "training", "windows"]  # in the order declared


def test_a_new_lesson_starts_empty_and_takes_exercises():
    extra = ex.Lesson(10)
    assert repr(extra) == "Lesson 10 exercises: none yet" and list(extra) == []
    task = ex.WindowsExercise()
    assert extra.add("windows", task) is task and extra.windows is task
    extra.add("more", ex.WindowsExercise())
    extra.add("windows", task)  # adding again keeps the first place
    assert list(extra) == ["windows", "more"]
    assert 10 not in ex.LESSONS


def test_architecture_tasks_read_their_model_from_the_registry():
    for spec in MODELS.values():
        task = ex.lesson(spec.lesson).build
        assert task.spec is spec and task.family.name in task.title
    assert ex.lesson4.build.title == "Write the births 1D CNN"
    with pytest.raises(ValueError, match="Lesson 2 has no model of its own"):
        ex.ArchitectureExercise(
            2, ex.lesson3.MLP, title="", hints=(), solution_details=(), solution_code=""
        )
    assert not hasattr(ex, "LESSON_MODELS") and not hasattr(ex, "MODEL_TITLES")


def _modules():
    return sorted(PACKAGE.glob("*.py"))


def test_package_holds_the_expected_modules():
    names = {path.stem for path in _modules()}
    lessons = {f"lesson{n}" for n in range(1, 8)}
    assert {"__init__", "core", "diagnose", "architecture", "networks", *lessons} <= names
    assert not (PACKAGE.parent / "exercises.py").exists()


@pytest.mark.parametrize("path", _modules(), ids=lambda path: path.name)
def test_no_module_is_over_400_lines(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= 400, f"{path.name} has {lines} lines; split it."


@pytest.mark.parametrize("path", _modules(), ids=lambda path: path.name)
def test_functions_are_short_and_documented(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{path.name} has no module docstring"
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            assert length < 60, f"{path.name}: {node.name} has {length} lines"
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
            assert ast.get_docstring(node), f"{path.name}: {node.name} has no docstring"
