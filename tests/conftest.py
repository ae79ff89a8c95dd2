"""Shared test set-up: quiet TensorFlow before anything imports it, one thread per process.

``make test`` runs a pytest worker per core and one more, and each notebook under test has a kernel
of its own: with TensorFlow's default pools (a thread per core in each process) they would contend
for the same cores. One intra-op and one inter-op thread per process (also in the kernels and
subprocesses the tests start, which inherit the environment) keeps every core busy with one job.
The course's networks are small, so a single thread loses little; a variable set outside wins.
"""

import os

os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")
os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")

import course_helpers  # noqa: E402, F401  (sets TensorFlow's log level before TensorFlow loads)
