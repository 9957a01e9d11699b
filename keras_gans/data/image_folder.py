"""A folder of the user's own images (PNG, JPEG, ...) as a `tf.data` pipeline.

The folder is indexed here rather than by `keras.utils.image_dataset_from_directory`,
which does not look into subfolders without labels and stops at the first file
it cannot decode: every file is decoded once up front (in parallel) to skip
unreadable ones with a warning, to read the channel counts behind
`color_mode=None` and to find mixed sizes.
"""

import os
import re
import warnings

import numpy as np

from keras_gans.data.pipeline import finish_pipeline
from keras_gans.data.pipeline import map_parallelism

# Public here; the helpers below serve this package only.
__all__ = ["COLOR_MODES", "IMAGE_EXTENSIONS", "RESIZE_METHODS", "load_image_folder"]

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")
COLOR_MODES = (None, "grayscale", "rgb")
RESIZE_METHODS = (
    "bilinear",
    "nearest",
    "bicubic",
    "area",
    "lanczos3",
    "lanczos5",
    "gaussian",
    "mitchellcubic",
)
_LISTED_NAMES = 5  # file names quoted in an error or a warning


def load_image_folder(
    path,
    image_size=64,
    batch_size=128,
    color_mode=None,
    labels=None,
    recursive=True,
    shuffle=True,
    seed=None,
    num_examples=None,
    resize_method="bilinear",
    crop_to_aspect_ratio=True,
    drop_remainder=False,
    follow_links=False,
):
    """Loads a folder of images as batches of float32 images in [-1, 1].

    Image files are those ending in `.png`, `.jpg`, `.jpeg`, `.bmp`, `.gif`
    (first frame) or `.webp` (any case); other files and hidden files and
    folders (names starting with ".") are left out. Files are taken in
    sorted path order (then shuffled when `shuffle` is True).

    - Unreadable files (truncated, corrupt, or not images despite their
      name) are skipped, with one warning that gives their number and
      names. A folder with no readable image raises.
    - `color_mode=None` chooses from the files: `"grayscale"` (one channel)
      when every image is grey (one channel, or grey with alpha), else
      `"rgb"`. Grey images become RGB by repeating the channel; RGB images
      become grey as `0.299 R + 0.587 G + 0.114 B`; alpha is dropped.
    - Sizes: every image is centre-cropped to the aspect ratio of
      `image_size` (when `crop_to_aspect_ratio`) and resized to it with
      `tf.image.resize(method=resize_method, antialias=True)`; images that
      already have that size are kept as they are. When the files have
      different sizes, a warning names two of them. With `image_size=None`
      the images keep their size, which must then be the same for all.

    Args:
        path: the folder.
        image_size: int or `(height, width)` of the output images, or `None`
            to keep the files' (common) size. Defaults to `64`.
        batch_size: images per batch. Defaults to `128`.
        color_mode: `"grayscale"`, `"rgb"` or `None` (from the files).
        labels: `None` (images only) or `"inferred"`: one class per
            subfolder of `path` (sorted names give labels 0, 1, ...; files
            directly in `path` are left out, with a warning), and elements
            `(images, labels)` with int32 labels.
        recursive: look into subfolders (of the class folders, with labels).
            Defaults to `True`.
        shuffle: reshuffle the images at every pass. Defaults to `True`.
        seed: optional shuffle seed.
        num_examples: keep only the first N image files (in sorted order).
        resize_method: a `tf.image.resize` method. Defaults to `"bilinear"`.
        crop_to_aspect_ratio: centre-crop before resizing so that images are
            not distorted. Defaults to `True`.
        drop_remainder: drop the last, smaller batch.
        follow_links: follow symbolic links to folders.

    Returns:
        A batched, prefetched `tf.data.Dataset` (any Keras backend's `fit`
        takes it) with the attributes `file_paths` (the readable files, in
        sorted order) and `class_names` (`None` without labels).

    Raises:
        FileNotFoundError: `path` does not exist.
        NotADirectoryError: `path` is not a folder.
        ValueError: the folder (or a class folder) is empty, holds no image
            files, or no readable ones; the sizes differ with
            `image_size=None`; an argument is invalid.

    Example:

    ```python
    from keras_gans.data.image_folder import load_image_folder

    dataset = load_image_folder("my_photos", image_size=64, batch_size=32)
    gan = keras_gans.models.GAN(image_shape=(64, 64, 3), latent_dim=128)
    gan.compile()
    gan.fit(dataset, epochs=100)
    ```
    """
    import tensorflow as tf

    image_size = _check_arguments(
        path, image_size, batch_size, color_mode, labels, num_examples, resize_method
    )
    files, file_labels, class_names = index_folder(path, labels, recursive, follow_links)
    if num_examples is not None:
        files, file_labels = files[:num_examples], file_labels[:num_examples]
    shapes = probe_images(files, path)
    readable = [i for i in range(len(files)) if shapes[i] is not None]
    files = [files[i] for i in readable]
    file_labels = [file_labels[i] for i in readable]
    shapes = [shapes[i] for i in readable]

    channels = choose_channels(color_mode, shapes)
    sizes = {}
    for file, shape in zip(files, shapes):
        sizes.setdefault(shape[:2], file)
    if len(sizes) > 1:
        (size_a, file_a), (size_b, file_b) = list(sizes.items())[:2]
        if image_size is None:
            raise ValueError(
                f"The images in {path} have {len(sizes)} different sizes, e.g. {file_a} is "
                f"{size_a[0]}x{size_a[1]} and {file_b} is {size_b[0]}x{size_b[1]}; pass an "
                "`image_size` to resize them all. Received: image_size=None"
            )
        how = "centre-cropped to its aspect ratio and resized" if crop_to_aspect_ratio else "resized"
        warnings.warn(
            f"The images in {path} have {len(sizes)} different sizes (height x width), e.g. "
            f"{file_a} is {size_a[0]}x{size_a[1]} and {file_b} is {size_b[0]}x{size_b[1]}; "
            f"each is {how} to {image_size[0]}x{image_size[1]} (resize_method={resize_method!r}).",
            stacklevel=2,
        )
    if image_size is None:
        image_size = next(iter(sizes))

    def load(file, label):
        image = tf.io.decode_image(tf.io.read_file(file), expand_animations=False, dtype=tf.float32)
        image = _convert_channels(tf, image, channels)
        image = _crop_and_resize(tf, image, image_size, resize_method, crop_to_aspect_ratio)
        image = tf.clip_by_value(image * 2.0 - 1.0, -1.0, 1.0)
        return (image, label) if labels is not None else image

    dataset = tf.data.Dataset.from_tensor_slices(
        (tf.constant(files, tf.string), tf.constant(file_labels, tf.int32))
    )
    if shuffle:
        dataset = dataset.shuffle(len(files), seed=seed, reshuffle_each_iteration=True)
    dataset = dataset.map(load, num_parallel_calls=map_parallelism())
    dataset = finish_pipeline(dataset.batch(batch_size, drop_remainder=drop_remainder))
    dataset.file_paths = files
    dataset.class_names = class_names
    return dataset


