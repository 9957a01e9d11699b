"""Paired image-to-image tasks: (input, target) arrays in [-1, 1] for pix2pix and SRGAN.

Each task builder takes a batch of target images and makes their inputs:
`super_resolution_pairs` (area down-sampling), `inpainting_pairs` (a masked square
and a mask channel), `denoising_pairs` (Gaussian noise) and `colorization_pairs`
(luma). `fashion_mnist_pairs` applies one of them to Fashion-MNIST, read offline with
`keras_gans.data.load_numpy`; `paired_dataset` checks a pair of arrays and batches them
for `fit`.
"""

import numbers

import numpy as np
from keras import ops

from keras_gans.data.datasets import load_numpy
from keras_gans.data.pipeline import array_dataset
from keras_gans.networks.image_pyramid import average_downsample

FASHION_MNIST_TASKS = ("super_resolution_x4", "super_resolution_x2", "inpainting", "denoising")
# Inpainting: the side of the missing square (half the side of a 28 px image).
DEFAULT_MASK_SIZE = 14
# Denoising: standard deviation of the noise, in the units of [-1, 1] images (0.25 in [0, 1]).
DEFAULT_NOISE_STDDEV = 0.5
# ITU-R BT.601 luma weights of R, G and B.
LUMA_WEIGHTS = (0.299, 0.587, 0.114)


def _check_images(images, name="images"):
    images = np.asarray(images)
    if images.ndim != 4 or images.shape[0] == 0 or not np.issubdtype(images.dtype, np.floating):
        raise ValueError(
            f"`{name}` must be a non-empty float array (n, height, width, channels). "
            f"Received: {name}.shape={images.shape}, dtype={images.dtype}"
        )
    low, high = float(images.min()), float(images.max())
    if low < -1 - 1e-6 or high > 1 + 1e-6:
        raise ValueError(f"`{name}` must be scaled to [-1, 1]. Received: values from {low:.3g} to {high:.3g}")
    return images.astype("float32", copy=False)


def _check_positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"`{name}` must be a positive integer. Received: {name}={value!r}")
    return int(value)


def super_resolution_pairs(images, scale):
    """Low-resolution inputs made by area (block-average) down-sampling of `images`.

    Each `scale` x `scale` block of pixels is replaced by its mean (the "area" or
    box down-sampling of a camera sensor): 28x28 becomes 7x7 for `scale=4`, 14x14 for
    `scale=2`.

    Args:
        images: float targets `(n, height, width, channels)` in [-1, 1]; height and
            width divisible by `scale`.
        scale: int >= 2, the down-sampling factor.

    Returns:
        `(low_resolution, images)`: float32 arrays, `(n, height // scale, width // scale,
        channels)` and the targets.

    Example:

    ```python
    low, high = keras_gans.data.super_resolution_pairs(images, 4)  # 7x7 -> 28x28
    ```
    """
    images = _check_images(images)
    scale = _check_positive_int(scale, "scale")
    if scale < 2 or images.shape[1] % scale or images.shape[2] % scale:
        raise ValueError(
            "`scale` must be at least 2 and divide the image height and width. "
            f"Received: scale={scale}, images of {images.shape[1]}x{images.shape[2]}"
        )
    low = ops.convert_to_numpy(average_downsample(ops.convert_to_tensor(images), scale))
    return low.astype("float32"), images


