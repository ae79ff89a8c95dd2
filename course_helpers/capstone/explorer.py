"""Lesson 8's explorer: pick inputs, model and window, retrain, see a few days and every horizon.

>>> explorer = CapstoneExplorer()
>>> explorer            # shows the controls; Train retrains and redraws

Each run trains the chosen network (one seed) on 2010-2012, fits the linear autoregression on the
same windows, and draws both against observed PM2.5, with persistence, over a few days and as RMSE
at each hour ahead; whether the network is better than the ridge is a paired interval over the
days (:func:`course_helpers.compare_forecasts`), not the bare difference. Scores are on the
validation year (2013) unless the "test year" box is ticked: that box is the explicit, deliberate
step of scoring 2014, once per setting. Asked again for settings already scored on 2014, the
explorer shows the earlier score and says why it does not retrain. A saved notebook keeps the
last run's plot and scores (:mod:`course_helpers.picture_widget`).
"""

from __future__ import annotations

import html
import time

import ipywidgets as widgets
from matplotlib.figure import Figure

from ..comparison import compare_forecasts
from ..picture_widget import PictureWidget, plain_text
from .baselines import fit_ridge, persistence_24, score
from .data import INPUT_SETS, shared_task
from .models import MODELS
from .plots import plot_day_forecasts, plot_errors_by_horizon
from .trials import train_network

__all__ = ["CapstoneExplorer"]

WINDOWS = (24, 48, 72)
# The networks offered and their most epochs: the longest curve `make tune-capstone` trains
# (their grids' "epochs"), so a retrain stays within seconds on two cores (about 10 s for 4
# epochs of 72 hours, LSTM or CNN, at load 3). The encoder-decoder, slower still, is studied in
# the lesson on fewer samples.
MAX_EPOCHS = {name: max(MODELS[name].grid["epochs"]) for name in ("mlp", "lstm", "dilated_cnn")}


