"""The standard layer checks: every layer of keras_gans.layers runs them, and they
catch what they are meant to catch."""

import os
import re

import keras
import pytest

from keras_gans import layers

from testing import IMAGES
from testing import run_layer_checks


def test_image_to_image_layers_pass_the_standard_checks():
    run_layer_checks(
        layers.DepthToSpace,
        dict(block_size=2),
        IMAGES[..., :2].repeat(2, -1),
        expected_output_shape=(4, 16, 16, 1),
    )
    run_layer_checks(
        layers.ReflectionPadding2D,
        dict(padding=((1, 2), (0, 3))),
        IMAGES,
        expected_output_shape=(4, 11, 11, 3),
    )
    # at_sampling=False: inference calls are the identity, so outputs can be compared.
    run_layer_checks(
        layers.SamplingDropout,
        dict(rate=0.3, at_sampling=False, seed=4),
        IMAGES,
        expected_output_shape=(4, 8, 8, 3),
    )


def test_every_exported_layer_runs_the_standard_checks():
    folder = os.path.dirname(os.path.abspath(__file__))
    sources = "".join(open(os.path.join(folder, f)).read() for f in os.listdir(folder) if f.endswith(".py"))
    checked = set(re.findall(r"run_layer_checks\(\s*(?:layers\.)?(\w+)", sources))
    # Layers only: ReferenceBatchModel is a keras.Model (a network plus its reference
    # batch), checked by tests/layers/test_vbn_reference_mode.py (save, reload, training).
    exported = {
        name
        for name in layers.__all__
        if isinstance(getattr(layers, name), type) and not issubclass(getattr(layers, name), keras.Model)
    }
    assert exported - checked == set()


@keras.saving.register_keras_serializable(package="keras_gans_tests")
class _ScaleForgetsItsFactor(keras.layers.Layer):
    """A layer whose get_config drops an init argument."""

    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, inputs):
        return inputs * self.factor

    def get_config(self):
        config = super().get_config()  # Keras records the init arguments by itself...
        config.pop("factor", None)  # ...so drop one, as a hand-written get_config might
        return config


@keras.saving.register_keras_serializable(package="keras_gans_tests")
class _ScaleKeepsItsFactor(_ScaleForgetsItsFactor):
    def get_config(self):
        return {**keras.layers.Layer.get_config(self), "factor": self.factor}


def test_the_checks_catch_a_config_that_loses_an_argument():
    with pytest.raises(AssertionError, match="lacks the init argument 'factor'"):
        run_layer_checks(_ScaleForgetsItsFactor, dict(factor=3.0), IMAGES)
    run_layer_checks(_ScaleKeepsItsFactor, dict(factor=3.0), IMAGES, expected_output_shape=IMAGES.shape)
