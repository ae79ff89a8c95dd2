"""Lesson 9's explorer: input length, width, passes and loss of the global MLP, retrained.

>>> explorer = GlobalExplorer()
>>> explorer            # the controls, Train and Stop, the picture, the runs so far

Each run trains section 5's network, the course MLP for all 414 series (one hidden layer of
``width`` ReLU units, started from seasonal naive), with the lesson's sampling loop on the
history, seed 0, and scores its forecasts of the **validation hours** beside seasonal naive's,
with the interval over series of the gap. At the lesson's settings (168 hours, 100 units, 3
passes, sMAPE loss) it is section 5's network and number. The test hours are scored only by
their button, once per setting: the run's network forecasts them from the end of the whole
training series (not refitted, as in the lesson), and a second press for the same settings shows
the earlier score instead of a new one. The picture, the progress bar, Stop and what a saved
notebook shows come from :mod:`course_helpers.picture_widget`.
"""

from __future__ import annotations

import html
import threading
import time
from functools import lru_cache

import ipywidgets as widgets
import keras
import numpy as np
import pandas as pd

from ..picture_widget import PictureWidget, Stopped, plain_text
from ..plots import new_figure
from .data import load_m4_hourly, load_test, validation_split
from .metrics import naive2, owa_difference, score, seasonal_naive
from .models import build_mlp
from .training import LOSSES, forecast, train
from .windows import Windows

__all__ = ["GlobalExplorer", "OPTIONS", "TEST_NOTE"]

# The choices offered; at the largest (336 or 168 hours, 200 units, 3 passes) a retrain takes
# 7.5-8 s on two busy cores (load 5.5-6), under the lesson's 10 s.
OPTIONS = {
    "window": (48, 96, 168, 336),
    "width": (25, 50, 100, 200),
    "epochs": (1, 2, 3),
    "loss": tuple(LOSSES),
}
DEFAULTS = {"window": 168, "width": 100, "epochs": 3, "loss": "sMAPE"}  # section 5's network
BATCH_SIZE, LEVEL_HOURS, SEED = 256, 24, 0
SHOWN = ("H150", "H350")  # the series whose validation hours the picture draws

TEST_NOTE = (
    "The test hours are for one final check: settings chosen because they score well there "
    "make that score optimistic. Choose by the validation OWA; the button scores the last "
    "run's network on the test hours, once for each setting."
)


@lru_cache(maxsize=1)
def _panels():
    """The whole training series, the history, the validation hours, Naive2's score there and
    seasonal naive's forecast of them."""
    full = load_m4_hourly()
    history, actual = validation_split(full)
    reference = score(history, actual, naive2(history))
    return full, history, actual, reference, seasonal_naive(history)


@lru_cache(maxsize=len(OPTIONS["window"]))
def _windows(window: int) -> Windows:
    return Windows(_panels()[1], window, level_hours=LEVEL_HOURS)


