"""Your own images (issue 14 item 5): `keras_gans.data.load("path/to/folder")`
and `keras-gans train <variant> --dataset path/to/folder`, end to end on
folders of generated PNGs, and every bad input with its message."""

import json
import os
import re

import keras
import numpy as np
import pytest
from PIL import Image

from keras_gans import cli
from keras_gans import data
from keras_gans import presets

SMALL_NETWORKS = [
    "--set",
    'generator={"network": "dcgan_generator", "args": {"filters": 8}}',
    "--set",
    'discriminator={"network": "dcgan_discriminator", "args": {"filters": 8}}',
    "--latent-dim",
    "8",
]


def run(capsys, *argv):
    status = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def assert_one_error_line(status, err, pattern):
    assert status != 0 and "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("keras-gans: error: "), err
    assert re.search(pattern, lines[0]), lines[0]


def write_png(path, array):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    Image.fromarray(array).save(path)
    return path


def grey_folder(root, count=24, size=16, seed=0):
    """`count` grey PNGs of blurred blobs, in two nested subfolders; their pixels."""
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:size, :size]
    pixels = {}
    for i in range(count):
        cy, cx = rng.uniform(3, size - 3, 2)
        blob = np.exp(-((yy - cy) ** 2 + (xx - cx) ** 2) / 8.0)
        array = np.round(255 * blob).astype(np.uint8)
        name = os.path.join("outdoor" if i % 2 else "indoor", f"{i // 2:02d}", f"blob_{i:02d}.png")
        pixels[os.path.join(root, name)] = write_png(os.path.join(root, name), array) and array
    return pixels


def test_load_reads_a_folder_and_dataset_info_describes_it(tmp_path, monkeypatch):
    pixels = grey_folder(str(tmp_path / "blobs"), count=6, size=8)
    dataset = data.load(str(tmp_path / "blobs"), batch_size=4, shuffle=False)
    images = np.concatenate(list(dataset.as_numpy_iterator()))
    # Sorted path order, native size, x / 127.5 - 1 (computed here from the PNG pixels).
    expected = np.stack([pixels[p] for p in sorted(pixels)])[..., None] / 127.5 - 1.0
    assert images.shape == (6, 8, 8, 1)
    np.testing.assert_allclose(images, expected, atol=1e-6)
    images, labels = data.load_numpy(str(tmp_path / "blobs"), with_labels=True)
    assert labels.tolist() == [0 if "indoor" in p else 1 for p in sorted(pixels)]  # sorted subfolders
    info = data.dataset_info(tmp_path / "blobs")
    assert isinstance(info, data.ImageFolderInfo)
    assert (info.sample_shape, info.num_classes, info.class_names) == ((8, 8, 1), 2, ("indoor", "outdoor"))
    assert (info.num_images, info.sizes, info.kind) == (6, ((8, 8),), "images")
    # Named datasets win over a folder of the same name; a path is always a folder.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ring").mkdir()
    assert not data.is_image_folder("ring") and data.dataset_info("ring").num_classes == 8
    assert data.is_image_folder("blobs") and data.is_image_folder("./ring") and data.is_image_folder("x/y")
    with pytest.raises(FileNotFoundError, match=r"The image folder x/y does not exist"):
        data.load("x/y")
    with pytest.raises(ValueError, match=r"has no splits.*Received: split='test'"):
        data.load("blobs", split="test")
    with pytest.raises(ValueError, match=r"Received: name='blobs', data_dir="):
        data.load("blobs", data_dir=str(tmp_path))
    with pytest.raises(ValueError, match=r"resize_method"):
        data.load("blobs", image_size=16, resize_method="pad")
    with pytest.raises(ValueError, match=r"`batch_size` must be a positive integer"):
        data.load("blobs", batch_size=0)


def test_train_on_a_folder_of_pngs_from_the_command_line(tmp_path, capsys):
    pixels = grey_folder(str(tmp_path / "blobs"))
    broken = tmp_path / "blobs" / "indoor" / "broken.png"
    broken.write_bytes(open(next(iter(pixels)), "rb").read()[:60])  # cut short
    out_dir = tmp_path / "run"
    with pytest.warns(UserWarning, match=r"Skipped 1 of 25 image files .*broken.png"):
        status, out, err = run(
            capsys,
            "train",
            "gan",
            "--dataset",
            tmp_path / "blobs",
            "--epochs",
            2,
            "--batch-size",
            8,
            *SMALL_NETWORKS,
            "--output",
            out_dir,
            "--verbose",
            0,
        )
    assert status == 0, err
    recipe = json.loads((out_dir / "recipe.json").read_text())
    assert recipe["dataset"] == str(tmp_path / "blobs") and recipe["name"] == "gan_blobs"
    gan = presets.from_preset(str(out_dir / "preset"))
    assert gan.image_shape == (16, 16, 1)  # the folder's size and channels
    checkpoint = keras.models.load_model(out_dir / "checkpoint.keras")
    # 24 readable images in batches of 8: 3 steps per epoch.
    assert int(keras.ops.convert_to_numpy(checkpoint.optimizer.iterations)) == 6
    samples = presets.generate_samples(gan, 4, seed=0)
    assert samples.shape == (4, 16, 16, 1) and np.isfinite(samples).all()
    card = json.loads((out_dir / "preset" / "metadata.json").read_text())
    assert card["data"]["dataset"] == str(tmp_path / "blobs")
    assert (out_dir / "report.html").is_file() and sorted(os.listdir(out_dir / "samples")) == [
        "epoch_001.png",
        "epoch_002.png",
    ]
    assert f"Training GAN on {tmp_path / 'blobs'}" in out


