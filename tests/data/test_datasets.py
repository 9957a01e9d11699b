"""Tests of keras_gans.data.load / load_numpy on local raw files (offline)."""

import dataclasses
import gzip
import os
import pickle
import socket
import tarfile

import numpy as np
import pytest
from PIL import Image

from keras_gans import data
from keras_gans.data import catalog
from keras_gans.data import load
from keras_gans.data import load_numpy
from keras_gans.data import read_idx
from keras_gans.data import tfds_source

DEBIAN_DIR = "/usr/share/datasets/fashion-mnist"


def write_idx(path, array):
    """Writes an IDX file by the format's spec (independent of read_idx)."""
    codes = {np.dtype(np.uint8): 0x08, np.dtype(">i4"): 0x0C}
    header = bytes([0, 0, codes[array.dtype], array.ndim])
    header += b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "wb") as f:
        f.write(header + array.tobytes())


def make_idx_dataset(directory, num_train=10, num_test=6, compress=True):
    rng = np.random.default_rng(0)
    arrays = {}
    suffix = ".gz" if compress else ""
    for split, prefix, n in (("train", "train", num_train), ("test", "t10k", num_test)):
        images = rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, size=n).astype(np.uint8)
        write_idx(directory / f"{prefix}-images-idx3-ubyte{suffix}", images)
        write_idx(directory / f"{prefix}-labels-idx1-ubyte{suffix}", labels)
        arrays[split] = (images, labels)
    return arrays


def test_read_idx_round_trip(tmp_path):
    array = np.arange(24, dtype=">i4").reshape(2, 3, 4)
    write_idx(tmp_path / "a-idx3-int.gz", array)
    write_idx(tmp_path / "b-idx3-int", array)
    for name in ("a-idx3-int.gz", "b-idx3-int"):
        result = read_idx(tmp_path / name)
        np.testing.assert_array_equal(result, array)
        assert result.shape == (2, 3, 4)


def test_read_idx_rejects_truncated_file(tmp_path):
    path = tmp_path / "bad-idx1-ubyte"
    write_idx(path, np.zeros(10, np.uint8))
    content = path.read_bytes()
    path.write_bytes(content[:-3])
    with pytest.raises(ValueError, match="header says shape"):
        read_idx(path)


def test_debian_fashion_mnist_matches_raw_bytes():
    # The offline path on the real data (CI installs dataset-fashion-mnist).
    images, labels = load_numpy("fashion_mnist", "test", with_labels=True, num_examples=300)
    with gzip.open(os.path.join(DEBIAN_DIR, "t10k-images-idx3-ubyte.gz")) as f:
        raw = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 28, 28)
    with gzip.open(os.path.join(DEBIAN_DIR, "t10k-labels-idx1-ubyte.gz")) as f:
        raw_labels = np.frombuffer(f.read(), np.uint8, offset=8)
    assert images.shape == (300, 28, 28, 1) and images.dtype == np.float32
    np.testing.assert_allclose(images[..., 0], raw[:300] / 127.5 - 1.0, atol=1e-6)
    np.testing.assert_array_equal(labels, raw_labels[:300])


def test_load_idx_from_data_dir_batches_and_scales(tmp_path):
    arrays = make_idx_dataset(tmp_path, compress=False)
    dataset = load("mnist", "train", batch_size=4, data_dir=str(tmp_path), shuffle=False)
    batches = [b.numpy() for b in dataset]
    assert [len(b) for b in batches] == [4, 4, 2]
    expected = arrays["train"][0][..., None] / 127.5 - 1.0
    np.testing.assert_allclose(np.concatenate(batches), expected, atol=1e-6)


def test_load_shuffles_with_labels_kept_in_pairs(tmp_path):
    (tmp_path / "mnist").mkdir()
    images, labels = make_idx_dataset(tmp_path / "mnist")["train"]
    dataset = load("mnist", batch_size=10, with_labels=True, data_dir=str(tmp_path), seed=3)
    batch_images, batch_labels = next(iter(dataset))
    batch_images, batch_labels = batch_images.numpy(), batch_labels.numpy()
    scaled = images / 127.5 - 1.0
    order = [int(np.argmin(np.abs(scaled - image[..., 0]).sum(axis=(1, 2)))) for image in batch_images]
    assert sorted(order) == list(range(10)) and order != list(range(10))
    np.testing.assert_array_equal(batch_labels, labels[order])


