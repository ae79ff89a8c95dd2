"""The lesson's settings: members, equal sample budgets, forecasts from each panel, the registry."""

from dataclasses import replace

import numpy as np
import pytest

from course_helpers.global_models import data, settings
from course_helpers.global_models.settings import SETTINGS, Setting

from .panel_helpers import daily_panel


@pytest.fixture(scope="module")
def panels():
    full = daily_panel(n_series=10, hours=24 * 20)
    history, _ = data.validation_split(full, horizon=48)
    return history, full


def small(**kwargs):
    defaults = dict(windows=(48,), units=8, depth=1, epochs=1, batch_size=32)
    return Setting("small", **{**defaults, **kwargs})


def test_a_run_trains_one_network_per_window_and_seed_and_forecasts_every_panel(panels):
    history, full = panels
    setting = small(seeds=(0, 1), windows=(48, 72))
    assert setting.members() == [(48, 0), (48, 1), (72, 0), (72, 1)]
    run = setting.run(history, full)
    assert run.forecasts.shape == (4, 2, 10, 48)  # members, panels, series, hours
    np.testing.assert_array_equal(run.forecast(1), np.median(run.forecasts[:, 1], axis=0))
    assert not np.array_equal(run.member(0), run.member(1))  # the seeds differ
    assert run.seconds == pytest.approx(sum(t.seconds for t in run.trainings))


def test_settings_with_fewer_windows_draw_as_many_samples(panels):
    history, _ = panels
    every = small().run(history).trainings[0]
    fewer = small(series_every=5).run(history).trainings[0]
    recent = small(recent=24).run(history).trainings[0]
    assert fewer.samples == pytest.approx(every.samples, rel=0.01)
    assert recent.samples == pytest.approx(every.samples, rel=0.01)


def test_a_setting_trained_on_some_series_still_forecasts_them_all(panels):
    history, full = panels
    run = small(series_every=5).run(history, full)
    assert run.forecasts.shape[2] == 10 and np.isfinite(run.forecasts).all()


def test_local_and_nbeats_settings_build_their_networks(panels):
    history, _ = panels
    local = small(model="local", batch_size=4).run(history)
    assert local.forecasts.shape == (1, 1, 10, 48)
    nbeats = small(model="nbeats", blocks=2)
    assert nbeats.build(48, 10).name == "nbeats"
    with pytest.raises(ValueError, match="Unknown model 'rnn'"):
        replace(nbeats, model="rnn").build(48, 10)


def test_the_registry_holds_the_lessons_rows():
    assert list(SETTINGS)[:2] == [
        "course MLP, one per series (local)",
        "course MLP, one for all series (global)",
    ]
    assert all(s.label == label for label, s in SETTINGS.items())
    ablations = [label for label, s in SETTINGS.items() if s.ablation]
    assert len(ablations) >= 3 and "best: N-BEATS-style ensemble" not in ablations
    course = [SETTINGS[k] for k in list(SETTINGS)[:2]]
    assert {(s.units, s.depth, s.epochs) for s in course} == {(100, 1, 3)}  # the same network
    assert settings.SETTINGS["best: N-BEATS-style ensemble"].model == "nbeats"