def test_a_conditional_variant_takes_the_class_subfolders_as_labels(tmp_path, capsys):
    rng = np.random.default_rng(1)
    for i in range(8):  # two classes of RGB images of two sizes
        write_png(str(tmp_path / "shoes" / "boots" / f"{i}.png"), rng.integers(0, 100, (12, 12, 3), np.uint8))
        write_png(
            str(tmp_path / "shoes" / "sandals" / f"{i}.png"), rng.integers(150, 256, (10, 14, 3), np.uint8)
        )
    argv = [
        "train",
        "conditional_gan",
        "--dataset",
        tmp_path / "shoes",
        "--epochs",
        1,
        "--batch-size",
        8,
        "--latent-dim",
        8,
        "--output",
        tmp_path / "run",
        "--verbose",
        0,
    ]
    status, _, err = run(capsys, *argv)
    assert_one_error_line(
        status, err, r"have 2 different sizes \(e.g. 12x12 and 10x14\); pass --image-size N"
    )
    assert not (tmp_path / "run").exists()
    with pytest.warns(UserWarning, match="2 different sizes"):
        status, _, err = run(capsys, *argv, "--image-size", 8)
    assert status == 0, err
    gan = presets.from_preset(str(tmp_path / "run" / "preset"))
    assert type(gan).__name__ == "ConditionalGAN" and gan.num_classes == 2 and gan.image_shape == (8, 8, 3)
    images, labels = data.load_numpy(str(tmp_path / "shoes"), image_size=8, with_labels=True)
    assert labels.tolist() == [0] * 8 + [1] * 8  # boots, sandals: sorted subfolder names
    assert images[:8].mean() < -0.2 < 0.2 < images[8:].mean()  # dark boots, bright sandals


def test_bad_folders_are_clear_errors_and_nothing_is_written(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "readme.txt").write_text("no images here")
    (tmp_path / "broken").mkdir()
    for name in ("a.png", "b.jpg"):
        (tmp_path / "broken" / name).write_bytes(b"not an image at all")
    grey_folder(str(tmp_path / "nested"), count=4, size=8)
    flat_file = write_png(str(tmp_path / "flat" / "one.png"), np.zeros((8, 8), np.uint8))
    write_png(str(tmp_path / "flat" / "two.png"), np.zeros((8, 8), np.uint8))
    out_dir = tmp_path / "never"
    train = ["train", "gan", "--output", out_dir, "--verbose", 0, "--dataset"]
    cases = [
        (train + [tmp_path / "missing"], r"The image folder .*missing does not exist. Received: --dataset="),
        (train + [flat_file], r"The image folder .*one.png is a file, not a folder of images"),
        (train + [tmp_path / "empty"], r"The image folder is empty: .*empty"),
        (train + [tmp_path / "texts"], r"No image files \(.png, .jpg.*\) in .*texts: it holds 1 other file"),
        (
            train + [tmp_path / "broken"],
            r"None of the 2 image file\(s\) in .*broken can be read; e\.g\. .*a\.png",
        ),
        (train + [tmp_path / "flat", "--data-dir", tmp_path], r"--data-dir says where the files of a named"),
        (
            ["train", "acgan", "--output", out_dir, "--dataset", tmp_path / "flat", "--batch-size", 2],
            r"ACGAN is conditional, but .*flat has no class labels",
        ),
        (
            train + [tmp_path / "nested", "--batch-size", 8],
            r"nested has 4 readable images to train on, fewer than a batch .*Received: --batch-size=8",
        ),
        (train + ["imagenet"], r"Unknown dataset 'imagenet'. Known datasets: .*, or a folder of images"),
        (
            ["train", "gan", "--dataset", "ring", "--image-size", 8, "--output", out_dir],
            r"--image-size applies",
        ),
    ]
    for argv, pattern in cases:
        status, _, err = run(capsys, *argv)
        assert_one_error_line(status, err, pattern)
        assert not out_dir.exists(), argv
