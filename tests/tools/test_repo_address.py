"""`make repo-address URL=...` rewrites every copy of the repository address, and only those.

Each test works on a copy of the files that carry the address (``course_helpers/_repository.py``,
the README, CONTRIBUTING, the notebooks, the Zero to JupyterHub values), never on the checkout.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course_tools.repo_address import SOURCE, address_files, copies, owner_and_name, rewrite

REPO = Path(__file__).resolve().parents[2]
NEW = "https://github.com/a-fork/course.v2"
OLD = re.search(r'REPOSITORY = "https://github\.com/(.+)"', (REPO / SOURCE).read_text())[1]


@pytest.fixture
def checkout(tmp_path):
    """A folder holding copies of every file with the address, at the same relative paths."""
    for path in [REPO / SOURCE, *address_files(REPO)]:
        target = tmp_path / path.relative_to(REPO)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    return tmp_path


def test_every_copy_points_at_the_new_address(checkout):
    before = list(copies(checkout))
    assert len(before) >= 10 and {address for _, address in before} == {f"https://github.com/{OLD}"}
    assert {str(path) for path, _ in before} >= {"README.md", "classroom/z2jh-values.yaml"}

    assert rewrite(NEW + ".git", checkout) == (OLD, "a-fork/course.v2")

    after = list(copies(checkout))
    assert [path for path, _ in after] == [path for path, _ in before]  # the same copies
    assert {address for _, address in after} == {NEW}
    assert f'REPOSITORY = "{NEW}"' in (checkout / SOURCE).read_text()
    for path in [checkout / SOURCE, *address_files(checkout)]:
        text = path.read_text()
        assert OLD not in text and OLD.replace("/", "%2F") not in text, path


def test_the_make_target_runs_it(checkout):
    shutil.copy(REPO / "Makefile", checkout)
    shutil.copytree(REPO / "course_tools", checkout / "course_tools")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    done = subprocess.run(
        ["make", "--no-print-directory", "repo-address", f"URL={NEW}", f"PYTHON={sys.executable}"],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert (
        done.stdout.strip()
        == f"repository address: github.com/{OLD} -> github.com/a-fork/course.v2"
    )
    assert {address for _, address in copies(checkout)} == {NEW}


@pytest.mark.parametrize(
    "url", ["", "github.com/a/b", "https://gitlab.com/a/b", "https://github.com/only-owner"]
)
def test_a_wrong_address_changes_nothing_and_says_what_to_type(checkout, url):
    before = {path: path.read_text() for path in [checkout / SOURCE, *address_files(checkout)]}
    with pytest.raises(ValueError, match=r"usage: make repo-address URL=https://github.com/OWNER"):
        rewrite(url, checkout)
    assert before == {path: path.read_text() for path in before}


def test_owner_and_name_takes_the_forms_people_paste():
    for url in (NEW, NEW + "/", NEW + ".git"):
        assert owner_and_name(url) == "a-fork/course.v2"
