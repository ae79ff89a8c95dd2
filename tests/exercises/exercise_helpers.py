"""Helpers the exercise tests share: read a Feedback, run a worked solution as a learner would."""

import numpy as np

from course_helpers import exercises as ex
from course_helpers.exercises import Feedback


def assert_says(feedback, status, *fragments):
    """The feedback has this status and its text contains every fragment (case-insensitive)."""
    assert isinstance(feedback, Feedback)
    assert feedback.status == status, feedback.message
    for fragment in fragments:
        assert fragment.lower() in feedback.message.lower(), (fragment, feedback.message)


def run_solution(code, **names):
    """Run a solution's code as a learner would; return the value of its last line (the check)."""
    *body, last = code.strip().splitlines()
    namespace = {"np": np, "exercises": ex, **names}
    exec("\n".join(body), namespace)
    return eval(last, namespace)
