"""Tests of ``course_helpers.capstone``, one module per module of the package."""
