"""The maintainer commands are listed where a maintainer looks: `python -m course_tools`, the docs.

Every module of ``course_tools`` that runs as a command is in ``course_tools/__init__.py``'s
docstring with the make target the Makefile gives it, and ``python -m course_tools`` prints it.
"""

import re
import subprocess
import sys
from pathlib import Path

import course_tools
from course_tools.commands import find_commands, format_commands, make_targets

REPO = Path(__file__).resolve().parents[2]
DOCUMENTED = re.compile(r"``python -m (course_tools\.[\w.]+)[^`]*``(?: \(``make ([\w-]+))?")


def documented() -> dict[str, str]:
    """Command module -> make target ('' if none), as course_tools/__init__.py's docstring says."""
    return {module: target for module, target in DOCUMENTED.findall(course_tools.__doc__)}


def test_the_package_docstring_lists_every_command_with_its_make_target():
    found = {command.module: command.target for command in find_commands()}
    assert {"course_tools.execute", "course_tools.classroom"} <= found.keys()
    assert documented() == found, (
        "course_tools/__init__.py's docstring and the commands in the package differ: "
        f"{sorted(set(documented().items()) ^ set(found.items()))}"
    )


def test_python_m_course_tools_prints_one_line_per_command():
    done = subprocess.run(
        [sys.executable, "-m", "course_tools"], capture_output=True, text=True, timeout=60, cwd=REPO
    )
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("python -m ")]
    commands = find_commands()
    assert len(lines) == len(commands)
    for command, line in zip(commands, lines):
        assert line.split()[:3] == ["python", "-m", command.module], line
        assert (f"make {command.target} " if command.target else "  -  ") in line, line
        assert line.rstrip().endswith(command.summary) and command.summary, line


def test_commands_are_found_by_their_main_block(tmp_path):
    package = tmp_path / "course_tools"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text('"""The package."""\n')
    (package / "__main__.py").write_text('"""Lists the commands."""\n')
    (package / "tool.py").write_text(
        '"""Does a thing.\n\nMore."""\nif __name__ == "__main__":\n    pass\n'
    )
    (package / "helper.py").write_text('"""Only imported."""\n\ndef main():\n    pass\n')
    (package / "sub" / "__main__.py").write_text('"""Does ``another`` thing."""\n')
    makefile = tmp_path / "Makefile"
    makefile.write_text("thing: setup  ## a thing\n\t$(BIN)/python -m course_tools.tool --flag\n")
    commands = find_commands(package, makefile)
    assert [(c.module, c.summary, c.target) for c in commands] == [
        ("course_tools.sub", "Does another thing.", ""),
        ("course_tools.tool", "Does a thing.", "thing"),
    ]
    assert format_commands(commands).splitlines()[1].split("  ")[0] == "python -m course_tools.tool"


def test_make_targets_read_the_real_makefile():
    targets = make_targets(REPO / "Makefile")
    assert targets["course_tools.execute"] == "execute"
    assert targets["course_tools.classroom"] == "classroom-measure"
    assert targets["course_tools.classroom.nbgrader_course"] == "nbgrader"