def _check_arguments(path, image_size, batch_size, color_mode, labels, num_examples, resize_method):
    if not os.path.exists(path):
        raise FileNotFoundError(f"Image folder not found: {path}. Received: path={path!r}")
    if not os.path.isdir(path):
        raise NotADirectoryError(f"Expected a folder of images, got a file: {path}. Received: path={path!r}")
    if color_mode not in COLOR_MODES:
        raise ValueError(f"`color_mode` must be one of {COLOR_MODES}. Received: color_mode={color_mode!r}")
    if labels not in (None, "inferred"):
        raise ValueError(
            f"`labels` must be None or 'inferred' (one class per subfolder). Received: labels={labels!r}"
        )
    if resize_method not in RESIZE_METHODS:
        raise ValueError(
            f"`resize_method` must be one of {RESIZE_METHODS}. Received: resize_method={resize_method!r}"
        )
    if int(batch_size) < 1:
        raise ValueError(f"`batch_size` must be >= 1. Received: batch_size={batch_size}")
    if num_examples is not None and int(num_examples) < 1:
        raise ValueError(f"`num_examples` must be >= 1 or None. Received: num_examples={num_examples}")
    if image_size is None:
        return None
    size = (image_size, image_size) if isinstance(image_size, int) else tuple(image_size)
    if len(size) != 2 or any(not isinstance(s, (int, np.integer)) or s < 1 for s in size):
        raise ValueError(
            "`image_size` must be a positive int, a (height, width) pair or None. "
            f"Received: image_size={image_size!r}"
        )
    return tuple(int(s) for s in size)


def _is_hidden(name):
    return name.startswith(".")


def _list_files(folder, recursive, follow_links):
    """All non-hidden files under `folder` (sorted), and those that are images."""
    found = []
    if recursive:
        for root, dirs, names in os.walk(folder, followlinks=follow_links):
            dirs[:] = [d for d in dirs if not _is_hidden(d)]
            found.extend(os.path.join(root, n) for n in names if not _is_hidden(n))
    else:
        for name in os.listdir(folder):
            full = os.path.join(folder, name)
            if not _is_hidden(name) and os.path.isfile(full):
                found.append(full)
    found.sort()
    images = [f for f in found if f.lower().endswith(IMAGE_EXTENSIONS)]
    return found, images


def _no_images_error(folder, found):
    if not found:
        return ValueError(f"The image folder is empty: {folder}. Received: path={folder!r}")
    names = ", ".join(os.path.relpath(f, folder) for f in found[:_LISTED_NAMES])
    return ValueError(
        f"No image files ({', '.join(IMAGE_EXTENSIONS)}) in {folder}: it holds {len(found)} "
        f"other file(s), e.g. {names}."
    )


