"""The lesson's settings, one registry: every model of its table, how it is built and trained.

A :class:`Setting` names a network, the windows it trains on and how long it trains; its
:meth:`~Setting.run` trains one network per seed (and per input length, for an ensemble) on the
history without the validation hours, and forecasts from the end of every panel it is given:
the history (validation) and, at the end of the lesson, the whole training series (test). The
models are **not refitted** on the whole training series: they never train on its last 48 hours,
and read them only as inputs when they forecast the test hours. :data:`SETTINGS` holds the rows
of the lesson's table; the notebook and ``course_tools.benchmark_m4`` both read it.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field, replace

import keras
import numpy as np

from .data import Panel
from .models import build_local_mlp, build_mlp, build_nbeats
from .training import Training, forecast, train
from .windows import Windows

__all__ = ["SETTINGS", "Run", "Setting"]


@dataclass(frozen=True)
class Setting:
    """How one model of the lesson is built, fed and trained.

    ``model`` is ``"mlp"`` (one network for all series), ``"local"`` (one per series) or
    ``"nbeats"``. ``windows`` are the input lengths and ``seeds`` the seeds: one network is
    trained for each pair, and their forecasts are combined by the median. ``series_every`` keeps
    every k-th series for training and ``recent`` only origins in the last hours of each history
    (fewer samples); ``per_series`` scales by one level per series instead of per window.
    ``epochs`` counts passes over *all* the windows of the history, whatever the setting trains
    on: fewer windows are drawn more often, so every setting takes the same number of samples.
    """

    label: str
    model: str = "mlp"
    windows: tuple[int, ...] = (168,)
    seeds: tuple[int, ...] = (0,)
    units: int = 256
    depth: int = 2
    blocks: int = 3
    level_hours: int | None = 24
    per_series: bool = False
    series_every: int = 1
    recent: int | None = None
    epochs: float = 3
    batch_size: int = 1024
    loss: str = "sMAPE"
    learning_rate: float = 1e-3
    build_kwargs: dict = field(default_factory=dict)
    ablation: bool = False  # a diagnosis on validation only, never scored on the test hours

    @property
    def local(self) -> bool:
        """Whether this is one network per series."""
        return self.model == "local"

    def members(self) -> list[tuple[int, int]]:
        """The ``(window, seed)`` of each network trained."""
        return [(w, s) for w in self.windows for s in self.seeds]

    def training_windows(self, history: Panel, window: int) -> Windows:
        """The windows this setting trains on (all series' windows unless it says fewer)."""
        series = np.arange(0, len(history), self.series_every)
        return Windows(
            history,
            window,
            level_hours=self.level_hours,
            per_series=self.per_series,
            series=series,
            recent=self.recent,
        )

    def build(self, window: int, n_series: int) -> keras.Model:
        """A fresh network for input length ``window``."""
        sizes = dict(units=self.units, depth=self.depth, **self.build_kwargs)
        if self.model == "mlp":
            return build_mlp(window, **sizes)
        if self.model == "local":
            return build_local_mlp(n_series, window, **sizes)
        if self.model == "nbeats":
            return build_nbeats(window, blocks=self.blocks, **sizes)
        raise ValueError(f"Unknown model {self.model!r}: choose mlp, local or nbeats.")

    def run(self, history: Panel, *panels: Panel, progress: bool = False) -> Run:
        """Train every member on ``history``; forecast from the end of ``history`` and ``panels``.

        ``panels`` are the same series, longer (the whole training series, for the test).
        """
        forecasts, trainings = [], []
        for window, seed in self.members():
            windows = self.training_windows(history, window)
            every = replace(windows, series=None, recent=None, _tensors={})  # all the windows
            keras.utils.set_random_seed(seed)
            model = self.build(window, len(history))
            epochs = self.epochs * len(every) / len(windows)  # the samples of `epochs` passes
            trainings.append(self._train(model, windows, epochs, seed, progress))
            forecasts.append([forecast(model, every, p, self.local) for p in (history, *panels)])
            del model
            keras.backend.clear_session()
            gc.collect()
        return Run(self, np.array(forecasts), trainings)

    def _train(self, model, windows, epochs, seed, progress) -> Training:
        kwargs = dict(batch_size=self.batch_size, loss=self.loss, seed=seed, progress=progress)
        kwargs.update(learning_rate=self.learning_rate, local=self.local)
        return train(model, windows, epochs, **kwargs)


@dataclass
class Run:
    """What :meth:`Setting.run` returns: each member's forecasts and its training record.

    ``forecasts`` is ``(members, panels, n_series, horizon)``; panel 0 is the history (the
    validation forecast).
    """

    setting: Setting
    forecasts: np.ndarray
    trainings: list[Training]

    def forecast(self, panel: int = 0) -> np.ndarray:
        """The median of the members' forecasts from the end of panel ``panel``."""
        return np.median(self.forecasts[:, panel], axis=0)

    def member(self, i: int, panel: int = 0) -> np.ndarray:
        """Member ``i``'s forecast alone."""
        return self.forecasts[i, panel]

    @property
    def seconds(self) -> float:
        """Training time of all members, in seconds."""
        return sum(t.seconds for t in self.trainings)


COURSE_MLP = dict(model="mlp", units=100, depth=1, epochs=3, batch_size=256)  # lesson 3's MLP
SETTINGS: dict[str, Setting] = {
    s.label: s
    for s in [
        Setting(
            "course MLP, one per series (local)",
            **{**COURSE_MLP, "model": "local", "batch_size": 16},
        ),
        Setting("course MLP, one for all series (global)", **COURSE_MLP),
        Setting("global, one level per series", **COURSE_MLP, per_series=True, ablation=True),
        Setting("global, every 10th series", **COURSE_MLP, series_every=10, ablation=True),
        Setting(
            "global, the last 48 origins of each series", **COURSE_MLP, recent=48, ablation=True
        ),
        Setting(  # is the local model only short of training? (the benchmark's check)
            "local, trained 10 passes instead of 3",
            **{**COURSE_MLP, "model": "local", "batch_size": 16, "epochs": 10},
            ablation=True,
        ),
        Setting(
            "best: N-BEATS-style ensemble",
            model="nbeats",
            seeds=(0, 1),
            units=100,
            depth=1,
            blocks=2,
            epochs=10,
            batch_size=512,
            learning_rate=2e-3,
        ),
    ]
}
