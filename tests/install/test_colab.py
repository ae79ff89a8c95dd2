"""The Colab way in, replayed: Colab's packages, lesson 1's set-up cell, then a model lesson.

On Colab a lesson runs in whatever Colab ships, and its first cell installs only the course package
on top, with ``--no-deps``, so the lessons must run on Colab's versions, not on the ones
``pyproject.toml`` or the lock asks for. This test builds that kernel and runs the way in:

1. a new virtual environment with Colab's Python (3.13) and exactly the versions Colab lists for
   TensorFlow, Keras, NumPy, pandas, matplotlib, ipywidgets, tqdm, pooch, ipykernel, IPython and
   what they pull in (``constraints/colab.txt`` says where they come from), and no course package;
2. a kernel of that environment runs lesson 1's first cell unchanged, except that the repository
   address (``course_helpers/_repository.py``) is replaced by a git copy of this checkout, so its
   ``%pip install --no-deps ... "course-helpers @ git+..."`` installs what is here now;
3. the same kernel then runs lesson 4 (the CNN) top to bottom, which trains with a progress bar:
   a widget, and Colab's ipywidgets is 7.x. (Lesson 3 runs at both ends of the version ranges in
   ``test_resolutions.py``.) The datasets download over HTTP from a mirror on 127.0.0.1 serving the
   verified copies (``COURSE_DATA_URL`` points there).

Marked ``install``: ``make test-install`` runs it. About 700 MB of wheels come through pip's cache.
"""

import json
import re
import shutil
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from course_helpers._repository import REPOSITORY
from course_helpers.data import DATASETS

from .install_helpers import (
    INSTALL_TIMEOUT,
    LESSON_TIMEOUT,
    RUN_NOTEBOOK,
    DataMirror,
    canonical,
    copy_datasets,
    find_python,
    fresh_env,
    git_snapshot,
    kernelspec,
    notebook_report,
    pinned,
    require,
    run,
)

pytestmark = pytest.mark.install

ROOT = Path(__file__).resolve().parents[2]
CONSTRAINTS = ROOT / "constraints" / "colab.txt"
SETUP_LESSON = "01_promise_of_deep_learning.ipynb"  # its first code cell is the one that installs
MODEL_LESSON = "04_cnn.ipynb"
# lesson 4 trains with a progress bar, an ipywidgets widget, and Colab's ipywidgets is 7.x; more
# lessons, each in a new kernel of the same environment, could follow (CI's time allows one)
MORE_LESSONS = []
KERNEL = "colab-like"
# pip's own notices in the install cell's output, not the lesson's: allowed on stderr there
PIP_NOTICE = re.compile(r"^(WARNING: |\[notice\] |DEPRECATION: )")

PROBE_START = """\
import importlib.util, json, sys
print(json.dumps({"prefix": sys.prefix,
                  "has_course_helpers": importlib.util.find_spec("course_helpers") is not None}))
"""
PROBE_END = """\
import importlib.metadata as md, json, sys
import course_helpers
from course_helpers.data import data_dir
print(json.dumps({
    "prefix": sys.prefix,
    "python": "%d.%d" % sys.version_info[:2],
    "versions": {d.metadata["Name"]: d.version for d in md.distributions()},
    "course_helpers": course_helpers.__file__,
    "direct_url": json.loads(md.distribution("course-helpers").read_text("direct_url.json")),
    "data_dir": str(data_dir()),
}))
"""


def colab_python_version():
    """The ``# python: X.Y`` line of constraints/colab.txt."""
    match = re.search(r"^# python: (\d+\.\d+)\s*$", CONSTRAINTS.read_text(), re.M)
    assert match, f"{CONSTRAINTS} has no '# python: X.Y' line saying which Python Colab runs"
    return match[1]


def first_code_cell(notebook):
    return next(cell for cell in notebook.cells if cell.cell_type == "code")


