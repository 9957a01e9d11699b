"""Image datasets as `tf.data` pipelines, with an offline path from raw files.

Images come out as float32 NHWC tensors scaled to [-1, 1], the range of a
`tanh` generator. Sources are tried in this order:

1. the original raw files, in `data_dir` (or `data_dir/<name>/`) and, for
   Fashion-MNIST, in the Debian location `/usr/share/datasets/fashion-mnist`
   (package `dataset-fashion-mnist`);
2. a copy already prepared by tensorflow-datasets (tfds);
3. a tfds download, tried only when the download host answers within a few
   seconds (tfds itself retries for minutes when offline).

When none works, the error says what to install or which files to put where.
TensorFlow and tensorflow-datasets are imported lazily.
"""

import gzip
import os
import pickle
import socket
import tarfile

import numpy as np

from keras_gans.data.pipeline import finish_pipeline
from keras_gans.data.pipeline import map_parallelism

DATASET_NAMES = ("mnist", "fashion_mnist", "cifar10", "celeb_a")
DEBIAN_FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"
# Side of the central square cropped from the 218x178 aligned CelebA images.
CELEB_A_CROP_SIZE = 140
CELEB_A_DEFAULT_IMAGE_SIZE = 64

_SPLITS = {
    "mnist": ("train", "test"),
    "fashion_mnist": ("train", "test"),
    "cifar10": ("train", "test"),
    "celeb_a": ("train", "validation", "test"),
}
# (host, port) that tfds downloads each dataset from; probed before a download.
_DOWNLOAD_HOSTS = {
    "mnist": ("storage.googleapis.com", 443),
    "fashion_mnist": ("fashion-mnist.s3-website.eu-central-1.amazonaws.com", 80),
    "cifar10": ("www.cs.toronto.edu", 443),
    "celeb_a": ("drive.google.com", 443),
}
_IDX_PREFIX = {"train": "train", "test": "t10k"}
_CELEB_A_PARTITION = {"train": 0, "validation": 1, "test": 2}


def _check_name_and_split(name, split):
    if name not in DATASET_NAMES:
        raise ValueError(
            f"Unknown dataset {name!r}. Known datasets: {', '.join(DATASET_NAMES)}."
        )
    if split not in _SPLITS[name] and not _looks_like_tfds_split(split):
        raise ValueError(
            f"Unknown split {split!r} for {name!r}. "
            f"Known splits: {', '.join(_SPLITS[name])}."
        )


def _looks_like_tfds_split(split):
    # tfds slicing syntax such as "train[:10%]" or "train+test".
    return isinstance(split, str) and ("[" in split or "+" in split)


