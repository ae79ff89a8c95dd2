"""The forecast explorer: move a slider, retrain, and see the validation error the settings give.

>>> explorer = ForecastExplorer("lstm")
>>> explorer            # last expression of a cell: sliders, Train and Stop, the plot, the runs

Every run trains the lesson model from scratch with the chosen window and epochs on each of the
three rolling-origin folds inside the training days (the folds of :func:`course_helpers.validate`,
each with its own scaler) and forecasts the held-out days one step at a time. Its validation
RMSE, beside persistence and the 7-day moving average on the same days, is the number to choose
settings by. The test days are scored only on request ("Score on the test days"), once per
setting, at the end: pressing it again for settings already scored gives back that score and
says so, without training. Training runs in a background thread when a button starts it, so
Stop works while it runs. The plot, the progress bar and the copy a saved notebook keeps come
from :mod:`.picture_widget`; the controls, the runs table and the test numbers from
:mod:`.explorer_parts`.
"""

from __future__ import annotations

import html
import threading
import time

import ipywidgets as widgets
import numpy as np

from .data import DEFAULT_DATASET, load_series
from .evaluation import N_TEST, persistence
from .explorer_parts import (
    explorer_controls,
    mean_predictions,
    runs_table,
    seed_list,
    test_summary,
)
from .models import model_spec
from .picture_widget import PictureWidget, Stopped, plain_text
from .plots import plot_forecast, plot_validation
from .runs import ModelCache, train_and_evaluate
from .validation import FOLD_DAYS, FOLDS, validate

__all__ = ["ForecastExplorer"]

TEST_NOTE = (
    "The test days are for one final check: settings chosen because they score well there make "
    "that score optimistic. Choose by the validation number; score the test days once, at the end."
)


