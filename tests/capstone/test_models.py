"""Lesson 8's networks: their registry, the frozen ridge inside a network, the pinball loss."""

import keras
import numpy as np
import pytest
from keras import layers

import course_helpers as ch
from course_helpers import capstone as cap


def test_ridge_layer_is_the_ridge_inside_a_network(task):
    ridge, _ = cap.fit_ridge(task)
    inputs = keras.Input((task.window, task.n_features))
    model = keras.Model(inputs, cap.ridge_layer(ridge, task)(layers.Flatten()(inputs)))
    forecast = task.to_pm(cap.predict(model, task.validation.X))
    np.testing.assert_allclose(forecast, task.to_pm(ridge.predict(task.validation.X)), atol=1e-2)
    assert not model.trainable_weights  # frozen
    with pytest.raises(ValueError, match="Fit the ridge"):
        cap.ridge_layer(cap.Ridge(), task)


def test_pinball_loss_weighs_each_side_by_its_quantile():
    loss = cap.pinball_loss((0.1, 0.9))
    y = np.zeros((1, 1), "float32")
    under = np.full((1, 1, 2), -1.0, "float32")  # forecast below the truth by 1
    assert float(loss(y, under)) == pytest.approx((0.1 + 0.9) / 2)
    over = np.full((1, 1, 2), 1.0, "float32")
    assert float(loss(y, over)) == pytest.approx((0.9 + 0.1) / 2)


def test_the_registry_builds_every_network_for_the_tasks_windows(pm_task):
    assert (cap.build_mlp, cap.build_lstm) == (ch.build_mlp, ch.build_lstm)  # one builder each
    assert cap.MODELS["encoder_decoder"].builder is ch.build_encoder_decoder
    ridge, _ = cap.fit_ridge(pm_task)
    holds_the_ridge = {"linear": cap.ridge_layer(ridge, pm_task)}
    for name, spec in cap.MODELS.items():
        extra = holds_the_ridge if name == "ridge_mlp" else {}
        model = spec.build(pm_task.window, n_features=pm_task.n_features, **extra)
        shape = spec.input_shape(pm_task.window, n_features=pm_task.n_features)
        assert tuple(model.inputs[0].shape[1:]) == shape == (24, 6), name
        assert model.outputs[0].shape[1] == spec.output_steps() == 24, name
    with pytest.raises(ValueError, match="Unknown network 'seq2seq'; choose one of mlp"):
        cap.train_network("seq2seq", pm_task)
    with pytest.raises(ValueError, match="holds the ridge"):
        cap.train_network("ridge_mlp", pm_task)
    trial = cap.train_network("ridge_mlp", pm_task, ridge=ridge, seeds=(0,), epochs=1)
    assert trial.name == "ridge + MLP" and len(trial.forecasts()) == 1
