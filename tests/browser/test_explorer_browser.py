"""The forecast explorer in a real browser: JupyterLab, Chromium, sliders, Train and Stop.

For each notebook in NOTEBOOKS the test opens a temporary copy in JupyterLab, runs all cells from
the Run menu, waits for the first forecast explorer to show its plot, moves the window slider with
the keyboard, clicks Train, and waits until the plot image and the validation RMSE text change and
the runs table gains a row with the new window. The stop test presses Train on an LSTM set to
minutes of training, presses Stop while it trains (the kernel is idle: training runs in a
thread), and checks that the run stops within seconds and a short run then finishes.
Screenshots go to test-artifacts/browser/ (a failure adds a full page screenshot and the page's
text there too).
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
pytestmark = pytest.mark.browser


def lesson(name: str):
    """A lesson notebook with an explorer; skipped (with the reason) until the notebook exists."""
    path = REPO / "notebooks" / name
    return pytest.param(
        path,
        id=path.stem,
        marks=pytest.mark.skipif(not path.exists(), reason=f"notebooks/{name} does not exist yet"),
    )


# A whole lesson in Chromium runs in the classroom test (a learner runs a model lesson through the
# hub's login page, `make test-classroom`); nbval runs every lesson in `make test`. Here the
# explorer alone, so that `make test` stays within five minutes. lesson("03_mlp.ipynb") adds one.
NOTEBOOKS = [
    pytest.param(HERE / "explorer_smoke.ipynb", id="smoke"),
]


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_explorer_retrains_in_jupyterlab(notebook: Path, drive_explorer):
    result = drive_explorer(notebook)
    assert result["window after"] != result["window before"]
    assert result["rmse after"] != result["rmse before"]


def test_stop_ends_a_long_run_in_jupyterlab(stop_explorer):
    result = stop_explorer(HERE / "explorer_stop.ipynb")
    print(result)  # the seconds, for the report (pytest -s)
    # a window of 60 days and 2,000 epochs on three folds trains for minutes
    assert result["stop to stopped"] < 30, result
    assert "Stopped after" in result["stopped text"], result
    assert "of 6,000 epochs" in result["stopped text"], result
    assert "validation RMSE" in result["final text"], result
