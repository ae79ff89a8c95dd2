"""Tests of course_helpers.global_models (lesson 9), one module each."""
