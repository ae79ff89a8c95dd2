"""Lesson 9's task as a learner meets it: answers written as notebook cells, run in a namespace.

A learner's ``build_model`` reads the notebook's names (``keras``, ``layers``, ``gm``, and perhaps
``train``, ``actual`` or ``test`` by mistake); :func:`learner_cell` runs a cell's code in a
namespace holding those names, as the notebook would, and returns what it defined.
"""

from functools import lru_cache

import keras
import numpy as np
from keras import layers

from course_helpers import global_models as gm
from course_helpers.exercises import ____


@lru_cache(maxsize=1)
def notebook_names() -> dict:
    """The names lesson 9's notebook has defined when its task cell runs."""
    train = gm.load_m4_hourly()
    history, actual = gm.validation_split(train)
    return {
        "keras": keras,
        "layers": layers,
        "np": np,
        "gm": gm,
        "____": ____,
        "train": train,
        "history": history,
        "actual": actual,
        "test": gm.load_test(train),
    }


def learner_cell(source: str, name: str = "build_model"):
    """Run ``source`` as a notebook cell and return the value it gives ``name``."""
    namespace = dict(notebook_names())
    exec(source, namespace)
    return namespace[name]
