"""`translate_file`: one image file through a translator (the `keras-gans translate` command)."""

import os

import numpy as np

from keras_gans.image_to_image.image_checks import describe_shape

# PIL modes by channel count, and back.
_MODES = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}


def read_image(path, channels=None):
    """An image file as uint8 `(height, width, channels)`.

    Grey files give 1 channel, grey with alpha 2 (`"LA"`: an inpainting input,
    the alpha channel being the mask), RGB 3 and RGBA 4. With `channels`, a grey
    file is converted for a 3-channel model and a colour one for a 1-channel
    model; any other mismatch raises a `ValueError` naming both counts.

    Args:
        path: a PNG, JPEG or any file PIL reads.
        channels: the channel count wanted, or None for the file's own.

    Returns:
        uint8 NumPy array `(height, width, channels)`.
    """
    from PIL import Image
    from PIL import UnidentifiedImageError

    if not os.path.isfile(path):
        raise FileNotFoundError(f"The image file {path!r} does not exist.")
    try:
        with Image.open(path) as image:
            image.load()
            mode = image.mode
            if mode not in _MODES.values():
                image = image.convert("RGBA" if "A" in mode or "transparency" in image.info else "RGB")
                mode = image.mode
            if channels is not None and _MODES.get(channels) != mode:
                conversions = {(1, "RGB"): "L", (1, "RGBA"): "L", (3, "L"): "RGB", (3, "RGBA"): "RGB"}
                target = conversions.get((channels, mode))
                if target is None:
                    raise ValueError(
                        f"The model takes images with {channels} channel(s); {path!r} has "
                        f"{len(mode)} ({mode}). Received: a {mode} image"
                    )
                image = image.convert(target)
            array = np.asarray(image)
    except UnidentifiedImageError:
        raise ValueError(f"Cannot read {path!r}: it is not an image file PIL knows.") from None
    return array[..., None] if array.ndim == 2 else array


def write_image(path, image):
    """Writes float `(height, width, channels)` in [-1, 1] (or uint8) as an image file."""
    from PIL import Image

    image = np.asarray(image)
    if image.dtype != np.uint8:
        image = np.round((np.clip(image, -1.0, 1.0) + 1.0) * 127.5).astype("uint8")
    if image.ndim != 3 or image.shape[-1] not in _MODES:
        raise ValueError(
            f"Only images (height, width, 1 to 4 channels) can be written. Received: shape {image.shape}"
        )
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)
    picture = image[..., 0] if image.shape[-1] == 1 else image
    Image.fromarray(picture, mode=_MODES[image.shape[-1]]).save(path)
    return path


def translate_file(model, input_path, output_path, direction=None):
    """Reads an image file, translates it with `model.translate` and writes the result.

    The image must have the size the model's generator takes (e.g. 7x7 for a
    x4 Fashion-MNIST SRGAN, 28x28 for pix2pix); its channels are read as the
    model needs them (`read_image`). Pixel values 0..255 are scaled to [-1, 1]
    and the output back to 0..255 (grey or RGB PNG by the output's channels).

    Args:
        model: a translator (`keras_gans.models.Pix2Pix`, `SRGAN`, `CycleGAN`).
        input_path: the image file to translate.
        output_path: the image file to write (its format from its suffix, e.g. `.png`).
        direction: for CycleGAN, `"a_to_b"` or `"b_to_a"` (default: its
            `serving_direction`).

    Returns:
        The translated image, float32 `(height, width, channels)` in [-1, 1].

    Raises:
        ValueError: the model does not translate images, the file is no image,
            or its size or channels do not fit the model (the message names both).

    Example:

    ```python
    srgan = keras_gans.models.from_preset("srgan_fashion_mnist_x4")
    keras_gans.image_to_image.translate_file(srgan, "low.png", "high.png")
    ```
    """
    if not hasattr(model, "translate") or not hasattr(model, "translation_input_shape"):
        raise ValueError(
            "translate_file needs an image-to-image model (Pix2Pix, SRGAN, CycleGAN). Received: a "
            f"{type(model).__name__}, which samples from latent noise."
        )
    expected = model.translation_input_shape(direction)
    image = read_image(input_path, channels=expected[-1])
    if any(e is not None and e != s for e, s in zip(expected[:2], image.shape[:2])):
        raise ValueError(
            f"{type(model).__name__} translates images of {describe_shape(expected[:2])} pixels; "
            f"{input_path!r} is {image.shape[0]}x{image.shape[1]}. Resize it first."
        )
    kwargs = {} if direction is None else {"direction": direction}
    translated = model.translate(image, **kwargs)
    write_image(output_path, translated)
    return translated
