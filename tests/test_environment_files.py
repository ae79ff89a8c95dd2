"""The two ways to install the course (pip: pyproject.toml, conda: environment.yml) agree."""

import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def pyproject_dependencies():
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["dependencies"]


def lab_dependencies():
    """The runtime dependencies, then the `lab` extra: what a learner's environment needs."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        project = tomllib.load(f)["project"]
    return project["dependencies"] + project["optional-dependencies"]["lab"]


def environment(path=ROOT / "environment.yml"):
    return yaml.safe_load(path.read_text())


def pip_section(env):
    sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(sections) == 1, "environment.yml needs exactly one pip: section"
    return sections[0]


def test_environment_pip_list_is_the_pyproject_dependency_list():
    pip, deps = pip_section(environment()), lab_dependencies()
    only_pip = [d for d in pip if d not in deps]
    only_pyproject = [d for d in deps if d not in pip]
    assert not only_pip and not only_pyproject, (
        f"environment.yml pip: has {only_pip} that pyproject.toml lacks, and pyproject.toml has "
        f"{only_pyproject} that environment.yml lacks; copy the list from pyproject.toml."
    )
    assert pip == deps, "same requirements, different order: keep them in pyproject.toml's order"


def test_environment_is_conda_forge_python_311_with_pip():
    env = environment()
    assert env["channels"] == ["conda-forge"]
    conda_packages = [d for d in env["dependencies"] if isinstance(d, str)]
    assert "python=3.11" in conda_packages
    assert "pip" in conda_packages


def test_dependencies_have_floors_and_upper_bounds_not_pins():
    for line in pyproject_dependencies():
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


def test_binder_environment_is_the_same_file():
    binder = ROOT / "binder" / "environment.yml"
    if not binder.exists():
        pytest.skip("no binder/environment.yml")
    assert binder.read_text() == (ROOT / "environment.yml").read_text(), (
        "binder/environment.yml differs from environment.yml; copy environment.yml over it"
    )
