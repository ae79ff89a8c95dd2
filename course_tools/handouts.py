"""Make hand-out copies of the lesson notebooks: no solutions, no outputs.

``python -m course_tools.handouts [--out dist/student] notebooks/*.ipynb`` writes one copy per
notebook into ``--out``. Each copy drops every cell tagged ``solution`` (cell metadata ``tags``) and
clears all outputs, execution counts and saved widget state, so learners start from a clean page.
The original notebooks are only read, never changed.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearOutputPreprocessor, TagRemovePreprocessor

SOLUTION_TAG = "solution"
DEFAULT_OUT = Path("dist") / "student"


def student_copy(nb: nbformat.NotebookNode, tag: str = SOLUTION_TAG) -> nbformat.NotebookNode:
    """Return a copy of ``nb`` without cells tagged ``tag`` and without any outputs.

    Code cells keep their source but lose outputs and execution counts; the notebook loses the
    widget state Jupyter saves beside outputs. ``nb`` itself is left as it was.
    """
    nb = nbformat.from_dict(nb)  # a deep copy: the preprocessors edit in place
    resources: dict = {}
    nb, _ = TagRemovePreprocessor(remove_cell_tags={tag}).preprocess(nb, resources)
    # "execution" holds the start and end times nbclient records when a cell runs
    clear = ClearOutputPreprocessor(remove_metadata_fields={"collapsed", "scrolled", "execution"})
    nb, _ = clear.preprocess(nb, resources)
    nb.metadata.pop("widgets", None)
    return nb


def write_student_copies(
    paths: Iterable[str | Path], out: str | Path = DEFAULT_OUT, tag: str = SOLUTION_TAG
) -> list[Path]:
    """Write a student copy of each notebook in ``paths`` into folder ``out``; return the new paths.

    Raises ``ValueError`` when there is nothing to do, a path is not an existing ``.ipynb`` file,
    two notebooks share a file name, or ``out`` would overwrite one of the originals.
    """
    paths = [Path(p) for p in paths]
    if not paths:
        raise ValueError(
            "No notebooks given. Example: python -m course_tools.handouts notebooks/*.ipynb"
        )
    for path in paths:
        if path.suffix != ".ipynb" or not path.is_file():
            raise ValueError(
                f"{path} is not a notebook file (.ipynb). Check the path or the "
                "shell pattern, e.g. notebooks/*.ipynb."
            )
    names = [p.name for p in paths]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ValueError(
            f"Two notebooks are both called {duplicates[0]}; their copies would "
            "overwrite each other. Make them one at a time with different --out."
        )
    out = Path(out)
    if any(path.resolve().parent == out.resolve() for path in paths):
        raise ValueError(
            f"--out {out} is the folder of the notebooks themselves; the copies "
            "would replace the originals. Choose another folder, e.g. dist/student."
        )

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        target = out / path.name
        nbformat.write(student_copy(nb, tag), target)
        written.append(target)
    return written


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m course_tools.handouts [--out DIR] NOTEBOOK...``."""
    parser = argparse.ArgumentParser(
        prog="python -m course_tools.handouts",
        description="Write hand-out copies of notebooks: solution cells removed, outputs cleared.",
    )
    parser.add_argument("notebooks", nargs="+", help="notebooks to copy, e.g. notebooks/*.ipynb")
    parser.add_argument(
        "--out", default=str(DEFAULT_OUT), help="folder for the copies (default: %(default)s)"
    )
    parser.add_argument(
        "--tag", default=SOLUTION_TAG, help="cells with this tag are removed (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    try:
        written = write_student_copies(args.notebooks, args.out, args.tag)
    except ValueError as exc:
        parser.error(str(exc))
    for path in written:
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
