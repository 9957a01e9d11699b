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
A folder of the user's own images is a dataset too: `load("path/to/folder")`
reads it with `keras_gans.data.load_image_folder`, and `dataset_info(path)`
describes it (see `is_image_folder`). TensorFlow and tensorflow-datasets are
imported lazily.
"""

import dataclasses
import functools
import numbers
import os
import socket
import warnings

import numpy as np

from keras_gans.data import catalog
from keras_gans.data import image_folder
from keras_gans.data.catalog import IMAGES
from keras_gans.data.catalog import DatasetInfo
from keras_gans.data.pipeline import finish_pipeline
from keras_gans.data.pipeline import map_parallelism
from keras_gans.data.raw_files import raw_source

# Side of the central square cropped from the 218x178 aligned CelebA images.
CELEB_A_CROP_SIZE = 140
# The methods of `tf.image.resize`, and "pad".
RESIZE_METHODS = (
    "bilinear",
    "nearest",
    "bicubic",
    "area",
    "lanczos3",
    "lanczos5",
    "gaussian",
    "mitchellcubic",
    "pad",
)


def _check_name_and_split(name, split):
    info = dataset_info(name, kind=IMAGES)
    if split not in info.splits and not _looks_like_tfds_split(split):
        raise ValueError(
            f"Unknown split {split!r} for {name!r}. Known splits: {', '.join(info.splits)}. "
            f"Received: split={split!r}"
        )
    return info


def _looks_like_tfds_split(split):
    # tfds slicing syntax such as "train[:10%]" or "train+test".
    return isinstance(split, str) and ("[" in split or "+" in split)


def _check_positive_int(value, name, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"`{name}` must be a positive integer. Received: {name}={value!r}")
    return int(value)


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
    return FileNotFoundError(
        f"Could not load {name!r} (split {split!r}): {reason}. To fix it, "
        f"{dataset_info(name).offline_fix}; or run once with internet access so that "
        "tensorflow-datasets downloads and prepares it" + (f" (in {data_dir})" if data_dir else "") + "."
    )


def _tfds_source(name, split, data_dir, download):
    """Returns ("tfds", dataset of dicts) or raises a helpful error."""
    try:
        import tensorflow_datasets as tfds
    except ImportError:
        raise _missing_data_error(
            name,
            split,
            data_dir,
            "no raw files found and tensorflow-datasets is not installed (`pip install tensorflow-datasets`)",
        )
    builder = tfds.builder(name, data_dir=data_dir)
    if not builder.is_prepared():
        if not download:
            raise _missing_data_error(
                name,
                split,
                data_dir,
                "no raw files found, no prepared tfds copy, and download=False",
            )
        host, port = dataset_info(name).download_host
        if not _host_reachable(host, port):
            raise _missing_data_error(
                name,
                split,
                data_dir,
                f"no raw files found, no prepared tfds copy, and the download "
                f"host {host} cannot be reached (offline?)",
            )
        builder.download_and_prepare()
    return ("tfds", builder.as_dataset(split=split, shuffle_files=False))


# ---------------------------------------------------------------------------
# Folders of the user's own images.
# ---------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ImageFolderInfo(DatasetInfo):
    """The `DatasetInfo` of a folder of images, with what its files say.

    `sample_shape` is `(height, width, channels)` of its images: the size of
    the first readable file (in sorted path order) and the channels
    `keras_gans.data.load_image_folder` chooses from the files (1 when every
    image is grey, else 3). `num_classes` is the number of class subfolders
    (the classes of `labels="inferred"`), or None when it has none.

    Args:
        num_images: readable image files under the folder (recursive).
        sizes: the distinct `(height, width)` of those images, in the order
            they first appear; more than one means they are resized.
        class_names: names of the (non-hidden) subfolders, sorted: class
            `i` is `class_names[i]`.

    Example:

    >>> keras_gans.data.dataset_info("my_photos/").sample_shape
    (64, 64, 3)
    """

    num_images: int = 0
    sizes: tuple = ()
    class_names: tuple = ()


def _as_name(name):
    return os.fspath(name) if isinstance(name, os.PathLike) else name


def is_image_folder(name):
    """True when `name` means a folder of images, not a dataset of the catalog.

    A known dataset name (`keras_gans.data.DATASET_NAMES`) always means that
    dataset, even where a folder of that name exists (write `./ring` for such
    a folder). Any other string (or `os.PathLike`) means a folder when it is
    an existing folder or looks like a path: it contains a path separator
    (`photos/`, `~/photos`, `./ring`). A path that looks like a folder but
    does not exist is still a folder for `load`, which then says that it is
    missing.

    Args:
        name: what was passed as a dataset name.

    Returns:
        bool.

    Example:

    >>> keras_gans.data.is_image_folder("fashion_mnist"), keras_gans.data.is_image_folder("data/shoes")
    (False, True)
    """
    name = _as_name(name)
    if not isinstance(name, str) or not name or name in catalog.DATASETS:
        return False
    separators = [s for s in (os.sep, os.altsep) if s]
    return os.path.isdir(os.path.expanduser(name)) or any(s in name for s in separators)


def _existing_folder(name):
    path = os.path.expanduser(_as_name(name))
    if not os.path.exists(path):
        raise FileNotFoundError(f"The image folder {path} does not exist. Received: name={name!r}")
    if not os.path.isdir(path):
        raise NotADirectoryError(f"Expected a folder of images, got a file: {path}. Received: name={name!r}")
    return path


@functools.lru_cache(maxsize=16)
def _probe_folder(real_path, modified):
    """(file shapes of the readable images, class names) of a folder; cached
    per (real path, modification time of the folder)."""
    del modified  # part of the cache key only
    with warnings.catch_warnings():
        # Unreadable files: load_image_folder warns about them when it loads.
        warnings.simplefilter("ignore")
        files, _, _ = image_folder._index_folder(real_path, None, recursive=True, follow_links=False)
        shapes = image_folder._probe_images(files, real_path)
    class_names = tuple(
        sorted(
            entry
            for entry in os.listdir(real_path)
            if not entry.startswith(".") and os.path.isdir(os.path.join(real_path, entry))
        )
    )
    return tuple(shape for shape in shapes if shape is not None), class_names


def image_folder_info(path):
    """Describes a folder of images as a dataset (see `ImageFolderInfo`).

    Every image file is decoded once (in parallel) to read its size and
    channels, as `load_image_folder` does; the result is cached while the
    folder is unchanged.

    Args:
        path: the folder.

    Returns:
        An `ImageFolderInfo`.

    Raises:
        FileNotFoundError: the folder does not exist.
        NotADirectoryError: `path` is a file.
        ValueError: the folder is empty, holds no image files or no readable
            ones (the message names the folder or the files).

    Example:

    >>> info = keras_gans.data.image_folder_info("my_photos")
    >>> info.sample_shape, info.num_images, info.class_names
    ((64, 64, 3), 120, ())
    """
    folder = _existing_folder(path)
    real_path = os.path.realpath(folder)
    shapes, class_names = _probe_folder(real_path, os.stat(real_path).st_mtime_ns)
    channels = image_folder._choose_channels(None, shapes)
    sizes = tuple(dict.fromkeys(shape[:2] for shape in shapes))
    return ImageFolderInfo(
        name=os.path.abspath(folder),
        kind=IMAGES,
        sample_shape=(*sizes[0], channels),
        num_classes=len(class_names) or None,
        splits=("train",),
        description=f"image folder {os.path.abspath(folder)} ({len(shapes)} images)",
        num_images=len(shapes),
        sizes=sizes,
        class_names=class_names,
    )


def dataset_info(name, kind=None):
    """The `DatasetInfo` of a dataset name or of a folder of images.

    Args:
        name: a dataset name (`"ring"`, `"fashion_mnist"`, ...; see
            `keras_gans.data.DATASETS`) or a folder of images (see
            `is_image_folder`).
        kind: optionally `"mixture"` or `"images"`: the kind the caller reads.

    Returns:
        A `DatasetInfo` (an `ImageFolderInfo` for a folder).

    Example:

    >>> keras_gans.data.dataset_info("ring").num_classes
    8
    """
    if is_image_folder(name):
        if kind == catalog.MIXTURE:
            raise ValueError(f"{name!r} is a folder of images, not a 2D mixture. Received: name={name!r}")
        return image_folder_info(name)
    return catalog.dataset_info(name, kind)


def _load_folder(
    name,
    split,
    batch_size,
    image_size,
    with_labels,
    data_dir,
    shuffle,
    seed,
    num_examples,
    resize_method,
    drop_remainder,
):
    if split != "train":
        raise ValueError(
            "A folder of images has no splits: all its images are the 'train' split. "
            f"Received: split={split!r}"
        )
    if data_dir is not None:
        raise ValueError(
            "data_dir says where the raw files of a known dataset are; a folder of images is "
            f"read from its own path. Received: name={name!r}, data_dir={data_dir!r}"
        )
    return image_folder.load_image_folder(
        _existing_folder(name),
        image_size=_normalize_image_size(image_size),
        batch_size=_check_positive_int(batch_size, "batch_size"),
        labels="inferred" if with_labels else None,
        shuffle=shuffle,
        seed=seed,
        num_examples=_check_positive_int(num_examples, "num_examples", allow_none=True),
        resize_method=resize_method,
        drop_remainder=drop_remainder,
    )


# ---------------------------------------------------------------------------
# Public API.
# ---------------------------------------------------------------------------


def _normalize_image_size(image_size):
    if image_size is None:
        return None
    size = (image_size, image_size) if isinstance(image_size, numbers.Integral) else image_size
    try:
        size = tuple(size)
    except TypeError:
        size = ()
    if len(size) != 2 or not all(
        isinstance(s, numbers.Integral) and not isinstance(s, bool) and s >= 1 for s in size
    ):
        raise ValueError(
            "`image_size` must be a positive int or a (height, width) pair of positive ints. "
            f"Received: image_size={image_size!r}"
        )
    return tuple(int(s) for s in size)


def _preprocess_batch(images, name, image_size, resize_method):
    """uint8 NHWC batch -> float32 in [-1, 1], cropped and resized."""
    import tensorflow as tf

    images = tf.cast(images, tf.float32)
    if name == "celeb_a":
        shape = tf.shape(images)
        top = (shape[1] - CELEB_A_CROP_SIZE) // 2
        left = (shape[2] - CELEB_A_CROP_SIZE) // 2
        images = images[:, top : top + CELEB_A_CROP_SIZE, left : left + CELEB_A_CROP_SIZE]
        images = tf.ensure_shape(images, [None, CELEB_A_CROP_SIZE, CELEB_A_CROP_SIZE, images.shape[-1]])
    images = images / 127.5 - 1.0
    if image_size is not None and tuple(images.shape[1:3]) != image_size:
        if resize_method == "pad":
            pad_h = image_size[0] - images.shape[1]
            pad_w = image_size[1] - images.shape[2]
            images = tf.pad(
                images,
                [[0, 0], [pad_h // 2, pad_h - pad_h // 2], [pad_w // 2, pad_w - pad_w // 2], [0, 0]],
                constant_values=-1.0,
            )
        else:
            images = tf.image.resize(images, image_size, method=resize_method, antialias=True)
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
    tensorflow-datasets copy, then a tfds download. A folder of images (any
    `name` that is an existing folder or contains a path separator, see
    `is_image_folder`) is read by `keras_gans.data.load_image_folder`:
    recursively, grey or RGB as the files are, unreadable files skipped with
    a warning, class subfolders as labels with `with_labels=True`.

    Args:
        name: one of `"mnist"`, `"fashion_mnist"`, `"cifar10"`, `"celeb_a"`,
            or the path of a folder of images.
        split: `"train"` or `"test"` (`"validation"` too for CelebA). tfds
            slicing strings such as `"train[:10%]"` work on the tfds path.
            A folder has only `"train"`.
        batch_size: images per batch.
        image_size: int or `(height, width)` to resize to, e.g. 32 for
            28x28 MNIST in a 32x32 network. `None` keeps the native size
            (64 for CelebA, after its central 140x140 crop; a folder's
            images must then all have one size).
        with_labels: if True, yields `(images, labels)` with int32 class
            labels (not available for CelebA; a folder's labels are its
            sorted subfolders).
        data_dir: folder holding raw files (or `data_dir/<name>/`), also
            used as the tfds data directory.
        shuffle: shuffle the examples, reshuffled at every epoch.
        seed: shuffle seed.
        num_examples: keep only the first `num_examples` examples.
        resize_method: a `tf.image.resize` method (`"bilinear"`, `"area"`,
            ...), or `"pad"` to pad with black (-1) up to `image_size` (not
            for folders, whose images are centre-cropped and resized).
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
    >>> photos = keras_gans.data.load("my_photos/", image_size=64, batch_size=32)
    """
    import tensorflow as tf

    if is_image_folder(name):
        return _load_folder(
            name,
            split,
            batch_size,
            image_size,
            with_labels,
            data_dir,
            shuffle,
            seed,
            num_examples,
            resize_method,
            drop_remainder,
        )
    info = _check_name_and_split(name, split)
    batch_size = _check_positive_int(batch_size, "batch_size")
    num_examples = _check_positive_int(num_examples, "num_examples", allow_none=True)
    image_size = _normalize_image_size(image_size)
    if resize_method not in RESIZE_METHODS:
        raise ValueError(
            f"Unknown resize_method {resize_method!r}. Known methods: {', '.join(RESIZE_METHODS)}. "
            f"Received: resize_method={resize_method!r}"
        )
    if image_size is None and name == "celeb_a":
        image_size = info.sample_shape[:2]
    if with_labels and info.num_classes is None:
        raise ValueError(
            f"{name} has no class labels; use with_labels=False. Received: with_labels={with_labels!r}"
        )

    source = raw_source(name, split, data_dir)
    if source is None:
        source = _tfds_source(name, split, data_dir, download)

    if source[0] == "arrays":
        images, labels = source[1], source[2]
        if num_examples is not None:
            images, labels = images[:num_examples], labels[:num_examples]
        if len(images) == 0:
            raise ValueError(
                f"The raw files of {name!r} (split {split!r}) hold no images: they are "
                "corrupt or truncated; replace them."
            )
        if image_size is not None and resize_method == "pad":
            if image_size[0] < images.shape[1] or image_size[1] < images.shape[2]:
                raise ValueError(
                    f"resize_method='pad' cannot shrink {images.shape[1:3]} images to "
                    f"{image_size}. Received: image_size={image_size!r}"
                )
        dataset = tf.data.Dataset.from_tensor_slices((images, labels))
        buffer_size = len(images)
    elif source[0] == "files":
        paths = source[1]
        if not paths:
            raise ValueError(
                f"The CelebA partition list names no images of split {split!r}: "
                "list_eval_partition.txt is corrupt or truncated; replace it."
            )
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
        dataset = source[1].map(lambda ex: (ex["image"], tf.cast(ex.get("label", 0), tf.int32)))
        if num_examples is not None:
            dataset = dataset.take(num_examples)
        buffer_size = 10_000

    if shuffle:
        dataset = dataset.shuffle(buffer_size, seed=seed, reshuffle_each_iteration=True)
    dataset = dataset.batch(batch_size, drop_remainder=drop_remainder)

    def preprocess(batch_images, batch_labels):
        batch_images = _preprocess_batch(batch_images, name, image_size, resize_method)
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
    if not images:
        raise ValueError(f"The {name!r} split {split!r} holds no images. Received: split={split!r}")
    images = np.concatenate(images).astype(np.float32)
    if with_labels:
        return images, np.concatenate(labels).astype(np.int32)
    return images
