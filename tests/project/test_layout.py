"""The tree says who each file is for, and the packages and tests stay small enough to read.

- ``course_helpers`` holds only what lessons import; it never imports the maintainer tools or a
  maintainer-only library, and its runtime dependencies are exactly the libraries it imports.
- Every third-party library a test imports is declared in ``pyproject.toml``.
- No module over 400 lines, no function over 60, a module docstring, in the packages and the tests
  alike; a docstring on every public function of the packages.
- The public API is plain imports: each name's home module is inside the package.
- Tests follow one rule for folders (CONTRIBUTING.md, "Where tests live"): unit tests mirror the
  two packages, whole-repository checks are in ``tests/project/``, and the tests of a whole
  running system in ``tests/browser/``, ``tests/install/`` and ``tests/classroom/``.
"""

import ast
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import course_helpers

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"
PACKAGES = ["course_helpers", "course_tools"]
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
# import name -> distribution name, where the two differ
DISTRIBUTION = {
    "yaml": "pyyaml",
    "tensorflow": "tensorflow-cpu",
    "repo2docker": "jupyter-repo2docker",
    "websocket": "websocket-client",
}
# imported by the course but brought by a declared distribution
BROUGHT_BY = {"IPython": "ipywidgets", "tqdm.notebook": "tqdm"}


def modules(*folders):
    """Every Python file under the given top-level folders."""
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def third_party_imports(path: Path) -> set[str]:
    """Top-level names of the libraries a file imports that are not ours or the standard library."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    local = {p.stem for p in (ROOT / "tests").rglob("*.py")}  # test helper modules
    ours = {"course_helpers", "course_tools", "conftest", *local}
    return {n for n in names if n not in sys.stdlib_module_names and n not in ours}


def declared(*groups: str) -> set[str]:
    """Distribution names in pyproject's runtime dependencies and the named extras."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = list(project["dependencies"])
    for group in groups:
        lines += project["optional-dependencies"][group]
    return {Requirement(line).name.lower() for line in lines}


def distribution(name: str) -> str:
    return DISTRIBUTION.get(name, BROUGHT_BY.get(name, name)).lower().replace("_", "-")


def test_runtime_dependencies_are_exactly_what_the_learner_package_imports():
    imported = {distribution(n) for p in modules("course_helpers") for n in third_party_imports(p)}
    runtime = declared() - {"tensorflow"}  # one of the pair is chosen by platform marker
    assert imported == runtime, (
        f"imported but not a runtime dependency: {sorted(imported - runtime)}; "
        f"declared but never imported by course_helpers: {sorted(runtime - imported)}"
    )


