"""MetricsEvaluator (and SampleGrid's scatter plots) in a real tiny GAN run on
2D data."""

import keras
import numpy as np
import pytest
from PIL import Image

from keras_gans.callbacks import MetricsEvaluator
from keras_gans.callbacks import SampleGrid
from keras_gans.callbacks import scatter_image
from keras_gans.data import mixture
from keras_gans.metrics import evaluate_generator
from keras_gans.models import GAN
from keras_gans.networks import mlp_discriminator
from keras_gans.networks import mlp_generator


def test_metrics_land_in_logs_and_history_every_n_epochs(tmp_path):
    gan = GAN(generator=mlp_generator(4, 2, (16,)), discriminator=mlp_discriminator(2, (16,)), latent_dim=4)
    gan.compile(g_optimizer=keras.optimizers.Adam(1e-3), d_optimizer=keras.optimizers.Adam(1e-3))
    real = mixture("grid", 256, seed=0)
    evaluator = MetricsEvaluator(
        real, every=2, extractor="raw", num_samples=200, kid_subset_size=50, kid_num_subsets=5
    )
    grid = SampleGrid(tmp_path, num_samples=100, every=4)
    history = gan.fit(real, batch_size=64, epochs=4, verbose=0, callbacks=[evaluator, grid])
    assert [entry["epoch"] for entry in evaluator.history] == [2, 4]
    assert len(history.history["fid"]) == 2 and len(history.history["kid_std"]) == 2
    assert history.history["fid"][-1] == evaluator.history[-1]["fid"]
    # The last evaluation is the final generator's, under the same protocol.
    expected = evaluate_generator(
        gan, real, extractor="raw", num_samples=200, kid_subset_size=50, kid_num_subsets=5
    )
    assert history.history["fid"][-1] == pytest.approx(expected["fid"], rel=1e-6)
    assert history.history["kid"][-1] == pytest.approx(expected["kid"], rel=1e-6)
    # 2D samples are drawn as a scatter plot.
    saved = np.asarray(Image.open(tmp_path / "epoch_004.png"))
    np.testing.assert_array_equal(saved, scatter_image(gan.generate(100, seed=0))[..., 0])


def test_bad_arguments():
    with pytest.raises(ValueError, match="every must be"):
        MetricsEvaluator(mixture("ring", 10), every=0)
    with pytest.raises(ValueError, match="Known metrics"):
        MetricsEvaluator(mixture("ring", 10), metrics=("is",))
