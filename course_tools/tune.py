"""Choose each lesson model's settings on a validation tail of the training data.

``python -m course_tools.tune [--seeds 2] [--folds 3] [--fold-days 40] [--max-epochs 300]``

The test period is never touched. Settings are scored by rolling-origin validation inside the
265 training days: fold k holds out a block of ``fold-days`` days and trains only on the days
before it (the last fold holds out the final 40 training days, the one before it the 40 days
before those, and so on). The one-step loss on the held-out days is recorded after every epoch
(those validation windows are exactly one-step walk-forward forecasts of the held-out days).
Curves are averaged over folds and seeds; the candidate and epoch count with the lowest mean
validation error win. The table it prints is how the registry's defaults
(``course_helpers.MODELS``) were chosen.

``--ensembles 1 5 10 20`` instead scores, on the same folds, ensembles of that many networks at
each model's defaults (the forecast of an ensemble is the mean of its members' forecasts), in
births. That is how the benchmark's ensemble size was chosen.
"""

from __future__ import annotations

import argparse
import itertools

import keras
import numpy as np

from course_helpers.evaluation import ForecastTask, reshape_for, reshape_targets, rmse
from course_helpers.models import MODEL_NAMES, MODELS, build_model
from course_helpers.training import fit, set_seed
from course_helpers.validation import rolling_origin_folds

MIN_EPOCHS = 10  # the explorer's epoch slider starts at 10


def validation_curve(
    name: str,
    window: int,
    batch_size,
    seeds,
    folds: int,
    fold_days: int,
    max_epochs: int,
    series=None,
    **kwargs,
) -> np.ndarray:
    """Validation RMSE (scaled units) after each epoch, averaged over folds and ``seeds``."""
    horizon = MODELS[name].output_steps(**kwargs)
    task = ForecastTask(window, horizon=horizon, series=series)
    X, y = task.X_train, task.y_train  # (samples, window), (samples,) or (samples, horizon)
    curves = []
    for fit_end, val_start, val_end in rolling_origin_folds(len(X), folds, fold_days, horizon):
        for seed in seeds:
            keras.backend.clear_session()
            set_seed(seed)
            model = build_model(name, window, **kwargs)
            history = fit(
                model,
                reshape_for(model, X[:fit_end]),
                reshape_targets(model, y[:fit_end]),
                epochs=max_epochs,
                batch_size=batch_size,
                restore_best=False,
                validation_data=(
                    reshape_for(model, X[val_start:val_end]),
                    reshape_targets(model, y[val_start:val_end]),
                ),
            )
            curves.append(np.sqrt(history.history["val_loss"]))
    return np.mean(curves, axis=0)


