"""Seeding and fast training for the small models of the course.

Keras 3's ``model.fit`` pays around 20 ms of bookkeeping per epoch (callbacks, iterators, logs).
On the course's tiny datasets that is nearly all of the time: 2,000 epochs on four samples take
about 40 s, although the arithmetic takes well under a second. :func:`fit` does the same gradient
steps as ``model.fit`` (the model's own loss, optimizer and training-mode forward pass) but runs
many epochs inside one compiled TensorFlow loop, so the bookkeeping is paid once per chunk of
epochs instead of once per epoch.
"""

from __future__ import annotations

import math
import time

import keras
import numpy as np
import tensorflow as tf

__all__ = ["fit", "set_seed", "train_in_place"]

CHUNK_SECONDS = 0.5  # with a progress bar or callback, report about this often


def set_seed(seed: int) -> None:
    """Seed Python, NumPy and the backend: the same seed gives the same numbers in a new process."""
    keras.utils.set_random_seed(int(seed))


def _as_tensor_pair(X, y):
    X = np.asarray(X, dtype="float32")
    y = np.asarray(y, dtype="float32")
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} samples but y has {len(y)}; they must match.")
    if len(X) == 0:
        raise ValueError("There are no training samples: the window may be as long as the series.")
    return X, y


def _require_input_shape(model, X):
    """Raise a ValueError naming both shapes unless X's samples have the shape the model takes."""
    expected = tuple(model.inputs[0].shape[1:]) if getattr(model, "inputs", None) else None
    if expected is not None and tuple(X.shape[1:]) != expected:
        hint = ""
        if len(expected) == len(X.shape[1:]) + 1 and expected[-1] == 1:
            hint = " Add the feature axis with course_helpers.add_feature_axis(X)."
        raise ValueError(
            f"The model expects samples of shape {expected} but X has samples of shape "
            f"{tuple(X.shape[1:])} (X.shape = {X.shape}).{hint}"
        )


LOAD_BYTES = 2**21  # training data larger than this go into TensorFlow 2 MiB at a time


def _data_variable(values) -> tf.Variable:
    """A variable holding ``values`` that later accepts arrays of any length (first axis)."""
    shape = tf.TensorShape([None, *values.shape[1:]])
    variable = tf.Variable(values[:0], trainable=False, shape=shape)  # empty, then loaded
    _load(variable, values)
    return variable


def _length(variable: tf.Variable) -> tf.Tensor:
    """How many samples a data variable holds, read from its shape, not from its values."""
    return tf.raw_ops.VariableShape(input=variable.handle)[0]


