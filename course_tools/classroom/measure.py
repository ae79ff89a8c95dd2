"""Measure what the lessons and a class use: each lesson's kernel alone, and a class on a hub.

:func:`measure_lesson` runs a lesson top to bottom, alone, in a fresh kernel (nbclient) and samples
the kernel's RSS and CPU time with psutil (:mod:`course_tools.classroom.memory`).
:func:`measure_class` starts the single-machine hub (:mod:`course_tools.classroom.hub`) and lets
N learners follow the course link and run the same model lesson at the same moment
(:mod:`course_tools.classroom.class_run`): the model lesson (3 to 7) that needs the least CPU
(:func:`class_lesson`), so that the test of the class stays affordable. ``python -m
course_tools.classroom measure`` writes both into ``classroom/measurements.json``, from which
:mod:`course_tools.classroom.sizing` derives the sizing rule.
"""

from __future__ import annotations

import json
import os
import platform
import sys
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

from .memory import MB, PeakSampler

__all__ = ["LESSONS", "MEASUREMENTS", "class_lesson", "machine", "measure_class", "measure_lesson"]

REPO = Path(__file__).resolve().parents[2]
MEASUREMENTS = REPO / "classroom" / "measurements.json"
LESSONS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
FIRST_MODEL_LESSON = 3  # lessons 3-7 each train their own network


def _kernels() -> list[psutil.Process]:
    """The kernels this process started (nbclient's)."""
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            if "ipykernel_launcher" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            continue
    return found


def measure_lesson(path: Path, timeout: int = 900) -> dict:
    """Run the lesson at ``path`` alone in a fresh kernel; its kernel's peak memory and time.

    ``peak_mb`` is the larger of the highest RSS sampled every 0.1 s and the kernel's own
    high-water mark; raises RuntimeError when a cell fails (the numbers would mean nothing).
    """
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent.resolve())}},
    )
    with PeakSampler(lambda: {"kernel": _kernels()}, interval=0.1) as sampler:
        started = time.perf_counter()
        try:
            client.execute()
        except Exception as exc:  # noqa: BLE001 (any failure makes the measurement void)
            raise RuntimeError(f"{path.name} failed, nothing measured: {exc}") from exc
        seconds = time.perf_counter() - started
    return {
        "peak_mb": round(sampler.peak_mb("kernel")),
        "sampled_rss_mb": round(sampler.peaks.get("kernel", 0) / MB),
        "seconds": round(seconds, 1),
        "cpu_seconds": round(sampler.cpu_seconds("kernel"), 1),
    }


def class_lesson(measurements: dict | None = None) -> str:
    """The lesson a class runs at once in the class test: the model lesson using the least CPU."""
    if measurements is None:
        measurements = json.loads(MEASUREMENTS.read_text()) if MEASUREMENTS.exists() else {}
    lessons = {
        name: lesson["cpu_seconds"]
        for name, lesson in measurements.get("lessons", {}).items()
        if int(name[:2]) >= FIRST_MODEL_LESSON and "cpu_seconds" in lesson
    }
    return min(lessons, key=lessons.get) if lessons else f"{FIRST_MODEL_LESSON:02d}_mlp"


def machine() -> dict:
    """Where the measurements were taken."""
    from importlib.metadata import version

    return {
        "cpus": os.cpu_count(),
        "memory_mb": round(psutil.virtual_memory().total / MB),
        "python": platform.python_version(),
        "tensorflow": version("tensorflow-cpu" if sys.platform == "linux" else "tensorflow"),
        "date": time.strftime("%Y-%m-%d"),
    }


def measure_class(learners: int, lesson: str) -> dict:
    """A class of ``learners`` on the local hub, all through the REST API; its summary."""
    from .class_run import run_class
    from .hub import LocalHub

    data = Path(os.environ.get("COURSE_DATA_DIR") or REPO.parent / "shared" / "data")
    names = [f"learner{n:02d}" for n in range(1, learners + 1)]
    hub = LocalHub(data, names)
    try:
        with hub:
            report = run_class(hub, names, f"notebooks/{lesson}.ipynb")
    finally:
        hub.remove()
    failed = {name: run.errors for name, run in report.runs.items() if not run.ok}
    if failed:
        raise RuntimeError(f"learners' runs failed, nothing measured: {failed}")
    return report.summary()
