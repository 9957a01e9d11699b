"""What a folder of the user's own images is as a dataset: `is_image_folder` tells a
folder from a dataset name, `image_folder_info` describes it (`ImageFolderInfo`).
"""

import dataclasses
import functools
import os
import warnings

from keras_gans.data import catalog
from keras_gans.data import image_folder
from keras_gans.data.catalog import IMAGES
from keras_gans.data.catalog import DatasetInfo

__all__ = ["ImageFolderInfo", "image_folder_info", "is_image_folder"]


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


def existing_folder(name):
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
        files, _, _ = image_folder.index_folder(real_path, None, recursive=True, follow_links=False)
        shapes = image_folder.probe_images(files, real_path)
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
    folder = existing_folder(path)
    real_path = os.path.realpath(folder)
    shapes, class_names = _probe_folder(real_path, os.stat(real_path).st_mtime_ns)
    channels = image_folder.choose_channels(None, shapes)
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