class GlobalExplorer(PictureWidget):
    """Controls for input length, width, passes and loss; Train, Stop, and the test button.

    The controls are attributes (``window``, ``width``, ``epochs``, ``loss``, ``train_button``,
    ``stop_button``, ``test_button``, ``progress``, ``status``, ``test_status``, ``output``,
    ``table``). :meth:`run` retrains with their values and scores the validation hours;
    :meth:`score_test` scores the last run on the test hours. The buttons run them in a
    background thread (:meth:`wait` waits for it), so Stop works. ``history`` keeps every run.
    """

    def __init__(self, **settings):
        unknown = set(settings) - set(OPTIONS)
        if unknown:
            raise ValueError(f"Unknown setting {sorted(unknown)[0]!r}; use {', '.join(OPTIONS)}.")
        chosen = {**DEFAULTS, **settings}
        for name, value in chosen.items():
            if value not in OPTIONS[name]:
                allowed = ", ".join(map(str, OPTIONS[name]))
                raise ValueError(f"{name}={value!r} is not offered; choose one of {allowed}.")
        style = {"description_width": "110px"}
        labels = {"window": "input (hours)", "width": "width (units)", "epochs": "passes"}
        for name in OPTIONS:
            setattr(
                self,
                name,
                widgets.Dropdown(
                    options=OPTIONS[name],
                    value=chosen[name],
                    description=labels.get(name, name),
                    style=style,
                ),
            )
        self.train_button = widgets.Button(description="Train", button_style="primary")
        self.stop_button = widgets.Button(description="Stop", disabled=True)
        self.test_button = widgets.Button(description="Score the test hours")
        self.progress = widgets.IntProgress(value=0, min=0, max=1, description="training")
        self.status = widgets.HTML("Choose settings and press <b>Train</b>.")
        self.test_status = widgets.HTML("")
        self.output = widgets.Output()
        self.table = widgets.HTML("")
        self.history: list[dict] = []
        self.tested: dict[tuple, dict] = {}  # settings -> the test score, once each
        self._last: dict | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.train_button.on_click(lambda _: self.start(self.run))
        self.test_button.on_click(lambda _: self.start(self.score_test))
        self.stop_button.on_click(lambda _: self.stop())
        title = widgets.HTML(
            "<b>Global MLP explorer</b> (M4 Hourly, 414 series; scored on the validation hours, "
            "the last 48 of each training series)"
        )
        controls = [getattr(self, name) for name in OPTIONS]
        test_part = [widgets.HTML(f"<i>{TEST_NOTE}</i>"), self.test_button, self.test_status]
        super().__init__(
            [
                title,
                widgets.HBox(controls[:2]),
                widgets.HBox(controls[2:]),
                widgets.HBox([self.train_button, self.stop_button, self.progress]),
                self.status,
                self.output,
                self.table,
                widgets.VBox(test_part),
            ]
        )

    # -- settings and background runs ---------------------------------------------------------
    def settings(self) -> dict:
        """The current values of the controls."""
        return {name: getattr(self, name).value for name in OPTIONS}

    def _busy(self, busy: bool) -> None:
        self.train_button.disabled = self.test_button.disabled = busy
        self.stop_button.disabled = not busy
        if busy:
            self._stop.clear()
            self.progress.value = 0

    def start(self, job) -> None:
        """Run ``job`` (:meth:`run` or :meth:`score_test`) in a thread, so Stop can be pressed."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._thread = threading.Thread(target=self._background, args=(job,), daemon=True)
        self._busy(True)  # before the thread runs: a second click finds it busy
        self._thread.start()

    def _background(self, job) -> None:
        try:
            job()
        except Exception as exc:  # a thread's traceback would be lost: say it in the widget
            self.status.value = _error(f"Training failed: {type(exc).__name__}: {exc}")
        finally:
            self._busy(False)

    def wait(self, timeout: float | None = None) -> bool:
        """Wait for a run started by a button; True when none is running any more."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self._thread is None or not self._thread.is_alive()

    # -- validation runs -------------------------------------------------------------------------
    def run(self) -> dict:
        """Retrain with the current settings, score the validation hours, redraw; the numbers.

        The dict has the settings, ``val_smape``, ``val_mase``, ``val_owa``, ``snaive_owa`` and
        the gap to seasonal naive with its interval over series (``gap``, ``gap_low``,
        ``gap_high``), ``seconds`` and ``run`` (its number). Settings that make no network give
        ``{"error": message}``; a stopped run ``{"stopped": message}``.
        """
        settings = self.settings()
        if not self._lock.acquire(blocking=False):
            return {"error": "Another run is in progress.", **settings}
        started = time.perf_counter()
        self._busy(True)
        self.status.value = "training on the history…"
        try:
            val_forecast, test_forecast = self._train(settings)
        except (ValueError, TypeError) as exc:
            self.status.value = _error(str(exc))
            return {"error": str(exc), **settings}
        except Stopped as stopped:
            message = f"Stopped after {stopped.done:,} of {stopped.total:,} steps"
            self.status.value = f"{message}. Change the settings or press <b>Train</b> again."
            return {"stopped": message, **settings}
        finally:
            self._busy(False)
            self._lock.release()
        _, history, actual, reference, snaive_forecast = _panels()
        val = score(history, actual, val_forecast, reference)
        snaive = score(history, actual, snaive_forecast, reference)
        gap = owa_difference(val, snaive, reference)
        record = {**settings, "run": len(self.history) + 1, **_numbers(val, "val")}
        record.update(snaive_owa=snaive.owa, gap=gap[0], gap_low=gap[1], gap_high=gap[2])
        record["seconds"] = time.perf_counter() - started
        self._draw(val, snaive, record, {"run": val_forecast, "snaive": snaive_forecast})
        self.history.append(record)
        self._last = {"record": record, "test_forecast": test_forecast}
        self.status.value = _status(record)
        self.table.value = _runs_table(self.history)
        return dict(record)

    def _train(self, settings: dict):
        """Train seed 0 with ``settings``; its forecasts of the validation and test hours."""
        full = _panels()[0]
        windows = _windows(settings["window"])
        keras.utils.set_random_seed(SEED)
        model = build_mlp(settings["window"], units=settings["width"], depth=1)
        train(
            model,
            windows,
            settings["epochs"],
            batch_size=BATCH_SIZE,
            loss=settings["loss"],
            seed=SEED,
            progress=self.report_progress,
        )
        val_forecast = forecast(model, windows)  # (414, 48), from the end of the history
        test_forecast = forecast(model, windows, full)  # scored only by the test button
        keras.backend.clear_session()
        return val_forecast, test_forecast

    def _draw(self, val, snaive, record: dict, forecasts: dict) -> None:
        """sMAPE at each hour ahead, and two series' validation hours, into the output area."""
        fig, (top, bottom) = new_figure(9, 6, nrows=2)
        hours = np.arange(1, val.smape_points.shape[1] + 1)
        if self.history:
            previous = self.history[-1]["smape_by_hour"]
            top.plot(hours, previous, color="0.6", lw=1, label=f"run {len(self.history)}")
        top.plot(hours, snaive.by_horizon()["smape"], color="C1", label="seasonal naive")
        top.plot(hours, val.by_horizon()["smape"], color="C0", lw=2, label="this run")
        top.set(xlabel="hours ahead", ylabel="sMAPE", title="Validation hours: sMAPE by hour ahead")
        top.legend(fontsize=8)
        record["smape_by_hour"] = val.by_horizon()["smape"]
        _, history, actual, _, _ = _panels()
        self._draw_series(bottom, history, actual, forecasts)
        text = f"<global explorer plot, run {record['run']}>"
        self.show_picture(self.output, fig, text)

    @staticmethod
    def _draw_series(ax, history, actual, forecasts: dict) -> None:
        """The last two days and the validation hours of the series in :data:`SHOWN`."""
        offset = 0
        for name in SHOWN:
            i = history.names.index(name)
            past, scale = history.series(i)[-48:], history.series(i)[-48:].mean()
            x = np.arange(offset, offset + 96)
            ax.plot(x[:48], past / scale, color="0.5", lw=0.9)
            ax.plot(x[48:], actual[i] / scale, color="black", lw=1.2)
            ax.plot(x[48:], forecasts["snaive"][i] / scale, color="C1", lw=1)
            ax.plot(x[48:], forecasts["run"][i] / scale, color="C0", lw=1.6)
            ax.text(offset + 2, ax.get_ylim()[1], name, va="top", fontsize=8)
            offset += 110
        ax.set(xlabel="hours (two series side by side)", ylabel="value / recent mean")
        ax.set_title("Validation hours: actual (black), seasonal naive, this run", fontsize=10)

    # -- the test hours ----------------------------------------------------------------------------
    def score_test(self) -> dict:
        """Score the last run's network on the test hours, once per setting.

        Returns ``test_smape``, ``test_mase``, ``test_owa`` and ``run``; for settings already
        scored, the earlier numbers with ``repeat=True`` and no new score. Before any run,
        ``{"error": ...}``.
        """
        if self._last is None:
            self.test_status.value = _error("Train first: the test hours score a run's network.")
            return {"error": "no run to score yet"}
        record = self._last["record"]
        key = tuple(record[name] for name in OPTIONS)
        if key in self.tested:
            earlier = self.tested[key]
            self.test_status.value = (
                f"These settings were scored on the test hours already (run {earlier['run']}): "
                f"test OWA <b>{earlier['test_owa']:.3f}</b>. A second look is no new check: "
                "the test hours would start choosing the settings. Choose by validation."
            )
            return {**earlier, "repeat": True}
        full, *_ = _panels()
        test = load_test(full)
        test_reference = score(full, test, naive2(full))  # OWA's reference on the test hours
        tested = score(full, test, self._last["test_forecast"], test_reference)
        snaive = score(full, test, seasonal_naive(full), test_reference)
        result = {"run": record["run"], **_numbers(tested, "test"), "test_snaive": snaive.owa}
        self.tested[key] = result
        record.update(result)
        self.test_status.value = (
            f"Run {record['run']} on the test hours, once: OWA <b>{tested.owa:.3f}</b> "
            f"(sMAPE {tested.smape:.2f}, MASE {tested.mase:.3f}); seasonal naive {snaive.owa:.3f}."
        )
        self.table.value = _runs_table(self.history)
        return dict(result)

    def summary(self) -> str:
        """What a saved copy shows beside the last picture: the last run's numbers."""
        return "Global MLP explorer: " + plain_text(self.status.value)

    def __repr__(self):
        return "Global MLP explorer: press Train in a live notebook"


