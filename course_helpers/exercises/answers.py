"""Answers as the framework handles them: a key to remember a check by, and worked answers run.

* :func:`answer_key`: a key that is the same for the same answer, so a check is not run twice.
  A function's key is its code (not where or when it was defined), its defaults and the plain
  values it reads from the notebook; re-running a cell with the same ``build_model`` gives the same
  key, editing it gives a new one. A Keras model's key includes its weights, an array's its values.
* :func:`free_names`: the names a piece of code reads but never assigns or imports.
* :func:`run_worked_answer`: run a task's worked answer in a namespace of its own, reading the
  notebook's names it needs and never writing to them.
"""

from __future__ import annotations

import ast
import builtins
import functools
import hashlib
import types

import numpy as np
import pandas as pd

__all__ = ["STANDARD_NAMES", "answer_key", "free_names", "run_worked_answer"]

_PLAIN = (type(None), bool, int, float, complex, str, bytes)
_SHARED = (types.ModuleType, type, types.BuiltinFunctionType)  # the same for every answer
_MISSING = object()


def _digest(data: bytes) -> str:
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


def _code_key(code: types.CodeType) -> tuple:
    """What a code object does, without its file name or line numbers (they change per run)."""
    consts = tuple(
        _code_key(c) if isinstance(c, types.CodeType) else repr(c) for c in code.co_consts
    )
    return (code.co_code, code.co_names, code.co_varnames, code.co_argcount, consts)


def _global_names(code: types.CodeType) -> set[str]:
    """Names a code object and the code nested in it look up (globals among them)."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _global_names(const)
    return names


def _function_key(function: types.FunctionType, depth: int) -> tuple | None:
    """A function's code, defaults, closure and the globals it reads; None if one is unknown.

    Modules, classes and built-in functions it reads (``keras``, ``layers``) are left out: they
    are the same for every answer.
    """
    parts = [function.__defaults__, *(c.cell_contents for c in function.__closure__ or ())]
    reads = []
    for name in sorted(_global_names(function.__code__)):
        value = function.__globals__.get(name, _MISSING)
        if value is not _MISSING and not isinstance(value, _SHARED):
            reads.append(name)
            parts.append(value)
    keys = tuple(answer_key(part, depth + 1) for part in parts)
    if None in keys:
        return None
    return ("function", _code_key(function.__code__), tuple(reads), keys)


def answer_key(value, depth: int = 0):
    """A hashable key that is equal for equal answers, or None when the answer cannot have one.

    ``None`` means "do not remember this check": an object the framework cannot compare.
    """
    if depth > 4:  # a function reading a function reading ...: stop comparing here
        return ("deep", id(value))
    if isinstance(value, _PLAIN):
        return ("plain", type(value).__name__, value)
    if type(value).__name__ == "Placeholder":
        return ("blank",)
    if isinstance(value, (tuple, list)):
        keys = tuple(answer_key(v, depth + 1) for v in value)
        return None if None in keys else (type(value).__name__, keys)
    if isinstance(value, dict):
        keys = tuple((k, answer_key(v, depth + 1)) for k, v in sorted(value.items(), key=str))
        return None if any(k is None for _, k in keys) else ("dict", keys)
    if isinstance(value, types.FunctionType):
        return _function_key(value, depth)
    if isinstance(value, type):
        return ("class", value.__module__, value.__qualname__)
    if isinstance(value, functools.partial):
        keys = (answer_key(value.func, depth + 1), answer_key(value.args, depth + 1))
        keys += (answer_key(value.keywords, depth + 1),)
        return None if None in keys else ("partial", keys)
    if isinstance(value, np.ndarray):
        array = np.ascontiguousarray(value)
        return ("array", array.shape, str(array.dtype), _digest(array.tobytes()))
    if isinstance(value, (pd.Series, pd.DataFrame)):
        data = pd.util.hash_pandas_object(value, index=True).to_numpy()
        return ("pandas", value.shape, _digest(data.tobytes()))
    return _keras_key(value)


def _keras_key(value):
    """A model's identity and weights; a History's identity and length; else None."""
    import keras

    if isinstance(value, keras.Model):
        weights = b"".join(np.asarray(w).tobytes() for w in value.get_weights())
        return ("model", id(value), _digest(weights))
    if isinstance(value, keras.callbacks.History):
        lengths = tuple((k, len(v)) for k, v in sorted(value.history.items()))
        return ("history", id(value), lengths)
    return None


def free_names(code: str) -> set[str]:
    """Names ``code`` reads but never assigns, defines or imports itself (builtins left out)."""
    loaded, stored = set(), set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else stored).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            stored.add(node.name)
        elif isinstance(node, ast.arg):
            stored.add(node.arg)
        elif isinstance(node, ast.alias):
            stored.add((node.asname or node.name).split(".")[0])
    return loaded - stored - set(dir(builtins))


def _standard_names() -> dict:
    """The imports every lesson makes: what a worked answer may use without asking."""
    import keras
    from keras import layers

    import course_helpers
    from course_helpers import exercises

    return {"np": np, "pd": pd, "keras": keras, "layers": layers, "ch": course_helpers,
            "exercises": exercises}  # fmt: skip


STANDARD_NAMES = ("np", "pd", "keras", "layers", "ch", "exercises")


def run_worked_answer(code: str, names: dict, wanted: tuple[str, ...], what: str) -> tuple:
    """Run ``code`` in a namespace of its own and return the values of ``wanted``, in order.

    The namespace starts from the standard imports and, for every other name the code reads,
    the value in ``names`` (the notebook's names): a worked answer reads the notebook but
    assigns only inside its own namespace. ``what`` names the task in the error raised when a
    name it needs is missing (the cells above it have not run yet).
    """
    needed = free_names(code)
    namespace = {k: v for k, v in _standard_names().items() if k in needed}
    missing = sorted(n for n in needed - set(namespace) if n not in names)
    if missing:
        raise NameError(
            f"The worked answer of {what} reads {', '.join(f'`{n}`' for n in missing)}, which "
            "this notebook has not defined yet: run the cells above this one first."
        )
    namespace.update({n: names[n] for n in needed - set(namespace)})
    exec(compile(code, f"<worked answer: {what}>", "exec"), namespace)
    absent = [n for n in wanted if n not in namespace]
    if absent:
        raise RuntimeError(f"The worked answer of {what} does not define {absent}.")
    return tuple(namespace[n] for n in wanted)
