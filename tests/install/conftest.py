"""Install tests that run only when asked for by name: `make test-lowest` and `make test-latest`.

They are marked ``install`` too, so `make test` leaves them out, and they are left out of
`make test-install` as well: each takes 5 to 10 minutes on two cores (a new environment, then the
unit tests and a lesson in it), so CI runs them as steps of their own. ``pytest -m lowest`` (or
``latest``, or an expression naming either) selects them.
"""

import re

OPT_IN = {
    "lowest": "the lowest versions pyproject.toml allows (make test-lowest)",
    "latest": "the newest versions pyproject.toml allows (make test-latest)",
}


def pytest_configure(config):
    for name, doc in OPT_IN.items():
        config.addinivalue_line("markers", f"{name}: {doc}")


def pytest_collection_modifyitems(config, items):
    expression = config.option.markexpr or ""
    asked = {name for name in OPT_IN if re.search(rf"\b{name}\b", expression)}
    keep, drop = [], []
    for item in items:
        marks = {name for name in OPT_IN if item.get_closest_marker(name)}
        (drop if marks and not marks & asked else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