def pointed_at(source, clone):
    """``source`` with the course's repository address replaced by the local git copy ``clone``."""
    return source.replace(f"git+{REPOSITORY}", f"git+{clone.as_uri()}")


def colab_notebook(setup, lesson, clone):
    """Lesson 1's set-up cell as it is but for the address, then ``lesson`` as it is, and probes."""
    nb = nbformat.v4.new_notebook(metadata=lesson.metadata)
    nb.cells = [new_code_cell(PROBE_START), new_code_cell(pointed_at(setup, clone))]
    for cell in lesson.cells:
        cell = nbformat.from_dict(dict(cell))
        cell.source = pointed_at(cell.source, clone)
        nb.cells.append(cell)
    nb.cells.append(new_code_cell(PROBE_END))
    return nb


def json_line(cell):
    """The JSON a probe cell printed."""
    text = "".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout").strip()
    return json.loads(text.splitlines()[-1]) if text else None


def colab_python():
    """The Python Colab runs (constraints/colab.txt), found on this machine, or a skip/failure."""
    version = colab_python_version()
    python = find_python(version)
    require(
        python,
        f"Colab runs Python {version} (constraints/colab.txt) and no python{version} was found on "
        f"PATH or in ~/.pyenv/versions: install one (pyenv install {version}, or your system's "
        f"python{version} and python{version}-venv packages) to test the Colab way in.",
    )
    return python


def colab_setup_cell(clone):
    """Lesson 1's first code cell, checked to install the course package the Colab way."""
    lesson1 = nbformat.read(clone / "notebooks" / SETUP_LESSON, as_version=4)
    setup = first_code_cell(lesson1).source
    assert f'"course-helpers @ git+{REPOSITORY}"' in setup, (
        f"lesson 1's first code cell does not install the course package from {REPOSITORY} (the "
        f"address in course_helpers/_repository.py); it reads:\n{setup}"
    )
    assert "--no-deps" in setup, "lesson 1 must install the course package with --no-deps on Colab"
    return setup


def notebooks_to_run(workdir, setup, clone):
    """Write the notebooks the kernel runs into ``workdir``; (notebook, output, step) for each."""
    workdir.mkdir()
    lesson = nbformat.read(clone / "notebooks" / MODEL_LESSON, as_version=4)
    source, executed = workdir / "colab_lesson.ipynb", workdir / "colab_lesson.out.ipynb"
    nbformat.write(colab_notebook(setup, lesson, clone), source)
    runs = [(source, executed, f"lesson 1 set-up cell + {MODEL_LESSON}")]
    for name in MORE_LESSONS:
        lesson = nbformat.read(clone / "notebooks" / name, as_version=4)
        for cell in lesson.cells:
            cell.source = pointed_at(cell.source, clone)
        nbformat.write(lesson, workdir / name)
        runs.append((workdir / name, workdir / f"{name}.out.ipynb", name))
    return runs