def _load(variable: tf.Variable, values: np.ndarray) -> None:
    """Put ``values`` in ``variable``: at once when small, else in place, a slice at a time.

    ``variable.assign(values)`` turns the whole array into a tensor first: two full-size copies
    (134 MB for lesson 8's 21,812 windows of 48 x 16), which TensorFlow's allocator keeps. Slices
    need a few MB; the variable is then copied on every full read, so batches are gathered.
    """
    if values.nbytes <= LOAD_BYTES:
        variable.assign(values)
        return
    if int(_length(variable)) != len(values):  # a new length: free the old values, then resize
        variable.assign(values[:0])
        variable.assign(tf.zeros(values.shape, values.dtype))
    rows = max(1, LOAD_BYTES // values[:1].nbytes)
    for start in range(0, len(values), rows):
        part = values[start : start + rows]  # replaces the same rows of the variable
        tf.raw_ops.ResourceStridedSliceAssign(
            ref=variable.handle, begin=[start], end=[start + len(part)], strides=[1], value=part
        )


class _EpochRunner:
    """A compiled loop that trains ``model`` for a number of epochs in one call.

    Each epoch walks the training batches once (reshuffled every epoch when there is more than one
    batch), applies one optimizer step per batch, and records the epoch's mean training loss, the
    validation loss and whether training should stop early.
    """

    def __init__(self, model, X, y, batch_size, validation_data, patience, seed):
        self.model = model
        self.batch_size = batch_size
        self.patience = patience
        # Whole batches skip the shuffle, as model.fit(shuffle=False) would: decided once per
        # trace, so a runner serves only data on the same side of that line.
        self.full_batch = batch_size is None or batch_size >= len(X)
        # The data live in variables of any length: one traced loop serves every training set
        # of the same per-sample shape (the folds of a validation, say).
        self.X, self.y = _data_variable(X), _data_variable(y)
        self.validation = None
        if validation_data is not None:
            self.validation = tuple(_data_variable(v) for v in _as_tensor_pair(*validation_data))
        # Batches are drawn from a fresh permutation every epoch, as model.fit shuffles.
        self.rng = tf.random.Generator.from_seed(
            int(seed) if seed is not None else int(np.random.randint(2**31))
        )
        weights = model.trainable_variables
        model.optimizer.build(weights)
        self.best_weights = [tf.Variable(w, trainable=False) for w in weights]
        self.best_val = tf.Variable(np.inf, dtype=tf.float32, trainable=False)
        self.since_best = tf.Variable(0, dtype=tf.int64, trainable=False)
        self.run = tf.function(self._run)

    def matches(self, X, y, batch_size, validation_data, patience) -> bool:
        """Whether this runner's traced loop can serve a fit with these inputs."""
        if (batch_size, patience) != (self.batch_size, self.patience):
            return False
        if (validation_data is None) != (self.validation is None):
            return False
        if self.full_batch != (batch_size is None or batch_size >= len(X)):
            return False
        pairs = [(X, self.X), (y, self.y)]
        if validation_data is not None:
            pairs += list(zip(_as_tensor_pair(*validation_data), self.validation))
        return all(a.shape[1:] == tuple(b.shape[1:]) for a, b in pairs)

    def load(self, X, y, validation_data, seed) -> None:
        """Put new training (and validation) data in place and start a new fit."""
        _load(self.X, X)
        _load(self.y, y)
        if validation_data is not None:
            for variable, value in zip(self.validation, _as_tensor_pair(*validation_data)):
                _load(variable, value)
        self.rng.reset_from_seed(int(seed) if seed is not None else int(np.random.randint(2**31)))
        self.best_val.assign(np.inf)
        self.since_best.assign(0)

    def unload(self) -> None:
        """Empty the data variables after a fit (each fit loads its own): the traced loop stays,
        and a model kept after training holds no second copy of its training set."""
        for variable in (self.X, self.y, *(self.validation or ())):
            variable.assign(tf.zeros((0, *variable.shape[1:]), variable.dtype))

    def _step(self, x, y):
        model = self.model
        with tf.GradientTape() as tape:
            y_pred = model(x, training=True)
            loss = model.compute_loss(x=x, y=y, y_pred=y_pred, training=True)
        weights = model.trainable_variables
        model.optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
        return loss

    def _epoch(self):
        if self.full_batch:
            return self._step(self.X.value(), self.y.value())
        n = _length(self.X)
        order = tf.argsort(self.rng.uniform([n]))  # a random permutation of the samples
        total = tf.constant(0.0)
        for b in tf.range((n + self.batch_size - 1) // self.batch_size):
            batch = order[b * self.batch_size : (b + 1) * self.batch_size]
            loss = self._step(tf.gather(self.X, batch), tf.gather(self.y, batch))  # no full read
            total += tf.cast(loss, tf.float32) * tf.cast(tf.size(batch), tf.float32)
        return total / tf.cast(n, tf.float32)

    def _validate(self):
        x, y = (v.value() for v in self.validation)
        y_pred = self.model(x, training=False)
        return self.model.compute_loss(x=x, y=y, y_pred=y_pred, training=False)

    def _run(self, epochs):
        losses = tf.TensorArray(tf.float32, size=0, dynamic_size=True, element_shape=())
        val_losses = tf.TensorArray(tf.float32, size=0, dynamic_size=True, element_shape=())
        done = tf.constant(0)
        stop = tf.constant(False)
        for _ in tf.range(epochs):
            if stop:
                break
            losses = losses.write(done, tf.cast(self._epoch(), tf.float32))
            if self.validation is not None:
                val = tf.cast(self._validate(), tf.float32)
                val_losses = val_losses.write(done, val)
                if val < self.best_val:
                    self.best_val.assign(val)
                    self.since_best.assign(0)
                    for best, w in zip(self.best_weights, self.model.trainable_variables):
                        best.assign(w)
                else:
                    self.since_best.assign_add(1)
                if self.patience is not None:
                    stop = self.since_best >= self.patience
            done += 1
        return losses.stack(), val_losses.stack(), stop

    def restore_best(self):
        """Put back the weights of the epoch with the lowest validation loss."""
        for best, w in zip(self.best_weights, self.model.trainable_variables):
            w.assign(best)


def fit(
    model,
    X,
    y,
    epochs: int,
    batch_size: int | None = None,
    validation_data=None,
    seed: int | None = None,
    progress=False,
    patience: int | None = None,
    restore_best: bool | None = None,
    epoch_end=None,
):
    """Train a compiled Keras model for ``epochs`` full passes over ``(X, y)``; return a History.

    The gradient steps are the ones ``model.fit`` takes: one per batch per epoch, with the model's
    compiled loss and optimizer. ``batch_size=None`` means one batch of all samples (full-batch
    gradient descent); ``model.fit`` would default to 32. ``history.history["loss"]`` holds one
    mean training loss per epoch, and ``"val_loss"`` one validation loss per epoch when
    ``validation_data=(X_val, y_val)`` is given.

    ``seed`` calls :func:`set_seed` first (it does not change weights already initialised).
    ``progress=True`` shows a tqdm bar over epochs (a widget in Jupyter); a callable instead is
    called as ``progress(epochs_done, epochs)`` as training goes on. With validation data,
    ``patience=k`` stops after k epochs without a better validation loss, and ``restore_best``
    (on by default when ``patience`` is set) puts back the weights of the best epoch.
    ``epoch_end(model, epochs_done)`` is called after every epoch (the epochs then run one per
    compiled call, with the same steps): a tool can score the model as it trains.
    """
    _check_fit_arguments(model, epochs, batch_size, validation_data, patience)
    if seed is not None:
        set_seed(seed)
    return train_in_place(
        model,
        X,
        y,
        epochs,
        batch_size=batch_size,
        validation_data=validation_data,
        shuffle_seed=seed,
        progress=progress,
        patience=patience,
        restore_best=restore_best,
        epoch_end=epoch_end,
    )


def train_in_place(
    model,
    X,
    y,
    epochs: int,
    *,
    batch_size: int | None = None,
    validation_data=None,
    shuffle_seed: int | None = None,
    progress=False,
    patience: int | None = None,
    restore_best: bool | None = None,
    epoch_end=None,
):
    """:func:`fit` for a model already in its seed's starting state, leaving the global seeds alone.

    ``shuffle_seed`` seeds only the order of the batches, so the steps are those of
    ``fit(..., seed=shuffle_seed)`` on a model built just after ``set_seed(shuffle_seed)``. The
    explorer and :func:`course_helpers.validate` use it with :meth:`ModelCache.seeded`: setting
    the global seed clears TensorFlow's kernel cache, and every traced loop then rebuilds its
    kernels on its next call (about 0.3 s of CPU for the LSTM, more than its training takes).
    """
    _check_fit_arguments(model, epochs, batch_size, validation_data, patience)
    if restore_best is None:
        restore_best = patience is not None
    seed = shuffle_seed
    X, y = _as_tensor_pair(X, y)
    _require_input_shape(model, X)
    epochs = int(epochs)

    # Reuse the compiled loop of an earlier fit of this model on the same data: tracing it again
    # costs time, and TensorFlow keeps every traced graph alive for the life of the process.
    runner = model.__dict__.get("_course_runner")
    if runner is not None and runner.matches(X, y, batch_size, validation_data, patience):
        runner.load(X, y, validation_data, seed)
    else:
        runner = _EpochRunner(model, X, y, batch_size, validation_data, patience, seed)
        model.__dict__["_course_runner"] = runner  # bypasses Keras's attribute tracking
    started = time.perf_counter()
    after_epoch = None if epoch_end is None else (lambda done: epoch_end(model, done))
    losses, val_losses = _run_in_chunks(runner, epochs, progress, after_epoch)
    runner.unload()
    if validation_data is not None and restore_best:
        runner.restore_best()
    if hasattr(model.optimizer, "finalize_variable_values"):
        model.optimizer.finalize_variable_values(model.trainable_variables)

    seconds = time.perf_counter() - started
    steps = 1 if runner.full_batch else math.ceil(len(X) / batch_size)
    params = {"epochs": epochs, "steps": steps, "seconds": seconds}
    return _history(model, losses, val_losses if validation_data is not None else None, params)


def _history(model, losses, val_losses, params: dict) -> keras.callbacks.History:
    """A Keras History with one loss (and validation loss) per epoch, like ``model.fit``'s."""
    history = keras.callbacks.History()
    history.set_model(model)
    history.epoch = list(range(len(losses)))
    history.history = {"loss": losses}
    if val_losses is not None:
        history.history["val_loss"] = val_losses
    history.params = params
    return history


def _check_fit_arguments(model, epochs, batch_size, validation_data, patience) -> None:
    """Raise a ValueError that says what to change when ``fit`` cannot train with these."""
    if int(epochs) != epochs or epochs < 1:
        raise ValueError(f"epochs must be a whole number of at least 1, got {epochs!r}.")
    if batch_size is not None and (int(batch_size) != batch_size or batch_size < 1):
        raise ValueError(f"batch_size must be None (full batch) or at least 1, got {batch_size!r}.")
    if getattr(model, "optimizer", None) is None or not getattr(model, "compiled", True):
        raise ValueError(
            "Compile the model first, e.g. model.compile(optimizer='adam', loss='mse')."
        )
    if patience is not None and validation_data is None:
        raise ValueError("Early stopping (patience) needs validation_data=(X_val, y_val).")


def _run_in_chunks(runner, epochs: int, progress, after_epoch=None) -> tuple[list, list]:
    """Run ``epochs`` epochs; with ``progress``, in chunks so a bar or callback can move.

    The first chunk is 1/40 of the epochs; once it has shown how long an epoch takes, each chunk
    lasts about ``CHUNK_SECONDS``: a slow run reports (and can be stopped by its callback) every
    half second or so, and a fast one is not slowed down by many small chunks. With
    ``after_epoch``, every chunk is one epoch and ``after_epoch(epochs_done)`` follows it.
    Returns the training and validation losses per epoch (fewer if early stopping stopped).
    """
    chunk = 1 if after_epoch else max(1, math.ceil(epochs / 40)) if progress else epochs
    bar = _progress_bar(epochs) if progress is True else None
    report = progress if callable(progress) else None
    losses, val_losses = [], []
    remaining = epochs
    while remaining > 0:
        todo = min(chunk, remaining)
        started = time.perf_counter()
        loss, val_loss, stopped = runner.run(tf.constant(todo))
        per_epoch = (time.perf_counter() - started) / todo
        chunk = 1 if after_epoch else max(1, int(CHUNK_SECONDS / per_epoch))
        losses.extend(loss.numpy().tolist())
        val_losses.extend(val_loss.numpy().tolist())
        remaining -= todo
        if bar is not None:
            bar.update(len(loss))
            bar.set_postfix(loss=f"{losses[-1]:.4f}")
        if report is not None:
            report(len(losses), epochs)
        if after_epoch is not None:
            after_epoch(len(losses))
        if bool(stopped):
            break
    if bar is not None:
        bar.close()
    return losses, val_losses


def _progress_bar(total):
    """A tqdm bar over epochs: a widget in Jupyter, text in a terminal.

    In Jupyter the bar is displayed with a display id and shown again when it closes, so a saved
    notebook's text version reads "100% 37/37" rather than the "0%" it had when it first appeared.
    """
    from tqdm.autonotebook import tqdm
    from tqdm.notebook import tqdm as notebook_tqdm

    settings = dict(total=total, desc="training", unit="epoch", leave=True, smoothing=0)
    if not issubclass(tqdm, notebook_tqdm):
        return tqdm(**settings)
    from IPython.display import display

    from .picture_widget import widget_view

    bar = notebook_tqdm(display=False, **settings)
    handle = display(bar.container, display_id=True)
    close = bar.close

    def close_and_redisplay():
        close()
        if handle is not None and not getattr(bar, "_redisplayed", False):
            bar._redisplayed = True  # tqdm closes again when collected: update once only
            # the same widget, with the final text for viewers that cannot show widgets
            bundle = {**widget_view(bar.container), "text/plain": str(bar)}
            handle.update(bundle, raw=True)

    bar.close = close_and_redisplay
    return bar
