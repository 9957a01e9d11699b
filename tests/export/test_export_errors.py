"""Bad export requests get clear errors, and nothing on disk is lost or left behind."""

import os

import keras
import numpy as np
import pytest

from keras_gans import export
from keras_gans import models
from keras_gans import networks


def _ring_gan():
    generator = networks.mlp_generator(2, 2, hidden_units=(8,))
    discriminator = networks.mlp_discriminator(2, hidden_units=(8,))
    return models.GAN(generator, discriminator, latent_dim=2, seed=0)


def _bicubic_gan():
    """A generator with bicubic upsampling, which LiteRT has no builtin kernel for."""
    generator = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(16, activation="tanh"),
            keras.layers.Reshape((4, 4, 1)),
            keras.layers.UpSampling2D(2, interpolation="bicubic"),
        ],
        name="generator",
    )
    discriminator = networks.mlp_discriminator(64, hidden_units=(8,))
    discriminator = keras.Sequential(
        [keras.Input((8, 8, 1)), keras.layers.Flatten(), discriminator], name="discriminator"
    )
    return models.GAN(generator, discriminator, latent_dim=4, seed=0)


def _snapshot(folder):
    """{relative path: bytes} of every file under `folder`."""
    files = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                files[os.path.relpath(path, folder)] = f.read()
    return files


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"format": "pb"},
            "Unknown export format. Known formats: saved_model, tflite, onnx. Received: format='pb'",
        ),
        (
            {"format": "tflite", "quantization": "int4"},
            "Unknown quantization. .* Received: quantization='int4'",
        ),
        ({"quantization": "int8"}, "quantization applies to format='tflite' and format='onnx'"),
        ({"format": "onnx", "version": 2}, "version applies to format='saved_model' only"),
        ({"version": -1}, "version must be a non-negative integer. Received: version=-1"),
        ({"version": "1"}, "version must be a non-negative integer"),
        ({"format": "tflite"}, r"ends with \.tflite. Received: path="),
        ({"format": "onnx", "representative_data": np.zeros((4, 2))}, "calibrates int8 quantization only"),
        ({"uint8": True}, "uint8=True needs image samples"),
        ({"format": "tflite", "generator_kwargs": {"noise_mode": "random"}}, "noise_mode='random'"),
        ({"generator_kwargs": {"f": print}}, "generator_kwargs must be JSON values"),
    ],
)
def test_bad_options_are_refused_before_anything_is_written(tmp_path, kwargs, message):
    target = tmp_path / "new" / "gan"
    with pytest.raises(ValueError, match=message):
        export.export_generator(_ring_gan(), target, **kwargs)
    assert os.listdir(tmp_path) == []


def test_bad_calibration_data_is_refused(tmp_path):
    gan = _ring_gan()
    path = tmp_path / "gan.tflite"
    with pytest.raises(ValueError, match=r"representative_data\['z'\] must have shape \(None, 2\)"):
        export.export_generator(
            gan, path, format="tflite", quantization="int8", representative_data=np.zeros((8, 3))
        )
    with pytest.raises(ValueError, match=r"must have exactly the keys \['z'\]"):
        export.export_generator(
            gan, path, format="tflite", quantization="int8", representative_data={"latents": np.zeros((8, 2))}
        )
    with pytest.raises(ValueError, match="num_calibration_samples must be a positive integer"):
        export.export_generator(gan, path, format="tflite", quantization="int8", num_calibration_samples=0)
    assert os.listdir(tmp_path) == []


def test_a_non_model_is_refused(tmp_path):
    with pytest.raises(ValueError, match="needs a keras_gans model"):
        export.export_generator(networks.mlp_generator(2, 2), tmp_path / "g")


def test_existing_targets_are_kept_without_overwrite(tmp_path):
    gan = _ring_gan()
    (tmp_path / "gan.onnx").write_bytes(b"the user's file")
    (tmp_path / "serving" / "3").mkdir(parents=True)
    (tmp_path / "serving" / "3" / "notes.txt").write_text("keep me")
    (tmp_path / "folder.tflite").mkdir()
    before = _snapshot(tmp_path)
    with pytest.raises(FileExistsError, match="gan.onnx already exists; pass overwrite=True"):
        export.export_generator(gan, tmp_path / "gan.onnx", format="onnx")
    with pytest.raises(FileExistsError, match="already exists; pass overwrite=True .* or another version"):
        export.export_generator(gan, tmp_path / "serving", version=3)
    # A folder is never replaced by a file (nor a file by a SavedModel folder).
    with pytest.raises(FileExistsError, match="is not a file; it is never replaced"):
        export.export_generator(gan, tmp_path / "folder.tflite", format="tflite", overwrite=True)
    (tmp_path / "plain").mkdir()
    (tmp_path / "plain" / "1").write_text("a file named like a version")
    with pytest.raises(FileExistsError, match="is not a folder"):
        export.export_generator(gan, tmp_path / "plain", overwrite=True)
    assert _snapshot(tmp_path) == dict(before, **{os.path.join("plain", "1"): b"a file named like a version"})


def test_overwrite_replaces_only_a_complete_export(tmp_path):
    gan = _ring_gan()
    target = tmp_path / "exports" / "gan.tflite"
    target.parent.mkdir()
    target.write_bytes(b"old")
    path = export.export_generator(gan, target, format="tflite", overwrite=True)
    assert path == str(target)
    assert os.listdir(target.parent) == ["gan.tflite"]  # no temporary folder left
    from ai_edge_litert.interpreter import Interpreter

    runner = Interpreter(model_path=path).get_signature_runner()
    z = np.random.default_rng(0).standard_normal((3, 2)).astype("float32")
    expected = keras.ops.convert_to_numpy(gan.generator(z, training=False))
    np.testing.assert_allclose(runner(z=z)["images"], expected, atol=1e-5)


def test_a_failed_conversion_leaves_nothing_behind(tmp_path):
    gan = _bicubic_gan()
    existing = tmp_path / "old.tflite"
    existing.write_bytes(b"previous export")
    with pytest.raises(ValueError) as raised:
        export.export_generator(gan, existing, format="tflite", overwrite=True)
    message = str(raised.value)
    assert "GAN cannot be exported to LiteRT" in message
    assert "ops without a LiteRT builtin kernel: ResizeBicubic" in message
    assert "Received: format='tflite'" in message
    assert existing.read_bytes() == b"previous export"
    # Folders the call created for a new target are removed again.
    with pytest.raises(ValueError, match="cannot be exported to LiteRT"):
        export.export_generator(gan, tmp_path / "a" / "b" / "gan.tflite", format="tflite")
    assert sorted(os.listdir(tmp_path)) == ["old.tflite"]


def test_export_generators_checks_every_entry_first(tmp_path):
    gan = _ring_gan()
    good = {"path": str(tmp_path / "gan.onnx"), "format": "onnx"}
    with pytest.raises(ValueError, match="Unknown quantization"):
        export.export_generators(
            gan, [good, {"path": str(tmp_path / "x.onnx"), "format": "onnx", "quantization": "int2"}]
        )
    with pytest.raises(ValueError, match="Two exports have the same path"):
        export.export_generators(gan, [good, dict(good)])
    with pytest.raises(ValueError, match="Each export is a dict with a 'path'"):
        export.export_generators(gan, [good, {"path": "y.onnx", "fromat": "onnx"}])
    with pytest.raises(ValueError, match="exports must be a non-empty list"):
        export.export_generators(gan, [])
    assert os.listdir(tmp_path) == []