class ForecastExplorer(PictureWidget):
    """Sliders for window and epochs, a seed control, Train and Stop, and the validation error.

    ``model`` is one of ``"mlp", "cnn", "lstm", "cnn_lstm", "encoder_decoder"``; extra keyword
    arguments go to its builder (``units=32``, ``n_seq=2``, ...). ``seed`` is the first seed and
    ``seeds`` how many consecutive seeds a run trains (1 or 3). The controls are attributes:
    ``window``, ``epochs`` (and ``horizon`` for the encoder-decoder), ``seeds``, ``seed``,
    ``train_button``, ``stop_button``, ``test_button``, ``progress``, ``status``,
    ``test_status``, ``output`` and ``table``. :meth:`run` retrains and scores on validation,
    :meth:`score_test` scores the last run's settings on the test days; the buttons run them in
    a background thread (:meth:`wait` waits for it), and :meth:`stop` stops one.
    """

    def __init__(
        self,
        model: str = "mlp",
        dataset: str = DEFAULT_DATASET,
        n_test: int = N_TEST,
        *,
        seed: int = 0,
        seeds: int = 1,
        run_now: bool = True,
        **model_kwargs,
    ):
        self.spec = model_spec(model)
        self.model_name = model
        self.series = load_series(dataset)
        self.n_test = n_test
        self.model_kwargs = dict(model_kwargs)
        self.history: list[dict] = []
        self.cache = ModelCache()  # retrains reuse each compiled model: faster, flat memory
        self._lock = threading.Lock()  # one run at a time
        self._thread: threading.Thread | None = None
        self._last: dict | None = None
        parts = explorer_controls(self.spec, model_kwargs, seed, seeds)
        for name, part in parts.items():
            setattr(self, name, part)
        self.train_button.on_click(lambda _button: self.start(self.run))
        self.test_button.on_click(lambda _button: self.start(self.score_test))
        self.stop_button.on_click(lambda _button: self.stop())
        title = widgets.HTML(
            f"<b>Forecast explorer: {self.spec.title}</b> ({dataset.replace('-', ' ')}; "
            f"settings scored on {FOLDS * FOLD_DAYS} validation days inside the training period, "
            f"the last {n_test} values kept as the test set)"
        )
        test_part = widgets.VBox(
            [
                widgets.HTML(f"<i>{TEST_NOTE}</i>"),
                self.test_button,
                self.test_status,
                self.test_output,
            ]
        )
        super().__init__(
            [
                title,
                *[c for c in (self.window, self.epochs, self.horizon) if c is not None],
                widgets.HBox([self.seeds, self.seed]),
                widgets.HBox([self.train_button, self.stop_button, self.progress, self.status]),
                self.output,
                self.table,
                test_part,
            ]
        )
        if run_now:
            self.run()

    # -- settings and progress -------------------------------------------------------------
    def _settings(self) -> dict:
        settings = {"window": self.window.value, "epochs": self.epochs.value}
        if self.horizon is not None:
            settings["horizon"] = self.horizon.value
        settings["seeds"] = seed_list(self.seed.value, self.seeds.value)
        return settings

    def _builder_kwargs(self, settings: dict) -> dict:
        kwargs = dict(self.model_kwargs)
        if "horizon" in settings:
            kwargs["horizon"] = settings["horizon"]
        return kwargs

    def _busy(self, busy: bool, what: str = "") -> None:
        self.train_button.disabled = self.test_button.disabled = busy
        self.stop_button.disabled = not busy
        if busy:
            self._stop.clear()
            self.progress.value = 0
            self.status.value = what

    # -- background runs -------------------------------------------------------------------
    def start(self, job) -> None:
        """Run ``job`` (:meth:`run` or :meth:`score_test`) in a thread, so Stop can be pressed."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._thread = threading.Thread(
            target=self._background, args=(job,), name="forecast-explorer", daemon=True
        )
        self._busy(True, "starting…")  # before the thread runs: a second click finds it busy
        self._thread.start()

    def _background(self, job) -> None:
        try:
            job()
        except Exception as exc:  # a thread's traceback would be lost: say it in the widget
            self._busy(False)
            self.status.value = _error(f"Training failed: {type(exc).__name__}: {exc}")

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a run started by a button; True when none is running any more."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self._thread is None or not self._thread.is_alive()

    # -- validation runs -------------------------------------------------------------------
    def run(self) -> dict:
        """Retrain on the validation folds with the current settings, redraw, return the numbers.

        The dict has ``val_rmse`` (births, mean over seeds), ``val_sd``, ``val_rmse_by_seed``,
        ``val_persistence`` and ``val_moving_average`` (the naive forecasts of the same days),
        ``seconds``, ``window``, ``epochs``, ``seeds`` and, for the encoder-decoder,
        ``horizon`` and ``val_rmse_by_horizon``; multi-step errors are one day ahead. Settings
        that make no model give ``{"error": message}``; a stopped run ``{"stopped": ...}``.
        """
        settings = self._settings()
        if not self._lock.acquire(blocking=False):
            return {"error": "Another run is in progress.", **settings}
        started = time.perf_counter()
        self._busy(True, "training on the validation folds…")
        try:
            score = validate(
                self.model_name,
                settings["window"],
                settings["epochs"],
                settings["seeds"],
                series=self.series,
                n_test=self.n_test,
                cache=self.cache,
                progress=self.report_progress,
                **self._builder_kwargs(settings),
            )
        except (ValueError, TypeError) as exc:  # settings or keyword arguments that make no model
            self.status.value = _error(str(exc))
            return {"error": str(exc), **settings}
        except Stopped as stopped:
            self.status.value = f"{stopped}. Change the settings or press <b>Train</b> again."
            return {"stopped": str(stopped), **settings}
        finally:
            self._busy(False)
            self._lock.release()
        record = {**settings, **_day_ahead(score)}
        self._draw(score, settings)
        record["seconds"] = time.perf_counter() - started
        self.history.append(record)
        self._last = record
        self.status.value = _status(record)
        self.table.value = runs_table(self.history)
        return dict(record)

    def _draw(self, score, settings: dict) -> None:
        """Draw the run's forecasts of the validation days into the output area."""
        horizon = f", {settings['horizon']}-day horizon (1 day ahead shown)" if self.horizon else ""
        fig = plot_validation(
            score,
            block_days=FOLD_DAYS,
            label=self.spec.title,
            title=f"{self.spec.title}: window {settings['window']}, {settings['epochs']} "
            f"epochs{horizon}, validation days",
        )
        self.show_picture(self.output, fig, f"<validation plot, run {len(self.history) + 1}>")

    # -- the test days ---------------------------------------------------------------------
    def score_test(self) -> dict:
        """Train the last run's settings on all training days and score them on the test days.

        Returns ``test_rmse`` (births, mean over the run's seeds; one day ahead), ``test_sd``,
        ``test_persistence`` and ``run`` (which run's settings), and adds them to that run's row
        of the table. Settings scored before (by this run or an earlier run with the same
        window, epochs, horizon and seeds) are not trained again: the earlier score is given
        back with ``already_scored`` (that run's number) and a line saying so. Before any run,
        ``{"error": ...}``.
        """
        record = self._last
        if record is None:
            self.test_status.value = _error("Train first: the test days score a run's settings.")
            return {"error": "no run to score yet"}
        earlier = self._scored_before(record)
        if earlier is not None:
            return self._already_scored(record, earlier)
        if not self._lock.acquire(blocking=False):
            return {"error": "Another run is in progress."}
        self._busy(True, "training on all training days for the test…")
        try:
            runs = self._test_runs(record)
        except Stopped as stopped:
            self.status.value = f"{stopped}; the test days were not scored."
            return {"stopped": str(stopped)}
        finally:
            self._busy(False)
            self._lock.release()
        number = self.history.index(record) + 1
        scores = test_summary(runs)
        record.update(scores)
        fig = plot_forecast(
            self.series,
            mean_predictions(runs),
            persistence=persistence(self.series, self.n_test),
            rmse=scores["test_rmse"],
            persistence_rmse=scores["test_persistence"],
            label=self.spec.title,
            title=f"Test days, run {number}'s settings",
        )
        self.show_picture(self.test_output, fig, f"<test plot, run {number}>", keep=False)
        self.test_status.value = (
            f"Run {number}: test RMSE <b>{scores['test_rmse']:.2f}</b> births"
            + (f" ± {scores['test_sd']:.2f}" if len(runs) > 1 else "")
            + f", persistence {scores['test_persistence']:.2f} on the same days."
        )
        self.table.value = runs_table(self.history)
        return {"run": number, **scores}

    def _scored_before(self, record: dict) -> dict | None:
        """An earlier run with ``record``'s settings whose test score is known, or None."""
        for other in self.history:
            if "test_rmse" in other and _settings_key(other) == _settings_key(record):
                return other
        return None

    def _already_scored(self, record: dict, earlier: dict) -> dict:
        """Say that these settings were scored before, and give that score again: no training."""
        number, first = self.history.index(record) + 1, self.history.index(earlier) + 1
        scores = {k: v for k, v in earlier.items() if k.startswith("test_")}
        record.update(scores)
        again = "These settings were" if number == first else f"Run {number}'s settings were"
        self.test_status.value = (
            f"{again} already scored on the test days (run {first}): test RMSE "
            f"<b>{scores['test_rmse']:.2f}</b> births, persistence "
            f"{scores['test_persistence']:.2f}. Each setting is scored once: pressing again "
            "gives the same number and tells you nothing new. Choose settings by validation."
        )
        self.table.value = runs_table(self.history)
        return {"run": number, "already_scored": first, **scores}

    def _test_runs(self, record: dict) -> list:
        """One :func:`train_and_evaluate` run per seed of ``record``, with progress and Stop."""
        total = record["epochs"] * len(record["seeds"])
        runs = []
        for k, seed in enumerate(record["seeds"]):
            done = k * record["epochs"]
            runs.append(
                train_and_evaluate(
                    self.model_name,
                    record["window"],
                    record["epochs"],
                    seed=seed,
                    n_test=self.n_test,
                    series=self.series,
                    progress=lambda d, _e, done=done: self.report_progress(done + d, total),
                    cache=self.cache,
                    **self._builder_kwargs(record),
                )
            )
        return runs

    def summary(self) -> str:
        """What a saved copy shows beside the last plot: the model and the last run's numbers."""
        return f"Forecast explorer ({self.spec.title}): " + plain_text(self.status.value)


