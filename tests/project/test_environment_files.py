"""The ways in agree with pyproject.toml, and each gives the versions the README says it gives.

- make (`make setup`): pyproject.toml's ranges, held to the exact versions of
  ``requirements/lock.txt`` (Linux x86_64, Python 3.11, with hashes; ``make lock`` writes it);
- Binder: ``binder/requirements.txt``, the same lock's versions for the runtime and the ``lab``
  extra, with hashes, on the Python of ``binder/runtime.txt``;
- conda: ``environment.yml``, the runtime ranges and the ``lab`` extra, no lock;
- Colab: Colab's own versions (``constraints/colab.txt``) plus the course package, ``--no-deps``;
  its first cell installs from the address in ``course_helpers/_repository.py``, as every other copy
  of that address (in the notebooks, the README, the Zero to JupyterHub values) must; the copies
  are found by ``course_tools.repo_address``, which ``make repo-address`` runs.
"""

import re
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.version import Version

from course_helpers._repository import REPOSITORY
from course_tools.repo_address import copies as address_copies

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "lock.txt"
BINDER = ROOT / "binder"
# Where the lock is for: what Binder's image and the classroom image run.
LOCKED_FOR = {"sys_platform": "linux", "platform_machine": "x86_64", "python_version": "3.11"}


def project():
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]


def pyproject_dependencies():
    return project()["dependencies"]


def extra(name):
    return project()["optional-dependencies"][name]


def environment(path=ROOT / "environment.yml"):
    return yaml.safe_load(path.read_text())


def pip_section(env):
    sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(sections) == 1, "environment.yml needs exactly one pip: section"
    return sections[0]


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(path):
    """``{name: (version, number of hashes)}`` of a file written by ``uv pip compile``."""
    pins, current = {}, None
    for line in path.read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", line)
        if match:
            current = canonical(match[1])
            pins[current] = [match[2], 0]
        elif line.strip().startswith("--hash=sha256:") and current:
            pins[current][1] += 1
    return {name: tuple(value) for name, value in pins.items()}


def requirements_for_the_lock():
    """Every requirement of pyproject.toml (runtime and every extra) that applies where it is."""
    lines = list(pyproject_dependencies())
    for group in project()["optional-dependencies"].values():
        lines += group
    requirements = [Requirement(line) for line in lines]
    return [
        r
        for r in requirements
        if r.name != project()["name"] and (r.marker is None or r.marker.evaluate(LOCKED_FOR))
    ]


def test_environment_pip_list_is_the_runtime_dependencies_then_the_lab_extra():
    pip, deps = pip_section(environment()), pyproject_dependencies() + extra("lab")
    only_pip = [d for d in pip if d not in deps]
    only_pyproject = [d for d in deps if d not in pip]
    assert not only_pip and not only_pyproject, (
        f"environment.yml pip: has {only_pip} that pyproject.toml lacks, and pyproject.toml has "
        f"{only_pyproject} that environment.yml lacks; copy pyproject.toml's dependencies and its "
        "`lab` extra."
    )
    assert pip == deps, (
        "same requirements, different order: pyproject.toml's dependencies, then the lab extra"
    )


def test_environment_is_conda_forge_python_311_with_pip():
    env = environment()
    assert env["channels"] == ["conda-forge"]
    conda_packages = [d for d in env["dependencies"] if isinstance(d, str)]
    assert "python=3.11" in conda_packages
    assert "pip" in conda_packages


def test_dependencies_have_floors_and_upper_bounds_not_pins():
    for line in pyproject_dependencies() + extra("lab"):
        requirement = Requirement(line)
        operators = {spec.operator for spec in requirement.specifier}
        assert ">=" in operators and "<" in operators, f"{line}: give a floor and an upper bound"
        assert not operators & {"==", "==="}, f"{line}: no exact pins"


def test_tensorflow_cpu_on_linux_x86_64_and_tensorflow_elsewhere():
    environments = [
        {"sys_platform": "linux", "platform_machine": "x86_64"},
        {"sys_platform": "linux", "platform_machine": "aarch64"},
        {"sys_platform": "darwin", "platform_machine": "arm64"},
        {"sys_platform": "win32", "platform_machine": "AMD64"},
    ]
    requirements = [Requirement(line) for line in pyproject_dependencies()]
    for env in environments:
        chosen = [
            r.name
            for r in requirements
            if r.name in ("tensorflow", "tensorflow-cpu")
            and (r.marker is None or r.marker.evaluate(env))
        ]
        expected = "tensorflow-cpu" if env == environments[0] else "tensorflow"
        assert chosen == [expected], f"{env}: installs {chosen}"