def inpainting_pairs(images, mask_size=DEFAULT_MASK_SIZE, position="random", seed=None):
    """Inputs with a missing square: the image with the square set to 0, plus a mask channel.

    The input has one channel more than the target: its last channel is the mask,
    1 inside the missing square and -1 elsewhere, so a generator knows which pixels
    to fill. The image channels of the square are set to 0 (mid-grey). The square's
    top-left corner is drawn uniformly for each image (`position="random"`) or the
    square is centred (`"center"`).

    Args:
        images: float targets `(n, height, width, channels)` in [-1, 1].
        mask_size: int, side of the missing square (at most the image side).
        position: `"random"` or `"center"`.
        seed: optional int seed of the positions.

    Returns:
        `(inputs, images)`: float32, `(n, height, width, channels + 1)` and the targets.
        The missing pixels are `inputs[..., -1] > 0`.

    Example:

    ```python
    inputs, targets = keras_gans.data.inpainting_pairs(images, mask_size=14, seed=0)
    ```

    Reference:
        - [Pathak et al., 2016](https://arxiv.org/abs/1604.07379), "Context Encoders:
          Feature Learning by Inpainting".
    """
    images = _check_images(images)
    mask_size = _check_positive_int(mask_size, "mask_size")
    n, height, width, _ = images.shape
    if mask_size > min(height, width):
        raise ValueError(
            f"`mask_size` must fit in the image ({height}x{width}). Received: mask_size={mask_size}"
        )
    if position == "random":
        rng = np.random.default_rng(seed)
        tops = rng.integers(0, height - mask_size + 1, n)
        lefts = rng.integers(0, width - mask_size + 1, n)
    elif position == "center":
        tops = np.full(n, (height - mask_size) // 2)
        lefts = np.full(n, (width - mask_size) // 2)
    else:
        raise ValueError(f"`position` must be 'random' or 'center'. Received: position={position!r}")
    rows = np.arange(height)[None, :, None]
    columns = np.arange(width)[None, None, :]
    missing = (
        (rows >= tops[:, None, None])
        & (rows < tops[:, None, None] + mask_size)
        & (columns >= lefts[:, None, None])
        & (columns < lefts[:, None, None] + mask_size)
    )[..., None]
    masked = np.where(missing, 0.0, images)
    mask_channel = np.where(missing, 1.0, -1.0)
    return np.concatenate([masked, mask_channel], axis=-1).astype("float32"), images


def denoising_pairs(images, noise_stddev=DEFAULT_NOISE_STDDEV, seed=None):
    """Noisy inputs: `clip(images + noise_stddev * N(0, 1), -1, 1)`.

    The noise is i.i.d. per pixel and channel; `noise_stddev` is in the units of
    [-1, 1] images (the default 0.5 is 0.25 of the [0, 1] range, about 64/255).
    Clipping keeps the inputs in [-1, 1].

    Args:
        images: float targets `(n, height, width, channels)` in [-1, 1].
        noise_stddev: float > 0.
        seed: optional int seed of the noise.

    Returns:
        `(noisy, images)`: float32 arrays of the targets' shape.

    Example:

    ```python
    noisy, clean = keras_gans.data.denoising_pairs(images, noise_stddev=0.5, seed=0)
    ```
    """
    images = _check_images(images)
    if isinstance(noise_stddev, bool) or not noise_stddev > 0:
        raise ValueError(f"`noise_stddev` must be positive. Received: noise_stddev={noise_stddev!r}")
    noise = np.random.default_rng(seed).normal(0.0, noise_stddev, images.shape)
    return np.clip(images + noise, -1.0, 1.0).astype("float32"), images


def colorization_pairs(images):
    """Grey inputs made from colour targets: the luma `0.299 R + 0.587 G + 0.114 B`.

    Args:
        images: float RGB targets `(n, height, width, 3)` in [-1, 1].

    Returns:
        `(grey, images)`: float32, `(n, height, width, 1)` and the targets.

    Example:

    ```python
    grey, colour = keras_gans.data.colorization_pairs(patches)
    ```
    """
    images = _check_images(images)
    if images.shape[-1] != 3:
        raise ValueError(f"Colorization needs RGB images (3 channels). Received: {images.shape[-1]} channels")
    grey = images @ np.asarray(LUMA_WEIGHTS, "float32")
    return grey[..., None].astype("float32"), images


def fashion_mnist_pairs(task, split="train", num_examples=None, data_dir=None, seed=None, **task_options):
    """A paired task on Fashion-MNIST (28x28 grey images, read offline).

    Tasks: `"super_resolution_x4"` (7x7 -> 28x28), `"super_resolution_x2"`
    (14x14 -> 28x28), `"inpainting"` (a 14x14 square missing; input 28x28x2) and
    `"denoising"` (noise of standard deviation 0.5 in [-1, 1] units).

    Args:
        task: one of `FASHION_MNIST_TASKS`.
        split: `"train"` or `"test"`.
        num_examples: optional int, the first examples of the split only.
        data_dir: optional folder with the raw files (see `keras_gans.data.load`).
        seed: optional int seed of the masks or the noise.
        **task_options: passed to the task's builder (`mask_size`, `position`,
            `noise_stddev`).

    Returns:
        `(inputs, targets)`: float32 arrays in [-1, 1].

    Example:

    ```python
    low, high = keras_gans.data.fashion_mnist_pairs("super_resolution_x4", "test")
    ```
    """
    if task not in FASHION_MNIST_TASKS:
        raise ValueError(
            f"Unknown task {task!r}. Known tasks: {', '.join(FASHION_MNIST_TASKS)}. Received: task={task!r}"
        )
    images = load_numpy("fashion_mnist", split, num_examples=num_examples, data_dir=data_dir)
    if task.startswith("super_resolution"):
        return super_resolution_pairs(images, int(task[-1]), **task_options)
    if task == "inpainting":
        return inpainting_pairs(images, seed=seed, **task_options)
    return denoising_pairs(images, seed=seed, **task_options)


def check_paired_data(inputs, targets):
    """Checks `(input, target)` arrays and returns the spatial scale from input to target.

    Both must be float arrays `(n, height, width, channels)` in [-1, 1] with the
    same number of examples; the target's height and width must be the input's
    times one integer factor (1 for pix2pix tasks, 2 or 4 for super-resolution).
    Channel counts may differ (a mask channel, a grey input).

    Args:
        inputs: the generator's inputs.
        targets: the images it should produce.

    Returns:
        The int factor from input to target size.

    Example:

    ```python
    keras_gans.data.check_paired_data(low, high)  # 4
    ```
    """
    inputs = _check_images(inputs, "inputs")
    targets = _check_images(targets, "targets")
    if len(inputs) != len(targets):
        raise ValueError(
            "`inputs` and `targets` must hold the same number of examples. "
            f"Received: {len(inputs)} inputs and {len(targets)} targets"
        )
    (in_h, in_w), (out_h, out_w) = inputs.shape[1:3], targets.shape[1:3]
    scale = out_h // in_h
    if out_h % in_h or out_w % in_w or out_w // in_w != scale or scale < 1:
        raise ValueError(
            "The targets' height and width must be the inputs' times one integer factor. "
            f"Received: inputs.shape={inputs.shape}, targets.shape={targets.shape}"
        )
    return scale


def paired_dataset(inputs, targets, batch_size=32, shuffle=True, seed=None):
    """Checks paired arrays (`check_paired_data`) and batches them as `(input, target)`.

    Args:
        inputs: float inputs `(n, h, w, c)` in [-1, 1].
        targets: float targets `(n, scale * h, scale * w, c')` in [-1, 1].
        batch_size: int, examples per batch.
        shuffle: reshuffle the pairs at every pass.
        seed: optional shuffle seed.

    Returns:
        A batched `tf.data.Dataset` of `(inputs, targets)` (see
        `keras_gans.data.array_dataset`).

    Example:

    ```python
    dataset = keras_gans.data.paired_dataset(*fashion_mnist_pairs("inpainting"), 64)
    ```
    """
    check_paired_data(inputs, targets)
    return array_dataset(
        np.asarray(inputs, "float32"),
        np.asarray(targets, "float32"),
        batch_size=batch_size,
        shuffle=shuffle,
        seed=seed,
    )