def _settings_key(record: dict) -> tuple:
    """What makes two runs the same setting: window, epochs, horizon and seeds."""
    return (record["window"], record["epochs"], record.get("horizon"), tuple(record["seeds"]))


def _error(message: str) -> str:
    return f"<span style='color:#b00'>{html.escape(message)}</span>"


def _day_ahead(score) -> dict:
    """The explorer's numbers from a :class:`course_helpers.Validation`: one day ahead, births."""
    forecasts, actual = score.forecasts, score.actual
    if forecasts.ndim == 3:  # (seeds, days, horizons): the day-ahead column, as on the test days
        by_horizon = score.rmse_by_horizon
        forecasts, actual = forecasts[..., 0], actual[:, 0]
    by_seed = np.sqrt(((forecasts - actual) ** 2).mean(axis=1))

    def naive(name):
        values = np.asarray(score.naive[name]).reshape(len(actual), -1)[:, 0]
        return float(np.sqrt(((values - actual) ** 2).mean()))

    numbers = {
        "val_rmse": float(by_seed.mean()),
        "val_sd": float(by_seed.std(ddof=1)) if len(by_seed) > 1 else 0.0,
        "val_rmse_by_seed": [round(float(v), 4) for v in by_seed],
        "val_persistence": naive("persistence"),
        "val_moving_average": naive("moving average (7 days)"),
    }
    if score.forecasts.ndim == 3:
        numbers["val_rmse_by_horizon"] = [round(float(v), 4) for v in by_horizon]
    return numbers


def _status(record: dict) -> str:
    """The line under the buttons after a run: the validation error beside the naive ones."""
    seeds = record["seeds"]
    spread = ""
    if len(seeds) > 1:
        runs = ", ".join(f"{v:.2f}" for v in record["val_rmse_by_seed"])
        spread = f" ± {record['val_sd']:.2f} over seeds {seeds[0]}–{seeds[-1]} ({runs})"
    else:
        spread = f" (seed {seeds[0]})"
    verdict = ", ".join(
        f"{'better' if record['val_rmse'] < record[key] else 'worse'} than {name}"
        for name, key in (
            ("persistence", "val_persistence"),
            ("the 7-day average", "val_moving_average"),
        )
    )
    return (
        f"validation RMSE <b>{record['val_rmse']:.2f}</b> births{spread} · same days: persistence "
        f"{record['val_persistence']:.2f}, 7-day average {record['val_moving_average']:.2f} "
        f"({verdict}) · {record['seconds']:.1f} s"
    )
