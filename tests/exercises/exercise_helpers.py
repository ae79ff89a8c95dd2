"""Helpers the exercise tests share: read a Feedback."""

from course_helpers.exercises import Feedback


def assert_says(feedback, status, *fragments):
    """The feedback has this status and its text contains every fragment (case-insensitive)."""
    assert isinstance(feedback, Feedback)
    assert feedback.status == status, feedback.message
    for fragment in fragments:
        assert fragment.lower() in feedback.message.lower(), (fragment, feedback.message)
