"""The five lesson architectures: output shapes, compilation and clear errors for bad windows."""

import itertools

import keras
import numpy as np
import pytest

from course_helpers.models import (
    DEFAULTS,
    MODEL_NAMES,
    MODELS,
    build_cnn,
    build_cnn_lstm,
    build_encoder_decoder,
    build_lstm,
    build_mlp,
    build_model,
    lesson_model,
    model_spec,
)

BATCH = 5


def predict_shape(model, *input_shape):
    """Output shape of ``model`` on a batch of BATCH random inputs of ``input_shape``."""
    X = np.random.default_rng(0).normal(size=(BATCH, *input_shape)).astype("float32")
    return tuple(np.asarray(model(X)).shape)


@pytest.mark.parametrize(
    "build, kwargs, input_shape, output_shape",
    [
        (build_mlp, {"window": 7}, (7,), (BATCH, 1)),
        (build_mlp, {"window": 3, "units": 4, "dropout": 0.2}, (3,), (BATCH, 1)),
        (build_cnn, {"window": 7}, (7, 1), (BATCH, 1)),
        (build_cnn, {"window": 4, "kernel_size": 3}, (4, 1), (BATCH, 1)),  # the shortest window
        (build_lstm, {"window": 7}, (7, 1), (BATCH, 1)),
        (build_cnn_lstm, {"window": 8, "n_seq": 2}, (2, 4, 1), (BATCH, 1)),
        (build_cnn_lstm, {"window": 12, "n_seq": 3, "kernel_size": 2}, (3, 4, 1), (BATCH, 1)),
        (build_encoder_decoder, {"window": 7, "horizon": 3}, (7, 1), (BATCH, 3, 1)),
        (build_encoder_decoder, {"window": 5, "horizon": 1}, (5, 1), (BATCH, 1, 1)),
        # several features per step (lesson 8 builds these with 16): (window, n_features) in
        (build_mlp, {"window": 4, "n_features": 3, "horizon": 5}, (4, 3), (BATCH, 5)),
        (build_lstm, {"window": 6, "n_features": 2, "horizon": 4}, (6, 2), (BATCH, 4)),
        (
            build_encoder_decoder,
            {"window": 6, "n_features": 2, "horizon": 4},
            (6, 2),
            (BATCH, 4, 1),
        ),
    ],
)
def test_builder_output_shape(build, kwargs, input_shape, output_shape):
    model = build(**kwargs)
    assert tuple(model.inputs[0].shape[1:]) == input_shape
    assert predict_shape(model, *input_shape) == output_shape


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_every_builder_is_compiled_with_adam_and_mse(name):
    model = build_model(name, DEFAULTS[name].window, learning_rate=0.005)
    assert model.compiled
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(0.005)
    assert model.loss == "mse"


def test_build_model_uses_lesson_defaults_and_overrides():
    model = build_model("encoder_decoder", 7)
    assert tuple(model.outputs[0].shape[1:]) == (DEFAULTS["encoder_decoder"].kwargs["horizon"], 1)
    assert tuple(build_model("encoder_decoder", 7, horizon=5).outputs[0].shape[1:]) == (5, 1)
    assert tuple(build_model("cnn_lstm", 12, n_seq=3).inputs[0].shape[1:]) == (3, 4, 1)
    assert build_model("mlp", 7).name == "mlp"


def test_default_windows_suit_their_models():
    for name, config in DEFAULTS.items():
        assert config.window >= MODELS[name].min_window(**config.kwargs), name


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("cnn", {}),
        ("cnn", {"kernel_size": 5}),
        ("cnn_lstm", {}),
        ("cnn_lstm", {"n_seq": 3}),
        ("cnn_lstm", {"n_seq": 2, "kernel_size": 2}),
        ("mlp", {}),
        ("lstm", {}),
    ],
)
def test_min_window_is_the_boundary(name, kwargs):
    shortest = MODELS[name].min_window(**kwargs)
    build_model(name, shortest, **kwargs)  # the shortest window builds
    if shortest > 1:
        with pytest.raises(ValueError):  # one step shorter does not
            build_model(name, shortest - 1, **kwargs)


def test_cnn_window_shorter_than_kernel_plus_one():
    with pytest.raises(
        ValueError,
        match=r"CNN with kernel size 3 needs a window of at least 4 "
        r"steps, got 3",
    ):
        build_cnn(3)
    with pytest.raises(ValueError, match="kernel size 5 needs a window of at least 6"):
        build_cnn(5, kernel_size=5)


def test_cnn_lstm_window_not_divisible_by_n_seq():
    with pytest.raises(
        ValueError,
        match=r"window of 7 steps cannot be cut into 2 equal "
        r"subsequences; choose a window that is a multiple of 2",
    ):
        build_cnn_lstm(7, n_seq=2)


def test_cnn_lstm_subsequences_too_short_for_kernel_and_pooling():
    with pytest.raises(
        ValueError, match=r"Each subsequence has 1 steps.*use a window of at least 4"
    ):
        build_cnn_lstm(2, n_seq=2)
    with pytest.raises(ValueError, match=r"Each subsequence has 2 steps.*at least 6"):
        build_cnn_lstm(4, n_seq=2, kernel_size=2)