def test_the_learner_package_never_imports_maintainer_code():
    for path in modules("course_helpers"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
                names += [alias.name for alias in getattr(node, "names", [])]
                assert not any(n.startswith("course_tools") for n in names), path


def test_every_library_a_test_or_tool_imports_is_declared():
    known = declared("test", "maintainer", "lab", "classroom")
    for path in modules("tests", "course_tools"):
        missing = {distribution(n) for n in third_party_imports(path)} - known
        assert not missing, f"{path.relative_to(ROOT)} imports undeclared {sorted(missing)}"


def public_definitions(tree):
    """Functions and classes at module level and methods of those classes, not nested helpers."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            yield node
        if isinstance(node, ast.ClassDef):
            yield from (n for n in node.body if isinstance(n, ast.FunctionDef))


def short_and_documented(path: Path) -> list[str]:
    """What keeps a module from being read in one go: its length, a long function, no docstring."""
    text = path.read_text()
    tree = ast.parse(text)
    problems = [] if ast.get_docstring(tree) else ["say in a module docstring what it holds"]
    lines = len(text.splitlines())
    if lines > MAX_MODULE_LINES:
        problems.append(f"{lines} lines: split the module by concern")
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                problems.append(f"{node.name} has {length} lines")
    return problems


@pytest.mark.parametrize("path", modules(*PACKAGES), ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_and_functions_stay_short_and_documented(path):
    assert not short_and_documented(path)
    for node in public_definitions(ast.parse(path.read_text())):
        if not node.name.startswith("_"):
            assert ast.get_docstring(node), f"{node.name} needs a docstring"


@pytest.mark.parametrize("path", modules("tests"), ids=lambda p: str(p.relative_to(ROOT)))
def test_test_modules_stay_short_and_documented(path):
    problems = short_and_documented(path)
    assert not problems, "; ".join(problems)


def test_public_api_names_live_in_the_package():
    for name in course_helpers.__all__:
        value = getattr(course_helpers, name)
        home = getattr(value, "__module__", None) or getattr(value, "__name__", "")
        if isinstance(value, Mapping | tuple | int):  # registries and constants
            continue
        assert home.startswith("course_helpers"), f"ch.{name} comes from {home}"
    assert not hasattr(course_helpers, "__getattr__"), "plain imports, no lazy look-ups"


# ---- Where tests live -------------------------------------------------------------------------
# Folders that test a whole system or the whole repository; any file name goes there.
WHOLE = {
    "project": "whole-repository checks: layout, style, environment files, set-up, claims",
    "browser": "JupyterLab in Chromium",
    "install": "fresh installs, each way in",
    "classroom": "a class on a real JupyterHub, nbgrader's whole round",
}


def mirrored_package(folder: Path) -> Path:
    """The package folder a unit-test folder mirrors: tests/tools/X -> course_tools/X, else
    tests/X -> course_helpers/X."""
    parts = folder.relative_to(TESTS).parts
    if parts[:1] == ("tools",):
        return ROOT / "course_tools" / Path(*parts[1:])
    return ROOT / "course_helpers" / Path(*parts)


def module_names_of(package: Path) -> set[str]:
    """The names a test file in the mirror of ``package`` may start with: its modules and
    subpackages, and (below the top) the package's own name."""
    names = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    names |= {p.parent.name for p in package.glob("*/__init__.py")}
    if package.parent.name in PACKAGES:
        names.add(package.name)  # tests/exercises/test_exercises_*.py: unique for pytest
    return names


def misplaced(test: Path) -> str | None:
    """Why the test file ``test`` fits no rule of the folders, or None when it fits one."""
    relative = test.relative_to(TESTS)
    if test.name.endswith("_test.py"):
        return "name it test_*.py"
    if relative.parts[0] in WHOLE:
        return None
    package = mirrored_package(test.parent)
    if not (package / "__init__.py").is_file():
        return (
            f"{relative.parent}/ mirrors no package ({package.relative_to(ROOT)} is none) and is "
            f"none of {sorted(WHOLE)}"
        )
    name = test.stem.removeprefix("test_")
    if any(name == n or name.startswith(f"{n}_") for n in module_names_of(package)):
        return None
    return (
        f"test_{name}.py names no module of {package.relative_to(ROOT)}: call it test_MODULE.py or "
        "test_MODULE_ASPECT.py, or move it to the folder of what it tests"
    )


def collected_test_files():
    """Every file pytest would collect as a test module under tests/."""
    return sorted(
        p for p in TESTS.rglob("*.py") if p.name.startswith("test_") or p.name.endswith("_test.py")
    )


@pytest.mark.parametrize("test", collected_test_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_test_file_is_where_the_rule_puts_it(test):
    problem = misplaced(test)
    assert problem is None, problem


def test_the_rule_places_the_tests_of_each_kind():
    fits = [
        "test_windowing.py",
        "test_windowing_properties.py",
        "exercises/test_lesson2.py",
        "exercises/test_exercises_framework.py",
        "tools/test_execute.py",
        "tools/classroom/test_hub.py",
        "project/test_anything.py",
        "browser/test_x.py",
    ]
    wrong = ["test_hub.py", "tools/test_windowing.py", "exercises/test_hub.py",
             "classroom_tools/test_hub.py", "tools/classroom/test_execute.py", "test_wind.py",
             "windowing_test.py"]  # fmt: skip
    assert [name for name in fits if misplaced(TESTS / name)] == []
    assert [name for name in wrong if misplaced(TESTS / name) is None] == []
