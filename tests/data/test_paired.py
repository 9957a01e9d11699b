"""Paired tasks: super-resolution, inpainting, denoising, colorization, and their checks."""

import numpy as np
import pytest

from keras_gans.data.paired import check_paired_data
from keras_gans.data.paired import colorization_pairs
from keras_gans.data.paired import denoising_pairs
from keras_gans.data.paired import fashion_mnist_pairs
from keras_gans.data.paired import inpainting_pairs
from keras_gans.data.paired import paired_dataset
from keras_gans.data.paired import super_resolution_pairs


@pytest.fixture(scope="module")
def clothes():
    from keras_gans.data import load_numpy

    return load_numpy("fashion_mnist", "test", num_examples=64)


def test_super_resolution_inputs_are_block_means(clothes):
    for scale, side in [(4, 7), (2, 14)]:
        low, high = super_resolution_pairs(clothes, scale)
        assert low.shape == (64, side, side, 1) and low.dtype == np.float32
        np.testing.assert_array_equal(high, clothes)
        for i, j in [(0, 0), (side - 1, 3), (side // 2, side - 1)]:
            block = clothes[:, i * scale : (i + 1) * scale, j * scale : (j + 1) * scale, 0]
            np.testing.assert_allclose(low[:, i, j, 0], block.mean(axis=(1, 2)), atol=1e-6)
    colour = np.random.default_rng(0).uniform(-1, 1, (2, 8, 12, 3)).astype("float32")
    low, _ = super_resolution_pairs(colour, 4)
    np.testing.assert_allclose(low, colour.reshape(2, 2, 4, 3, 4, 3).mean(axis=(2, 4)), atol=1e-6)
    for scale in [3, 1, 0, 2.0]:
        with pytest.raises(ValueError, match="scale"):
            super_resolution_pairs(clothes, scale)


def test_inpainting_masks_one_square_and_marks_it(clothes):
    inputs, targets = inpainting_pairs(clothes, mask_size=10, seed=0)
    assert inputs.shape == (64, 28, 28, 2) and np.array_equal(targets, clothes)
    mask = inputs[..., 1]
    assert set(np.unique(mask)) == {-1.0, 1.0}
    missing = mask > 0
    tops, lefts = [], []
    for k in range(64):
        rows, columns = np.nonzero(missing[k])
        # One 10x10 square, set to 0; everything else is the target.
        assert missing[k].sum() == 100 and np.ptp(rows) == 9 and np.ptp(columns) == 9
        assert np.all(inputs[k, missing[k], 0] == 0)
        np.testing.assert_array_equal(inputs[k, ~missing[k], 0], clothes[k, ~missing[k], 0])
        tops.append(rows.min())
        lefts.append(columns.min())
    assert len(set(tops)) > 5 and len(set(lefts)) > 5 and max(tops) <= 18
    again, _ = inpainting_pairs(clothes, mask_size=10, seed=0)
    np.testing.assert_array_equal(again, inputs)
    centred, _ = inpainting_pairs(clothes[:2], mask_size=14, position="center")
    assert np.all(centred[:, 7:21, 7:21, 1] == 1) and centred[..., 1].sum() == 2 * (196 - 588)
    with pytest.raises(ValueError, match="mask_size"):
        inpainting_pairs(clothes, mask_size=29)
    with pytest.raises(ValueError, match="position"):
        inpainting_pairs(clothes, position="corner")


def test_denoising_noise_has_the_stated_deviation(clothes):
    grey = np.zeros((200, 28, 28, 1), "float32")
    noisy, clean = denoising_pairs(grey, noise_stddev=0.1, seed=1)
    assert np.array_equal(clean, grey)
    # 156,800 draws: the sample mean and deviation are within 0.1% of the truth.
    assert abs(noisy.mean()) < 1e-3 and noisy.std() == pytest.approx(0.1, rel=0.01)
    noisy, _ = denoising_pairs(clothes, seed=2)  # default stddev 0.5, clipped to [-1, 1]
    assert noisy.min() >= -1 and noisy.max() <= 1 and noisy.dtype == np.float32
    # Mid-grey pixels are rarely clipped (2 sd): their noise has nearly the full deviation.
    noisy_grey, _ = denoising_pairs(grey, seed=3)
    assert noisy_grey.std() == pytest.approx(0.5 * 0.959, rel=0.01)  # N(0, 1) clipped at 2: 0.959
    np.testing.assert_array_equal(denoising_pairs(clothes, seed=2)[0], noisy)
    with pytest.raises(ValueError, match="noise_stddev"):
        denoising_pairs(clothes, noise_stddev=0)


def test_colorization_input_is_luma():
    colour = np.random.default_rng(3).uniform(-1, 1, (4, 6, 5, 3)).astype("float32")
    grey, targets = colorization_pairs(colour)
    expected = 0.299 * colour[..., 0] + 0.587 * colour[..., 1] + 0.114 * colour[..., 2]
    assert grey.shape == (4, 6, 5, 1)
    np.testing.assert_allclose(grey[..., 0], expected, atol=1e-6)
    np.testing.assert_array_equal(targets, colour)
    with pytest.raises(ValueError, match="3 channels"):
        colorization_pairs(colour[..., :1])


def test_fashion_mnist_tasks(clothes):
    expected = {
        "super_resolution_x4": (7, 1),
        "super_resolution_x2": (14, 1),
        "inpainting": (28, 2),
        "denoising": (28, 1),
    }
    for task, (side, channels) in expected.items():
        inputs, targets = fashion_mnist_pairs(task, "test", num_examples=64, seed=0)
        assert inputs.shape == (64, side, side, channels), task
        np.testing.assert_array_equal(targets, clothes)
        assert inputs.min() >= -1 and inputs.max() <= 1
    inputs, _ = fashion_mnist_pairs("inpainting", "test", num_examples=8, mask_size=4)
    assert np.all((inputs[..., 1] > 0).sum(axis=(1, 2)) == 16)
    with pytest.raises(ValueError, match="Unknown task"):
        fashion_mnist_pairs("colorization", "test")


def test_paired_data_checks_and_dataset(clothes):
    low, high = super_resolution_pairs(clothes, 4)
    assert check_paired_data(low, high) == 4
    assert check_paired_data(*inpainting_pairs(clothes)) == 1
    with pytest.raises(ValueError, match="same number of examples"):
        check_paired_data(low[:10], high)
    with pytest.raises(ValueError, match="integer factor"):
        check_paired_data(low, high[:, :, :14])
    with pytest.raises(ValueError, match="integer factor"):
        check_paired_data(high, low)
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        check_paired_data(low * 255, high)
    with pytest.raises(ValueError, match="float array"):
        check_paired_data(low[0], high[0])
    with pytest.raises(ValueError, match="same number of examples"):
        paired_dataset(low, high[:3])
    batches = list(paired_dataset(low, high, batch_size=16, shuffle=False).as_numpy_iterator())
    assert len(batches) == 4
    inputs, targets = batches[1]
    np.testing.assert_array_equal(inputs, low[16:32])
    np.testing.assert_array_equal(targets, high[16:32])
