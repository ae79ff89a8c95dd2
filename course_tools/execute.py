"""Re-execute notebooks in place, top to bottom, in a fresh kernel, saving their outputs.

    python -m course_tools.execute notebooks/*.ipynb

Each notebook runs with nbclient in a new ``python3`` kernel whose working directory is the
notebook's folder, and is saved with its new outputs only when every cell ran cleanly. A cell that
raises stops that notebook; a cell that writes to stderr (the red boxes in Jupyter) is reported
with its source. Either makes the command exit with status 1 after the remaining notebooks ran.
The seconds each notebook took are printed.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

__all__ = ["ExecutionReport", "execute_notebook", "main", "stderr_outputs"]


@dataclass
class ExecutionReport:
    """What happened to one notebook: its time, and the problems that kept it from being saved."""

    path: Path
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    saved: bool = False

    @property
    def ok(self) -> bool:
        """True when the notebook ran with no error and no stderr output."""
        return not self.problems


def stderr_outputs(nb) -> list[tuple[int, str, str]]:
    """(cell number, cell source, stderr text) for every stderr stream output in ``nb``."""
    found = []
    for number, cell in enumerate(nb.cells, start=1):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                found.append((number, cell.source, output.get("text", "")))
    return found


def _indent(text: str, prefix: str = "    | ") -> str:
    return "\n".join(prefix + line for line in text.rstrip().splitlines())


def execute_notebook(
    path: str | Path,
    *,
    timeout: int = 600,
    kernel_name: str = "python3",
    save: bool = True,
    max_seconds: float | None = None,
) -> ExecutionReport:
    """Run one notebook top to bottom in a fresh kernel; save it in place if it ran cleanly.

    Taking longer than ``max_seconds`` is reported as a problem, but the outputs are still saved:
    they are right, only slow.
    """
    path = Path(path)
    report = ExecutionReport(path)
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel_name,
        resources={"metadata": {"path": str(path.parent.resolve())}},
        record_timing=False,  # no per-cell timestamps: re-running changes only what ran
        store_widget_state=False,  # widget views need a live kernel; static plots sit beside them
    )
    started = time.perf_counter()
    try:
        client.execute()
    except CellExecutionError as exc:
        report.problems.append(f"a cell raised an error:\n{exc}")
    except CellTimeoutError as exc:
        report.problems.append(f"a cell ran longer than {timeout} s:\n{exc}")
    except DeadKernelError as exc:
        report.problems.append(f"the kernel died: {exc}")
    report.seconds = time.perf_counter() - started
    for number, source, text in stderr_outputs(nb):
        report.problems.append(
            f"cell {number} wrote to stderr:\n{_indent(source)}\n  stderr:\n{_indent(text)}"
        )
    if report.ok and save:
        nbformat.write(nb, path)
        report.saved = True
    if max_seconds is not None and report.seconds > max_seconds:
        report.problems.append(
            f"took {report.seconds:.1f} s, more than the limit of {max_seconds:g} s"
        )
    return report


def main(argv: list[str] | None = None) -> int:
    """Command line: execute each notebook given, report, exit 1 if any failed."""
    parser = argparse.ArgumentParser(
        prog="python -m course_tools.execute",
        description="Re-execute notebooks in place in a fresh kernel, saving their outputs.",
    )
    parser.add_argument("notebooks", nargs="+", type=Path, help="notebook files (.ipynb)")
    parser.add_argument(
        "--timeout", type=int, default=600, help="seconds one cell may run (default 600)"
    )
    parser.add_argument("--kernel", default="python3", help="kernel name (default python3)")
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=None,
        help="also fail a notebook that takes longer than this in all",
    )
    args = parser.parse_args(argv)

    missing = [str(p) for p in args.notebooks if not p.is_file()]
    if missing:
        parser.error(f"no such notebook: {', '.join(missing)}")

    failed = []
    for path in args.notebooks:
        print(f"executing {path} ...", flush=True)
        report = execute_notebook(
            path, timeout=args.timeout, kernel_name=args.kernel, max_seconds=args.max_seconds
        )
        if report.ok:
            print(f"  ok      {report.seconds:6.1f} s  {path}", flush=True)
            continue
        failed.append(path)
        state = "saved" if report.saved else "not saved"
        print(f"  FAILED  {report.seconds:6.1f} s  {path} ({state})", flush=True)
        for problem in report.problems:
            print(_indent(problem, "  "), file=sys.stderr, flush=True)
    if failed:
        print(
            f"{len(failed)} of {len(args.notebooks)} notebook(s) failed: "
            f"{', '.join(map(str, failed))}",
            file=sys.stderr,
        )
        return 1
    print(f"all {len(args.notebooks)} notebook(s) executed cleanly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
