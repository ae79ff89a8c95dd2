"""Reproduce lesson 9's table from the command line: M4 Hourly, scored as the competition scored it.

``python -m course_tools.benchmark_m4 [--json PATH]``

Recomputes the organisers' three benchmark rows (Naive, seasonal naive, Naive2) on the test
hours and prints them beside the published rows; trains every model of the lesson's registry
(``course_helpers.global_models.SETTINGS``) with the notebook's settings and seeds, scores it on
the validation hours (the last 48 of each training series) and, for the models (not the
ablations), once on the test hours. It then measures the machine: a matrix-multiply peak, the
training throughput of each model beside it, ``course_helpers.fit`` and ``model.fit`` against the
lesson's sampling loop on the same windows, and what a copy of every window would cost.
"""

# ruff: noqa: I001  (course_helpers is imported before Keras on purpose)
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from course_helpers import global_models as gm  # first: it quiets TensorFlow's start-up log
from course_helpers.training import fit

import keras
import numpy as np
import tensorflow as tf

from course_tools.benchmark_m4_report import markdown_table, speed_lines

__all__ = ["fit_speed", "m4_results", "main", "matmul_peak"]

FIT_BATCH, FIT_EPOCHS = 256, 1


def matmul_peak(n: int = 1024, seconds: float = 2.0) -> float:
    """GFLOP/s of float32 ``n`` x ``n`` matrix products in a compiled loop (the best of 3)."""
    a, b = tf.random.normal((n, n)), tf.random.normal((n, n))

    @tf.function
    def products(k):
        total = tf.zeros((n, n))
        for _ in tf.range(k):
            total += tf.matmul(a, b)
        return total

    products(tf.constant(1)).numpy()
    started = time.perf_counter()
    products(tf.constant(4)).numpy()
    k = max(1, int(seconds / 3 / ((time.perf_counter() - started) / 4)))
    best = 0.0
    for _ in range(3):
        started = time.perf_counter()
        products(tf.constant(k)).numpy()
        best = max(best, 2 * n**3 * k / (time.perf_counter() - started) / 1e9)
    return best


def _score_row(score) -> dict:
    return {k: float(v) for k, v in score.row().items()}


def _run_row(run, history, actual, full, test, reference, test_reference) -> dict:
    """Validation (and, for a model, test) scores of a run, with its members' and its speed."""
    members = [gm.score(history, actual, f, reference).owa for f in run.forecasts[:, 0]]
    row = {
        "validation": _score_row(gm.score(history, actual, run.forecast(0), reference)),
        "members_validation_owa": members,
        "members": len(members),
        "ablation": run.setting.ablation,
        "seconds": run.seconds,
        "cpu_seconds": sum(t.cpu_seconds for t in run.trainings),
        "samples_per_second": float(np.mean([t.samples_per_second for t in run.trainings])),
        "gflops": float(np.mean([t.gflops for t in run.trainings])),
    }
    if not run.setting.ablation:
        row["test"] = _score_row(gm.score(full, test, run.forecast(1), test_reference))
    return row


def m4_results() -> dict:
    """Every row of the lesson's table, and the published rows it sits beside."""
    full = gm.load_m4_hourly()
    history, actual = gm.validation_split(full)
    test = gm.load_test(full)
    reference = gm.score(history, actual, gm.naive2(history))
    test_reference = gm.score(full, test, gm.naive2(full))
    results = {
        "protocol": {"horizon": gm.HORIZON, "validation hours": gm.HORIZON, "refit": False},
        "benchmarks": {
            "validation": {k: _score_row(v) for k, v in gm.benchmarks(history, actual).items()},
            "test": {k: _score_row(v) for k, v in gm.benchmarks(full, test).items()},
        },
        "published": [vars(p) for p in gm.PUBLISHED.values()],
        "models": {},
    }
    for label, setting in gm.SETTINGS.items():
        run = setting.run(history, full)
        row = _run_row(run, history, actual, full, test, reference, test_reference)
        results["models"][label] = row
    windows = gm.Windows(history, 168)
    results["memory"] = {k: int(v) for k, v in windows.memory().items()}
    return results


def _all_windows(windows: gm.Windows) -> tuple[np.ndarray, np.ndarray]:
    """A copy of every window, scaled: ``X (n, window)``, ``y (n, horizon)``, float32."""
    first, last = windows.bounds
    series = np.repeat(windows.series, last - first + 1).astype("int32")
    origins = np.concatenate([np.arange(f, l_ + 1) for f, l_ in zip(first, last)]).astype("int32")
    X = np.empty((len(series), windows.window), "float32")
    y = np.empty((len(series), windows.horizon), "float32")
    for start in range(0, len(series), 20000):  # in chunks: the index arrays are as big as X
        part = slice(start, start + 20000)
        x_part, y_part, _, _ = windows.gather(tf.constant(series[part]), tf.constant(origins[part]))
        X[part], y[part] = x_part.numpy(), y_part.numpy()
    return X, y


def _smape_loss(y_true, y_pred):
    """The lesson's sMAPE loss on log ratios, as a Keras loss for ``compile``."""
    return keras.ops.mean(gm.LOSSES["sMAPE"](y_true, y_pred, None, None), axis=-1)


def fit_speed(seed: int = 0, series_every: int = 1) -> dict:
    """Seconds of one pass over every window: the lesson's loop, ``ch.fit`` and ``model.fit``.

    The course MLP (global) with the sMAPE loss, batch 256; ``fit`` and ``model.fit`` train on a
    copy of all windows (its bytes are reported), the lesson's loop on the views.
    ``series_every`` keeps every k-th series (a quicker check).
    """
    history, _ = gm.validation_split(gm.load_m4_hourly())
    series = np.arange(0, len(history), series_every)
    windows = gm.Windows(history, 168, level_hours=24, series=series)
    X, y = _all_windows(windows)
    results = {"samples": len(X), "batch_size": FIT_BATCH, "epochs": FIT_EPOCHS}
    results["copy"] = X.nbytes + y.nbytes
    loops = {
        "sampling loop": lambda m: gm.train(
            m, windows, FIT_EPOCHS, batch_size=FIT_BATCH, seed=seed
        ),
        "course_helpers.fit": lambda m: fit(m, X, y, FIT_EPOCHS, batch_size=FIT_BATCH, seed=seed),
        "model.fit": lambda m: m.fit(X, y, epochs=FIT_EPOCHS, batch_size=FIT_BATCH, verbose=0),
    }
    for label, train in loops.items():
        keras.backend.clear_session()
        keras.utils.set_random_seed(seed)
        model = gm.build_mlp(168, units=100, depth=1)
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=_smape_loss)
        wall, cpu = time.perf_counter(), time.process_time()
        train(model)
        results[label] = {"seconds": time.perf_counter() - wall, "cpu": time.process_time() - cpu}
    return results


def main(argv: list[str] | None = None) -> int:
    """Command line: train, score, measure, print the table and the lines under it, save JSON."""
    parser = argparse.ArgumentParser(prog="python -m course_tools.benchmark_m4")
    parser.add_argument("--json", type=Path, help="also save every number to this file")
    args = parser.parse_args(argv)
    started, cpu = time.perf_counter(), time.process_time()
    results = {"matmul_gflops": matmul_peak()}
    results.update(m4_results())
    results["fit_speed"] = fit_speed()
    results["seconds"] = time.perf_counter() - started
    results["cpu_seconds"] = time.process_time() - cpu
    print(markdown_table(results))
    print()
    print("\n".join(speed_lines(results)))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=float) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