def ensemble_validation(
    name: str, sizes, folds: int = 3, fold_days: int = 40, series=None
) -> tuple[dict[int, float], dict[str, float]]:
    """Validation RMSE in births of ensembles of each size in ``sizes``, at the model's defaults.

    On each fold, ``max(sizes)`` networks (seeds 0, 1, ...) are trained on the days before the
    held-out block and forecast it one step ahead. An ensemble of k averages the forecasts of k
    of them; its score is the mean over the ``max(sizes) // k`` disjoint groups of k networks,
    so every size is judged on the same networks.

    Returns those scores by size, and the scores of persistence and (for windows of a week or
    more) the 7-day moving average on the same held-out days, read from the same input windows.
    """
    config = MODELS[name].defaults
    horizon = MODELS[name].output_steps()
    task = ForecastTask(config.window, horizon=horizon, series=series)
    X, y = task.X_train, task.y_train  # (samples, window), (samples,) or (samples, horizon)
    n_nets = max(sizes)
    forecasts, actuals, windows = [], [], []  # per fold: (n_nets, fold_days), (fold_days,) ...
    for fit_end, val_start, val_end in rolling_origin_folds(len(X), folds, fold_days, horizon):
        windows.append(task.scaler.inverse_transform(X[val_start:val_end]))  # (fold_days, window)
        fold = []
        for seed in range(n_nets):
            keras.backend.clear_session()
            set_seed(seed)
            model = build_model(name, config.window)
            fit(
                model,
                reshape_for(model, X[:fit_end]),
                reshape_targets(model, y[:fit_end]),
                config.epochs,
                batch_size=config.batch_size,
            )
            scaled = np.asarray(model(reshape_for(model, X[val_start:val_end]), training=False))
            fold.append(scaled.reshape(fold_days, -1)[:, 0])  # the one-step forecast
        forecasts.append(task.scaler.inverse_transform(np.array(fold)))
        actuals.append(
            task.scaler.inverse_transform(y[val_start:val_end].reshape(fold_days, -1)[:, 0])
        )
    forecasts = np.concatenate(forecasts, axis=1)  # (n_nets, folds * fold_days)
    actuals = np.concatenate(actuals)
    scores = {}
    for k in sizes:
        groups = forecasts[: n_nets // k * k].reshape(n_nets // k, k, -1).mean(axis=1)
        scores[k] = float(np.mean([rmse(actuals, g) for g in groups]))
    windows = np.concatenate(windows)
    naive = {"persistence": rmse(actuals, windows[:, -1])}
    if config.window >= 7:  # the moving average needs a week of inputs
        naive["moving average (7 days)"] = rmse(actuals, windows[:, -7:].mean(axis=1))
    return scores, naive


def format_ensemble_table(results: dict) -> str:
    """The README's Markdown table of :func:`ensemble_validation` results, one row per model."""
    sizes = list(next(iter(results.values()))[0])
    naive_names = list(next(iter(results.values()))[1])
    header = [f"{k} network{'s' if k > 1 else ''}" for k in sizes] + naive_names
    lines = [
        "| model | " + " | ".join(header) + " |",
        "|---|" + "---:|" * len(header),
    ]
    for name, (scores, naive) in results.items():
        cells = [f"{scores[k]:.3f}" for k in sizes]
        cells += [f"{naive[k]:.3f}" if k in naive else "" for k in naive_names]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None) -> None:
    """Print the best settings per model, chosen on the validation tail only."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--fold-days", type=int, default=40)
    parser.add_argument("--max-epochs", type=int, default=200)
    parser.add_argument("--models", nargs="*", default=list(MODEL_NAMES))
    parser.add_argument(
        "--ensembles",
        type=int,
        nargs="*",
        help="score ensembles of these sizes at the defaults instead of searching the grid",
    )
    args = parser.parse_args(argv)
    if args.ensembles:
        results = {}
        for name in args.models:
            results[name] = ensemble_validation(name, args.ensembles, args.folds, args.fold_days)
            print(f"{name}: done", flush=True)
        print(format_ensemble_table(results))
        return
    for name in args.models:
        grid = MODELS[name].grid
        rows = []
        for values in itertools.product(*grid.values()):
            settings = dict(zip(grid, values))
            curve = validation_curve(
                name,
                seeds=range(args.seeds),
                folds=args.folds,
                fold_days=args.fold_days,
                max_epochs=args.max_epochs,
                **settings,
            )
            # Smooth over 5 epochs so one lucky epoch does not decide; smooth[i] is centred on
            # epoch i + 3 (1-based). Epoch counts below MIN_EPOCHS are not candidates.
            smooth = np.convolve(curve, np.ones(5) / 5, mode="valid")[MIN_EPOCHS - 3 :]
            best = int(np.argmin(smooth)) + MIN_EPOCHS
            rows.append((float(smooth.min()), best, settings))
            print(
                f"{name:16s} {settings} best epoch {best:4d} val RMSE {smooth.min():.4f}",
                flush=True,
            )
        score, epochs, settings = min(rows, key=lambda row: row[0])
        print(
            f"==> {name}: {settings}, epochs={epochs} (val RMSE {score:.4f}, scaled)\n", flush=True
        )


if __name__ == "__main__":
    main()
