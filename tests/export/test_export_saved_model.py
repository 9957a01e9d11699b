"""TF Serving export: a fresh TensorFlow-only process reproduces the generator.

Models are built and trained (a few steps) under the running Keras backend, so
the suite run with KERAS_BACKEND=jax or torch checks the TensorFlow-subprocess
route (the model rebuilt from a preset), and tensorflow the in-process one.
"""

import json
import os
import subprocess
import sys

import keras
import numpy as np

from keras_gans import export
from keras_gans import models
from keras_gans import networks

LATENT_DIM = 8
NUM_CLASSES = 3

# Runs in a fresh interpreter that imports TensorFlow and NumPy only.
SERVING_CLIENT = r"""
import json, sys
import numpy as np
import tensorflow as tf

jobs = json.loads(sys.argv[1])
results = {}
for name, job in jobs.items():
    signature = tf.saved_model.load(job["path"]).signatures["serving_default"]
    inputs = {"z": tf.constant(np.load(job["z"]))}
    if "labels" in job:
        inputs["labels"] = tf.constant(np.load(job["labels"]))
    outputs = signature(**inputs)
    images = outputs["images"].numpy()
    np.save(job["out"], images)
    results[name] = {
        "keys": sorted(outputs),
        "dtype": images.dtype.name,
        "inputs": sorted(signature.structured_input_signature[1]),
    }
# Bad labels: out of range (both sides) and not integers.
conditional = tf.saved_model.load(jobs["uint8"]["path"]).signatures["serving_default"]
z = tf.constant(np.load(jobs["uint8"]["z"]))[:2]
label_errors = {}
for name, labels in {"too_large": [0, 3], "negative": [-1, 0], "float": [0.0, 1.0]}.items():
    try:
        conditional(z=z, labels=tf.constant(labels))
        label_errors[name] = None
    except Exception as error:
        label_errors[name] = [type(error).__name__, str(error)]
results["label_errors"] = label_errors
# `saved_model_cli show --dir ... --all`, through the console script's entry point.
import contextlib, io
from tensorflow.python.tools import saved_model_cli

listing = io.StringIO()
sys.argv = ["saved_model_cli", "show", "--dir", jobs["uint8"]["path"], "--all"]
with contextlib.redirect_stdout(listing):
    try:
        saved_model_cli.main()
    except SystemExit as exit:
        assert not exit.code, exit.code
# TensorFlow may load keras (tf.keras) itself; keras_gans must stay out.
leaked = sorted(m for m in sys.modules if m.split(".")[0] == "keras_gans")
print(json.dumps({"results": results, "leaked": leaked, "listing": listing.getvalue()}))
"""


def _env():
    return dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")


def _trained_image_gan():
    generator = networks.dcgan_generator(latent_dim=LATENT_DIM, image_shape=(8, 8, 1), filters=4)
    discriminator = networks.dcgan_discriminator(image_shape=(8, 8, 1), filters=4)
    gan = models.GAN(generator, discriminator, latent_dim=LATENT_DIM, seed=0)
    gan.compile()
    images = np.random.default_rng(0).uniform(-1, 1, (32, 8, 8, 1)).astype("float32")
    gan.fit(images, batch_size=16, epochs=1, verbose=0)
    return gan


def _trained_conditional_gan():
    gan = models.ConditionalGAN(num_classes=NUM_CLASSES, image_shape=(8, 8, 1), latent_dim=LATENT_DIM, seed=0)
    gan.compile()
    rng = np.random.default_rng(1)
    gan.fit(
        rng.uniform(-1, 1, (32, 8, 8, 1)).astype("float32"),
        rng.integers(0, NUM_CLASSES, 32).astype("int32"),
        batch_size=16,
        epochs=1,
        verbose=0,
    )
    return gan


def _to_uint8(images):
    return np.round(np.clip((images.astype(np.float64) + 1.0) * 127.5, 0, 255)).astype(np.uint8)


def _numpy(x):
    return keras.ops.convert_to_numpy(x)