# ---------------------------------------------------------------------------
# Raw file readers.
# ---------------------------------------------------------------------------


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
        raise ValueError(f"{path} is not an IDX file (bad magic number).")
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
        raise ValueError(f"{path}: unknown IDX data type 0x{type_code:02x}.")
    header_size = 4 + 4 * num_dims
    shape = tuple(
        int.from_bytes(content[4 + 4 * i : 8 + 4 * i], "big")
        for i in range(num_dims)
    )
    dtype = np.dtype(dtypes[type_code])
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(content) - header_size != expected:
        raise ValueError(
            f"{path}: header says shape {shape} but the file holds "
            f"{len(content) - header_size} bytes of data, not {expected}."
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
                    members = {
                        os.path.basename(m.name): m
                        for m in tar.getmembers()
                        if m.isfile()
                    }
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


def _raw_source(name, split, data_dir):
    """Returns ("arrays", images, labels), ("files", paths) or None."""
    if split not in _SPLITS[name]:
        return None
    if name in ("mnist", "fashion_mnist"):
        found = _read_idx_split(name, split, data_dir)
    elif name == "cifar10":
        found = _read_cifar10_split(split, data_dir)
    else:
        paths = _read_celeb_a_split(split, data_dir)
        return None if paths is None else ("files", paths)
    return None if found is None else ("arrays",) + found


# ---------------------------------------------------------------------------
# tensorflow-datasets path.
# ---------------------------------------------------------------------------


def _host_reachable(host, port, timeout=3.0):
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _missing_data_error(name, split, data_dir, reason):
    fixes = {
        "mnist": (
            "put train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
            "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (the "
            "original MNIST files) in data_dir or data_dir/mnist/"
        ),
        "fashion_mnist": (
            "install the Debian package (`sudo apt-get install "
            "dataset-fashion-mnist`, files land in "
            f"{DEBIAN_FASHION_MNIST_DIR}), or put train-images-idx3-ubyte.gz, "
            "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and "
            "t10k-labels-idx1-ubyte.gz in data_dir or data_dir/fashion_mnist/"
        ),
        "cifar10": (
            "put cifar-10-python.tar.gz (from "
            "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz), or its "
            "extracted cifar-10-batches-py/ folder (data_batch_1..5, "
            "test_batch), in data_dir or data_dir/cifar10/"
        ),
        "celeb_a": (
            "put the img_align_celeba/ folder of aligned JPEGs and "
            "list_eval_partition.txt (from the CelebA site) in data_dir or "
            "data_dir/celeb_a/"
        ),
    }
    return FileNotFoundError(
        f"Could not load {name!r} (split {split!r}): {reason}. To fix it, "
        f"{fixes[name]}; or run once with internet access so that "
        "tensorflow-datasets downloads and prepares it"
        + (f" (in {data_dir})" if data_dir else "")
        + "."
    )


def _tfds_source(name, split, data_dir, download):
    """Returns ("tfds", dataset of dicts) or raises a helpful error."""
    try:
        import tensorflow_datasets as tfds
    except ImportError:
        raise _missing_data_error(
            name, split, data_dir, "no raw files found and tensorflow-datasets "
            "is not installed (`pip install tensorflow-datasets`)"
        )
    builder = tfds.builder(name, data_dir=data_dir)
    if not builder.is_prepared():
        if not download:
            raise _missing_data_error(
                name, split, data_dir,
                "no raw files found, no prepared tfds copy, and download=False",
            )
        host, port = _DOWNLOAD_HOSTS[name]
        if not _host_reachable(host, port):
            raise _missing_data_error(
                name, split, data_dir,
                f"no raw files found, no prepared tfds copy, and the download "
                f"host {host} cannot be reached (offline?)",
            )
        builder.download_and_prepare()
    return ("tfds", builder.as_dataset(split=split, shuffle_files=False))


# ---------------------------------------------------------------------------
# Public API.
# ---------------------------------------------------------------------------


def _normalize_image_size(image_size):
    if image_size is None:
        return None
    if isinstance(image_size, int):
        image_size = (image_size, image_size)
    image_size = tuple(int(s) for s in image_size)
    if len(image_size) != 2 or min(image_size) < 1:
        raise ValueError(
            f"image_size must be an int or a (height, width) pair, got {image_size}."
        )
    return image_size


def _preprocess_batch(images, name, image_size, resize_method):
    """uint8 NHWC batch -> float32 in [-1, 1], cropped and resized."""
    import tensorflow as tf

    images = tf.cast(images, tf.float32)
    if name == "celeb_a":
        shape = tf.shape(images)
        top = (shape[1] - CELEB_A_CROP_SIZE) // 2
        left = (shape[2] - CELEB_A_CROP_SIZE) // 2
        images = images[
            :, top : top + CELEB_A_CROP_SIZE, left : left + CELEB_A_CROP_SIZE
        ]
        images = tf.ensure_shape(
            images, [None, CELEB_A_CROP_SIZE, CELEB_A_CROP_SIZE, images.shape[-1]]
        )
    images = images / 127.5 - 1.0
    if image_size is not None and tuple(images.shape[1:3]) != image_size:
        if resize_method == "pad":
            pad_h = image_size[0] - images.shape[1]
            pad_w = image_size[1] - images.shape[2]
            images = tf.pad(
                images,
                [[0, 0], [pad_h // 2, pad_h - pad_h // 2],
                 [pad_w // 2, pad_w - pad_w // 2], [0, 0]],
                constant_values=-1.0,
            )
        else:
            images = tf.image.resize(
                images, image_size, method=resize_method, antialias=True
            )
    return tf.clip_by_value(images, -1.0, 1.0)


def load(
    name,
    split="train",
    batch_size=128,
    image_size=None,
    with_labels=False,
    data_dir=None,
    shuffle=True,
    seed=None,
    num_examples=None,
    resize_method="bilinear",
    drop_remainder=False,
    download=True,
):
    """Loads an image dataset as a batched `tf.data.Dataset` in [-1, 1].

    Raw files are used first (see the module docstring), then a
    tensorflow-datasets copy, then a tfds download.

    Args:
        name: one of `"mnist"`, `"fashion_mnist"`, `"cifar10"`, `"celeb_a"`.
        split: `"train"` or `"test"` (`"validation"` too for CelebA). tfds
            slicing strings such as `"train[:10%]"` work on the tfds path.
        batch_size: images per batch.
        image_size: int or `(height, width)` to resize to, e.g. 32 for
            28x28 MNIST in a 32x32 network. `None` keeps the native size
            (64 for CelebA, after its central 140x140 crop).
        with_labels: if True, yields `(images, labels)` with int32 class
            labels (not available for CelebA).
        data_dir: folder holding raw files (or `data_dir/<name>/`), also
            used as the tfds data directory.
        shuffle: shuffle the examples, reshuffled at every epoch.
        seed: shuffle seed.
        num_examples: keep only the first `num_examples` examples.
        resize_method: a `tf.image.resize` method (`"bilinear"`, `"area"`,
            ...), or `"pad"` to pad with black (-1) up to `image_size`.
        drop_remainder: drop the last, smaller batch.
        download: allow a tfds download when nothing is available locally.

    Returns:
        A `tf.data.Dataset` of float32 images `(batch, height, width,
        channels)`, or of `(images, labels)` pairs.

    Example:

    >>> dataset = keras_gans.data.load("fashion_mnist", batch_size=64)
    >>> images = next(iter(dataset))
    >>> images.shape
    TensorShape([64, 28, 28, 1])
    """
    import tensorflow as tf

    _check_name_and_split(name, split)
    image_size = _normalize_image_size(image_size)
    if image_size is None and name == "celeb_a":
        image_size = (CELEB_A_DEFAULT_IMAGE_SIZE, CELEB_A_DEFAULT_IMAGE_SIZE)
    if with_labels and name == "celeb_a":
        raise ValueError(
            "celeb_a has attributes, not class labels; use with_labels=False."
        )
    if num_examples is not None and num_examples < 1:
        raise ValueError(f"num_examples must be positive, got {num_examples}.")

    source = _raw_source(name, split, data_dir)
    if source is None:
        source = _tfds_source(name, split, data_dir, download)

    if source[0] == "arrays":
        images, labels = source[1], source[2]
        if num_examples is not None:
            images, labels = images[:num_examples], labels[:num_examples]
        if image_size is not None and resize_method == "pad":
            if image_size[0] < images.shape[1] or image_size[1] < images.shape[2]:
                raise ValueError(
                    f"resize_method='pad' cannot shrink {images.shape[1:3]} "
                    f"images to {image_size}."
                )
        dataset = tf.data.Dataset.from_tensor_slices((images, labels))
        buffer_size = len(images)
    elif source[0] == "files":
        paths = source[1]
        if num_examples is not None:
            paths = paths[:num_examples]

        def decode(path):
            image = tf.io.decode_jpeg(tf.io.read_file(path), channels=3)
            image = tf.ensure_shape(image, [218, 178, 3])  # aligned CelebA
            return image, tf.constant(0, tf.int32)

        dataset = tf.data.Dataset.from_tensor_slices(paths)
        buffer_size = min(len(paths), 10_000)
        if shuffle:
            dataset = dataset.shuffle(buffer_size, seed=seed)
            shuffle = False  # already shuffled (cheap, before decoding)
        dataset = dataset.map(decode, num_parallel_calls=map_parallelism())
    else:
        dataset = source[1].map(
            lambda ex: (ex["image"], tf.cast(ex.get("label", 0), tf.int32))
        )
        if num_examples is not None:
            dataset = dataset.take(num_examples)
        buffer_size = 10_000

    if shuffle:
        dataset = dataset.shuffle(
            buffer_size, seed=seed, reshuffle_each_iteration=True
        )
    dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)

    def preprocess(batch_images, batch_labels):
        batch_images = _preprocess_batch(
            batch_images, name, image_size, resize_method
        )
        return (batch_images, batch_labels) if with_labels else batch_images

    dataset = dataset.map(preprocess, num_parallel_calls=map_parallelism())
    return finish_pipeline(dataset)


def load_numpy(
    name,
    split="train",
    image_size=None,
    with_labels=False,
    data_dir=None,
    num_examples=None,
    resize_method="bilinear",
    download=True,
):
    """Loads a dataset split as NumPy arrays, in order (no shuffling).

    Same sources and preprocessing as `load`; handy for metrics.

    Args:
        name, split, image_size, with_labels, data_dir, num_examples,
        resize_method, download: as in `load`.

    Returns:
        float32 images `(n, height, width, channels)` in [-1, 1], or a pair
        `(images, labels)` with int32 labels when `with_labels=True`.

    Example:

    >>> test_images = keras_gans.data.load_numpy("fashion_mnist", "test")
    >>> test_images.shape
    (10000, 28, 28, 1)
    """
    dataset = load(
        name,
        split=split,
        batch_size=1000,
        image_size=image_size,
        with_labels=with_labels,
        data_dir=data_dir,
        shuffle=False,
        num_examples=num_examples,
        resize_method=resize_method,
        download=download,
    )
    images, labels = [], []
    for batch in dataset.as_numpy_iterator():
        if with_labels:
            batch, batch_labels = batch
            labels.append(batch_labels)
        images.append(batch)
    images = np.concatenate(images).astype(np.float32)
    if with_labels:
        return images, np.concatenate(labels).astype(np.int32)
    return images
