"""Peak memory of running processes, sampled with psutil in a background thread.

:class:`PeakSampler` asks a function for the processes to watch, grouped under labels
(``{"learner01 kernel": [process], ...}``), every ``interval`` seconds, and keeps for each label
the highest resident set size (RSS) seen and, for the whole, the highest sum over all labels at
one moment. On Linux it also reads each process's own high-water mark (``VmHWM`` in
``/proc/<pid>/status``), which catches a peak that falls between two samples, and it keeps the CPU
time each label's processes used (user + system, as last seen): unlike wall-clock time, that
hardly changes when other jobs load the machine.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import psutil

__all__ = ["MB", "PeakSampler", "high_water_mark"]

MB = 2**20


def high_water_mark(pid: int) -> int:
    """The process's peak RSS in bytes as the kernel counts it (``VmHWM``); 0 if unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


class PeakSampler:
    """Sample the RSS of labelled groups of processes until stopped; use as a context manager.

    ``groups()`` returns ``{label: processes}``; a process that has ended is skipped.
    ``peaks[label]`` is the label's highest RSS sum in bytes, ``hwm[label]`` the highest
    ``VmHWM`` of any one of its processes, and ``total_peak`` the highest sum over all labels.
    """

    def __init__(
        self, groups: Callable[[], dict[str, Iterable[psutil.Process]]], interval: float = 0.2
    ):
        self.groups = groups
        self.interval = interval
        self.peaks: dict[str, int] = {}
        self.hwm: dict[str, int] = {}
        self.total_peak = 0
        self.samples = 0
        self._cpu: dict[int, tuple[str, float]] = {}  # pid -> (label, CPU seconds last seen)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="peak-sampler", daemon=True)

    def sample(self) -> None:
        """Take one sample now."""
        total = 0
        for label, processes in self.groups().items():
            rss = 0
            for process in processes:
                try:
                    rss += process.memory_info().rss
                    times = process.cpu_times()
                except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                    continue
                self._cpu[process.pid] = (label, times.user + times.system)
                self.hwm[label] = max(self.hwm.get(label, 0), high_water_mark(process.pid))
            self.peaks[label] = max(self.peaks.get(label, 0), rss)
            total += rss
        self.total_peak = max(self.total_peak, total)
        self.samples += 1

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.sample()
            except (psutil.Error, OSError):
                pass  # the process tree changed under us; the next sample sees the new one
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def cpu_seconds(self, label: str) -> float:
        """CPU time the label's processes used, up to the last sample that saw each of them."""
        return sum(seconds for owner, seconds in self._cpu.values() if owner == label)

    def peak_mb(self, label: str) -> float:
        """The label's peak in MiB: the larger of the sampled RSS and the processes' VmHWM."""
        return max(self.peaks.get(label, 0), self.hwm.get(label, 0)) / MB
