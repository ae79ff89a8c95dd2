"""A class on the local hub: learners follow the course link and run a lesson at the same time.

:func:`run_class` logs every learner in through the nbgitpuller link of a :class:`LocalHub`,
then has them all run the lesson top to bottom at once, each in their own kernel, while a
:class:`~course_tools.classroom.memory.PeakSampler` watches every process of the hub: each
learner's kernel and server, the hub and its proxy. Learners driven through the REST API and
websocket run in threads; one more learner (a browser, say) may be given as a function run in the
calling thread.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from .hub import LocalHub
from .learners import NotebookRun
from .memory import MB, PeakSampler

__all__ = ["ClassReport", "process_groups", "run_class"]


@dataclass
class ClassReport:
    """What a class run measured; memory in MiB, times in seconds."""

    lesson: str
    runs: dict[str, NotebookRun] = field(default_factory=dict)
    join_seconds: dict[str, float] = field(default_factory=dict)  # link followed to clone done
    seconds_to_finish: float = 0.0  # everyone starts the lesson -> the last one finishes
    kernel_peak_mb: dict[str, float] = field(default_factory=dict)
    kernel_cpu_seconds: dict[str, float] = field(default_factory=dict)
    server_peak_mb: dict[str, float] = field(default_factory=dict)
    learner_peak_mb: dict[str, float] = field(default_factory=dict)  # server + kernel
    hub_and_proxy_peak_mb: float = 0.0
    total_peak_mb: float = 0.0

    def summary(self) -> dict:
        """The figures kept in classroom/measurements.json."""
        kernels, learners = self.kernel_peak_mb.values(), self.learner_peak_mb.values()
        return {
            "learners": len(self.runs),
            "lesson": self.lesson,
            "seconds_to_finish": round(self.seconds_to_finish, 1),
            "slowest_join_seconds": round(max(self.join_seconds.values(), default=0), 1),
            "kernel_peak_mb_max": round(max(kernels, default=0)),
            "kernel_cpu_seconds_mean": round(
                sum(self.kernel_cpu_seconds.values()) / max(len(self.kernel_cpu_seconds), 1), 1
            ),
            "learner_peak_mb_max": round(max(learners, default=0)),
            "learner_peak_mb_mean": round(sum(learners) / max(len(learners), 1)),
            "server_peak_mb_max": round(max(self.server_peak_mb.values(), default=0)),
            "hub_and_proxy_peak_mb": round(self.hub_and_proxy_peak_mb),
            "total_peak_mb": round(self.total_peak_mb),
        }


def _owner(process: psutil.Process, homes: Path) -> str | None:
    """The learner whose home folder holds the process's working folder, if any."""
    try:
        return Path(process.cwd()).relative_to(homes).parts[0]
    except (psutil.Error, ValueError, IndexError):
        return None


def process_groups(hub: LocalHub) -> dict[str, list[psutil.Process]]:
    """The hub's processes by label: ``<learner> kernel``, ``<learner> server``, ``hub+proxy``."""
    groups: dict[str, list[psutil.Process]] = {}
    for process in hub.processes():
        try:
            command = " ".join(process.cmdline())
        except psutil.Error:
            continue
        owner = _owner(process, hub.homes)
        if owner and "ipykernel_launcher" in command:
            label = f"{owner} kernel"
        elif owner and "jupyterhub-singleuser" in command:
            label = f"{owner} server"
        elif owner:
            label = f"{owner} other"  # git, a terminal: the learner's too
        else:
            label = "hub+proxy"
        groups.setdefault(label, []).append(process)
    return groups


def _join(hub: LocalHub, name: str, notebook: str) -> tuple:
    """One learner follows the course link: logs in, gets a server and the clone."""
    started = time.monotonic()
    learner = hub.learner(name)
    link = hub.link(notebook)
    learner.log_in(link)
    learner.pull(link)
    return learner, time.monotonic() - started


def run_class(
    hub: LocalHub,
    names: list[str],
    notebook: str = "notebooks/03_mlp.ipynb",
    extra: tuple[str, Callable[[], NotebookRun]] | None = None,
) -> ClassReport:
    """All of ``names`` join through the course link, then run ``notebook`` at the same time.

    ``extra`` is ``(name, run)``: one more learner whose whole visit ``run()`` makes (and times)
    in this thread, started together with the lesson runs of the others.
    """
    report = ClassReport(Path(notebook).stem)
    path = f"{hub.repo.name}/{notebook}"
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        joined = list(pool.map(lambda name: _join(hub, name, notebook), names))
    report.join_seconds = {learner.name: seconds for learner, seconds in joined}
    with PeakSampler(lambda: process_groups(hub)) as sampler:
        started = time.monotonic()
        finished: dict[str, float] = {}
        lock = threading.Lock()

        def lesson(learner):
            run = learner.run_notebook(path)
            with lock:
                finished[learner.name] = time.monotonic() - started
            return learner.name, run

        with ThreadPoolExecutor(max_workers=len(joined)) as pool:
            futures = [pool.submit(lesson, learner) for learner, _ in joined]
            if extra is not None:
                report.runs[extra[0]] = extra[1]()
                finished[extra[0]] = time.monotonic() - started
            report.runs.update(future.result() for future in futures)
    report.seconds_to_finish = max(finished.values())
    _peaks(report, sampler, list(report.runs))
    return report


def _peaks(report: ClassReport, sampler: PeakSampler, names: list[str]) -> None:
    """Fill the report's memory figures from the sampler's peaks."""
    for name in names:
        report.kernel_peak_mb[name] = sampler.peak_mb(f"{name} kernel")
        report.kernel_cpu_seconds[name] = sampler.cpu_seconds(f"{name} kernel")
        report.server_peak_mb[name] = sampler.peaks.get(f"{name} server", 0) / MB
        report.learner_peak_mb[name] = report.kernel_peak_mb[name] + report.server_peak_mb[name]
    report.hub_and_proxy_peak_mb = sampler.peaks.get("hub+proxy", 0) / MB
    report.total_peak_mb = sampler.total_peak / MB
