"""Choose each lesson model's settings on a validation tail of the training data.

``python -m course_helpers.tune [--seeds 2] [--folds 3] [--fold-days 40] [--max-epochs 300]``

The test period is never touched. Settings are scored by rolling-origin validation inside the
265 training days: fold k holds out a block of ``fold-days`` days and trains only on the days
before it (the last fold holds out the final 40 training days, the one before it the 40 days
before those, and so on). The one-step loss on the held-out days is recorded after every epoch
(those validation windows are exactly one-step walk-forward forecasts of the held-out days).
Curves are averaged over folds and seeds; the candidate and epoch count with the lowest mean
validation error win. The table it prints is how ``models.DEFAULTS`` was chosen.
"""

from __future__ import annotations

import argparse
import itertools

import keras
import numpy as np

from .evaluation import ForecastTask, reshape_for
from .models import build_model
from .training import fit, set_seed

GRID = {
    "mlp": {"window": [7, 14, 21], "units": [8, 16], "batch_size": [32]},
    "cnn": {
        "window": [7, 14, 21],
        "filters": [16],
        "kernel_size": [2, 3],
        "units": [8, 16],
        "batch_size": [32],
    },
    "lstm": {"window": [7, 14, 21], "units": [16], "batch_size": [32]},
    "cnn_lstm": {"window": [8, 14, 20], "n_seq": [2], "batch_size": [32]},
    "encoder_decoder": {"window": [7, 14, 21], "n_out": [3], "units": [16], "batch_size": [32]},
}
MIN_EPOCHS = 10  # the explorer's epoch slider starts at 10


def validation_curve(
    name: str, window: int, batch_size, seeds, folds: int, fold_days: int, max_epochs: int, **kwargs
) -> np.ndarray:
    """Validation RMSE (scaled units) after each epoch, averaged over folds and ``seeds``."""
    n_out = kwargs.get("n_out", 1)
    task = ForecastTask(window, n_out=n_out)
    X, y = task.X_train, task.y_train[..., None] if n_out > 1 else task.y_train
    curves = []
    for fold in range(folds):
        val_end = len(X) - fold * fold_days  # windows are in time order: hold out a block
        val_start = val_end - fold_days
        fit_end = val_start - (n_out - 1)  # no fitting target may fall in the held-out block
        for seed in seeds:
            keras.backend.clear_session()
            set_seed(seed)
            model = build_model(name, window, **kwargs)
            history = fit(
                model,
                reshape_for(model, X[:fit_end]),
                y[:fit_end],
                epochs=max_epochs,
                batch_size=batch_size,
                restore_best=False,
                validation_data=(reshape_for(model, X[val_start:val_end]), y[val_start:val_end]),
            )
            curves.append(np.sqrt(history.history["val_loss"]))
    return np.mean(curves, axis=0)


def main(argv=None) -> None:
    """Print the best settings per model, chosen on the validation tail only."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--fold-days", type=int, default=40)
    parser.add_argument("--max-epochs", type=int, default=200)
    parser.add_argument("--models", nargs="*", default=list(GRID))
    args = parser.parse_args(argv)
    for name in args.models:
        grid = GRID[name]
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
