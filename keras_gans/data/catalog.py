"""The facts about every dataset keras-gans knows, in one place.

`DATASETS` maps each name to a `DatasetInfo`: what kind of data it is (a 2D
mixture generated on the fly, or an image dataset read from files), the shape
of one sample at its native size, its number of classes, its splits and, for
image datasets, where tensorflow-datasets downloads it from and what a user
must do to make it available offline. The loaders, their error messages and
the command line all read these facts from here.
"""

import dataclasses

MIXTURE = "mixture"
IMAGES = "images"
DEBIAN_FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"

_IDX_FILES = (
    "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, "
    "t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz"
)


@dataclasses.dataclass(frozen=True)
class DatasetInfo:
    """What keras-gans knows about one dataset.

    Args:
        name: the name `keras_gans.data` and the command line use.
        kind: `"mixture"` (2D points, `keras_gans.data.mixture`) or `"images"`
            (`keras_gans.data.load`).
        sample_shape: shape of one sample at its native size (CelebA: after the
            central crop, at the default 64x64).
        num_classes: number of class labels (mixtures: their modes), or None.
        splits: the splits `keras_gans.data.load` reads from raw files.
        description: one line for listings.
        download_host: `(host, port)` tensorflow-datasets downloads it from,
            probed before a download (image datasets only).
        offline_fix: what to do to make the dataset available offline.

    Example:

    >>> keras_gans.data.dataset_info("cifar10").sample_shape
    (32, 32, 3)
    """

    name: str
    kind: str
    sample_shape: tuple
    num_classes: object
    splits: tuple = ()
    description: str = ""
    download_host: object = None
    offline_fix: str = ""


DATASETS = {
    info.name: info
    for info in (
        DatasetInfo("ring", MIXTURE, (2,), 8, description="8 Gaussians on the unit circle (PacGAN)"),
        DatasetInfo("grid", MIXTURE, (2,), 25, description="25 Gaussians on a 5x5 grid (PacGAN)"),
        DatasetInfo(
            "mnist",
            IMAGES,
            (28, 28, 1),
            10,
            ("train", "test"),
            "handwritten digits",
            ("storage.googleapis.com", 443),
            f"put {_IDX_FILES} (the original MNIST files) in data_dir or data_dir/mnist/",
        ),
        DatasetInfo(
            "fashion_mnist",
            IMAGES,
            (28, 28, 1),
            10,
            ("train", "test"),
            "Zalando clothing images",
            ("fashion-mnist.s3-website.eu-central-1.amazonaws.com", 80),
            "install the Debian package (`sudo apt-get install dataset-fashion-mnist`, files "
            f"land in {DEBIAN_FASHION_MNIST_DIR}), or put {_IDX_FILES} in data_dir or "
            "data_dir/fashion_mnist/",
        ),
        DatasetInfo(
            "cifar10",
            IMAGES,
            (32, 32, 3),
            10,
            ("train", "test"),
            "CIFAR-10 photographs",
            ("www.cs.toronto.edu", 443),
            "put cifar-10-python.tar.gz (from "
            "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz), or its extracted "
            "cifar-10-batches-py/ folder (data_batch_1..5, test_batch), in data_dir or "
            "data_dir/cifar10/",
        ),
        DatasetInfo(
            "celeb_a",
            IMAGES,
            (64, 64, 3),
            None,
            ("train", "validation", "test"),
            "aligned celebrity faces",
            ("drive.google.com", 443),
            "put the img_align_celeba/ folder of aligned JPEGs and list_eval_partition.txt "
            "(from the CelebA site) in data_dir or data_dir/celeb_a/",
        ),
    )
}
DATASET_NAMES = tuple(DATASETS)
MIXTURE_NAMES = tuple(n for n, info in DATASETS.items() if info.kind == MIXTURE)
IMAGE_DATASET_NAMES = tuple(n for n, info in DATASETS.items() if info.kind == IMAGES)


def dataset_info(name, kind=None):
    """The `DatasetInfo` of a dataset, with a clear error for unknown names.

    Args:
        name: a dataset name, e.g. `"ring"` or `"fashion_mnist"`.
        kind: optionally `"mixture"` or `"images"`: the kind the caller reads.

    Returns:
        A `DatasetInfo`.

    Example:

    >>> keras_gans.data.dataset_info("ring").num_classes
    8
    """
    info = DATASETS.get(name) if isinstance(name, str) else None
    if info is None:
        what = {
            None: ("dataset", "datasets"),
            MIXTURE: ("mixture", "mixtures"),
            IMAGES: ("image dataset", "image datasets"),
        }[kind]
        known = DATASET_NAMES if kind is None else tuple(n for n in DATASET_NAMES if DATASETS[n].kind == kind)
        raise ValueError(
            f"Unknown {what[0]} {name!r}. Known {what[1]}: {', '.join(known)}. Received: name={name!r}"
        )
    if kind is not None and info.kind != kind:
        hint = (
            f"use keras_gans.data.mixture({name!r}, n)"
            if info.kind == MIXTURE
            else f"use keras_gans.data.load({name!r})"
        )
        raise ValueError(
            f"{name!r} is not {'a 2D mixture' if kind == MIXTURE else 'an image dataset'}: {hint}. "
            f"Received: name={name!r}"
        )
    return info
