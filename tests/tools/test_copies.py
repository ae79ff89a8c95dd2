"""Instructors' copies: every task cell holds its worked answer and its check, outputs cleared."""

import subprocess
import sys
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import course_helpers as ch
from course_helpers import exercises as ex
from course_tools.copies import NOTE, clean_copy, instructor_copy, main, write_instructor_copies
from course_tools.tasks import find_tasks

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
TASK = "window = ____\nX = ____\ny = ____\nexercises.lesson2.windows.check(X, y, window=window)"


def executed_cell(source, tags=(), count=1):
    """A code cell as Jupyter saves it after running: an output, a count, timing metadata."""
    cell = new_code_cell(source, execution_count=count)
    cell.outputs = [new_output("stream", name="stdout", text="42\n")]
    cell.metadata["execution"] = {"iopub.execute_input": "2025-01-01T00:00:00Z"}
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def lesson_like(folder, name="lesson.ipynb"):
    """A small executed lesson: a task, its hint line and a cell after it."""
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Task: build the windows"),
            executed_cell(TASK, count=1),
            executed_cell("# exercises.lesson2.windows.hint()", count=2),
            executed_cell("print(len(X))", count=3),
        ]
    )
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    path = Path(folder) / name
    nbformat.write(nb, path)
    return path


def assert_clean(nb):
    """No output, no execution count, no saved widget state, no tagged solution cell."""
    for cell in nb.cells:
        assert "solution" not in cell.metadata.get("tags", [])
        assert "execution" not in cell.metadata
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert "widgets" not in nb.metadata
    nbformat.validate(nb)


def test_a_task_cell_becomes_its_worked_answer_and_its_check(tmp_path):
    original = nbformat.read(lesson_like(tmp_path), as_version=4)
    before = nbformat.writes(original)
    copy = instructor_copy(original)
    assert nbformat.writes(original) == before  # the lesson itself is not changed
    assert copy.cells[0].source == NOTE
    task = copy.cells[2].source
    assert task.startswith(ex.lesson2.windows.solution_code.strip())
    assert task.endswith("\n\nexercises.lesson2.windows.check(X, y, window=window)")
    assert "____" not in task and "worked-answer" in copy.cells[2].metadata["tags"]
    assert [c.source for c in copy.cells[3:]] == [c.source for c in original.cells[2:]]
    assert_clean(copy)


def test_clean_copy_drops_tagged_solution_cells_and_outputs(tmp_path):
    nb = nbformat.read(lesson_like(tmp_path), as_version=4)
    nb.cells.append(executed_cell("X = 1", tags=["solution"]))
    copy = clean_copy(nb)
    assert len(copy.cells) == 4
    assert_clean(copy)


def test_lesson_2s_worked_answers_run_and_pass_their_checks():
    """The task cells of lesson 2's instructor copy, run in order, pass their checks."""
    copy = instructor_copy(
        nbformat.read(ROOT / "notebooks/02_series_as_supervised_learning.ipynb", 4)
    )
    births = ch.load_series()
    train, _ = ch.train_test_split(births, 100)
    names = {
        "np": np,
        "ch": ch,
        "exercises": ex,
        "births": births,
        "scaler": ch.Scaler().fit(train),
    }
    worked = [c for c in copy.cells if "worked-answer" in c.metadata.get("tags", [])]
    assert len(worked) == 2
    for cell in worked:
        *body, check = cell.source.strip().splitlines()
        exec("\n".join(body), names)
        assert eval(check, names).passed, cell.source


def test_write_copies_of_the_real_lessons(tmp_path):
    before = [p.read_bytes() for p in LESSONS]
    written = write_instructor_copies(LESSONS, tmp_path)
    assert [p.read_bytes() for p in LESSONS] == before
    for source, path in zip(LESSONS, written, strict=True):
        copy = nbformat.read(path, as_version=4)
        assert_clean(copy)
        lesson = nbformat.read(source, as_version=4)
        worked = [c for c in copy.cells if "worked-answer" in c.metadata.get("tags", [])]
        assert len(worked) == len(find_tasks(lesson)), source.name
        assert not find_tasks(copy), f"{source.name}: a task keeps its blanks"


@pytest.mark.parametrize(
    "bad, message",
    [
        ([], "No notebooks given"),
        (["missing.ipynb"], "is not a notebook file"),
        (["notes.txt"], "is not a notebook file"),
    ],
)
def test_bad_paths_explained(tmp_path, bad, message):
    (tmp_path / "notes.txt").write_text("not a notebook")
    with pytest.raises(ValueError, match=message):
        write_instructor_copies([tmp_path / p for p in bad], tmp_path / "out")


def test_refuses_to_overwrite_originals_or_a_name_twice(tmp_path):
    path = lesson_like(tmp_path)
    with pytest.raises(ValueError, match="replace the originals"):
        write_instructor_copies([path], tmp_path)
    (tmp_path / "a").mkdir()
    twice = [lesson_like(tmp_path / "a"), path]
    with pytest.raises(ValueError, match="both called lesson.ipynb"):
        write_instructor_copies(twice, tmp_path / "out")


def test_command_line(tmp_path, capsys, monkeypatch):
    path = lesson_like(tmp_path)
    out = tmp_path / "instructor"
    done = subprocess.run(
        [sys.executable, "-m", "course_tools.copies", "--out", str(out), str(path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert f"wrote {out / 'lesson.ipynb'}" in done.stdout
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main(["nope.ipynb"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "nope.ipynb is not a notebook file" in err and "Traceback" not in err
