"""Shape mistakes in a learner's model, named from what Keras built (or failed to build).

Two moments show them:

* **building fails**: Keras raises a ``ValueError`` deep in a layer. :func:`diagnose_build_error`
  finds the layer that refused its input and the layer that produced that input, and names the
  mistake: a flat input to Conv1D or LSTM, a missing ``TimeDistributed`` (or its ``Flatten``), a
  recurrent layer that returns only its last state where a sequence is needed (a decoder without
  ``return_sequences``, stacked LSTMs), a sequence layer after the sequence was flattened;
* **building works but the output has the wrong shape**: :func:`check_output_shape` says why,
  e.g. a sequence output feeding the Dense head (``return_sequences=True`` before ``Dense(1)``:
  one forecast per day of the window) or a missing ``Flatten`` after Conv1D, and only says "end
  with ``Dense(k)``" when the model does not.
"""

from __future__ import annotations

import keras

from .core import Mistake

__all__ = [
    "RECURRENT",
    "SEQUENCE_LAYERS",
    "check_output_shape",
    "diagnose_build_error",
    "failing_layer",
    "kind",
]

RECURRENT = ("LSTM", "GRU", "SimpleRNN")
# Layers that read samples shaped (timesteps, features): one sequence per sample.
SEQUENCE_LAYERS = (*RECURRENT, "Conv1D", "MaxPooling1D", "AveragePooling1D", "SeparableConv1D")
_HEAD = ("Dense", "Dropout", "Activation", "ReLU", "LeakyReLU", "PReLU", "ELU", "Softmax")


def kind(layer) -> str:
    """A layer's class name, looking through wrappers: ``LSTM`` for ``Bidirectional(LSTM)``."""
    inner = getattr(layer, "forward_layer", None) or getattr(layer, "layer", None)
    return type(inner).__name__ if inner is not None else type(layer).__name__


def _returns_last_state_only(layer) -> bool:
    return kind(layer) in RECURRENT and not getattr(
        getattr(layer, "forward_layer", layer), "return_sequences", False
    )


def failing_layer(exc: BaseException):
    """``(layer, input tensor)`` of the innermost layer call in ``exc``'s traceback, or None.

    Found with Keras' traceback filtering off (:func:`.networks.build_learner_model` turns it off
    while the learner's function runs), so the frames of ``Layer.__call__`` are kept.
    """
    found = None
    tb = exc.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        layer = frame.f_locals.get("self")
        if frame.f_code.co_name == "__call__" and isinstance(layer, keras.layers.Layer):
            args = frame.f_locals.get("args") or ()
            if args and hasattr(args[0], "shape"):
                found = (layer, args[0])
        tb = tb.tb_next
    return found


def _producer(tensor):
    """The layer that produced a symbolic tensor, or None for a model input."""
    history = getattr(tensor, "_keras_history", None)
    layer = getattr(history, "operation", None)
    return None if layer is None or type(layer).__name__ == "InputLayer" else layer


def _shape(tensor) -> tuple:
    return tuple(tensor.shape[1:])


def diagnose_build_error(exc: BaseException, call: str) -> Mistake:
    """The named mistake behind an error raised while the learner's model was being built.

    ``call`` is how the check called the learner's function (``build_model(7)``), for the message.
    """
    found = failing_layer(exc)
    if found is None:
        return Mistake(
            f"`{call}` raised {type(exc).__name__}: {exc}",
            f"Run `{call}.summary()` in a cell of its own to see where it fails.",
        )
    layer, tensor = found
    shape, source = _shape(tensor), _producer(tensor)
    name = kind(layer)
    wrapped = type(layer).__name__ == "TimeDistributed"
    if wrapped and len(shape) == 1:
        return _no_sequence_for_time_distributed(name, shape, source)
    if wrapped and name in SEQUENCE_LAYERS and len(shape) == 2:
        return Mistake(
            f"`TimeDistributed({name})` receives samples of shape {shape}: one sequence, not "
            "several subsequences, so there is nothing to apply it to one by one.",
            "Cut each window into subsequences first: start with "
            "`keras.Input(shape=(n_seq, window // n_seq, 1))`.",
        )
    if name in SEQUENCE_LAYERS and len(shape) == 1:
        return _flat_into_sequence_layer(name, shape, source)
    if name in SEQUENCE_LAYERS and len(shape) == 3:
        return _subsequences_without_time_distributed(name, shape, source)
    return Mistake(
        f"`{call}` failed at its {type(layer).__name__} layer, which received samples of shape "
        f"{shape}.",
        f"Keras said: {str(exc).splitlines()[0]}",
        f"Run `{call}.summary()` on the layers before it to see the shapes they give.",
    )


