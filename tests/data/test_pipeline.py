"""keras_gans.data.array_dataset: fit's batching and shuffling, without tf.data's autotuner."""

import keras
import numpy as np
import pytest

from keras_gans import data


def _batches(dataset):
    """Each batch as a list: [x] or [x, y]."""
    return [list(e) if isinstance(e, tuple) else [e] for e in dataset.as_numpy_iterator()]


def test_unshuffled_batches_are_consecutive_slices_with_a_partial_last_batch():
    x = np.arange(10 * 3, dtype="float64").reshape(10, 3)
    batches = _batches(data.array_dataset(x, batch_size=4, shuffle=False))
    assert [b[0].shape for b in batches] == [(4, 3), (4, 3), (2, 3)]
    np.testing.assert_array_equal(np.concatenate([b[0] for b in batches]), x)
    assert all(b[0].dtype == np.float32 for b in batches)  # floats cast to floatx, as in fit


def test_each_pass_is_a_new_permutation_with_labels_aligned():
    x = np.arange(64, dtype="float32")[:, None] * np.ones((1, 2), "float32")
    labels = np.arange(64) % 7
    dataset = data.array_dataset(x, labels, batch_size=16, shuffle=True, seed=0)
    orders = []
    for _ in range(2):
        batches = _batches(dataset)
        seen = np.concatenate([b[0][:, 0] for b in batches]).astype(int)
        np.testing.assert_array_equal(np.sort(seen), np.arange(64))  # every example once
        np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), seen % 7)
        orders.append(seen)
    assert not np.array_equal(orders[0], np.arange(64))
    assert not np.array_equal(orders[0], orders[1])


def test_tuple_inputs_keep_fits_structure_and_autotune_is_off():
    images, labels = np.zeros((6, 2, 2, 1), "float32"), np.arange(6)
    dataset = data.array_dataset((images, labels), batch_size=4, shuffle=False)
    # As fit packs it: ((images, labels),), so x is the pair and y is None.
    x, y, _ = keras.utils.unpack_x_y_sample_weight(next(iter(dataset)))
    assert y is None and [tuple(t.shape) for t in x] == [(4, 2, 2, 1), (4,)]
    assert dataset.options().autotune.enabled is False
    loaded = data.load("fashion_mnist", batch_size=8, num_examples=16)
    assert loaded.options().autotune.enabled is False


def test_bad_inputs():
    with pytest.raises(ValueError, match="same number of examples. Received: arrays with 4, 5 examples"):
        data.array_dataset(np.zeros((5, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="`batch_size` must be a positive integer. Received: batch_size=0"):
        data.array_dataset(np.zeros((5, 2)), batch_size=0)
    # Before: a raw tf.data error about the shuffle buffer size.
    with pytest.raises(ValueError, match=r"The data holds no examples. Received: arrays of shape \(0, 2\)"):
        data.array_dataset(np.zeros((0, 2)))
