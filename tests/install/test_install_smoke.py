"""A Binder-like install from scratch: fresh venv, the locked requirements, postBuild, a lesson.

This is what a learner's first Binder session depends on, replayed without Docker:

1. a new virtual environment with nothing in it;
2. ``pip install -r binder/requirements.txt``, as repo2docker runs it: the lock's versions, each
   checked against its hash (``make lock`` writes the file);
3. ``binder/postBuild`` itself, run in a clean copy of the repository (the files git would clone)
   with the fresh environment first on ``PATH`` and an empty home folder;
4. one lesson notebook executed top to bottom in a kernel of that environment.

It downloads TensorFlow and the rest (about 300 MB) through pip's cache, so only the first run is
slow. The datasets come from verified local copies put where postBuild looks for them (``data/``),
since tests have no internet for them. Marked ``install``: ``make test-install`` runs it.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course_helpers.data import DATASETS, fetch_all

from .install_helpers import (
    INSTALL_TIMEOUT,
    LESSON_TIMEOUT,
    canonical,
    clean_checkout,
    fresh_env,
    pinned,
    run,
)

pytestmark = pytest.mark.install

PREFERRED_LESSONS = ["01_promise_of_deep_learning.ipynb", "02_*.ipynb", "*.ipynb"]


def pick_lesson(notebooks):
    """The quickest lesson to run: lesson 1, else lesson 2, else the first notebook."""
    for pattern in PREFERRED_LESSONS:
        found = sorted(notebooks.glob(pattern))
        if found:
            return found[0]
    return None


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory):
    """A fresh venv set up the way Binder sets up the image: returns paths, env and timings."""
    tmp = tmp_path_factory.mktemp("binder")
    repo = clean_checkout(tmp / "repo")
    assert (repo / "binder" / "postBuild").is_file(), "binder/postBuild is not in the checkout"

    # The verified datasets, put where postBuild's fetch looks first: data/ of the checkout.
    (repo / "data").mkdir(exist_ok=True)
    for path in fetch_all():
        shutil.copy2(path, repo / "data" / path.name)

    venv, home = tmp / "venv", tmp / "home"
    home.mkdir()
    env = fresh_env(venv, home)
    timings = {}
    bin_python = str(venv / "bin" / "python")
    run([sys.executable, "-m", "venv", str(venv)], env, tmp, 120, timings, "venv")
    run(
        [bin_python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"],
        env,
        tmp,
        300,
        timings,
        "upgrade pip",
    )
    run(
        [bin_python, "-m", "pip", "install", "--quiet", "-r", "binder/requirements.txt"],
        env,
        repo,
        INSTALL_TIMEOUT,
        timings,
        "pip install binder/requirements.txt",
    )
    postbuild = run(
        ["bash", str(repo / "binder" / "postBuild")],
        env,
        repo,
        INSTALL_TIMEOUT,
        timings,
        "binder/postBuild",
    )
    yield {
        "repo": repo,
        "venv": venv,
        "env": env,
        "python": bin_python,
        "tmp": tmp,
        "postbuild": postbuild,
        "timings": timings,
    }
    print("\nBinder-like install, seconds per step:", json.dumps(timings))


def test_the_environment_has_the_locked_versions(binder_env):
    done = subprocess.run(
        [binder_env["python"], "-m", "pip", "list", "--format", "json"],
        env=binder_env["env"],
        capture_output=True,
        text=True,
    )
    installed = {canonical(p["name"]): p["version"] for p in json.loads(done.stdout)}
    wanted = pinned(binder_env["repo"] / "binder" / "requirements.txt")
    wrong = {n: f"{installed.get(n)}, not {v}" for n, v in wanted.items() if installed.get(n) != v}
    assert not wrong, f"not the lock's versions: {wrong}"


def test_environment_is_consistent(binder_env):
    done = subprocess.run(
        [binder_env["python"], "-m", "pip", "check"],
        env=binder_env["env"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_package_imports_from_the_checkout(binder_env):
    done = subprocess.run(
        [
            binder_env["python"],
            "-c",
            "import sys, course_helpers, keras; print(sys.prefix); print(course_helpers.__file__); "
            "print(keras.__version__)",
        ],
        env=binder_env["env"],
        cwd=binder_env["tmp"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    prefix, module, keras_version = done.stdout.split()
    assert Path(prefix) == binder_env["venv"]
    assert Path(module).parent == binder_env["repo"] / "course_helpers"  # editable install
    assert int(keras_version.split(".")[0]) == 3
    assert done.stderr == ""  # importing the package prints nothing in red


def test_postbuild_verified_every_dataset_offline(binder_env):
    out = binder_env["postbuild"].stdout
    data = binder_env["repo"] / "data"
    for dataset in DATASETS.values():
        assert f"ok  {data / dataset.filename}" in out


def test_a_lesson_runs_in_the_fresh_environment(binder_env):
    lesson = pick_lesson(binder_env["repo"] / "notebooks")
    if lesson is None:
        pytest.skip("notebooks/ has no .ipynb yet: no lesson to run")
    script = binder_env["tmp"] / "run_lesson.py"
    script.write_text(RUN_LESSON)
    done = run(
        [binder_env["python"], str(script), str(lesson)],
        binder_env["env"],
        lesson.parent,
        LESSON_TIMEOUT + 60,
        binder_env["timings"],
        f"run {lesson.name}",
    )
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(report["prefix"]) == binder_env["venv"], "the kernel is not the fresh environment"
    assert report["errors"] == [], f"{lesson.name} raised errors: {report['errors']}"
    assert report["stderr"] == [], f"{lesson.name} wrote to stderr: {report['stderr']}"


# Run by the fresh environment's own Python, so nbclient, the kernel and the packages are all its.
RUN_LESSON = f"""
import json, sys
import nbclient, nbformat
from nbformat.v4 import new_code_cell

path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
nb.cells.append(new_code_cell("import sys; print(sys.prefix)"))
nbclient.NotebookClient(nb, timeout={LESSON_TIMEOUT}, kernel_name="python3",
                        resources={{"metadata": {{"path": "."}}}}).execute()
outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
print(json.dumps({{
    "prefix": nb.cells[-1].outputs[0]["text"].strip(),
    "errors": [o.get("ename", "") + ": " + o.get("evalue", "") for o in outputs
               if o.output_type == "error"],
    "stderr": [o["text"][:500] for o in outputs
               if o.output_type == "stream" and o.name == "stderr"],
}}))
"""
