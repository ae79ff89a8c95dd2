"""The forecast explorer: move a slider, retrain, and see the new forecast and its error.

>>> explorer = ForecastExplorer("lstm")
>>> explorer            # last expression of a cell: shows sliders, a Train button and the plot

Every run trains the lesson model from scratch with the chosen window and epochs on the births
training period, forecasts the 100 test days one step at a time (walk-forward), and draws them
against the test data beside the persistence forecast. A table below the plot keeps the runs of
this session so settings can be compared.
"""

from __future__ import annotations

import base64
import html
import re
import time

import ipywidgets as widgets
import pandas as pd

from .data import DEFAULT_DATASET, load_series
from .evaluation import N_TEST, persistence
from .models import model_spec
from .plots import figure_to_png, plot_forecast
from .runs import ModelCache, train_and_evaluate

__all__ = ["ForecastExplorer"]

MAX_WINDOW = 60


def _slider(description, value, low, high, step=1, **extra) -> widgets.IntSlider:
    """An integer slider in the explorer's style that reports only when released."""
    return widgets.IntSlider(
        value=value,
        min=low,
        max=high,
        step=step,
        description=description,
        continuous_update=False,
        style={"description_width": "70px"},
        layout=widgets.Layout(width="420px"),
        **extra,
    )


class ForecastExplorer(widgets.VBox):
    """Sliders for window size and epochs, a Train button, and the forecast they give.

    ``model`` is one of ``"mlp", "cnn", "lstm", "cnn_lstm", "encoder_decoder"``; extra keyword
    arguments go to its builder (``units=32``, ``n_seq=2``, ...). The controls are attributes:
    ``window``, ``epochs`` (and ``horizon`` for the encoder-decoder), ``train_button``,
    ``progress``, ``status`` and ``output``. :meth:`run` retrains with the current values.
    """

    def __init__(
        self,
        model: str = "mlp",
        dataset: str = DEFAULT_DATASET,
        n_test: int = N_TEST,
        *,
        seed: int = 0,
        run_now: bool = True,
        **model_kwargs,
    ):
        self.spec = spec = model_spec(model)
        self.model_name = model
        self.series = load_series(dataset)
        self.n_test = n_test
        self.seed = seed
        self.model_kwargs = dict(model_kwargs)
        self.history: list[dict] = []
        self._png: bytes | None = None
        self._persistence = persistence(self.series, n_test)
        self.cache = ModelCache()  # retrains reuse each compiled model: faster, flat memory
        controls = self._make_sliders()
        self.train_button = widgets.Button(
            description="Train",
            button_style="primary",
            icon="play",
            tooltip="retrain with these settings",
        )
        self.progress = widgets.IntProgress(
            value=0, min=0, max=1, description="", layout=widgets.Layout(width="200px")
        )
        self.status = widgets.HTML(value="Press <b>Train</b> to fit the model.")
        self.output = widgets.Output()
        self.table = widgets.HTML()
        self.train_button.on_click(lambda _button: self.run())
        title = widgets.HTML(
            f"<b>Forecast explorer: {spec.title}</b> "
            f"({dataset.replace('-', ' ')}, last {n_test} values as the test set)"
        )
        super().__init__(
            [
                title,
                *controls,
                widgets.HBox([self.train_button, self.progress, self.status]),
                self.output,
                self.table,
            ]
        )
        if run_now:
            self.run()

    def _make_sliders(self) -> list:
        """The window and epoch sliders (and horizon, for a multi-step model), at the defaults.

        The window slider moves in steps the model accepts (multiples of ``n_seq`` for the
        CNN-LSTM) from the shortest window it can build up to ``MAX_WINDOW``.
        """
        spec, kwargs = self.spec, self.model_kwargs
        try:  # a bad n_seq gets the builder's message from run(), not an error here
            step = max(1, spec.window_step(**kwargs))
            low = max(1, spec.min_window(**kwargs))
        except (TypeError, ValueError):
            step, low = 1, 1
        low = -(-low // step) * step  # round up to a multiple of the step
        high = max(low, (MAX_WINDOW // step) * step)
        start = -(-spec.defaults.window // step) * step  # the default window, on the grid
        self.window = _slider(
            "window",
            min(max(start, low), high),
            low,
            high,
            step,
            tooltip="days of history the model sees for each forecast",
        )
        self.epochs = _slider("epochs", spec.defaults.epochs, 10, 2000)
        self.horizon = None
        if spec.output_steps() > 1:
            self.horizon = _slider("horizon", spec.output_steps(**kwargs), 1, 14)
        return [c for c in (self.window, self.epochs, self.horizon) if c is not None]

    def _settings(self) -> dict:
        settings = {"window": self.window.value, "epochs": self.epochs.value}
        if self.horizon is not None:
            settings["horizon"] = self.horizon.value
        return settings

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.max = total
        self.progress.value = done

    def run(self) -> dict:
        """Retrain with the current slider values, redraw, and return the numbers of this run.

        The dict has ``rmse``, ``mae``, ``persistence_rmse`` (births), ``seconds`` (train,
        forecast and draw), ``window``, ``epochs`` and, for the encoder-decoder, ``horizon`` and
        ``rmse_by_horizon``. Settings that make no model give ``{"error": message}`` and the
        message is shown in the widget.
        """
        settings = self._settings()
        kwargs = dict(self.model_kwargs)
        if self.horizon is not None:
            kwargs["n_out"] = settings["horizon"]
        self.train_button.disabled = True
        self.status.value = "training…"
        started = time.perf_counter()
        try:
            run = train_and_evaluate(
                self.model_name,
                window=settings["window"],
                epochs=settings["epochs"],
                seed=self.seed,
                n_test=self.n_test,
                series=self.series,
                progress=self._on_progress,
                cache=self.cache,
                **kwargs,
            )
        except (ValueError, TypeError) as exc:  # settings or keyword arguments that make no model
            self.status.value = f"<span style='color:#b00'>{html.escape(str(exc))}</span>"
            return {"error": str(exc), **settings}
        finally:
            self.train_button.disabled = False
        self._show(run, settings)
        result = run.result
        seconds = time.perf_counter() - started
        record = {
            **settings,
            "rmse": result.rmse,
            "mae": result.mae,
            "persistence_rmse": result.persistence_rmse,
            "seconds": seconds,
        }
        if result.per_horizon is not None:
            record["rmse_by_horizon"] = result.per_horizon["rmse"].round(3).tolist()
        self.history.append(record)
        verdict = "better" if result.rmse < result.persistence_rmse else "worse"
        self.status.value = (
            f"RMSE <b>{result.rmse:.2f}</b> births, persistence {result.persistence_rmse:.2f} "
            f"({verdict}) · {seconds:.1f} s"
        )
        self.table.value = self._table_html()
        return dict(record)

    def _show(self, run, settings: dict) -> None:
        """Draw the run's forecast against the test data into the output area."""
        result = run.result
        fig = plot_forecast(
            self.series,
            result.predictions,
            persistence=self._persistence,
            rmse=result.rmse,
            persistence_rmse=result.persistence_rmse,
            label=self.spec.title,
            title=f"{self.spec.title}: window {run.window}, {run.epochs} epochs"
            + (f", {settings['horizon']}-day horizon (1 day ahead shown)" if self.horizon else ""),
        )
        png = self._png = figure_to_png(fig)
        # Set the outputs directly rather than `with self.output: display(...)`: that only
        # captures inside a kernel (not in tests or scripts) and is unreliable in callbacks.
        data = {
            "image/png": base64.b64encode(png).decode("ascii"),
            "text/plain": f"<forecast plot, run {len(self.history) + 1}>",
        }
        self.output.outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)

    def _repr_mimebundle_(self, **kwargs):
        """The live widget in Jupyter; the last plot as a PNG where widgets cannot run (GitHub)."""
        bundle = super()._repr_mimebundle_(**kwargs)
        if self._png is not None and isinstance(bundle, dict):
            bundle["image/png"] = base64.b64encode(self._png).decode("ascii")
            bundle["text/plain"] = f"Forecast explorer ({self.spec.title}): " + html.unescape(
                re.sub("<[^>]+>", "", self.status.value)
            )
        return bundle

    def _table_html(self) -> str:
        frame = pd.DataFrame(self.history)
        columns = [
            c
            for c in ("window", "epochs", "horizon", "rmse", "persistence_rmse", "seconds")
            if c in frame
        ]
        frame = frame[columns].rename(columns={"persistence_rmse": "persistence"})
        frame.index = pd.RangeIndex(1, len(frame) + 1, name="run")
        return (
            "<details open><summary>Runs so far</summary>"
            + frame.to_html(float_format=lambda v: f"{v:.2f}", border=0, index_names=False)
            + "</details>"
        )
