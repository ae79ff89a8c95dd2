"""The maintainer commands, found in the package: each one, what it does, and its make target.

A command is a module of ``course_tools`` that runs as a script (it has an ``if __name__ ==
"__main__":`` block) or a subpackage with a ``__main__.py``. What it does is the first line of its
docstring; its make target is the Makefile rule whose recipe runs ``python -m`` that module.
Nothing is imported to find them (the benchmark imports TensorFlow): the files are read as text.
``python -m course_tools`` prints the list (itself left out).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Command", "find_commands", "format_commands", "main", "make_targets"]

PACKAGE = Path(__file__).resolve().parent
MAKEFILE = PACKAGE.parent / "Makefile"
MAIN_BLOCK = re.compile(r"^if __name__ == [\"']__main__[\"']:", re.M)
RULE = re.compile(r"^([A-Za-z][\w-]*):")  # a target of the Makefile
RUNS = re.compile(r"-m (course_tools(?:\.\w+)*)(?=\s|$)")  # a recipe's `python -m MODULE`


@dataclass(frozen=True)
class Command:
    """One ``python -m`` command: the module it runs, what it does, its make target ('' if none)."""

    module: str
    summary: str
    target: str = ""


def _summary(path: Path) -> str:
    """The first line of a module's docstring, without reStructuredText's double backquotes."""
    doc = ast.get_docstring(ast.parse(path.read_text())) or ""
    return doc.strip().splitlines()[0].replace("``", "") if doc.strip() else ""


def make_targets(makefile: Path = MAKEFILE) -> dict[str, str]:
    """Module -> the Makefile target whose recipe runs it with ``python -m`` (empty if no file)."""
    if not makefile.is_file():  # an installed copy of the package has no Makefile
        return {}
    targets, target = {}, None
    for line in makefile.read_text().splitlines():
        if match := RULE.match(line):
            target = match[1]
        elif line.startswith("\t") and target:
            for module in RUNS.findall(line):
                targets.setdefault(module, target)
    return targets


def find_commands(package: Path = PACKAGE, makefile: Path = MAKEFILE) -> list[Command]:
    """Every command of the package at ``package``, sorted by module name."""
    targets = make_targets(makefile)
    found = []
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        if path == package / "__main__.py":  # `python -m course_tools`: this list itself
            continue
        if path.name == "__main__.py":
            module = ".".join(parts[:-1])
        elif path.name != "__init__.py" and MAIN_BLOCK.search(path.read_text()):
            module = ".".join(parts)
        else:
            continue
        found.append(Command(module, _summary(path), targets.get(module, "")))
    return sorted(found, key=lambda command: command.module)


def format_commands(commands: list[Command]) -> str:
    """One line per command: ``python -m MODULE``, ``make TARGET`` (or -), what it does."""
    rows = [
        (f"python -m {c.module}", f"make {c.target}" if c.target else "-", c.summary)
        for c in commands
    ]
    first = max(len(row[0]) for row in rows)
    second = max(len(row[1]) for row in rows)
    return "\n".join(f"{a:<{first}}  {b:<{second}}  {c}" for a, b, c in rows)


def main() -> None:
    """Print every maintainer command, its make target and what it does."""
    print("The maintainer commands (a command's --help gives its options; `make help` lists")
    print("every make target):\n")
    print(format_commands(find_commands()))