def test_the_lock_pins_every_requirement_within_its_range():
    pins = locked(LOCK)
    problems = []
    for requirement in requirements_for_the_lock():
        pin = pins.get(canonical(requirement.name))
        if pin is None:
            problems.append(f"{requirement} is not in the lock")
        elif not requirement.specifier.contains(Version(pin[0]), prereleases=True):
            problems.append(f"the lock has {requirement.name}=={pin[0]}, outside {requirement}")
    assert not problems, (
        "requirements/lock.txt is out of date with pyproject.toml; run `make lock`:\n"
        + "\n".join(problems)
    )


def test_the_lock_has_a_hash_for_every_version():
    for path in (LOCK, BINDER / "requirements.txt"):
        pins = locked(path)
        assert len(pins) > 50, f"{path} looks empty: `make lock` writes it"
        unhashed = [f"{name}=={version}" for name, (version, hashes) in pins.items() if not hashes]
        assert not unhashed, f"{path}: no hash for {unhashed}; `make lock` writes them"


def test_binder_installs_the_lock_for_the_runtime_and_lab():
    binder, lock = locked(BINDER / "requirements.txt"), locked(LOCK)
    differ = {
        name: f"binder {version}, lock {lock.get(name, ('none',))[0]}"
        for name, (version, _) in binder.items()
        if lock.get(name, (None,))[0] != version
    }
    assert not differ, f"binder/requirements.txt and the lock disagree; run `make lock`: {differ}"
    needed = [Requirement(line) for line in pyproject_dependencies() + extra("lab")]
    missing = [
        str(r)
        for r in needed
        if (r.marker is None or r.marker.evaluate(LOCKED_FOR)) and canonical(r.name) not in binder
    ]
    assert not missing, f"binder/requirements.txt lacks {missing}; run `make lock`"


def test_binder_uses_pip_and_python_311_not_an_environment_file():
    # repo2docker prefers an environment.yml to requirements.txt: with one, the lock is ignored
    for name in ("environment.yml", "environment.yaml", "Pipfile", "Pipfile.lock", "setup.py"):
        assert not (BINDER / name).exists(), f"binder/{name} would make Binder ignore the lock"
    assert (BINDER / "runtime.txt").read_text().strip() == f"python-{LOCKED_FOR['python_version']}"
    assert "--python-version 3.11" in (ROOT / "Makefile").read_text(), "make lock is for 3.11"


def test_every_copy_of_the_repository_address_is_the_one_in_the_package():
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", REPOSITORY), REPOSITORY
    copies = list(address_copies(ROOT))
    setup_cells = [v for path, v in copies if path.name.startswith("01_")]
    assert setup_cells, "lesson 1 has no `course-helpers @ git+...` install line for Colab"
    wrong = sorted({f"{path}: {value}" for path, value in copies if value != REPOSITORY})
    assert not wrong, (
        f"these copies of the repository address differ from {REPOSITORY} "
        f"(course_helpers/_repository.py); `make repo-address URL=...` rewrites all of them:\n"
        + "\n".join(wrong)
    )


def test_colab_constraints_say_where_they_come_from_and_pin_the_lesson_imports():
    path = ROOT / "constraints" / "colab.txt"
    text = path.read_text()
    assert "github.com/googlecolab/backend-info" in text, f"{path}: name the source"
    assert re.search(r"^# python: 3\.\d+$", text, re.M), f"{path}: say which Python Colab runs"
    pins = {canonical(m[1]) for m in re.finditer(r"^([A-Za-z0-9][\w.-]*)==\S+$", text, re.M)}
    lesson_imports = {"tensorflow", "keras", "numpy", "pandas", "matplotlib", "ipywidgets", "tqdm"}
    assert lesson_imports | {"pooch", "ipykernel"} <= pins, f"{path}: pin what Colab preinstalls"