def test_image_size_pad_and_resize(tmp_path):
    images, _ = make_idx_dataset(tmp_path)["test"]
    padded = load_numpy("mnist", "test", image_size=32, resize_method="pad", data_dir=str(tmp_path))
    assert padded.shape == (6, 32, 32, 1)
    np.testing.assert_allclose(padded[:, 2:30, 2:30, 0], images / 127.5 - 1.0, atol=1e-6)
    assert np.all(padded[:, :2] == -1.0) and np.all(padded[:, :, 30:] == -1.0)
    resized = load_numpy("mnist", "test", image_size=(14, 14), data_dir=str(tmp_path))
    assert resized.shape == (6, 14, 14, 1)
    # Halving with an antialiased bilinear filter: close to 2x2 block means.
    blocks = (images / 127.5 - 1.0).reshape(6, 14, 2, 14, 2).mean(axis=(2, 4))
    assert np.abs(resized[..., 0] - blocks).mean() < 0.15
    assert resized.min() >= -1.0 and resized.max() <= 1.0


def write_cifar_batches(directory, rng):
    directory.mkdir(parents=True, exist_ok=True)
    all_data, all_labels = [], []
    for name, n in [(f"data_batch_{i}", 2) for i in range(1, 6)] + [("test_batch", 3)]:
        data = rng.integers(0, 256, size=(n, 3072), dtype=np.uint8)
        labels = rng.integers(0, 10, size=n).tolist()
        with open(directory / name, "wb") as f:
            pickle.dump({b"data": data, b"labels": labels}, f)
        all_data.append(data)
        all_labels.append(labels)
    return all_data, all_labels


def test_cifar10_from_python_batches_and_archive(tmp_path):
    data, labels = write_cifar_batches(tmp_path / "cifar-10-batches-py", np.random.default_rng(1))
    images, got_labels = load_numpy("cifar10", "train", with_labels=True, data_dir=str(tmp_path))
    # CIFAR rows are 1024 red, 1024 green then 1024 blue values, row-major.
    first = data[0][0].reshape(3, 32, 32).transpose(1, 2, 0)
    assert images.shape == (10, 32, 32, 3)
    np.testing.assert_allclose(images[0], first / 127.5 - 1.0, atol=1e-6)
    np.testing.assert_array_equal(got_labels, sum(labels[:5], []))

    archive_dir = tmp_path / "archive"
    archive_dir.mkdir()
    with tarfile.open(archive_dir / "cifar-10-python.tar.gz", "w:gz") as tar:
        tar.add(tmp_path / "cifar-10-batches-py", arcname="cifar-10-batches-py")
    test_images, test_labels = load_numpy("cifar10", "test", with_labels=True, data_dir=str(archive_dir))
    expected = data[5].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    np.testing.assert_allclose(test_images, expected / 127.5 - 1.0, atol=1e-6)
    np.testing.assert_array_equal(test_labels, labels[5])


def test_celeb_a_from_folder_center_crop(tmp_path):
    image_dir = tmp_path / "img_align_celeba"
    image_dir.mkdir()
    lines = []
    for i in range(4):
        # A 218x178 image: white inside the central 140x140 square, black around.
        array = np.zeros((218, 178, 3), np.uint8)
        array[39:179, 19:159] = 255
        Image.fromarray(array).save(image_dir / f"{i:06d}.png".replace(".png", ".jpg"), quality=100)
        lines.append(f"{i:06d}.jpg {0 if i < 3 else 2}")
    (tmp_path / "list_eval_partition.txt").write_text("\n".join(lines) + "\n")
    images = load_numpy("celeb_a", "train", data_dir=str(tmp_path))
    assert images.shape == (3, 64, 64, 3)
    # The crop keeps only the white square (JPEG ringing aside).
    assert images.mean() > 0.95
    assert load_numpy("celeb_a", "test", data_dir=str(tmp_path)).shape == (1, 64, 64, 3)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_missing_data_fails_fast_and_names_the_fix(tmp_path, monkeypatch):
    # Point the download probe at a closed loopback port: an offline network.
    offline = dataclasses.replace(catalog.DATASETS["mnist"], download_host=("127.0.0.1", free_port()))
    monkeypatch.setitem(catalog.DATASETS, "mnist", offline)
    with pytest.raises(FileNotFoundError, match="t10k-images-idx3-ubyte.gz") as info:
        load("mnist", data_dir=str(tmp_path))
    assert "cannot be reached" in str(info.value)
    with pytest.raises(FileNotFoundError, match="cifar-10-python.tar.gz"):
        load("cifar10", data_dir=str(tmp_path), download=False)