def _numbers(s, prefix: str) -> dict:
    return {f"{prefix}_smape": s.smape, f"{prefix}_mase": s.mase, f"{prefix}_owa": s.owa}


def _error(message: str) -> str:
    return f"<span style='color:#b00'>{html.escape(message)}</span>"


def _status(record: dict) -> str:
    """The line under the buttons after a run: validation OWA beside seasonal naive's."""
    verdict = "ahead of" if record["gap_high"] < 0 else "not clearly ahead of"
    return (
        f"validation OWA <b>{record['val_owa']:.3f}</b> (sMAPE {record['val_smape']:.2f}, MASE "
        f"{record['val_mase']:.3f}) · seasonal naive {record['snaive_owa']:.3f}: {verdict} it by "
        f"{-record['gap']:.3f}, 95% interval over series {-record['gap_high']:.3f} to "
        f"{-record['gap_low']:.3f} · seed {SEED} · {record['seconds']:.1f} s"
    )


def _runs_table(history: list[dict]) -> str:
    """The runs so far: settings, validation OWA (choose by it), test OWA where scored."""
    rows = [
        {
            "input (h)": r["window"],
            "width": r["width"],
            "passes": r["epochs"],
            "loss": r["loss"],
            "validation OWA": f"{r['val_owa']:.3f}",
            "test OWA (once)": f"{r['test_owa']:.3f}" if "test_owa" in r else "",
            "seconds": f"{r['seconds']:.1f}",
        }
        for r in history
    ]
    frame = pd.DataFrame(rows, index=pd.RangeIndex(1, len(rows) + 1, name="run"))
    return "<details open><summary>Runs so far</summary>" + frame.to_html(border=0) + "</details>"
