"""Shared helpers for *Deep Learning for Time Series Forecasting in seven lessons*.

Import this package before TensorFlow or Keras: it quiets TensorFlow's C++ start-up log first.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # no C++ info/warning lines on stderr
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")  # no oneDNN notice; exactly repeatable sums
