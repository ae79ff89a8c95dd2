"""`python -m course_tools.execute` runs notebooks in place; errors and stderr fail it loudly."""

import nbformat
import pytest

from course_tools.execute import main, stderr_outputs


def make_notebook(path, *sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# a test notebook")]
    nb.cells += [nbformat.v4.new_code_cell(source) for source in sources]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


def test_clean_notebook_is_executed_and_saved_in_place(tmp_path, capsys):
    path = make_notebook(
        tmp_path / "clean.ipynb", "import os\nprint(os.getcwd())", "1 + 1", "print('done')"
    )
    assert main([str(path)]) == 0
    nb = nbformat.read(path, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == [1, 2, 3]
    assert code[0].outputs[0].text.strip() == str(tmp_path)  # runs in the notebook's folder
    assert code[1].outputs[0].data["text/plain"] == "2"
    assert "execution" not in code[0].metadata  # no timestamps to churn the diff
    out = capsys.readouterr().out
    assert "ok" in out and "clean.ipynb" in out and " s " in out


def test_error_fails_and_leaves_the_notebook_untouched(tmp_path, capsys):
    path = make_notebook(tmp_path / "error.ipynb", "x = 1", "raise ValueError('broken cell')")
    before = path.read_text()
    assert main([str(path)]) == 1
    assert path.read_text() == before
    captured = capsys.readouterr()
    assert "FAILED" in captured.out and "not saved" in captured.out
    assert "broken cell" in captured.err


def test_stderr_output_fails_and_prints_the_cell(tmp_path, capsys):
    path = make_notebook(tmp_path / "noisy.ipynb", "import sys\nsys.stderr.write('red box\\n')")
    before = path.read_text()
    assert main([str(path)]) == 1
    assert path.read_text() == before
    err = capsys.readouterr().err
    assert "cell 2 wrote to stderr" in err and "sys.stderr.write" in err and "red box" in err


def test_time_limit_fails_but_keeps_the_outputs(tmp_path, capsys):
    path = make_notebook(tmp_path / "slow.ipynb", "import time\ntime.sleep(0.3)")
    assert main([str(path), "--max-seconds", "0.1"]) == 1
    assert nbformat.read(path, as_version=4).cells[1].execution_count == 1
    assert "more than the limit of 0.1 s" in capsys.readouterr().err


def test_missing_notebook_is_a_usage_error(tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        main([str(tmp_path / "nope.ipynb")])
    assert exit_info.value.code == 2


def test_stderr_outputs_finds_stderr_streams_only():
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("print(1)")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="1\n"),
        nbformat.v4.new_output("stream", name="stderr", text="warning\n"),
    ]
    nb.cells = [nbformat.v4.new_markdown_cell("x"), cell]
    assert stderr_outputs(nb) == [(2, "print(1)", "warning\n")]
