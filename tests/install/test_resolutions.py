"""The floors and the ceiling: pyproject.toml's ranges hold at both ends, not only in the lock.

Each test environment is resolved by uv from ``pyproject.toml`` (runtime and ``test`` extra):

- ``lowest`` (``make test-lowest``): every direct dependency at exactly its floor (``>=X`` gives
  ``X``; ``uv pip compile --resolution lowest-direct`` with those versions as constraints), what
  they pull in at the newest versions that fit. If the floors cannot be installed together, the
  test fails with uv's explanation: raise the floor it names.
- ``latest`` (``make test-latest``): the newest version of everything the ranges allow today.

Then, in a new virtual environment with exactly that resolution and the package from a clean copy
of this checkout: ``pip check``, the unit tests (``tests/`` but the install tests and the folders
in ``LEFT_OUT``) and lesson 3 (the MLP) run under nbval, as ``make test`` runs them. Marked
``install`` and run only when asked for by name (see ``conftest.py``); CI runs both.
"""

import json
import re
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from .install_helpers import (
    INSTALL_TIMEOUT,
    canonical,
    clean_checkout,
    copy_datasets,
    fresh_env,
    pinned,
    require,
    run,
)

pytestmark = pytest.mark.install

ROOT = Path(__file__).resolve().parents[2]
EXTRA = "test"  # what `make setup` installs: the runtime, the maintainer tools, the test tools
LESSON = "notebooks/03_mlp.ipynb"
TESTS_TIMEOUT = 900  # seconds for the unit tests and the lesson; about 4 minutes on 2 cores
RESOLUTION = {"lowest": "lowest-direct", "latest": "highest"}
# Left out, to keep each end to about five minutes: the exercise checks (they train dozens of
# networks to judge worked solutions over three seeds; the package code they use is tested here),
# the classroom, slow and quick (`make test-classroom`), and the browser test (`make test`).
LEFT_OUT = ["exercises", "classroom", "tools/classroom", "browser"]


def uv_binary():
    """uv from this environment (``make test-lowest`` installs it), else from PATH, else None."""
    beside = Path(sys.executable).with_name("uv")
    return str(beside) if beside.is_file() else shutil.which("uv")


def direct_requirements(pyproject, extra):
    """The requirements of the runtime and ``extra``, following the package's own extras."""
    project = tomllib.loads(Path(pyproject).read_text())["project"]
    name = canonical(project["name"])
    requirements, todo, seen = list(project["dependencies"]), [extra], set()
    while todo:
        group = todo.pop()
        if group in seen:
            continue
        seen.add(group)
        for line in project["optional-dependencies"][group]:
            requirement = Requirement(line)
            if canonical(requirement.name) == name:
                todo.extend(requirement.extras)
            else:
                requirements.append(line)
    return [Requirement(line) for line in dict.fromkeys(requirements)]


def floor(requirement):
    """The lowest version a requirement allows: its ``>=`` or ``==`` version."""
    versions = [s.version for s in requirement.specifier if s.operator in (">=", "==", "~=")]
    assert versions, f"{requirement} has no floor (>=): give it one"
    return max(versions, key=Version)


def floor_constraints(requirements):
    """A constraints file's lines: each direct dependency at its floor, markers kept."""
    lines = []
    for requirement in requirements:
        marker = f" ; {requirement.marker}" if requirement.marker else ""
        lines.append(f"{requirement.name}=={floor(requirement)}{marker}")
    return "\n".join(dict.fromkeys(lines)) + "\n"


def applies(requirement):
    return requirement.marker is None or requirement.marker.evaluate()


def resolve(uv, end, requirements, repo, tmp, env):
    """``uv pip compile`` of the runtime and the test extra at one ``end``; the file it writes."""
    target = tmp / "resolved.txt"
    cmd = [uv, "pip", "compile", "pyproject.toml", "--extra", EXTRA, "--quiet", "--no-header"]
    cmd += ["--python-version", "{}.{}".format(*sys.version_info[:2])]
    cmd += ["--resolution", RESOLUTION[end], "-o", target]
    if end == "lowest":
        (tmp / "floors.txt").write_text(floor_constraints(requirements))
        cmd += ["-c", tmp / "floors.txt"]
    done = subprocess.run([str(c) for c in cmd], env=env, cwd=repo, capture_output=True, text=True)
    assert done.returncode == 0, (
        f"the lowest versions pyproject.toml allows cannot be installed together; raise the floor "
        f"that uv names below:\n{done.stderr[-4000:]}"
        if end == "lowest"
        else f"the newest versions pyproject.toml allows do not resolve:\n{done.stderr[-4000:]}"
    )
    return target


def install(uv, end, requirements, repo, tmp, env, timings):
    """A new venv in ``tmp`` with one ``end``'s resolution and the package; (python, resolution)."""
    resolution = resolve(uv, end, requirements, repo, tmp, env)
    venv = tmp / "venv"
    python = venv / "bin" / "python"
    run([sys.executable, "-m", "venv", venv], env, tmp, 300, timings, "venv")
    run(
        [uv, "pip", "sync", "--python", python, resolution],
        env,
        repo,
        INSTALL_TIMEOUT,
        timings,
        f"install the {end} versions",
    )
    run(
        [uv, "pip", "install", "--python", python, "--no-deps", "-e", "."],
        env,
        repo,
        INSTALL_TIMEOUT,
        timings,
        "install the package",
    )
    return python, resolution


