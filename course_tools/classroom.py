"""Measure what a class needs and size a hub from it: ``python -m course_tools.classroom``.

    python -m course_tools.classroom measure            # the seven lessons, then a class of 8
    python -m course_tools.classroom measure --lessons  # only the lessons (about 2 minutes)
    python -m course_tools.classroom measure --class 8  # only the class on the local hub
    python -m course_tools.classroom table              # the README's tables from the JSON

``measure --lessons`` runs each lesson top to bottom, alone, in a fresh kernel (nbclient) and
samples the kernel's RSS and CPU time with psutil (:mod:`course_tools.memory`). ``measure --class
N`` starts the single-machine hub (:mod:`course_tools.hub`), lets N learners follow the course
link and run the same model lesson at the same moment (:mod:`course_tools.class_run`): the model
lesson (3 to 7) that needs the least CPU, so that the test of the class stays affordable. Both
write into
``classroom/measurements.json``, from which :func:`sizing` derives the memory guarantee and limit
per learner and the learners per machine, and ``table`` prints the README's tables.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

from .memory import MB, PeakSampler

__all__ = [
    "MEASUREMENTS",
    "class_lesson",
    "format_sizing",
    "format_table",
    "measure_lesson",
    "sizing",
]

REPO = Path(__file__).resolve().parents[1]
MEASUREMENTS = REPO / "classroom" / "measurements.json"
LESSONS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
BINDER_LIMIT_MB = 1536  # every lesson must stay under this: mybinder.org gives 2 GB at most
MACHINE = {"cores": 2, "memory_mb": 24 * 1024}  # the machine the rule is stated for
RESERVE_MB = 2 * 1024  # the system, the hub and its proxy
HEADROOM = 1.2  # a learner's own experiments on top of the heaviest lesson
STEP_MB = 256  # memory is given in steps of a quarter GB
MAX_WAIT_SECONDS = 180  # everyone pressing "Run All" on the heaviest lesson at once waits this long
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


def _round_up(mb: float) -> int:
    return int(math.ceil(mb / STEP_MB) * STEP_MB)


def sizing(measurements: dict) -> dict:
    """The sizing rule, from the lessons' peaks and the class run (see README.md).

    * limit per learner: (heaviest lesson's kernel + a server) x HEADROOM, rounded up;
    * guarantee per learner: (the lessons' mean kernel peak + a server), rounded up;
    * learners per machine: as many as fit with everyone at their limit at once, and as many as
      the cores take through the heaviest lesson at once within MAX_WAIT_SECONDS, from the CPU
      time one run of it used (wall-clock time depends on whatever else runs); the fewer.
    """
    peaks = [lesson["peak_mb"] for lesson in measurements["lessons"].values()]
    klass = measurements["class"]
    server = klass["server_peak_mb_max"]
    limit = _round_up((max(peaks) + server) * HEADROOM)
    guarantee = _round_up(sum(peaks) / len(peaks) + server)
    by_memory = (MACHINE["memory_mb"] - RESERVE_MB) // limit
    heaviest_cpu = max(lesson["cpu_seconds"] for lesson in measurements["lessons"].values())
    by_cpu = int(MACHINE["cores"] * MAX_WAIT_SECONDS // heaviest_cpu)
    learners = min(by_memory, by_cpu)
    return {
        "memory_limit_mb": limit,
        "memory_guarantee_mb": guarantee,
        "learners_by_memory": by_memory,
        "learners_by_cpu": by_cpu,
        "learners_per_machine": learners,
        "cpu_guarantee": round(MACHINE["cores"] / learners, 2),
        "cpu_limit": 1,
    }


def format_table(measurements: dict) -> str:
    """The README's table of the lessons: each kernel's peak memory and time alone."""
    lines = [
        "| lesson | kernel peak, MB | CPU seconds | seconds, alone |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, lesson in measurements["lessons"].items():
        lines.append(
            f"| {name} | {lesson['peak_mb']} | {lesson['cpu_seconds']:.0f} "
            f"| {lesson['seconds']:.0f} |"
        )
    return "\n".join(lines)


def format_sizing(measurements: dict) -> str:
    """The README's sentences on the class run and the sizing rule, numbers from the JSON."""
    klass, rule = measurements["class"], measurements["sizing"]
    binding = "memory" if rule["learners_by_memory"] <= rule["learners_by_cpu"] else "cores"
    lessons = measurements["lessons"]
    heaviest = max(lessons, key=lambda name: lessons[name]["cpu_seconds"])
    alone = measurements["lessons"][klass["lesson"]]["seconds"]
    return (
        f"**A class of {klass['learners']} on one 2-core machine.** {klass['learners']} learners "
        f"followed the course link at once and ran `{klass['lesson']}` top to bottom at the same "
        f"moment: the last one finished after {klass['seconds_to_finish']:.0f} s (one learner "
        f"alone: {alone:.0f} s); each kernel used {klass['kernel_cpu_seconds_mean']:.0f} CPU "
        "seconds. Each learner's server and kernel together peaked at up to "
        f"{klass['learner_peak_mb_max']} MB (mean {klass['learner_peak_mb_mean']} MB); the whole "
        f"hub (every server and kernel, the hub and its proxy) at {klass['total_peak_mb']} MB.\n\n"
        f"**Sizing rule.** Per learner, a memory guarantee of {rule['memory_guarantee_mb']} MB "
        f"(the lessons' mean kernel peak plus a server) and a limit of "
        f"{rule['memory_limit_mb']} MB (the heaviest lesson plus a server, +20 %). A 2-core, "
        f"24 GB machine holds {rule['learners_by_memory']} learners by memory (2 GB kept for the "
        f"system, everyone at their limit) and {rule['learners_by_cpu']} by CPU (everyone "
        f"running the heaviest lesson, `{heaviest}`, at once done within "
        f"{MAX_WAIT_SECONDS // 60} minutes): plan "
        f"**{rule['learners_per_machine']} learners per 2-core, 24 GB machine**; for a bigger "
        f"class add {binding} first."
    )


def _machine() -> dict:
    """Where the measurements were taken."""
    from importlib.metadata import version

    return {
        "cpus": os.cpu_count(),
        "memory_mb": round(psutil.virtual_memory().total / MB),
        "python": platform.python_version(),
        "tensorflow": version("tensorflow-cpu" if sys.platform == "linux" else "tensorflow"),
        "date": time.strftime("%Y-%m-%d"),
    }


def _measure_class(learners: int, lesson: str) -> dict:
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


def main(argv: list[str] | None = None) -> None:
    """Command line: ``measure [--lessons] [--class N]`` or ``table``."""
    parser = argparse.ArgumentParser(prog="python -m course_tools.classroom")
    commands = parser.add_subparsers(dest="command", required=True)
    measure = commands.add_parser("measure", help="measure the lessons and a class")
    measure.add_argument("--lessons", action="store_true", help="measure the seven lessons")
    measure.add_argument("--class", dest="learners", type=int, help="a class of this many")
    commands.add_parser("table", help="print the README's tables from the JSON")
    args = parser.parse_args(argv)
    data = json.loads(MEASUREMENTS.read_text()) if MEASUREMENTS.exists() else {}
    if args.command == "measure":
        both = not args.lessons and not args.learners
        if args.lessons or both:
            data["lessons"] = {}
            for path in LESSONS:
                data["lessons"][path.stem] = measure_lesson(path)
                print(f"{path.stem}: {data['lessons'][path.stem]}", flush=True)
        if args.learners or both:
            data["class"] = _measure_class(args.learners or 8, class_lesson(data))
            print(f"class: {data['class']}", flush=True)
        data["machine"] = _machine()
        if {"lessons", "class"} <= data.keys():
            data["sizing"] = sizing(data)
        MEASUREMENTS.write_text(json.dumps(data, indent=2) + "\n")
        print(f"wrote {MEASUREMENTS.relative_to(REPO)}")
    if {"lessons", "class", "sizing"} <= data.keys():
        print(format_table(data), format_sizing(data), sep="\n\n")


if __name__ == "__main__":
    main()