@pytest.fixture(scope="module")
def colab(tmp_path_factory):
    """Build the Colab-like kernel, run the way in, return the executed notebook and what it saw."""
    python = colab_python()
    tmp = tmp_path_factory.mktemp("colab")
    clone = git_snapshot(tmp / "repo")
    setup = colab_setup_cell(clone)

    venv, home = tmp / "venv", tmp / "home"
    home.mkdir()
    env = fresh_env(venv, home)
    timings = {}
    run([python, "-m", "venv", venv], env, tmp, 300, timings, "venv")
    run(
        [venv / "bin" / "python", "-m", "pip", "install", "--quiet", "-r", CONSTRAINTS],
        env,
        tmp,
        INSTALL_TIMEOUT,
        timings,
        "pip install constraints/colab.txt",
    )

    workdir = tmp / "notebooks"
    runs = notebooks_to_run(workdir, setup, clone)
    executed = runs[0][1]
    (tmp / "run_notebook.py").write_text(RUN_NOTEBOOK)

    with DataMirror(copy_datasets(tmp / "mirror")) as mirror:
        env["JUPYTER_PATH"] = str(kernelspec(tmp / "jupyter", KERNEL, venv / "bin" / "python"))
        env["COURSE_DATA_URL"] = mirror.url
        for notebook, output, step in runs:
            run(
                [sys.executable, tmp / "run_notebook.py", notebook, output, KERNEL, LESSON_TIMEOUT],
                env,
                workdir,
                INSTALL_TIMEOUT + 20 * LESSON_TIMEOUT,
                timings,
                step,
            )
    result = nbformat.read(executed, as_version=4)
    yield {
        "nb": result,
        "more": {name: nbformat.read(out, as_version=4) for _, out, name in runs[1:]},
        "venv": venv,
        "clone": clone,
        "home": home,
        "mirror": mirror,
        "start": json_line(result.cells[0]),
        "end": json_line(result.cells[-1]),
    }
    print("\nColab-like kernel, seconds per step:", json.dumps(timings))
    shutil.rmtree(venv, ignore_errors=True)  # 1.5 GB; the report above is what is kept


def test_the_kernel_starts_in_the_colab_like_environment_without_the_course(colab):
    start = colab["start"]
    assert start, "the first cell printed nothing: the kernel did not run"
    assert Path(start["prefix"]) == colab["venv"], "the kernel is not the Colab-like environment"
    assert not start["has_course_helpers"], "the course package was there before lesson 1 ran"


def test_every_cell_runs_without_errors(colab):
    errors, _ = notebook_report(colab["nb"])
    assert errors == [], f"lesson 1's set-up cell and {MODEL_LESSON} on Colab: {errors}"
    for name, nb in colab["more"].items():
        errors, _ = notebook_report(nb)
        assert errors == [], f"{name} on Colab, after lesson 1 installed the package: {errors}"


def test_the_lesson_writes_nothing_to_stderr(colab):
    _, stderr = notebook_report(colab["nb"])
    setup_cell = 1
    noise = [
        (i, line)
        for i, text in stderr
        for line in text.splitlines()
        if line.strip() and not (i == setup_cell and PIP_NOTICE.match(line))
    ]
    for name, nb in colab["more"].items():
        noise += [(f"{name} {i}", line) for i, text in notebook_report(nb)[1] for line in [text]]
    assert noise == [], f"lines on stderr (cell index, line): {noise[:20]}"


def test_colab_versions_are_untouched_by_the_install(colab):
    end = colab["end"]
    assert end, "the last cell did not run"
    assert end["python"] == colab_python_version()
    installed = {canonical(name): v for name, v in end["versions"].items()}
    wrong = {
        name: f"{installed.get(name)} instead of {want}"
        for name, want in pinned(CONSTRAINTS).items()
        if installed.get(name) != want
    }
    assert not wrong, f"the kernel does not have Colab's versions: {wrong}"


def test_the_course_package_came_from_the_git_address(colab):
    end = colab["end"]
    assert end, "the last cell did not run"
    module = Path(end["course_helpers"])
    assert colab["venv"] in module.parents, f"course_helpers imported from {module}"
    assert "site-packages" in module.parts, "an installed copy, not the checkout"
    direct = end["direct_url"]
    assert direct.get("vcs_info", {}).get("vcs") == "git", direct
    assert direct["url"] == colab["clone"].as_uri(), direct


def test_the_datasets_came_from_the_mirror(colab):
    end = colab["end"]
    assert end, "the last cell did not run"
    births = DATASETS["daily-total-female-births"].filename
    assert f"/{births}" in colab["mirror"].requests, (
        f"the lesson did not download {births} from COURSE_DATA_URL; asked: "
        f"{colab['mirror'].requests}"
    )
    assert (Path(end["data_dir"]) / births).is_file()
    assert colab["home"] in Path(end["data_dir"]).parents, "the data cache is outside the new home"