def run_unit_tests(python, repo, tmp, env, timings):
    """The unit tests and lesson 3, as ``make test`` runs them; the finished pytest process."""
    started = time.perf_counter()
    tests = subprocess.run(
        [python, "-m", "pytest", "tests", LESSON, "-m", "not install"]
        + [f"--ignore=tests/{folder}" for folder in LEFT_OUT]
        + ["-p", "no:cacheprovider", "-q", "--no-header", "-rfE", "--durations=5"]
        + ["-n", "auto", "--dist", "loadfile"]  # as `make test` runs them
        + ["--basetemp", tmp / "pytest-tmp"],  # not the shared one, which pytest prunes
        env=env,
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=TESTS_TIMEOUT,
    )
    timings["unit tests and lesson 3"] = round(time.perf_counter() - started, 1)
    (tmp / "pytest-output.txt").write_text(tests.stdout + tests.stderr)
    return tests


@pytest.fixture(
    scope="module",
    params=[
        pytest.param("lowest", marks=pytest.mark.lowest),
        pytest.param("latest", marks=pytest.mark.latest),
    ],
)
def resolved(request, tmp_path_factory):
    """A new environment at one end of the ranges, with the unit tests and lesson 3 run in it."""
    end = request.param
    uv = uv_binary()
    require(uv, "uv is needed to resolve the versions: `make test-lowest` installs it in .venv")
    tmp = tmp_path_factory.mktemp(end)
    repo = clean_checkout(tmp / "repo")
    data = copy_datasets(tmp / "data")
    home = tmp / "home"
    home.mkdir()
    env = fresh_env(tmp / "venv", home)
    cache = subprocess.run([uv, "cache", "dir"], capture_output=True, text=True).stdout.strip()
    if cache:  # the new home has no uv cache: share this machine's
        env["UV_CACHE_DIR"] = cache
    timings = {}
    requirements = direct_requirements(repo / "pyproject.toml", EXTRA)
    python, resolution = install(uv, end, requirements, repo, tmp, env, timings)
    check = subprocess.run([python, "-m", "pip", "check"], env=env, capture_output=True, text=True)
    listed = subprocess.run(
        [python, "-m", "pip", "list", "--format", "json"], env=env, capture_output=True, text=True
    )
    installed = {canonical(p["name"]): p["version"] for p in json.loads(listed.stdout)}
    env["COURSE_DATA_DIR"] = str(data)
    tests = run_unit_tests(python, repo, tmp, env, timings)
    yield {
        "end": end,
        "output": tmp / "pytest-output.txt",
        "requirements": requirements,
        "resolved": pinned(resolution),
        "installed": installed,
        "check": check,
        "tests": tests,
        "timings": timings,
    }
    direct = {r.name: installed.get(canonical(r.name)) for r in requirements if applies(r)}
    print(f"\n{end}: direct dependencies as installed:", json.dumps(direct))
    print(f"{end}: seconds per step:", json.dumps(timings))
    slowest = re.findall(r"^[\d.]+s (?:call|setup) .*$", tests.stdout, re.M)[:5]
    print(f"{end}: slowest tests:", *slowest, sep="\n  ")


def test_direct_dependencies_are_at_the_end_of_their_ranges(resolved):
    wrong = []
    for requirement in filter(applies, resolved["requirements"]):
        version = resolved["installed"].get(canonical(requirement.name))
        if version is None:
            wrong.append(f"{requirement.name} is not installed")
        elif not requirement.specifier.contains(version, prereleases=True):
            wrong.append(f"{requirement.name} {version} is outside {requirement.specifier}")
        elif resolved["end"] == "lowest" and Version(version) != Version(floor(requirement)):
            wrong.append(f"{requirement.name} {version} is not its floor {floor(requirement)}")
    assert not wrong, f"{resolved['end']}: {wrong}"


def test_the_environment_is_exactly_the_resolution(resolved):
    installed = resolved["installed"]
    wrong = {
        name: f"{installed.get(name)}, not {version}"
        for name, version in resolved["resolved"].items()
        if installed.get(name) != version
    }
    assert not wrong, f"{resolved['end']}: {wrong}"
    assert resolved["check"].returncode == 0, resolved["check"].stdout + resolved["check"].stderr


def test_unit_tests_and_lesson_3_pass(resolved):
    tests = resolved["tests"]
    summary = [
        line
        for line in tests.stdout.splitlines()
        if re.match(r"^(FAILED|ERROR)\b", line) or re.search(r"\b(passed|failed|error)", line)
    ]
    assert tests.returncode == 0, (
        f"on the {resolved['end']} versions, the unit tests or {LESSON} fail "
        f"(pytest exit {tests.returncode}):\n"
        + "\n".join(summary[-40:])
        + f"\n{tests.stderr[-2000:]}\nall of its output: {resolved['output']}"
    )
