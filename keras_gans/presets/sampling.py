"""Backend-independent samples: NumPy latent noise, and sample pictures.

`keras.random` streams differ between the TensorFlow, JAX and PyTorch
backends; latent vectors drawn with NumPy are the same everywhere, so model
cards, sample grids and `keras-gans evaluate` reproduce on every backend.
"""

import inspect
import os

import keras
import numpy as np

__all__ = ["generate_samples", "latent_noise", "write_picture", "write_sample_grid"]


def latent_noise(num_samples, latent_dim, seed=0):
    """Standard normal latent vectors drawn with NumPy: `np.random.default_rng(seed)`.

    Args:
        num_samples: number of vectors.
        latent_dim: their size.
        seed: anything `np.random.default_rng` takes (an int, a `SeedSequence`).

    Returns:
        float32 array `(num_samples, latent_dim)`.

    Example:

    >>> keras_gans.presets.latent_noise(2, 3, seed=0).shape
    (2, 3)
    """
    rng = np.random.default_rng(seed)
    return rng.standard_normal((int(num_samples), int(latent_dim))).astype("float32")


def generate_samples(model, num_samples, seed=0, labels=None, batch_size=256):
    """`model.generate` on NumPy latent noise (`latent_noise(num_samples, latent_dim, seed)`).

    Args:
        model: a `keras_gans` model.
        num_samples: number of samples.
        seed: int seed of the latent noise (and of drawn labels).
        labels: for conditional models: one class, one label per sample, or
            None for labels drawn with NumPy from `seed`.
        batch_size: generator batch size.

    Returns:
        float32 NumPy array `(num_samples, *sample_shape)`.

    Example:

    ```python
    gan = keras_gans.models.from_preset("gan_ring")
    points = keras_gans.presets.generate_samples(gan, 2500, seed=0)  # any backend
    ```
    """
    if hasattr(model, "translate"):
        raise ValueError(
            f"{type(model).__name__} translates images; it does not sample from latent noise. Use "
            "model.translate(images) (or `keras-gans translate MODEL IN.png OUT.png`)."
        )
    latents = latent_noise(num_samples, model.latent_dim, seed)
    if "latents" in inspect.signature(model.generate).parameters:
        return model.generate(
            int(num_samples), seed=seed, labels=labels, batch_size=batch_size, latents=latents
        )
    # Until `AdversarialModel.generate` takes `latents=`: the generator, called once.
    labels = model.prepare_labels(int(num_samples), labels, seed)
    if num_samples == 0:
        return np.zeros((0,) + tuple(model.image_shape), "float32")
    z = keras.ops.convert_to_tensor(latents)
    images = model.sampling_generator()(model.generator_inputs(z, labels), training=False)
    return keras.ops.convert_to_numpy(keras.ops.cast(images, "float32"))


def write_sample_grid(model, path, num_samples=64, seed=0, labels=None):
    """Writes a PNG of `num_samples` samples (`generate_samples`, latent seed `seed`).

    An image grid, or a scatter plot of 2D points. Conditional models get labels
    `0, 1, ..., 0, 1, ...` unless `labels` is given.

    Returns:
        The uint8 picture.
    """
    from keras_gans.callbacks import image_grid
    from keras_gans.callbacks import scatter_image

    num_classes = getattr(model, "num_classes", None)
    if labels is None and num_classes:
        labels = (np.arange(num_samples) % num_classes).astype("int32")
    samples = generate_samples(model, num_samples, seed=seed, labels=labels)
    if samples.ndim == 2 and samples.shape[1] == 2:
        picture = scatter_image(samples)
    else:
        picture = image_grid(samples)
    return write_picture(picture, path)


def write_picture(picture, path):
    """Writes a uint8 picture `(height, width[, 1 or 3])` as a PNG (its folder is made).

    Returns:
        The picture.
    """
    from PIL import Image

    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    Image.fromarray(picture[..., 0] if picture.ndim == 3 and picture.shape[-1] == 1 else picture).save(path)
    return picture
