"""What a learner's function reads from the notebook, and whether any of it holds given hours.

A builder is meant to need nothing but its arguments. :func:`values_read` lists what a function
reads from outside itself: the globals its code looks up (code nested in it, such as a
``lambda`` inside a ``Lambda`` layer, included), its closure and its defaults, and what the
functions among those read in turn. :func:`holding` then finds, among those values (arrays,
tables, tensors, and the arrays inside dataclasses such as lesson 9's ``Panel``), the ones that
contain any of some held-out stretches of hours, such as the validation hours of
every series, as a contiguous run of values. Values are compared as float32, so a copy in
either precision is found; their logarithms are looked for too.
"""

from __future__ import annotations

import dataclasses
import types

import numpy as np

__all__ = ["holding", "names_used", "values_read"]

_SKIP = (types.ModuleType, type, types.BuiltinFunctionType, str, bytes)
_DEPTH = 3  # objects inside objects: deep enough for a Panel in a list in a closure


def _code_names(code: types.CodeType) -> set[str]:
    """The global names a code object and the code nested in it look up."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _code_names(const)
    return names


def values_read(function, _seen: set | None = None) -> dict[str, object]:
    """``{name: value}`` of everything ``function`` reads from outside itself, recursively.

    Globals the code (and code nested in it) looks up, closure cells (named by their free
    variable) and defaults (``"<default>"``); functions among them add what they read in turn.
    Modules, classes and built-in functions are left out: they hold no data of the notebook.
    """
    seen = set() if _seen is None else _seen
    if not isinstance(function, types.FunctionType) or id(function) in seen:
        return {}
    seen.add(id(function))
    code = function.__code__
    found: dict[str, object] = {}
    for name in sorted(_code_names(code)):
        if name in function.__globals__:
            found[name] = function.__globals__[name]
    for name, cell in zip(code.co_freevars, function.__closure__ or ()):
        try:
            found[name] = cell.cell_contents
        except ValueError:  # an empty cell: a name assigned after the function was made
            continue
    defaults = (*(function.__defaults__ or ()), *(function.__kwdefaults__ or {}).values())
    for i, value in enumerate(defaults):
        found[f"<default {i + 1}>"] = value
    for value in list(found.values()):
        if isinstance(value, types.FunctionType):
            for inner, inner_value in values_read(value, seen).items():
                found.setdefault(inner, inner_value)
    return {k: v for k, v in found.items() if not isinstance(v, _SKIP)}


def names_used(function) -> set[str]:
    """Every global and attribute name the code of ``function`` and of the functions it reads
    uses (``load_m4_hourly`` in ``gm.load_m4_hourly()``)."""
    names = set()
    functions = [function] + [v for v in values_read(function).values() if callable(v)]
    for f in functions:
        if isinstance(f, types.FunctionType):
            names |= _code_names(f.__code__)
    return names


def _arrays(value, depth: int = 0):
    """The numeric arrays inside ``value``: itself, its items, its fields (a few levels deep)."""
    if depth > _DEPTH or isinstance(value, (*_SKIP, types.FunctionType)) or value is None:
        return
    if isinstance(value, np.ndarray):
        if value.dtype.kind in "fiu" and value.size:
            yield value
        return
    if hasattr(value, "to_numpy") and hasattr(value, "shape"):  # pandas
        yield from _arrays(np.asarray(value.to_numpy(dtype=float, na_value=np.nan)), depth + 1)
        return
    if hasattr(value, "numpy") and hasattr(value, "dtype"):  # a tensor or a variable
        try:
            yield from _arrays(np.asarray(value.numpy()), depth + 1)
        except (TypeError, ValueError, AttributeError):
            pass
        return
    if isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _arrays(item, depth + 1)
        return
    if isinstance(value, dict):
        for item in value.values():
            yield from _arrays(item, depth + 1)
        return
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in vars(value).values():
            yield from _arrays(item, depth + 1)


def _as_float32(values: np.ndarray) -> np.ndarray:
    """The values as float32 bit patterns (uint32), so equal numbers compare equal."""
    return np.ascontiguousarray(values, dtype="float32").view("uint32")


def _holds_run(array: np.ndarray, runs: np.ndarray) -> bool:
    """Whether any row of ``runs`` appears, value after value, in ``array`` (any axis order)."""
    length = runs.shape[1]
    wanted = {row.tobytes() for row in runs}
    firsts, seconds = np.unique(runs[:, 0]), np.unique(runs[:, 1])
    layouts = [array.ravel()] + ([array.T.ravel()] if array.ndim == 2 else [])
    for flat in layouts:
        if flat.size < length:
            continue
        candidates = np.flatnonzero(np.isin(flat[: flat.size - length + 1], firsts))
        candidates = candidates[np.isin(flat[candidates + 1], seconds)]
        if any(flat[p : p + length].tobytes() in wanted for p in candidates):
            return True
    return False


def holding(values: dict[str, object], runs: dict[str, np.ndarray]) -> list[tuple[str, str]]:
    """``[(name, what)]``: the values of ``values`` that contain a row of one of ``runs``.

    ``runs`` maps a description ("the validation hours") to an array ``(n, hours)`` of stretches
    to look for; each is also looked for as its logarithm.
    """
    patterns = {}
    for what, stretch in runs.items():
        stretch = np.asarray(stretch, dtype=float)
        logs = np.log(np.where(stretch > 0, stretch, np.nan))
        patterns[what] = [_as_float32(stretch)]
        if np.isfinite(logs).all():
            patterns[what].append(_as_float32(logs))
    found = []
    for name, value in values.items():
        for array in _arrays(value):
            bits = _as_float32(np.where(np.isfinite(array), array, 0).astype("float32"))
            bits = bits.reshape(array.shape)
            what = next(
                (w for w, forms in patterns.items() if any(_holds_run(bits, r) for r in forms)),
                None,
            )
            if what is not None:
                found.append((name, what))
                break
    return found
