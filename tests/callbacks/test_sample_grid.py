"""SampleGrid with real tiny GAN runs."""

import os

import keras
import numpy as np
import pytest
from PIL import Image

from keras_gans.callbacks import SampleGrid
from keras_gans.callbacks import image_grid
from keras_gans.callbacks import scatter_image
from keras_gans.models import GAN


def tiny_image_gan():
    generator = keras.Sequential(
        [
            keras.Input((8,)),
            keras.layers.Dense(16, activation="tanh"),
            keras.layers.Reshape((4, 4, 1)),
        ]
    )
    discriminator = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    gan = GAN(generator=generator, discriminator=discriminator, latent_dim=8)
    gan.compile(g_optimizer=keras.optimizers.Adam(1e-2), d_optimizer=keras.optimizers.Adam(1e-2))
    return gan


def test_image_grid_layout():
    images = np.linspace(-1, 1, 5 * 3 * 2 * 1).reshape(5, 3, 2, 1)
    grid = image_grid(images, padding=1)
    # 5 images -> 3 columns, 2 rows; tiles of 3x2 with 1-pixel white borders.
    assert grid.shape == (2 * 3 + 3, 3 * 2 + 4, 1) and grid.dtype == np.uint8
    expected = np.round((images + 1) * 127.5).astype(np.uint8)
    np.testing.assert_array_equal(grid[1:4, 1:3], expected[0])
    np.testing.assert_array_equal(grid[5:8, 4:6], expected[4])  # row 1, column 1
    assert np.all(grid[5:8, 7:9] == 255)  # the empty sixth tile
    rgb = image_grid(np.zeros((4, 2, 2, 3)), num_rows=1, padding=0)
    assert rgb.shape == (2, 8, 3) and np.all(rgb == 128)
    with pytest.raises(ValueError, match="1 or 3"):
        image_grid(np.zeros((2, 4, 4, 2)))


def test_scatter_image_marks_points():
    points = np.array([[1.0, 1.0], [-1.0, -1.0], [np.nan, 0.0]])
    picture = scatter_image(points, size=64, plot_range=2.0)
    assert picture.shape == (64, 64, 1)
    # (1, 1) is in the upper-right quadrant, (-1, -1) in the lower-left one.
    assert picture[:32, 32:].min() == 0 and picture[32:, :32].min() == 0
    assert picture[:31, :31].min() == 255 and picture[33:, 33:].min() == 255


def test_sample_grid_writes_fixed_noise_pngs_and_tensorboard(tmp_path):
    gan = tiny_image_gan()
    images = np.random.default_rng(0).uniform(-1, 1, size=(64, 4, 4, 1)).astype("float32")
    callback = SampleGrid(
        tmp_path / "samples", num_samples=9, every=2, seed=3, tensorboard_dir=str(tmp_path / "tb")
    )
    gan.fit(images, batch_size=32, epochs=4, verbose=0, callbacks=[callback])
    assert sorted(os.listdir(tmp_path / "samples")) == ["epoch_002.png", "epoch_004.png"]
    saved = np.asarray(Image.open(tmp_path / "samples" / "epoch_004.png"))
    # The last picture is the grid of the final generator on the fixed noise.
    np.testing.assert_array_equal(saved, image_grid(gan.generate(9, seed=3))[..., 0])
    assert not np.array_equal(saved, np.asarray(Image.open(tmp_path / "samples" / "epoch_002.png")))
    with pytest.raises(ValueError, match="every"):
        SampleGrid(tmp_path, every=0)

    import tensorflow as tf

    summaries = []
    for event_file in os.listdir(tmp_path / "tb"):
        for event in tf.compat.v1.train.summary_iterator(str(tmp_path / "tb" / event_file)):
            summaries += [(event.step, value) for value in event.summary.value]
    assert [(step, value.tag) for step, value in summaries] == [(2, "samples"), (4, "samples")]
    value = summaries[-1][1]
    assert value.metadata.plugin_data.plugin_name == "images"
    width, height, png = value.tensor.string_val
    assert (int(width), int(height)) == (saved.shape[1], saved.shape[0])
    np.testing.assert_array_equal(tf.io.decode_png(png).numpy()[..., 0], saved)
