"""Every setting the package applies when it is imported, in one place, applied once.

``course_helpers/__init__.py`` calls :func:`apply` before it imports anything that loads
TensorFlow, so these take effect in a learner's kernel before TensorFlow starts:

- TensorFlow's C++ start-up log is quieted, and its oneDNN notice turned off (oneDNN also makes
  sums depend on thread scheduling, so turning it off keeps seeded runs exactly repeatable);
- pooch's and TensorFlow's Python loggers print warnings and errors only: the course's own
  messages say what happens, and each new model is traced once on purpose;
- in IPython, a matplotlib ``Figure`` that ends a cell is shown as a PNG, also the figures the
  package makes outside pyplot.

Learners' own settings win: an environment variable already set is left as it is.
"""

from __future__ import annotations

import logging
import os

_applied = False


def _figure_png(fig) -> bytes:
    from .plots import figure_to_png  # loaded when a figure is first shown, not at import

    return figure_to_png(fig)


def quiet_tensorflow() -> None:
    """TensorFlow's Python log: errors only (it resets its level when it loads, so call after).

    Each new model's training loop is traced once on purpose; TensorFlow's notice that it traced
    again is noise in a lesson.
    """
    import tensorflow as tf

    tf.get_logger().setLevel(logging.ERROR)


def apply() -> None:
    """Apply the package's import-time settings (a second call does nothing)."""
    global _applied
    if _applied:
        return
    _applied = True
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # no C++ info/warning lines on stderr
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # no oneDNN notice; repeatable sums
    logging.getLogger("pooch").setLevel(logging.WARNING)
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        formatter = shell.display_formatter.formatters["image/png"]
        formatter.for_type_by_name("matplotlib.figure", "Figure", _figure_png)
