"""Readers of the original raw files of the image datasets (offline path).

MNIST and Fashion-MNIST come as IDX files, CIFAR-10 as pickled (or binary)
batches, in a tar.gz or extracted, and CelebA as a folder of JPEGs with a
partition list. `raw_source` finds a split in `data_dir`, `data_dir/<name>/`
and, for Fashion-MNIST, the Debian location.
"""

import gzip
import os
import pickle
import tarfile

import numpy as np

from keras_gans.data.catalog import DEBIAN_FASHION_MNIST_DIR
from keras_gans.data.catalog import dataset_info

_IDX_PREFIX = {"train": "train", "test": "t10k"}
_CELEB_A_PARTITION = {"train": 0, "validation": 1, "test": 2}


def read_idx(path):
    """Reads an IDX file (the MNIST format), gzip-compressed or not.

    Args:
        path: path of an `*-idx1-ubyte` / `*-idx3-ubyte` file, optionally
            ending in `.gz`.

    Returns:
        A NumPy array with the file's dtype and shape.

    Example:

    >>> images = read_idx(
    ...     "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")
    >>> images.shape
    (10000, 28, 28)
    """
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as f:
        content = f.read()
    if len(content) < 4 or content[0] != 0 or content[1] != 0:
        raise ValueError(f"{path} is corrupt or not an IDX file: bad magic number.")
    dtypes = {
        0x08: np.uint8,
        0x09: np.int8,
        0x0B: ">i2",
        0x0C: ">i4",
        0x0D: ">f4",
        0x0E: ">f8",
    }
    type_code, num_dims = content[2], content[3]
    if type_code not in dtypes:
        raise ValueError(f"{path} is corrupt or not an IDX file: unknown IDX data type 0x{type_code:02x}.")
    header_size = 4 + 4 * num_dims
    shape = tuple(int.from_bytes(content[4 + 4 * i : 8 + 4 * i], "big") for i in range(num_dims))
    dtype = np.dtype(dtypes[type_code])
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(content) - header_size != expected:
        raise ValueError(
            f"{path} is corrupt or truncated: its header says shape {shape} but the file "
            f"holds {len(content) - header_size} bytes of data, not {expected}."
        )
    array = np.frombuffer(content, dtype=dtype, offset=header_size)
    return array.reshape(shape).astype(dtype.newbyteorder("="))


def _candidate_dirs(name, data_dir):
    dirs = []
    if data_dir is not None:
        dirs += [os.path.join(data_dir, name), data_dir]
    if name == "fashion_mnist":
        dirs.append(DEBIAN_FASHION_MNIST_DIR)
    return [d for d in dirs if os.path.isdir(d)]


def _find_file(directory, stem):
    for candidate in (stem + ".gz", stem):
        path = os.path.join(directory, candidate)
        if os.path.isfile(path):
            return path
    return None


def _read_idx_split(name, split, data_dir):
    """(images uint8 (n, 28, 28, 1), labels int32) or None if not found."""
    prefix = _IDX_PREFIX[split]
    for directory in _candidate_dirs(name, data_dir):
        images_path = _find_file(directory, f"{prefix}-images-idx3-ubyte")
        labels_path = _find_file(directory, f"{prefix}-labels-idx1-ubyte")
        if images_path and labels_path:
            images = read_idx(images_path)
            labels = read_idx(labels_path)
            if images.ndim != 3 or len(images) != len(labels):
                raise ValueError(
                    f"{images_path} and {labels_path} do not form an image "
                    f"dataset: shapes {images.shape} and {labels.shape}."
                )
            return images[..., None], labels.astype(np.int32)
    return None


def _cifar10_from_batches(read_member, names, binary):
    images, labels = [], []
    for member in names:
        content = read_member(member)
        if binary:
            records = np.frombuffer(content, np.uint8).reshape(-1, 3073)
            labels.append(records[:, 0].astype(np.int32))
            images.append(records[:, 1:])
        else:
            batch = pickle.loads(content, encoding="bytes")
            labels.append(np.asarray(batch[b"labels"], np.int32))
            images.append(np.asarray(batch[b"data"], np.uint8))
    images = np.concatenate(images).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(images), np.concatenate(labels)


def _read_cifar10_split(split, data_dir):
    """(images uint8 (n, 32, 32, 3), labels int32) or None if not found."""
    # (extracted folder, archive, binary format, train files, test files)
    layouts = [
        (
            "cifar-10-batches-py",
            "cifar-10-python.tar.gz",
            False,
            [f"data_batch_{i}" for i in range(1, 6)],
            ["test_batch"],
        ),
        (
            "cifar-10-batches-bin",
            "cifar-10-binary.tar.gz",
            True,
            [f"data_batch_{i}.bin" for i in range(1, 6)],
            ["test_batch.bin"],
        ),
    ]

    def read_path(path):
        with open(path, "rb") as f:
            return f.read()

    for directory in _candidate_dirs("cifar10", data_dir):
        for folder, archive, binary, train_names, test_names in layouts:
            names = train_names if split == "train" else test_names
            # The extracted folder, or the batch files directly in directory.
            for base in (os.path.join(directory, folder), directory):
                paths = [os.path.join(base, n) for n in names]
                if all(os.path.isfile(p) for p in paths):
                    return _cifar10_from_batches(read_path, paths, binary)
            # The archive as downloaded, read without extracting it.
            archive = os.path.join(directory, archive)
            if os.path.isfile(archive):
                with tarfile.open(archive, "r:gz") as tar:
                    members = {os.path.basename(m.name): m for m in tar.getmembers() if m.isfile()}
                    if all(n in members for n in names):
                        return _cifar10_from_batches(
                            lambda n: tar.extractfile(members[n]).read(),
                            names,
                            binary,
                        )
    return None


def _read_celeb_a_split(split, data_dir):
    """Sorted list of JPEG paths of a CelebA split, or None if not found."""
    for directory in _candidate_dirs("celeb_a", data_dir):
        image_dir = os.path.join(directory, "img_align_celeba")
        partition_file = os.path.join(directory, "list_eval_partition.txt")
        if os.path.isdir(image_dir) and os.path.isfile(partition_file):
            wanted = _CELEB_A_PARTITION[split]
            paths = []
            with open(partition_file) as f:
                for line in f:
                    parts = line.split()
                    if len(parts) == 2 and int(parts[1]) == wanted:
                        paths.append(os.path.join(image_dir, parts[0]))
            return paths
    return None


def raw_source(name, split, data_dir):
    """Finds the raw files of a dataset split.

    Args:
        name: an image dataset name (`keras_gans.data.IMAGE_DATASET_NAMES`).
        split: `"train"`, `"test"` (or `"validation"` for CelebA).
        data_dir: folder searched first (and its `<name>/` subfolder), or None.

    Returns:
        `("arrays", images, labels)` with uint8 NHWC images and int32 labels,
        `("files", jpeg_paths)` for CelebA, or None when no files were found.
    """
    if split not in dataset_info(name).splits:
        return None
    if name in ("mnist", "fashion_mnist"):
        found = _read_idx_split(name, split, data_dir)
    elif name == "cifar10":
        found = _read_cifar10_split(split, data_dir)
    else:
        paths = _read_celeb_a_split(split, data_dir)
        return None if paths is None else ("files", paths)
    return None if found is None else ("arrays",) + found