def _flat_into_sequence_layer(name: str, shape: tuple, source) -> Mistake:
    """A Conv1D or LSTM given one flat vector per sample."""
    if source is None:
        return Mistake(
            f"The model's input is flat, {shape} per sample, but {name} reads each sample as a "
            "sequence shaped (timesteps, features).",
            "Start with `keras.Input(shape=(window, 1))`: the window's days as time steps, one "
            "feature each. The check gives the model windows of that shape.",
        )
    if _returns_last_state_only(source):
        return Mistake(
            f"The {kind(source)} before this {name} returns only its last state, {shape} per "
            f"sample, so the {name} has no sequence to read.",
            "To stack recurrent layers, give the first one `return_sequences=True`. For an "
            "encoder-decoder, repeat the encoder's summary once per forecast day with "
            "`layers.RepeatVector(horizon)` before the decoder.",
        )
    return Mistake(
        f"This {name} comes after `{kind(source)}`, which has already turned each sample into a "
        f"flat vector {shape}: the {name} needs a sequence (timesteps, features).",
        f"Put the {name} before `Flatten` and the Dense layers.",
    )


def _subsequences_without_time_distributed(name: str, shape: tuple, source) -> Mistake:
    """A Conv1D or LSTM given subsequences (n_seq, steps, features) per sample."""
    if source is not None and type(source).__name__ == "TimeDistributed":
        return Mistake(
            f"The {name} receives {shape} per sample: each subsequence is still a table of "
            f"{shape[1]} steps by {shape[2]} features.",
            "Flatten each subsequence into one vector first: "
            "`layers.TimeDistributed(layers.Flatten())`, so the sequence the "
            f"{name} reads is one vector per subsequence.",
        )
    return Mistake(
        f"The {name} receives samples of shape {shape}: {shape[0]} subsequences of "
        f"{shape[1]} steps. A bare {name} reads one sequence, not several.",
        f"Wrap it in `layers.TimeDistributed({name}(...))`: the same layer then reads each "
        "subsequence in turn.",
    )


def _no_sequence_for_time_distributed(name: str, shape: tuple, source) -> Mistake:
    """TimeDistributed given a flat vector per sample."""
    if source is not None and _returns_last_state_only(source):
        return Mistake(
            f"The decoder {kind(source)} returns only its last state, {shape} per sample, so "
            f"`TimeDistributed({name})` has no steps to apply {name} to.",
            "Give the decoder `return_sequences=True`: one state per forecast day.",
        )
    return Mistake(
        f"`TimeDistributed({name})` applies {name} to every step of a sequence, but it receives "
        f"a flat vector, {shape} per sample.",
        "It belongs after a layer that returns one vector per step, such as "
        "`layers.LSTM(units, return_sequences=True)`.",
    )


def check_output_shape(model: keras.Model, horizon: int, fix: str) -> None:
    """Raise a named mistake unless the model outputs ``(horizon,)`` or ``(horizon, 1)``.

    ``fix`` says how the lesson's model should end, for outputs of the wrong width.
    """
    shape = tuple(model.outputs[0].shape[1:])
    if shape in ((horizon,), (horizon, 1)):
        return
    repeats = [layer.n for layer in model.layers if type(layer).__name__ == "RepeatVector"]
    if horizon > 1 and shape[0] in repeats:
        raise Mistake(
            f"The model forecasts {shape[0]} days, shape {shape}: `RepeatVector({shape[0]})` "
            f"repeats the encoder's summary once per day, but the lesson forecasts {horizon} "
            "days ahead.",
            "Repeat it once per forecast day: `layers.RepeatVector(horizon)`, with the builder's "
            f"`horizon={horizon}`.",
        )
    if len(shape) >= 2 and not (len(shape) == 2 and shape[0] == horizon):
        raise _sequence_output(model, shape, horizon)
    units = shape[-1]
    want = "one value" if horizon == 1 else f"{horizon} values, one per day ahead"
    raise Mistake(
        f"The model outputs {units} value{'s' if units != 1 else ''} per sample, shape {shape}; "
        f"it should forecast {want}.",
        fix,
    )


def _sequence_output(model: keras.Model, shape: tuple, horizon: int) -> Mistake:
    """Why the output still has a time axis: a sequence-returning layer or a missing Flatten."""
    source = None
    for layer in reversed(model.layers):
        if kind(layer) not in _HEAD:
            source = layer
            break
    steps = shape[0]
    want = "one forecast" if horizon == 1 else f"{horizon} forecasts"
    if source is not None and kind(source) in RECURRENT:
        return Mistake(
            f"The model outputs {shape} per sample: the {kind(source)} returns a state for each "
            f"of {steps} steps (`return_sequences=True`), and the Dense layer after it is applied "
            f"to every one of them, giving {steps} outputs instead of {want}.",
            f"Let this {kind(source)} return only its last state (leave out "
            "`return_sequences=True`), so the Dense head reads one summary of the window.",
        )
    after = kind(source) if source is not None else "the input"
    return Mistake(
        f"The model outputs {shape} per sample: after {after} each sample is still "
        f"{steps} positions by their features, and the Dense layers are applied to each position "
        f"separately, giving {steps} outputs instead of {want}.",
        "Add `layers.Flatten()` before the Dense layers, so they read all positions at once.",
    )
