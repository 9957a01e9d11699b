"""The image history pool: its statistics, its state in variables, inside fit, saved."""

import keras
import numpy as np
import pytest
from scipy import stats

from keras_gans.image_to_image.image_pool import ImagePool

SHAPE = (2, 2, 1)


def numbered(first, count):
    """Images whose pixels all hold their number, so outputs can be traced back."""
    ids = np.arange(first, first + count, dtype="float32")
    return np.broadcast_to(ids.reshape(-1, 1, 1, 1), (count,) + SHAPE).copy()


def ids_of(images):
    images = keras.ops.convert_to_numpy(images)
    assert np.all(images == images[:, :1, :1, :1])  # whole images, never mixed
    return images[:, 0, 0, 0].astype(int)


def pool_model(pool):
    inputs = keras.Input(SHAPE)
    return keras.Model(inputs, pool(inputs))


def test_fills_in_order_then_answers_from_the_history_half_the_time():
    pool_size, batch, steps = 50, 40, 100
    pool = ImagePool(pool_size, seed=3)
    model = pool_model(pool)  # predict_on_batch: one compiled call per batch
    mirror, history_answers, replaced_slots, first = [], 0, [], 0
    for _ in range(steps):
        outputs = ids_of(model.predict_on_batch(numbered(first, batch)))
        for new_id, out_id in zip(range(first, first + batch), outputs):
            if len(mirror) < pool_size:  # filling: stored and returned as is
                assert out_id == new_id
                mirror.append(new_id)
            elif out_id != new_id:  # an answer from the history, replaced by the new image
                slot = mirror.index(out_id)
                mirror[slot] = new_id
                history_answers += 1
                replaced_slots.append(slot)
        first += batch
        stored = ids_of(pool.images)
        np.testing.assert_array_equal(stored[: len(mirror)], mirror)
        assert np.all(stored[len(mirror) :] == 0)  # slots not filled yet
        assert int(keras.ops.convert_to_numpy(pool.count)) == len(mirror)
    queries = steps * batch - pool_size
    # Binomial(3950, 0.5): sd 0.008.
    assert abs(history_answers / queries - 0.5) < 0.03
    # The replaced image is drawn uniformly from the 50 stored ones.
    counts = np.bincount(replaced_slots, minlength=pool_size)
    assert stats.chisquare(counts).pvalue > 1e-3


def test_probability_extremes_and_empty_pool():
    never = pool_model(ImagePool(4, replace_probability=0.0, seed=0))
    always_pool = ImagePool(4, replace_probability=1.0, seed=0)
    always = pool_model(always_pool)
    images = numbered(0, 10)
    np.testing.assert_array_equal(ids_of(never.predict_on_batch(images)), np.arange(10))
    outputs = ids_of(always.predict_on_batch(images))
    np.testing.assert_array_equal(outputs[:4], np.arange(4))
    assert np.all(outputs[4:] != np.arange(4, 10))  # a full pool always answers from history
    assert sorted(set(outputs[4:]) | set(ids_of(always_pool.images))) == list(range(10))
    empty = ImagePool(0)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(empty(images)), images)


def test_state_is_saved_and_restored_with_the_model(tmp_path):
    pool = ImagePool(8, seed=5, name="pool")
    model = pool_model(pool)
    model.predict_on_batch(numbered(0, 12))
    path = tmp_path / "pool.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    restored_pool = restored.get_layer("pool")
    assert isinstance(restored_pool, ImagePool) and restored_pool.pool_size == 8
    np.testing.assert_array_equal(ids_of(restored_pool.images), ids_of(pool.images))
    assert int(keras.ops.convert_to_numpy(restored_pool.count)) == 8
    # The random stream continues where it was: both answer the next batches alike.
    for first in (100, 200):
        batch = numbered(first, 16)
        np.testing.assert_array_equal(
            ids_of(restored.predict_on_batch(batch)), ids_of(model.predict_on_batch(batch))
        )
    # save_weights / load_weights carry the same state.
    model.save_weights(tmp_path / "pool.weights.h5")
    fresh = pool_model(ImagePool(8, seed=5, name="pool"))
    fresh.load_weights(tmp_path / "pool.weights.h5")
    np.testing.assert_array_equal(ids_of(fresh.get_layer("pool").images), ids_of(pool.images))
    batch = numbered(300, 16)
    np.testing.assert_array_equal(
        ids_of(fresh.predict_on_batch(batch)), ids_of(model.predict_on_batch(batch))
    )


class PooledDiscriminator(keras.Model):
    """A model whose `call` passes its input through a pool, to train with plain fit."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.pool = ImagePool(6, seed=1)
        self.flatten = keras.layers.Flatten()
        self.dense = keras.layers.Dense(1)

    def call(self, images):
        return self.dense(self.flatten(self.pool(images)))


def test_updates_inside_a_compiled_train_step():
    model = PooledDiscriminator()
    model.compile(optimizer="sgd", loss="mse")
    images = numbered(0, 40)
    model.fit(images, np.zeros((40, 1)), batch_size=4, epochs=1, shuffle=False, verbose=0)
    pool = model.pool
    assert int(keras.ops.convert_to_numpy(pool.count)) == 6
    stored = ids_of(pool.images)
    # All from the data, the first six filled in order and some replaced by later ones.
    assert set(stored) <= set(range(40)) and len(set(stored)) == 6
    assert np.any(stored >= 6)


def test_config_and_bad_arguments():
    pool = ImagePool.from_config(ImagePool(7, replace_probability=0.25, seed=2).get_config())
    assert (pool.pool_size, pool.replace_probability, pool.seed) == (7, 0.25, 2)
    for kwargs, message in [
        (dict(pool_size=-1), "pool_size"),
        (dict(pool_size=2.5), "pool_size"),
        (dict(replace_probability=1.5), "replace_probability"),
    ]:
        with pytest.raises(ValueError, match=message):
            ImagePool(**kwargs)
    with pytest.raises(ValueError, match="known shape"):
        ImagePool(3).build((None, None, 4, 1))
