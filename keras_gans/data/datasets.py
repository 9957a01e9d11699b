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

import numbers

import numpy as np

from keras_gans.data import catalog
from keras_gans.data import folder_info
from keras_gans.data import image_folder
from keras_gans.data import tfds_source
from keras_gans.data.catalog import IMAGES
from keras_gans.data.pipeline import finish_pipeline
from keras_gans.data.pipeline import map_parallelism
from keras_gans.data.raw_files import raw_source

# Side of the central square cropped from the 218x178 aligned CelebA images.
CELEB_A_CROP_SIZE = 140
# The methods of `tf.image.resize`, and "pad".
RESIZE_METHODS = (*image_folder.RESIZE_METHODS, "pad")


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
    if folder_info.is_image_folder(name):
        if kind == catalog.MIXTURE:
            raise ValueError(f"{name!r} is a folder of images, not a 2D mixture. Received: name={name!r}")
        return folder_info.image_folder_info(name)
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
        folder_info.existing_folder(name),
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

    if folder_info.is_image_folder(name):
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
        source = tfds_source.tfds_source(name, split, data_dir, download)

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
