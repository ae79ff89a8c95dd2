"""Flatten the Zero to JupyterHub chart's schema into its keys; check a values file offline.

The chart documents its values in a JSON schema (``jupyterhub/values.schema.yaml`` of
jupyterhub/zero-to-jupyterhub-k8s). :func:`schema_keys` flattens that schema into one line per
key path with the types it accepts; ``classroom/z2jh-schema-keys.txt`` is that list, vendored with
its source and commit, so tests need no network. In a key path ``*`` stands for any name (a map
of user-chosen names), ``{regex}`` for names matching a pattern, and a path ending in ``**``
accepts anything below it (the chart passes it through, e.g. ``hub.config``).

    python -m course_tools.classroom.z2jh SCHEMA.yaml --source URL --commit SHA \
        > classroom/z2jh-schema-keys.txt
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import yaml

__all__ = ["load_keys", "schema_keys", "undocumented", "value_paths"]

JSON_TYPES = {bool: "boolean", int: "integer", float: "number", str: "string", type(None): "null"}


def _types(node: dict) -> str:
    kinds = node.get("type", "any")
    return "|".join(kinds) if isinstance(kinds, list) else kinds


def schema_keys(node: dict, prefix: str = "") -> dict[str, str]:
    """Every key path the schema ``node`` documents, with the types each accepts."""
    keys: dict[str, str] = {}
    children = dict(node.get("properties", {}))
    children.update({f"{{{p}}}": s for p, s in node.get("patternProperties", {}).items()})
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        children["*"] = extra
    for name, child in children.items():
        path = f"{prefix}{name}"
        keys[path] = _types(child)
        keys.update(schema_keys(child, f"{path}."))
    kinds = _types(node)
    free = extra is True or (
        "object" in kinds and not children and extra is not False and "properties" not in node
    )
    if prefix and free:
        keys[f"{prefix}**"] = "any"
    return keys


def value_paths(values, prefix: str = "") -> dict[str, object]:
    """Every key path a values document sets, with its value (maps are walked, lists are leaves)."""
    paths: dict[str, object] = {}
    for name, value in values.items():
        path = f"{prefix}{name}"
        paths[path] = value
        if isinstance(value, dict):
            paths.update(value_paths(value, f"{path}."))
    return paths


def _split(path: str) -> list[str]:
    """A key path's names; a ``{regex}`` segment may itself contain dots."""
    return re.findall(r"\{[^}]*\}|[^.]+", path)


def _segment_matches(documented: str, given: str) -> bool:
    if documented == "*" or documented == given:
        return True
    if documented.startswith("{") and documented.endswith("}"):
        return re.match(documented[1:-1], given) is not None
    return False


def _lookup(keys: dict[str, str], path: str) -> str | None:
    """The documented types of ``path``, "any" below a pass-through key, None if undocumented."""
    parts = path.split(".")
    for key, kinds in keys.items():
        documented = _split(key)
        if documented[-1] == "**":
            head = documented[:-1]
            if len(parts) > len(head) and all(map(_segment_matches, head, parts)):
                return "any"
        elif len(documented) == len(parts) and all(map(_segment_matches, documented, parts)):
            return kinds
    return None


def _json_type(value) -> str:
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return JSON_TYPES.get(type(value), "any")


def undocumented(values: dict, keys: dict[str, str]) -> list[str]:
    """Key paths of ``values`` the chart does not document, or whose value has the wrong type."""
    problems = []
    for path, value in value_paths(values).items():
        kinds = _lookup(keys, path)
        if kinds is None:
            problems.append(f"{path}: not a documented value of the chart")
            continue
        given = _json_type(value)
        allowed = kinds.split("|")
        if "any" in allowed or given in allowed or (given == "integer" and "number" in allowed):
            continue
        problems.append(f"{path}: {given} given, the chart takes {kinds}")
    return problems


def load_keys(path: Path) -> dict[str, str]:
    """The vendored key list (``path<TAB>types`` lines; ``#`` starts a comment)."""
    keys = {}
    for line in Path(path).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, kinds = line.split("\t")
            keys[key] = kinds
    return keys


def main(argv: list[str] | None = None) -> None:
    """Command line: print the vendored key list of a values.schema.yaml."""
    parser = argparse.ArgumentParser(prog="python -m course_tools.classroom.z2jh")
    parser.add_argument("schema", type=Path, help="jupyterhub/values.schema.yaml of the chart")
    parser.add_argument("--source", required=True, help="where the schema came from")
    parser.add_argument("--commit", required=True, help="the chart repository's commit")
    args = parser.parse_args(argv)
    keys = schema_keys(yaml.safe_load(args.schema.read_text()))
    print("# The documented values of the Zero to JupyterHub Helm chart, one key path a line with")
    print(
        "# the types it takes; made by `python -m course_tools.classroom.z2jh` (see its docstring)"
    )
    print(f"# from {args.source} at commit {args.commit}.")
    for key, kinds in keys.items():
        print(f"{key}\t{kinds}")


if __name__ == "__main__":
    main()
