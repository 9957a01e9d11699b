"""`load_exported` runs any export in its own runtime."""

import os
import shutil

import numpy as np
import pytest
from export_helpers import latent_inputs
from export_helpers import run_exported

from keras_gans import export


def test_every_format_runs_through_load_exported(zoo_models, zoo_exports):
    model = zoo_models["cgan_fashion_mnist"]
    inputs = latent_inputs(model, 7, seed=9)
    exports = zoo_exports["cgan_fashion_mnist"]
    saved_model = export.load_exported(exports[("saved_model", None)], num_threads=1)
    assert saved_model.format == "saved_model" and saved_model.input_names == ["labels", "z"]
    float32 = saved_model(**inputs)
    for (format, quantization), path in exports.items():
        if format == "saved_model":
            continue
        exported = export.load_exported(path, num_threads=1)
        assert exported.format == format and exported.input_names == ["labels", "z"]
        images = exported(**inputs)
        np.testing.assert_array_equal(images, run_exported(path, inputs))
        tolerance = {None: 1e-4, "float16": 1e-2, "int8": 1.0}[quantization]
        assert np.abs(images - float32).max() <= tolerance, (format, quantization)
    with pytest.raises(ValueError, match=r"takes the inputs \['labels', 'z'\]. Received: \['z'\]"):
        saved_model(z=inputs["z"])


def test_a_base_folder_serves_its_newest_version(zoo_exports, tmp_path):
    version_1 = zoo_exports["dcgan_fashion_mnist"][("saved_model", None)]
    shutil.copytree(version_1, tmp_path / "base" / "1")
    shutil.copytree(version_1, tmp_path / "base" / "12")
    os.makedirs(tmp_path / "base" / "3")  # not a SavedModel: ignored
    assert export.load_exported(tmp_path / "base").path == str(tmp_path / "base" / "12")
    with pytest.raises(FileNotFoundError, match="neither a SavedModel folder nor a base folder"):
        export.load_exported(tmp_path / "base" / "3")
    with pytest.raises(ValueError, match="Expected a SavedModel folder, a .tflite file or an .onnx file"):
        export.load_exported(tmp_path / "model.h5")