def test_exported_signature_matches_generator_in_a_fresh_tensorflow_process(tmp_path):
    gan = _trained_image_gan()
    cgan = _trained_conditional_gan()
    float_dir = export.export_generator(gan, tmp_path / "dcgan", version=1)
    uint8_dir = export.export_generator(cgan, str(tmp_path / "cgan"), version=7, uint8=True)
    assert float_dir == os.path.join(str(tmp_path / "dcgan"), "1")
    assert uint8_dir == os.path.join(str(tmp_path / "cgan"), "7")
    for path in (float_dir, uint8_dir):
        assert sorted(os.listdir(os.path.dirname(path))) == [os.path.basename(path)]
        assert os.path.isfile(os.path.join(path, "saved_model.pb"))
        assert os.path.isdir(os.path.join(path, "variables"))

    rng = np.random.default_rng(2)
    z = rng.normal(size=(6, LATENT_DIM)).astype("float32")
    labels = np.array([0, 2, 1, 2, 0, 1], "int32")
    np.save(tmp_path / "z.npy", z)
    np.save(tmp_path / "labels.npy", labels)
    shifted = (labels + 1) % NUM_CLASSES
    np.save(tmp_path / "shifted.npy", shifted)
    jobs = {
        "float": {"path": float_dir, "z": str(tmp_path / "z.npy"), "out": str(tmp_path / "float.npy")},
        "uint8": {
            "path": uint8_dir,
            "z": str(tmp_path / "z.npy"),
            "labels": str(tmp_path / "labels.npy"),
            "out": str(tmp_path / "uint8.npy"),
        },
        "shifted": {
            "path": uint8_dir,
            "z": str(tmp_path / "z.npy"),
            "labels": str(tmp_path / "shifted.npy"),
            "out": str(tmp_path / "shifted_out.npy"),
        },
    }
    result = subprocess.run(
        [sys.executable, "-c", SERVING_CLIENT, json.dumps(jobs)],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["leaked"] == []  # the client ran without keras_gans
    assert report["results"]["float"] == {"keys": ["images"], "dtype": "float32", "inputs": ["z"]}
    assert report["results"]["uint8"] == {"keys": ["images"], "dtype": "uint8", "inputs": ["labels", "z"]}
    errors = report["results"]["label_errors"]
    assert errors["too_large"][0] == "InvalidArgumentError"
    message = f"labels must be class indices in [0, {NUM_CLASSES}); got a label >= {NUM_CLASSES}"
    assert message in errors["too_large"][1]
    assert errors["negative"][0] == "InvalidArgumentError"
    assert "got a negative label" in errors["negative"][1]
    # A float tensor does not match the int32 signature: refused before running.
    assert errors["float"] is not None
    assert errors["float"][0] in ("TypeError", "ValueError", "InvalidArgumentError")

    expected = _numpy(gan.generator(z, training=False))
    served = np.load(tmp_path / "float.npy")
    assert served.shape == (6, 8, 8, 1)
    np.testing.assert_allclose(served, expected, atol=1e-5)

    expected_conditional = _numpy(cgan.generator([z, labels[:, None]], training=False))
    served_uint8 = np.load(tmp_path / "uint8.npy")
    reference_uint8 = _to_uint8(expected_conditional)
    assert served_uint8.shape == (6, 8, 8, 1)
    # Values within float error of a .5 boundary may round either way.
    assert np.abs(served_uint8.astype(int) - reference_uint8).max() <= 1
    assert np.mean(served_uint8 == reference_uint8) > 0.99
    # The labels input is wired: other labels give the Keras images of those labels.
    other_float = _numpy(cgan.generator([z, shifted[:, None]], training=False))
    assert np.abs(other_float - expected_conditional).max() > 1e-3  # the model depends on its labels
    served_shifted = np.load(tmp_path / "shifted_out.npy")
    assert np.abs(served_shifted.astype(int) - _to_uint8(other_float)).max() <= 1
    assert np.mean(served_shifted == _to_uint8(other_float)) > 0.99
    assert (served_shifted != served_uint8).any()

    # saved_model_cli (shipped with TensorFlow) lists the signature.
    listing = report["listing"]
    assert "signature_def['serving_default']" in listing
    assert "inputs['z'] tensor_info:" in listing
    assert "inputs['labels'] tensor_info:" in listing
    assert "outputs['images'] tensor_info:" in listing
    assert f"shape: (-1, {LATENT_DIM})" in listing
    assert "DT_INT32" in listing and "DT_UINT8" in listing