def index_folder(path, labels, recursive, follow_links):
    """(image files, their labels, class names or None)."""
    if labels is None:
        found, images = _list_files(path, recursive, follow_links)
        if not images:
            raise _no_images_error(path, found)
        return images, [0] * len(images), None
    class_names = sorted(
        name for name in os.listdir(path) if not _is_hidden(name) and os.path.isdir(os.path.join(path, name))
    )
    if not class_names:
        raise ValueError(
            f"labels='inferred' needs one subfolder per class in {path}, but it has no "
            "subfolders. Received: labels='inferred'"
        )
    _, stray = _list_files(path, recursive=False, follow_links=follow_links)
    if stray:
        warnings.warn(
            f"{len(stray)} image file(s) directly in {path} are not in a class subfolder and "
            f"are left out, e.g. {os.path.basename(stray[0])}.",
            stacklevel=3,
        )
    files, file_labels = [], []
    for label, name in enumerate(class_names):
        folder = os.path.join(path, name)
        found, images = _list_files(folder, recursive, follow_links)
        if not images:
            raise _no_images_error(folder, found)
        files.extend(images)
        file_labels.extend([label] * len(images))
    return files, file_labels, class_names


def probe_images(files, path):
    """Decodes every file once: its (height, width, channels), or None when unreadable."""
    import tensorflow as tf

    def probe(index, file):
        image = tf.io.decode_image(tf.io.read_file(file), expand_animations=False)
        return index, tf.shape(image)

    dataset = tf.data.Dataset.from_tensor_slices(
        (tf.range(len(files), dtype=tf.int64), tf.constant(files, tf.string))
    )
    dataset = dataset.map(probe, num_parallel_calls=map_parallelism(), deterministic=False)
    shapes = [None] * len(files)
    for index, shape in dataset.ignore_errors().as_numpy_iterator():
        shapes[int(index)] = tuple(int(s) for s in shape)
    unreadable = [f for f, s in zip(files, shapes) if s is None]
    if len(unreadable) == len(files):
        raise ValueError(
            f"None of the {len(files)} image file(s) in {path} can be read; e.g. "
            f"{unreadable[0]}: {_decode_error(unreadable[0])}"
        )
    if unreadable:
        listed = "; ".join(f"{f} ({_decode_error(f)})" for f in unreadable[:_LISTED_NAMES])
        more = f" and {len(unreadable) - _LISTED_NAMES} more" if len(unreadable) > _LISTED_NAMES else ""
        warnings.warn(
            f"Skipped {len(unreadable)} of {len(files)} image files in {path} that cannot be "
            f"read (truncated, corrupt or not images): {listed}{more}.",
            stacklevel=3,
        )
    return shapes


def _decode_error(file):
    """The first line of the error that decoding `file` raises."""
    import tensorflow as tf

    try:
        tf.io.decode_image(tf.io.read_file(file), expand_animations=False)
    except Exception as error:  # the decoder's own message
        message = getattr(error, "message", None) or str(error)
        message = re.sub(r"\{\{.*?\}\}", "", message.strip().splitlines()[0])  # TF's op name
        return message.split("[Op:")[0].strip()
    return "decoded on a second try"


def choose_channels(color_mode, shapes):
    if color_mode == "grayscale":
        return 1
    if color_mode == "rgb":
        return 3
    return 1 if all(shape[2] <= 2 for shape in shapes) else 3


def _convert_channels(tf, image, channels):
    """1 (grey), 2 (grey + alpha), 3 (RGB) or 4 (RGBA) channels -> `channels`."""
    has_color = tf.shape(image)[-1] >= 3
    if channels == 1:
        image = tf.cond(
            has_color,
            lambda: tf.tensordot(image[..., :3], tf.constant([0.299, 0.587, 0.114]), [[2], [0]])[..., None],
            lambda: image[..., :1],
        )
    else:
        image = tf.cond(has_color, lambda: image[..., :3], lambda: tf.tile(image[..., :1], [1, 1, 3]))
    return tf.ensure_shape(image, [None, None, channels])


def _crop_and_resize(tf, image, image_size, resize_method, crop_to_aspect_ratio):
    height, width = tf.shape(image)[0], tf.shape(image)[1]
    target_height, target_width = image_size
    if crop_to_aspect_ratio:
        # The largest centred crop with the target's aspect ratio.
        crop_height = tf.minimum(height, (width * target_height) // target_width)
        crop_width = tf.minimum(width, (height * target_width) // target_height)
        image = tf.image.crop_to_bounding_box(
            image, (height - crop_height) // 2, (width - crop_width) // 2, crop_height, crop_width
        )
    same_size = tf.logical_and(
        tf.equal(tf.shape(image)[0], target_height), tf.equal(tf.shape(image)[1], target_width)
    )
    image = tf.cond(
        same_size,
        lambda: image,
        lambda: tf.image.resize(image, image_size, method=resize_method, antialias=True),
    )
    return tf.ensure_shape(image, [target_height, target_width, image.shape[-1]])
