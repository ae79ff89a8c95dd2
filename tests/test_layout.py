"""The tree says who each file is for, and the package stays small enough to read.

- ``course_helpers`` holds only what lessons import; it never imports the maintainer tools or a
  maintainer-only library, and its runtime dependencies are exactly the libraries it imports.
- Every third-party library a test imports is declared in ``pyproject.toml``.
- No module over 400 lines, no function over 60, a docstring on every public function.
- The public API is plain imports: each name's home module is inside the package.
"""

import ast
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path

import pytest
from packaging.requirements import Requirement

import course_helpers

ROOT = Path(__file__).resolve().parents[1]
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


@pytest.mark.parametrize("path", modules(*PACKAGES), ids=lambda p: str(p.relative_to(ROOT)))
def test_modules_and_functions_stay_short_and_documented(path):
    text = path.read_text()
    lines = len(text.splitlines())
    assert lines <= MAX_MODULE_LINES, f"{lines} lines: split the module by concern"
    tree = ast.parse(text)
    assert ast.get_docstring(tree), "say in a module docstring what the module holds"
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            assert length <= MAX_FUNCTION_LINES, f"{node.name} has {length} lines"
    for node in public_definitions(tree):
        if not node.name.startswith("_"):
            assert ast.get_docstring(node), f"{node.name} needs a docstring"


def test_public_api_names_live_in_the_package():
    for name in course_helpers.__all__:
        value = getattr(course_helpers, name)
        home = getattr(value, "__module__", None) or getattr(value, "__name__", "")
        if isinstance(value, Mapping | tuple | int):  # registries and constants
            continue
        assert home.startswith("course_helpers"), f"ch.{name} comes from {home}"
    assert not hasattr(course_helpers, "__getattr__"), "plain imports, no lazy look-ups"