@pytest.mark.parametrize(
    "build, kwargs, message",
    [
        (build_mlp, {"window": 0}, "MLP needs a window of at least 1 steps, got 0"),
        (build_mlp, {"window": 2.5}, "MLP needs a window of at least 1"),
        (build_mlp, {"window": 7, "horizon": 0}, "horizon must be a whole number of at least 1"),
        (build_lstm, {"window": -1}, "LSTM needs a window of at least 1"),
        (build_lstm, {"window": 7, "horizon": 1.5}, "horizon must be a whole number"),
        (build_encoder_decoder, {"window": 0}, "encoder-decoder needs a window of at least 1"),
        (
            build_encoder_decoder,
            {"window": 5, "horizon": 0},
            "horizon must be a whole number of at least 1, got 0",
        ),
        (build_cnn_lstm, {"window": 8, "n_seq": 0}, "n_seq must be a whole number of at least 1"),
    ],
)
def test_bad_sizes(build, kwargs, message):
    with pytest.raises(ValueError, match=message):
        build(**kwargs)


def test_build_model_unknown_name_lists_the_choices():
    with pytest.raises(
        ValueError,
        match="Unknown model 'transformer'. Choose one of mlp, cnn, "
        "lstm, cnn_lstm, encoder_decoder",
    ):
        build_model("transformer", 7)


def _grid_settings(spec):
    """Each candidate of the model's validation grid, as builder settings and a window."""
    grid = {k: v for k, v in spec.grid.items() if k != "batch_size"}
    keys = list(grid)
    for values in itertools.product(*grid.values()):
        settings = dict(zip(keys, values))
        yield settings.pop("window"), settings


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_registry_input_shape_and_output_steps_are_what_the_built_model_takes(name):
    spec = MODELS[name]
    cases = [(spec.defaults.window, {})] + list(_grid_settings(spec))
    for window, settings in cases:
        model = spec.build(window, **settings)
        assert tuple(model.inputs[0].shape[1:]) == spec.input_shape(window, **settings)
        output = tuple(model.outputs[0].shape[1:])
        assert output[0] == spec.output_steps(**settings), (name, window, settings)
        assert window % spec.window_step(**settings) == 0
        assert window >= spec.min_window(**settings)


def test_registry_facts_are_unique_and_complete():
    assert [MODELS[name].lesson for name in MODEL_NAMES] == [3, 4, 5, 6, 7]
    assert len({spec.title for spec in MODELS.values()}) == len(MODELS)
    assert MODELS["cnn"].title == "1D CNN"
    for lesson in range(3, 8):
        assert lesson_model(lesson).lesson == lesson
    assert DEFAULTS["mlp"] is MODELS["mlp"].defaults  # a view of the registry, not a copy
    with pytest.raises(TypeError):
        DEFAULTS["mlp"] = None  # read-only


def test_registry_lookups_explain_what_is_known():
    with pytest.raises(ValueError, match="Lesson 2 has no model of its own; model lessons are 3"):
        lesson_model(2)
    with pytest.raises(ValueError, match="Unknown model 'CNN'. Choose one of mlp"):
        model_spec("CNN")
    with pytest.raises(ValueError, match="Unknown model"):
        model_spec(["mlp"])  # not a name at all


def _explorer_windows(name, **kwargs):
    """Every window the forecast explorer's slider offers for this model and settings."""
    from course_helpers.explorer import ForecastExplorer

    slider = ForecastExplorer(name, run_now=False, **kwargs).window
    return range(slider.min, slider.max + 1, slider.step)


@pytest.mark.parametrize(
    "name, kwargs",
    [
        ("mlp", {}),
        ("cnn", {}),
        ("cnn", {"kernel_size": 3}),
        ("lstm", {}),
        ("cnn_lstm", {}),
        ("cnn_lstm", {"n_seq": 3}),
        ("cnn_lstm", {"n_seq": 4}),
        ("encoder_decoder", {}),
    ],
)
def test_the_most_recent_day_changes_the_forecast_for_every_window_the_explorer_offers(
    name, kwargs
):
    """A model blind to yesterday (pooling that drops the last position) fails here."""
    spec = MODELS[name]
    rng = np.random.default_rng(0)
    blind = []
    keras.backend.clear_session()  # once: clearing costs ten times a small model's build
    keras.utils.set_random_seed(0)
    for window in _explorer_windows(name, **kwargs):
        model = spec.build(window, **kwargs)
        # 4 random windows, each also with its most recent day nudged by -1 and +1 sd: a ReLU
        # that happens to be off for one input cannot hide the day, a structural blind spot can
        x = np.repeat(rng.normal(size=(4, 1, window)), 3, axis=1)  # (4, 3, window)
        x[:, :, -1] += [-1.0, 0.0, 1.0]
        inputs = x.reshape(12, *spec.input_shape(window, **kwargs)).astype("float32")
        forecast = np.asarray(model(inputs, training=False)).reshape(4, 3, -1)
        if np.all(forecast == forecast[:, 1:2]):
            blind.append(window)
    assert not blind, f"{name} {kwargs}: the last input day does not reach the forecast for {blind}"
