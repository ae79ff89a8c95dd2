"""``python -m course_helpers.download``: fetch and verify every dataset, printing where it is.

``make lab``, ``make test`` and Binder's ``postBuild`` run it once, so a lesson starts with every
dataset already checked against its sha256. ``COURSE_DATA_DIR`` and ``COURSE_DATA_URL`` choose
the folder and the mirror, as for :func:`course_helpers.fetch`. A failure prints one ``error:``
line that says what to do, never a traceback.
"""

from __future__ import annotations

from .data import DatasetError, fetch_all


def main() -> None:
    """Fetch and verify every dataset; exit with a message (status 1) if one cannot be had."""
    try:
        paths = fetch_all()
    except DatasetError as exc:  # a message for a person, not a traceback
        raise SystemExit(f"error: {exc}") from None
    for path in paths:
        print(f"ok  {path}")


if __name__ == "__main__":
    main()
