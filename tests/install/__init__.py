"""Install tests: each way in, built from scratch in a new environment (see conftest.py)."""