class CapstoneExplorer(PictureWidget):
    """Controls for inputs, network, window and epochs, a Train button, and what they give.

    The controls are attributes (``inputs``, ``network``, ``window``, ``epochs``, ``test_year``,
    ``train_button``, ``progress``, ``status``, ``output``); :meth:`run` retrains with their
    current values. ``history`` keeps the numbers of every run; ``test_runs`` the run that scored
    2014 for each setting (inputs, network, window, epochs, seed), which is never redone.
    """

    def __init__(self, network: str = "mlp", inputs: str = "all", window=None, seed: int = 0):
        if network not in MAX_EPOCHS:
            known = ", ".join(MAX_EPOCHS)
            raise ValueError(f"Unknown network {network!r}; the explorer offers {known}.")
        style = {"description_width": "90px"}
        window = MODELS[network].defaults.window if window is None else window
        self.inputs = widgets.Dropdown(
            options=list(INPUT_SETS), value=inputs, description="inputs", style=style
        )
        self.network = widgets.Dropdown(
            options=[(MODELS[name].title, name) for name in MAX_EPOCHS],
            value=network,
            description="network",
            style=style,
        )
        self.window = widgets.Dropdown(
            options=WINDOWS, value=window, description="window (h)", style=style
        )
        self.epochs = widgets.IntSlider(
            value=MODELS[network].defaults.epochs,
            min=1,
            max=MAX_EPOCHS[network],
            description="epochs",
            style=style,
            continuous_update=False,
        )
        self.test_year = widgets.Checkbox(
            value=False, description="score the test year (2014): once, at the end", indent=False
        )
        self.train_button = widgets.Button(description="Train", button_style="primary")
        self.progress = widgets.IntProgress(value=0, min=0, max=1, description="training")
        self.status = widgets.HTML("Choose settings and press Train.")
        self.output = widgets.Output()
        self.seed = int(seed)
        self.history: list[dict] = []
        self.test_runs: dict[tuple, dict] = {}
        self._test_drawings: dict[tuple, tuple] = {}
        self.network.observe(self._default_epochs, names="value")
        self.train_button.on_click(lambda _: self.run())
        controls = widgets.VBox(
            [self.inputs, self.network, self.window, self.epochs, self.test_year]
        )
        super().__init__(
            [controls, widgets.HBox([self.train_button, self.progress]), self.status, self.output]
        )

    def _default_epochs(self, change) -> None:
        """A new network starts from its lesson settings (chosen on 2013): epochs and window."""
        self.epochs.max = MAX_EPOCHS[change["new"]]
        self.epochs.value = MODELS[change["new"]].defaults.epochs
        self.window.value = MODELS[change["new"]].defaults.window

    def _settings_text(self) -> str:
        return (
            f"Capstone explorer ({MODELS[self.network.value].title}, inputs "
            f"{self.inputs.value!r}, window {self.window.value} h)"
        )

    def __repr__(self):
        return f"{self._settings_text()}: press Train in a live notebook"

    def summary(self) -> str:
        """What a saved copy shows beside the last plot: the settings and the last run's scores."""
        return f"{self._settings_text()}: {plain_text(self.status.value)}"

    def _task(self, window: int, inputs: str):
        """The task and its fitted ridge for these settings (built once per kernel each)."""
        task = shared_task(window, inputs)
        return task, fit_ridge(task)[0]

    def run(self) -> dict:
        """Retrain with the current settings, redraw, and return this run's numbers.

        The dict has the settings, ``period``, ``rmse`` of the network, the ridge and persistence
        (µg/m³ over 24 hours), the network's ``gain`` on the ridge with its 95% interval
        (``low``, ``high``) and ``verdict``, and ``seconds``. Settings already scored on 2014 are
        not trained again: the earlier run's numbers come back, and the status says why.
        """
        period = "test" if self.test_year.value else "validation"
        spec = MODELS[self.network.value]
        settings = {
            "inputs": self.inputs.value,
            "network": spec.title,
            "window": self.window.value,
            "epochs": self.epochs.value,
            "period": period,
        }
        key = (*settings.values(), self.seed)
        if period == "test" and key in self.test_runs:
            return self._scored_already(key)
        self.train_button.disabled = True
        self.status.value = "training…"
        started = time.perf_counter()
        try:
            task, ridge = self._task(self.window.value, self.inputs.value)
            trial = train_network(
                spec.name,
                task,
                seeds=(self.seed,),
                epochs=self.epochs.value,
                batch_size=spec.defaults.batch_size,
                name=spec.title,
                progress=self.report_progress,
            )
        finally:
            self.train_button.disabled = False
        numbers, drawing = self._score(task, ridge, trial, period)
        self._show(*drawing)
        record = {**settings, **numbers, "seconds": time.perf_counter() - started}
        self.history.append(record)
        if period == "test":
            self.test_runs[key], self._test_drawings[key] = record, drawing
        self.status.value = html.escape(self._status_line(record))
        return dict(record)

    @staticmethod
    def _score(task, ridge, trial, period) -> tuple[dict, tuple]:
        """The scores of the network, the ridge and persistence on ``period``, and what
        :meth:`_show` draws of them."""
        windows = task.period(period)
        title = trial.name
        forecasts = {
            title: trial.forecasts(period)[0],
            "linear autoregression": task.to_pm(ridge.predict(windows.X)),
            "persistence": persistence_24(windows),
        }
        scores = {label: score(values, windows.y) for label, values in forecasts.items()}
        versus = compare_forecasts(
            windows.y, forecasts[title], forecasts["linear autoregression"], names=(title, "ridge")
        )
        return {
            "rmse": scores[title].rmse,
            "ridge rmse": scores["linear autoregression"].rmse,
            "persistence rmse": scores["persistence"].rmse,
            "gain": versus.difference,
            "low": versus.low,
            "high": versus.high,
            "verdict": versus.verdict,
        }, (task, period, forecasts, scores)

    @staticmethod
    def _status_line(record: dict) -> str:
        verdict = {"better": "better", "worse": "worse", "tie": "a tie"}[record["verdict"]]
        return (
            f"{record['period']}: RMSE {record['rmse']:.1f} µg/m³, linear autoregression "
            f"{record['ridge rmse']:.1f}: gain {record['gain']:+.1f}, 95% interval "
            f"[{record['low']:+.1f}, {record['high']:+.1f}] over the days, {verdict}; "
            f"persistence {record['persistence rmse']:.1f} · {record['seconds']:.1f} s"
        )

    def _scored_already(self, key: tuple) -> dict:
        """The earlier 2014 score of these settings, and why the explorer does not retrain."""
        record = self.test_runs[key]
        self._show(*self._test_drawings[key])
        self.status.value = html.escape(
            f"{self._status_line(record)}. These settings were scored on 2014 already (shown "
            "above, not retrained): the test year is scored once per setting. Scoring it again "
            "would only try the seed's luck on the same days, and choosing by 2014 would turn it "
            "into a second validation year. Compare settings on 2013."
        )
        return dict(record)

    def _show(self, task, period, forecasts, scores) -> None:
        """Draw a few days of forecasts and the error at each hour ahead into the output area."""
        fig = Figure(figsize=(9, 6.4), layout="constrained", dpi=90)
        top, bottom = fig.subplots(2, 1)
        for ax in (top, bottom):
            ax.grid(True, alpha=0.3)
        plot_day_forecasts(task, forecasts, period, first=30, days=4, ax=top)
        errors = {label: s.by_horizon["rmse"] for label, s in scores.items()}
        plot_errors_by_horizon(errors, ax=bottom, title=f"RMSE at each hour ahead ({period})")
        text = f"<capstone explorer plot, run {len(self.history) + 1}>"
        self.show_picture(self.output, fig, text)
