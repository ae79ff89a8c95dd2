"""Student hand-outs: solution cells gone, outputs cleared, originals untouched."""

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course_tools.handouts import main, student_copy, write_student_copies

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def executed_cell(source, tags=(), count=1):
    """A code cell as Jupyter saves it after running: an output, a count, timing metadata."""
    cell = new_code_cell(source, execution_count=count)
    cell.outputs = [
        new_output("stream", name="stdout", text="42\n"),
        new_output("execute_result", data={"text/plain": "42"}, execution_count=count),
    ]
    cell.metadata["execution"] = {"iopub.execute_input": "2025-01-01T00:00:00Z"}
    cell.metadata["scrolled"] = True
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def lesson_like(tmp_path, name="lesson.ipynb"):
    """A small executed notebook: a task, a hint, a tagged solution and a check."""
    nb = new_notebook(
        cells=[
            new_markdown_cell("# Task: build the windows"),
            executed_cell("X = make_windows(values, 3)  # your code here", count=1),
            new_markdown_cell("Hint: use `make_windows`.", metadata={"tags": ["hint"]}),
            executed_cell("X = make_windows(births, 3)", tags=["solution"], count=2),
            new_markdown_cell("The solution, explained.", metadata={"tags": ["solution", "x"]}),
            executed_cell("check(X)", tags=["check"], count=3),
        ]
    )
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def assert_clean(nb):
    """No solution cell, no output, no execution count, no saved widget state."""
    for cell in nb.cells:
        assert "solution" not in cell.metadata.get("tags", []), cell.source
        assert "execution" not in cell.metadata
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None
    assert "widgets" not in nb.metadata
    nbformat.validate(nb)


def test_solution_cells_removed_others_kept(tmp_path):
    original = nbformat.read(lesson_like(tmp_path), as_version=4)
    copy = student_copy(original)
    assert [c.source for c in copy.cells] == [
        "# Task: build the windows",
        "X = make_windows(values, 3)  # your code here",
        "Hint: use `make_windows`.",
        "check(X)",
    ]
    assert copy.cells[2].metadata["tags"] == ["hint"]  # other tags are kept
    assert_clean(copy)


def test_original_object_not_changed(tmp_path):
    original = nbformat.read(lesson_like(tmp_path), as_version=4)
    before = nbformat.writes(original)
    student_copy(original)
    assert nbformat.writes(original) == before


def test_write_copies_leaves_files_untouched(tmp_path):
    sources = [lesson_like(tmp_path, "01_a.ipynb"), lesson_like(tmp_path, "02_b.ipynb")]
    before = [p.read_bytes() for p in sources]
    out = tmp_path / "dist" / "student"
    written = write_student_copies(sources, out)
    assert written == [out / "01_a.ipynb", out / "02_b.ipynb"]
    assert [p.read_bytes() for p in sources] == before
    for path in written:
        nb = nbformat.read(path, as_version=4)
        assert_clean(nb)
        assert len(nb.cells) == 4


def test_custom_tag(tmp_path):
    copy = student_copy(nbformat.read(lesson_like(tmp_path), as_version=4), tag="hint")
    assert "Hint: use `make_windows`." not in [c.source for c in copy.cells]
    assert any("solution" in c.metadata.get("tags", []) for c in copy.cells)


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
        write_student_copies([tmp_path / p for p in bad], tmp_path / "out")


def test_refuses_to_overwrite_originals(tmp_path):
    path = lesson_like(tmp_path)
    before = path.read_bytes()
    with pytest.raises(ValueError, match="replace the originals"):
        write_student_copies([path], tmp_path)
    assert path.read_bytes() == before


def test_refuses_two_notebooks_with_one_name(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    paths = [lesson_like(tmp_path / "a"), lesson_like(tmp_path / "b")]
    with pytest.raises(ValueError, match="both called lesson.ipynb"):
        write_student_copies(paths, tmp_path / "out")


def test_command_line(tmp_path):
    path = lesson_like(tmp_path)
    out = tmp_path / "handout"
    done = subprocess.run(
        [sys.executable, "-m", "course_tools.handouts", "--out", str(out), str(path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert f"wrote {out / 'lesson.ipynb'}" in done.stdout
    assert_clean(nbformat.read(out / "lesson.ipynb", as_version=4))


def test_command_line_error_is_short(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main(["nope.ipynb"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "nope.ipynb is not a notebook file" in err
    assert "Traceback" not in err


@pytest.mark.skipif(not LESSONS, reason="notebooks/ has no .ipynb yet")
def test_real_lessons(tmp_path):
    before = [p.read_bytes() for p in LESSONS]
    written = write_student_copies(LESSONS, tmp_path)
    assert [p.read_bytes() for p in LESSONS] == before
    for source, copy_path in zip(LESSONS, written, strict=True):
        original = nbformat.read(source, as_version=4)
        copy = nbformat.read(copy_path, as_version=4)
        assert_clean(copy)
        kept = [c.source for c in original.cells if "solution" not in c.metadata.get("tags", [])]
        assert [c.source for c in copy.cells] == kept, source.name
