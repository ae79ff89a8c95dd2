"""The sizing rule of a hub, derived from the measurements, and the README's text about it.

``classroom/measurements.json`` holds what :mod:`course_tools.classroom.measure` measured: each
lesson's kernel peak alone and a class on the local hub. :func:`sizing` derives from it the memory
guarantee and limit per learner and the learners per machine; :func:`format_table` and
:func:`format_sizing` write the README's table and sentences from the same numbers.
"""

from __future__ import annotations

import math

__all__ = ["BINDER_LIMIT_MB", "format_sizing", "format_table", "sizing"]

BINDER_LIMIT_MB = 1536  # every lesson must stay under this: mybinder.org gives 2 GB at most
MACHINE = {"cores": 2, "memory_mb": 24 * 1024}  # the machine the rule is stated for
RESERVE_MB = 2 * 1024  # the system, the hub and its proxy
HEADROOM = 1.2  # a learner's own experiments on top of the heaviest lesson
STEP_MB = 256  # memory is given in steps of a quarter GB
MAX_WAIT_SECONDS = 180  # everyone pressing "Run All" on the heaviest lesson at once waits this long


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
