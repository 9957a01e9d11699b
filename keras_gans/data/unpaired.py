"""Unpaired image domains for CycleGAN: two sets of images, batched side by side."""

import numbers

import numpy as np

from keras_gans.data.datasets import load_numpy
from keras_gans.data.pipeline import finish_pipeline

# Fashion-MNIST label order.
FASHION_MNIST_CLASS_NAMES = (
    "t_shirt_top",
    "trouser",
    "pullover",
    "dress",
    "coat",
    "sandal",
    "shirt",
    "sneaker",
    "bag",
    "ankle_boot",
)


def fashion_mnist_class(name_or_index):
    """The label of a Fashion-MNIST class, from its name (`"ankle_boot"`) or its index."""
    if isinstance(name_or_index, str):
        key = name_or_index.lower().replace("-", "_").replace(" ", "_").replace("/", "_")
        if key in FASHION_MNIST_CLASS_NAMES:
            return FASHION_MNIST_CLASS_NAMES.index(key)
    elif (
        isinstance(name_or_index, numbers.Integral)
        and not isinstance(name_or_index, bool)
        and 0 <= name_or_index < len(FASHION_MNIST_CLASS_NAMES)
    ):
        return int(name_or_index)
    raise ValueError(
        f"Unknown Fashion-MNIST class {name_or_index!r}. Known classes: "
        f"{', '.join(FASHION_MNIST_CLASS_NAMES)} (or their indices 0-9). "
        f"Received: {name_or_index!r}"
    )


def fashion_mnist_domains(
    domain_a="sneaker", domain_b="ankle_boot", split="train", num_examples=None, data_dir=None
):
    """Two Fashion-MNIST classes as unpaired domains (e.g. sneaker <-> ankle boot).

    Args:
        domain_a: class name or index of domain A (`FASHION_MNIST_CLASS_NAMES`).
        domain_b: class name or index of domain B, another class.
        split: `"train"` (6,000 images per class) or `"test"` (1,000).
        num_examples: optional int, at most this many images per domain.
        data_dir: optional folder with the raw files (see `keras_gans.data.load`).

    Returns:
        `(images_a, images_b)`: float32 arrays `(n, 28, 28, 1)` in [-1, 1].

    Example:

    ```python
    sneakers, boots = keras_gans.data.fashion_mnist_domains("sneaker", "ankle_boot")
    ```
    """
    label_a, label_b = fashion_mnist_class(domain_a), fashion_mnist_class(domain_b)
    if label_a == label_b:
        raise ValueError(
            f"The two domains must be different classes. Received: domain_a={domain_a!r}, "
            f"domain_b={domain_b!r}"
        )
    images, labels = load_numpy("fashion_mnist", split, with_labels=True, data_dir=data_dir)
    images_a, images_b = images[labels == label_a], images[labels == label_b]
    if num_examples is not None:
        images_a, images_b = images_a[:num_examples], images_b[:num_examples]
    return images_a, images_b


def check_unpaired_domains(domain_a, domain_b):
    """Checks two image domains for translation between them.

    Both must be non-empty float arrays `(n, height, width, channels)` in [-1, 1]
    with the same height, width and channel count (a generator maps one onto the
    other); their numbers of images may differ.
    """
    shapes = []
    for name, images in (("domain_a", domain_a), ("domain_b", domain_b)):
        images = np.asarray(images)
        if images.ndim != 4 or len(images) == 0 or not np.issubdtype(images.dtype, np.floating):
            raise ValueError(
                f"`{name}` must be a non-empty float array (n, height, width, channels). "
                f"Received: {name}.shape={images.shape}, dtype={images.dtype}"
            )
        if images.min() < -1 - 1e-6 or images.max() > 1 + 1e-6:
            raise ValueError(
                f"`{name}` must be scaled to [-1, 1]. Received: values from "
                f"{float(images.min()):.3g} to {float(images.max()):.3g}"
            )
        shapes.append(images.shape[1:])
    (a_h, a_w, a_c), (b_h, b_w, b_c) = shapes
    if a_c != b_c:
        raise ValueError(
            "The two domains must have the same number of channels. Received: "
            f"domain_a has {a_c}, domain_b has {b_c}"
        )
    if (a_h, a_w) != (b_h, b_w):
        raise ValueError(
            "The two domains must have images of the same size. Received: "
            f"domain_a {a_h}x{a_w}, domain_b {b_h}x{b_w}"
        )


def unpaired_dataset(domain_a, domain_b, batch_size=1, seed=None):
    """Batches two unpaired domains side by side: elements `(images_a, images_b)`.

    One pass over the larger domain is an epoch; the smaller one is cycled. Each
    domain is reshuffled at every pass, independently, so no image is tied to
    another. Every batch holds `batch_size` images of each domain (the last partial
    batch of the epoch is dropped). CycleGAN trains with `batch_size=1`.

    Args:
        domain_a: float images `(n_a, height, width, channels)` in [-1, 1].
        domain_b: float images `(n_b, height, width, channels)` in [-1, 1].
        batch_size: int, images per domain and batch.
        seed: optional int shuffle seed.

    Returns:
        A `tf.data.Dataset` of `(images_a, images_b)` float32 batches.

    Example:

    ```python
    dataset = keras_gans.data.unpaired_dataset(*fashion_mnist_domains(), batch_size=1)
    ```
    """
    import tensorflow as tf

    check_unpaired_domains(domain_a, domain_b)
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
        raise ValueError(f"`batch_size` must be a positive integer. Received: batch_size={batch_size!r}")
    domains = [tf.convert_to_tensor(np.asarray(d, "float32")) for d in (domain_a, domain_b)]
    sizes = [int(d.shape[0]) for d in domains]
    if max(sizes) < batch_size:
        raise ValueError(
            f"`batch_size` is larger than both domains. Received: batch_size={batch_size}, "
            f"domain sizes {sizes}"
        )

    def shuffled_indices(size, domain_seed, cycle):
        indices = tf.data.Dataset.range(size).shuffle(size, seed=domain_seed, reshuffle_each_iteration=True)
        return indices.repeat() if cycle else indices

    longest = int(np.argmax(sizes))
    streams = [
        shuffled_indices(size, None if seed is None else seed + index, index != longest)
        for index, size in enumerate(sizes)
    ]
    batches = tf.data.Dataset.zip(tuple(streams)).batch(batch_size, drop_remainder=True)
    batches = batches.map(lambda a, b: (tf.gather(domains[0], a), tf.gather(domains[1], b)))
    return finish_pipeline(batches)
