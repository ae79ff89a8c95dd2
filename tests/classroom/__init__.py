"""A class on a real JupyterHub, and nbgrader's whole round (``make test-classroom``)."""
