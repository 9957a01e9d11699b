"""Unpaired domains (two Fashion-MNIST classes) and their side-by-side batches."""

import numpy as np
import pytest

from keras_gans.data.unpaired import FASHION_MNIST_CLASS_NAMES
from keras_gans.data.unpaired import check_unpaired_domains
from keras_gans.data.unpaired import fashion_mnist_class
from keras_gans.data.unpaired import fashion_mnist_domains
from keras_gans.data.unpaired import unpaired_dataset


def test_class_names():
    assert fashion_mnist_class("sneaker") == 7 and fashion_mnist_class("Ankle boot") == 9
    assert fashion_mnist_class("T-shirt/top") == 0 and fashion_mnist_class(6) == 6
    assert FASHION_MNIST_CLASS_NAMES[2] == "pullover"
    for bad in ["boot", 10, -1, True, 2.0]:
        with pytest.raises(ValueError, match="Unknown Fashion-MNIST class"):
            fashion_mnist_class(bad)


def test_domains_are_the_images_of_two_classes():
    from keras_gans.data import read_idx
    from keras_gans.data.catalog import DEBIAN_FASHION_MNIST_DIR

    sneakers, boots = fashion_mnist_domains("sneaker", "ankle_boot", "test")
    assert sneakers.shape == (1000, 28, 28, 1) and boots.shape == (1000, 28, 28, 1)
    # Against the raw files read directly: the same images, in file order.
    raw = read_idx(f"{DEBIAN_FASHION_MNIST_DIR}/t10k-images-idx3-ubyte.gz")
    labels = read_idx(f"{DEBIAN_FASHION_MNIST_DIR}/t10k-labels-idx1-ubyte.gz")
    expected = raw[labels == 9][:, :, :, None].astype("float32") / 127.5 - 1
    np.testing.assert_allclose(boots, expected, atol=1e-6)
    shirts, pullovers = fashion_mnist_domains(6, "pullover", "test", num_examples=50)
    assert len(shirts) == len(pullovers) == 50
    with pytest.raises(ValueError, match="different classes"):
        fashion_mnist_domains("shirt", 6)


def test_domain_checks():
    grey = np.zeros((5, 28, 28, 1), "float32")
    check_unpaired_domains(grey, grey[:3])
    with pytest.raises(ValueError, match="same number of channels"):
        check_unpaired_domains(grey, np.zeros((5, 28, 28, 3), "float32"))
    with pytest.raises(ValueError, match="same size"):
        check_unpaired_domains(grey, np.zeros((5, 32, 32, 1), "float32"))
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        check_unpaired_domains(grey + 2, grey)
    with pytest.raises(ValueError, match="non-empty float array"):
        check_unpaired_domains(grey[:0], grey)
    with pytest.raises(ValueError, match="same number of channels"):
        unpaired_dataset(grey, np.zeros((5, 28, 28, 3), "float32"))


def numbered(count, offset):
    return (
        (np.arange(count, dtype="float32").reshape(-1, 1, 1, 1) + offset)
        / 100
        * np.ones((1, 2, 2, 1), "float32")
    )


def test_batches_pass_over_the_larger_domain_and_cycle_the_smaller():
    larger, smaller = numbered(30, 0), numbered(7, -50)
    dataset = unpaired_dataset(larger, smaller, batch_size=4, seed=0)
    epochs = [list(dataset.as_numpy_iterator()) for _ in range(2)]
    orders = []
    for batches in epochs:
        assert len(batches) == 7  # 30 // 4, the partial batch dropped
        a = np.concatenate([batch[0] for batch in batches])[:, 0, 0, 0]
        b = np.concatenate([batch[1] for batch in batches])[:, 0, 0, 0]
        assert all(batch[0].shape == batch[1].shape == (4, 2, 2, 1) for batch in batches)
        ids_a, ids_b = np.round(a * 100).astype(int), np.round(b * 100).astype(int) + 50
        assert len(set(ids_a)) == 28  # no repeat within a pass over the larger domain
        # The smaller domain is cycled pass by pass: each 7 consecutive draws are all 7 images.
        for start in range(0, 21, 7):
            assert sorted(ids_b[start : start + 7]) == list(range(7))
        orders.append(ids_a)
    assert not np.array_equal(*orders)  # reshuffled every epoch
    # The larger domain may be either one.
    flipped = list(unpaired_dataset(smaller, larger, batch_size=4, seed=0).as_numpy_iterator())
    assert len(flipped) == 7 and flipped[0][0].min() < 0 <= flipped[0][1].min()
    with pytest.raises(ValueError, match="batch_size"):
        unpaired_dataset(smaller, smaller, batch_size=8)