def test_host_probe_sees_a_listening_loopback_server():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        assert tfds_source.host_reachable("127.0.0.1", server.getsockname()[1])


def test_bad_arguments(tmp_path):
    with pytest.raises(
        ValueError,
        match="Unknown image dataset 'imagenet'. Known image datasets: mnist, fashion_mnist, cifar10, "
        "celeb_a. "
        "Received: name='imagenet'",
    ):
        load("imagenet")
    with pytest.raises(
        ValueError, match=r"'ring' is not an image dataset: use keras_gans.data.mixture\('ring', n\)"
    ):
        load("ring")
    with pytest.raises(ValueError, match="Known splits"):
        load("mnist", split="validation")
    with pytest.raises(ValueError, match="image_size"):
        load("fashion_mnist", image_size=(1, 2, 3))
    with pytest.raises(ValueError, match="class labels"):
        load("celeb_a", with_labels=True)


@pytest.mark.parametrize("batch_size", [0, -3, 2.5, True, None])
def test_non_positive_or_non_integer_batch_size_is_refused_by_name(batch_size):
    # Before: raw TF errors from Dataset.batch (or none at all for True).
    with pytest.raises(
        ValueError, match=rf"`batch_size` must be a positive integer. Received: batch_size={batch_size!r}"
    ):
        load("fashion_mnist", batch_size=batch_size)


def test_unknown_resize_method_and_bad_num_examples_are_refused_by_name():
    with pytest.raises(
        ValueError,
        match="Unknown resize_method 'cubic'. Known methods: bilinear, nearest.*pad. "
        "Received: resize_method='cubic'",
    ):
        load("fashion_mnist", image_size=32, resize_method="cubic")
    with pytest.raises(
        ValueError, match="`num_examples` must be a positive integer. Received: num_examples=0"
    ):
        load_numpy("fashion_mnist", "test", num_examples=0)
    with pytest.raises(ValueError, match="`image_size` must be a positive int .*Received: image_size=0"):
        load("fashion_mnist", image_size=0)


def test_empty_raw_files_are_reported_as_corrupt(tmp_path):
    # Valid IDX headers that announce zero images: the files were cut short.
    for prefix in ("train", "t10k"):
        write_idx(tmp_path / f"{prefix}-images-idx3-ubyte", np.zeros((0, 28, 28), np.uint8))
        write_idx(tmp_path / f"{prefix}-labels-idx1-ubyte", np.zeros((0,), np.uint8))
    with pytest.raises(ValueError, match="split 'train'.* hold no images: they are corrupt or truncated"):
        load("mnist", data_dir=str(tmp_path))


def test_the_catalog_states_what_the_loaders_return():
    images, labels = load_numpy("fashion_mnist", "test", with_labels=True, num_examples=2000)
    info = data.dataset_info("fashion_mnist")
    assert images.shape[1:] == info.sample_shape
    assert sorted(set(labels.tolist())) == list(range(info.num_classes))
    for name in data.MIXTURE_NAMES:
        points, modes = data.mixture(name, 5000, seed=0, with_labels=True)
        assert points.shape[1:] == data.dataset_info(name).sample_shape
        assert len(data.mixture_modes(name)[0]) == data.dataset_info(name).num_classes == modes.max() + 1
    assert data.DATASET_NAMES == data.MIXTURE_NAMES + data.IMAGE_DATASET_NAMES
    with pytest.raises(ValueError, match="'mnist' is not a 2D mixture: use keras_gans.data.load"):
        data.mixture("mnist", 10)
