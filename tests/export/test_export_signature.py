"""Serving signatures: the default ones, a custom image-to-image one, and the
int8 calibration inputs drawn for them."""

import json
import os
import subprocess
import sys

import keras
import numpy as np
import pytest

from keras_gans import export
from keras_gans import models
from keras_gans import networks
from keras_gans.export.calibration import calibration_batches

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_default_signatures():
    gan = models.GAN(networks.mlp_generator(3, 2), networks.mlp_discriminator(2), latent_dim=3)
    signature = export.serving_signature(gan)
    assert signature.input_names == ["z"]
    assert signature.spec("z").shape == (None, 3) and signature.spec("z").dtype == "float32"
    assert signature.num_classes is None and signature.label_input is None
    cgan = models.ConditionalGAN(num_classes=4, image_shape=(8, 8, 1), latent_dim=5)
    signature = export.serving_signature(cgan)
    assert signature.input_names == ["z", "labels"]
    assert signature.spec("labels").shape == (None,) and signature.spec("labels").dtype == "int32"
    assert (signature.num_classes, signature.label_input) == (4, "labels")
    assert signature.describe() == "z float32 [None, 5], labels int32 [None]"


def test_signature_arguments_are_checked():
    spec = keras.InputSpec(shape=(None, 2), dtype="float32", name="z")
    with pytest.raises(ValueError, match="distinct names"):
        export.ServingSignature([spec, spec], lambda t: t["z"])
    with pytest.raises(ValueError, match=r"free batch dimension .* Received: z shape=\(4, 2\)"):
        export.ServingSignature([keras.InputSpec(shape=(4, 2), name="z")], lambda t: t["z"])
    with pytest.raises(ValueError, match="num_classes and label_input go together"):
        export.ServingSignature([spec], lambda t: t["z"], num_classes=3)
    with pytest.raises(ValueError, match="No serving input may be named 'images'"):
        export.ServingSignature([keras.InputSpec(shape=(None, 2), name="images")], lambda t: t)
    with pytest.raises(ValueError, match="label_input must name one of the inputs"):
        export.ServingSignature([spec], lambda t: t["z"], num_classes=3, label_input="y")


def test_drawn_calibration_inputs():
    cgan = models.ConditionalGAN(num_classes=3, image_shape=(8, 8, 1), latent_dim=4)
    data = export.representative_inputs(export.serving_signature(cgan), num_samples=10, seed=7)
    np.testing.assert_array_equal(
        data["z"], np.random.default_rng(7).standard_normal((10, 4)).astype("float32")
    )
    np.testing.assert_array_equal(data["labels"], [0, 1, 2, 0, 1, 2, 0, 1, 2, 0])
    assert data["labels"].dtype == np.int32
    batches = list(calibration_batches(data, batch_size=4))
    assert [len(b["z"]) for b in batches] == [4, 4, 2]
    np.testing.assert_array_equal(np.concatenate([b["labels"] for b in batches]), data["labels"])
    given = export.representative_inputs(
        export.serving_signature(cgan),
        representative_data={"z": np.ones((2, 4)), "labels": np.array([2.0, 1.0])},
    )
    assert given["z"].dtype == np.float32 and given["labels"].dtype == np.int32
    with pytest.raises(ValueError, match="same non-zero number of samples"):
        export.representative_inputs(
            export.serving_signature(cgan),
            representative_data={"z": np.ones((2, 4)), "labels": np.array([2])},
        )


# An image-to-image model (images -> images) with its own signature, exported
# in a TensorFlow-backend process (such a model is not a preset, so the
# subprocess route of other backends cannot rebuild it; see the test below).
IMAGE_TO_IMAGE = r"""
import json, os, sys
import keras
import numpy as np
from keras_gans import export

class Translator:
    image_shape = (8, 8, 3)

    def __init__(self):
        inputs = keras.Input((8, 8, 3))
        x = keras.layers.Conv2D(4, 3, padding="same", activation="relu")(inputs)
        self.generator = keras.Model(inputs, keras.layers.Conv2D(3, 3, padding="same", activation="tanh")(x))

    def sampling_generator(self):
        return self.generator

    def serving_signature(self):
        return export.ServingSignature(
            [keras.InputSpec(shape=(None, 8, 8, 3), dtype="float32", name="source")],
            lambda tensors: tensors["source"],
        )

folder = sys.argv[1]
keras.utils.set_random_seed(0)
model = Translator()
images = np.random.default_rng(0).uniform(-1, 1, (5, 8, 8, 3)).astype("float32")
expected = keras.ops.convert_to_numpy(model.generator(images))
report = {}
try:
    export.export_generator(model, os.path.join(folder, "int8.tflite"), format="tflite", quantization="int8")
except ValueError as error:
    report["undrawable"] = str(error)
paths = export.export_generators(model, [
    {"path": os.path.join(folder, "sm")},
    {"path": os.path.join(folder, "t.tflite"), "format": "tflite"},
    {"path": os.path.join(folder, "o.onnx"), "format": "onnx"},
    {"path": os.path.join(folder, "int8.onnx"), "format": "onnx", "quantization": "int8"},
], representative_data=np.random.default_rng(1).uniform(-1, 1, (32, 8, 8, 3)))
for name, path in zip(["sm", "t.tflite", "o.onnx", "int8.onnx"], paths):
    exported = export.load_exported(path)
    report[name] = {
        "inputs": exported.input_names,
        "error": float(np.abs(exported(source=images) - expected).max()),
    }
print(json.dumps(report))
"""


def test_an_image_to_image_signature_exports_in_every_format(tmp_path):
    env = dict(os.environ, KERAS_BACKEND="tensorflow", TF_CPP_MIN_LOG_LEVEL="3")
    env["PYTHONPATH"] = os.pathsep.join([REPO] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    result = subprocess.run(
        [sys.executable, "-c", IMAGE_TO_IMAGE, str(tmp_path)], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert "int8 calibration cannot draw the input 'source'" in report["undrawable"]
    assert "representative_data={'source': arrays}" in report["undrawable"]
    for name in ("sm", "t.tflite", "o.onnx"):
        assert report[name]["inputs"] == ["source"]
        assert report[name]["error"] <= 1e-4, (name, report[name])
    # 7-bit weights (see keras_gans.export.onnx_model): 0.015 here, 0.2 with 8 bits on AVX2 CPUs.
    assert 0 < report["int8.onnx"]["error"] < 0.05


def test_a_model_that_is_no_preset_exports_only_under_tensorflow(tmp_path):
    generator = networks.mlp_generator(2, 2, hidden_units=(4,))

    class Bare:  # a generator and a sample shape, but no Keras config to rebuild it from
        image_shape = (2,)
        latent_dim = 2
        num_classes = None

        def sampling_generator(self):
            return generator

        def generator_inputs(self, z, labels):
            return z

    target = tmp_path / "bare.onnx"
    if keras.backend.backend() == "tensorflow":
        export.export_generator(Bare(), target, format="onnx")
        assert target.is_file()
    else:
        with pytest.raises(ValueError, match="could not be saved as a preset.*KERAS_BACKEND=tensorflow"):
            export.export_generator(Bare(), target, format="onnx")
        assert os.listdir(tmp_path) == []
