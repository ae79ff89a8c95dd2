"""Shared test set-up: quiet TensorFlow before anything imports it."""

import course_helpers  # noqa: F401  (sets TensorFlow's log level before TensorFlow loads)
