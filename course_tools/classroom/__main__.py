"""Measure the lessons and a class on a hub, then print the sizing rule and the README's tables.

    python -m course_tools.classroom measure            # every lesson, then a class of 8
    python -m course_tools.classroom measure --lessons  # only the lessons (about 2 minutes)
    python -m course_tools.classroom measure --class 8  # only the class on the local hub
    python -m course_tools.classroom table              # the README's tables from the JSON

``measure`` writes into ``classroom/measurements.json`` (:mod:`course_tools.classroom.measure`)
and, once it holds both the lessons and the class, the sizing rule derived from them
(:mod:`course_tools.classroom.sizing`); both commands print the README's tables.
"""

from __future__ import annotations

import argparse
import json

from .measure import (
    LESSONS,
    MEASUREMENTS,
    REPO,
    class_lesson,
    machine,
    measure_class,
    measure_lesson,
)
from .sizing import format_sizing, format_table, sizing


def main(argv: list[str] | None = None) -> None:
    """Command line: ``measure [--lessons] [--class N]`` or ``table``."""
    parser = argparse.ArgumentParser(prog="python -m course_tools.classroom")
    commands = parser.add_subparsers(dest="command", required=True)
    measure = commands.add_parser("measure", help="measure the lessons and a class")
    measure.add_argument("--lessons", action="store_true", help="measure every lesson")
    measure.add_argument("--class", dest="learners", type=int, help="a class of this many")
    commands.add_parser("table", help="print the README's tables from the JSON")
    args = parser.parse_args(argv)
    data = json.loads(MEASUREMENTS.read_text()) if MEASUREMENTS.exists() else {}
    if args.command == "measure":
        both = not args.lessons and not args.learners
        if args.lessons or both:
            data["lessons"] = {}
            for path in LESSONS:
                data["lessons"][path.stem] = measure_lesson(path)
                print(f"{path.stem}: {data['lessons'][path.stem]}", flush=True)
        if args.learners or both:
            data["class"] = measure_class(args.learners or 8, class_lesson(data))
            print(f"class: {data['class']}", flush=True)
        data["machine"] = machine()
        if {"lessons", "class"} <= data.keys():
            data["sizing"] = sizing(data)
        MEASUREMENTS.write_text(json.dumps(data, indent=2) + "\n")
        print(f"wrote {MEASUREMENTS.relative_to(REPO)}")
    if {"lessons", "class", "sizing"} <= data.keys():
        print(format_table(data), format_sizing(data), sep="\n\n")


if __name__ == "__main__":
    main()
