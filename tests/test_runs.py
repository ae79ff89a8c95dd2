"""One call from settings to a scored forecast: a kept model gives the numbers a new one gives."""

from course_helpers import ModelCache, train_and_evaluate


def test_a_model_cache_gives_the_same_numbers_as_a_new_model():
    fresh = train_and_evaluate("lstm", seed=3).result.rmse
    cache = ModelCache()
    kept = [train_and_evaluate("lstm", seed=3, cache=cache).result.rmse for _ in range(2)]
    assert kept == [fresh, fresh]
    assert len(cache) == 1
    # a call without the cache clears the Keras session; the kept model still gives those numbers
    other = train_and_evaluate("lstm", seed=4).result.rmse
    assert train_and_evaluate("lstm", seed=4, cache=cache).result.rmse == other
    assert train_and_evaluate("lstm", seed=3, cache=cache).result.rmse == fresh
