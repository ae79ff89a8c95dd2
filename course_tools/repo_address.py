"""Point every copy of the repository's address at a new one (a fork, a move to another owner).

    python -m course_tools.repo_address https://github.com/OWNER/NAME   # make repo-address URL=...

The address is written once, as ``REPOSITORY`` in ``course_helpers/_repository.py``. The places
that cannot import it carry copies: lesson 1's Colab install line and every notebook's badges, the
README's links and clone command, and the nbgitpuller link in ``classroom/z2jh-values.yaml``
(``repo=`` URL-encoded). :func:`copies` finds each copy (``tests/project/test_environment_files.py``
checks they all equal ``REPOSITORY``); :func:`rewrite` replaces ``OWNER/NAME``, and its encoded
form ``OWNER%2FNAME``, in the package's file and in every file that carries a copy. It needs only
the standard library, so it runs before ``make setup``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

__all__ = ["ADDRESS_FILES", "SOURCE", "copies", "owner_and_name", "rewrite"]

REPO = Path(__file__).resolve().parents[1]
SOURCE = "course_helpers/_repository.py"
ADDRESS_FILES = ["README.md", "CONTRIBUTING.md", "notebooks/*.ipynb", "classroom/z2jh-values.yaml"]
WRITTEN = re.compile(r'^REPOSITORY = "https://github\.com/([\w.-]+/[\w.-]+)"$', re.M)
OWNER_AND_NAME = re.compile(r"[\w.-]+/[\w.-]+")
USAGE = "usage: make repo-address URL=https://github.com/OWNER/NAME"
# Every form a copy takes: a package install, a clone, a Colab or Binder link, and nbgitpuller's
# URL-encoded repo= parameter; (pattern, how its match reads as an address).
ADDRESS_PATTERNS = [
    (r"course-helpers @ git\+(https?://[^\"'\s\\]+)", "url"),
    (r"git clone (https?://\S+?)(?:\.git)?(?=[\s`\"]|$)", "url"),
    (r"colab\.research\.google\.com/github/([\w.-]+/[\w.-]+)", "path"),
    (r"mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)", "path"),
    (r"repo=(https?%3A%2F%2F[^&\s]+)", "quoted"),
]


def address_files(root: Path = REPO) -> list[Path]:
    """The files under ``root`` that carry a copy of the address (the package's file aside)."""
    return [path for pattern in ADDRESS_FILES for path in sorted(Path(root).glob(pattern))]


def copies(root: Path = REPO) -> Iterator[tuple[Path, str]]:
    """Each copy of the address in the files under ``root``: (file relative to root, address)."""
    for path in address_files(root):
        text = path.read_text()
        for pattern, kind in ADDRESS_PATTERNS:
            for match in re.finditer(pattern, text, re.M):
                value = match[1]
                if kind == "path":
                    value = "https://github.com/" + value
                elif kind == "quoted":
                    value = unquote(value)
                yield path.relative_to(root), value.removesuffix(".git")


def owner_and_name(url: str) -> str:
    """``OWNER/NAME`` of a GitHub address (ending in ``.git`` or ``/`` or not); else ValueError."""
    if not url:
        raise ValueError(USAGE)
    path = url.removeprefix("https://github.com/").removesuffix(".git").removesuffix("/")
    if not url.startswith("https://github.com/") or not OWNER_AND_NAME.fullmatch(path):
        raise ValueError(f"{url!r} is not a GitHub repository address. {USAGE}")
    return path


def rewrite(url: str, root: Path = REPO) -> tuple[str, str]:
    """Point the package's address and every copy under ``root`` at ``url``; returns (old, new).

    Both as ``OWNER/NAME``. Each file is rewritten only if it holds the old address.
    """
    new = owner_and_name(url)
    source = Path(root) / SOURCE
    found = WRITTEN.search(source.read_text())
    if not found:
        raise ValueError(f'{source} has no line REPOSITORY = "https://github.com/OWNER/NAME"')
    old = found[1]
    replacements = {old: new, old.replace("/", "%2F"): new.replace("/", "%2F")}
    for path in [source, *address_files(root)]:
        text = changed = path.read_text()
        for before, after in replacements.items():
            changed = changed.replace(before, after)
        if changed != text:
            path.write_text(changed)
    return old, new


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m course_tools.repo_address URL [--root FOLDER]``."""
    parser = argparse.ArgumentParser(prog="python -m course_tools.repo_address", usage=USAGE)
    parser.add_argument("url", nargs="?", default="", help="https://github.com/OWNER/NAME")
    parser.add_argument("--root", type=Path, default=REPO, help="the checkout (default: this one)")
    args = parser.parse_args(argv)
    try:
        old, new = rewrite(args.url, args.root)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(2) from None
    print(f"repository address: github.com/{old} -> github.com/{new}")


if __name__ == "__main__":
    main()
