"""Full-reference image quality: PSNR and SSIM, in `keras.ops` (any backend, in a step too).

Both compare images with their targets one image at a time and return one value per
image, shape `(batch,)`. Images are NHWC; the default `data_range` of 2 is that of
images in [-1, 1], the range of keras-gans generators.
"""

import numpy as np
from keras import ops

# Wang et al. (2004): an 11x11 circular-symmetric Gaussian window with sigma 1.5,
# and the stabilizing constants C1 = (K1 L)^2, C2 = (K2 L)^2.
SSIM_WINDOW_SIZE = 11
SSIM_SIGMA = 1.5
SSIM_K1 = 0.01
SSIM_K2 = 0.03


def _check_pair(targets, images):
    targets = ops.cast(ops.convert_to_tensor(targets), "float32")
    images = ops.cast(ops.convert_to_tensor(images), "float32")
    if len(targets.shape) != 4 or tuple(targets.shape) != tuple(images.shape):
        raise ValueError(
            "`targets` and `images` must be batches of images (batch, height, width, "
            f"channels) of the same shape. Received: targets.shape={tuple(targets.shape)}, "
            f"images.shape={tuple(images.shape)}"
        )
    return targets, images


def _check_data_range(data_range):
    if not data_range > 0:
        raise ValueError(f"`data_range` must be positive. Received: data_range={data_range!r}")
    return float(data_range)


def peak_signal_noise_ratio(targets, images, data_range=2.0):
    """PSNR of each image against its target, in dB: `10 log10(data_range**2 / MSE)`.

    The mean squared error is taken over all pixels and channels of one image;
    identical images give `inf`.

    Args:
        targets: reference images `(batch, height, width, channels)`.
        images: images to score, same shape.
        data_range: float, the span of pixel values (2 for [-1, 1], 1 for [0, 1]).

    Returns:
        A float32 tensor `(batch,)`.

    Example:

    ```python
    psnr = keras_gans.metrics.peak_signal_noise_ratio(high, generator(low))
    ```

    Reference:
        - [Wang et al., 2004](https://doi.org/10.1109/TIP.2003.819861), "Image Quality
          Assessment: From Error Visibility to Structural Similarity" (Section I).
    """
    targets, images = _check_pair(targets, images)
    data_range = _check_data_range(data_range)
    mse = ops.mean(ops.square(targets - images), axis=(1, 2, 3))
    return 10.0 * ops.log10(data_range**2 / mse)


def _gaussian_window(size, sigma):
    offsets = np.arange(size, dtype="float64") - (size - 1) / 2
    window = np.exp(-(offsets**2) / (2 * sigma**2))
    return window / window.sum()


def structural_similarity(
    targets,
    images,
    data_range=2.0,
    window_size=SSIM_WINDOW_SIZE,
    sigma=SSIM_SIGMA,
    k1=SSIM_K1,
    k2=SSIM_K2,
):
    """Mean SSIM of each image against its target (Wang et al. 2004).

    Local means, variances and the covariance are Gaussian-weighted averages over a
    `window_size` x `window_size` window (population statistics, as in the paper):

        SSIM = (2 mu_x mu_y + C1)(2 sigma_xy + C2) /
               ((mu_x^2 + mu_y^2 + C1)(sigma_x^2 + sigma_y^2 + C2))

    with `C1 = (k1 * data_range)**2`, `C2 = (k2 * data_range)**2`. The map is
    computed where the window lies inside the image ("valid" positions), per
    channel, and averaged over positions and channels. This equals
    `skimage.metrics.structural_similarity(..., gaussian_weights=True, sigma=1.5,
    use_sample_covariance=False, data_range=data_range, channel_axis=-1)`, which
    crops the same border before averaging.

    Args:
        targets: reference images `(batch, height, width, channels)`; height and
            width at least `window_size`.
        images: images to score, same shape.
        data_range: float, the span of pixel values (2 for [-1, 1]).
        window_size: int, odd side of the Gaussian window (11).
        sigma: float, standard deviation of the window (1.5).
        k1, k2: floats, the stabilizing constants (0.01, 0.03).

    Returns:
        A float32 tensor `(batch,)` of values in [-1, 1] (1 for identical images).

    Example:

    ```python
    ssim = keras_gans.metrics.structural_similarity(high, generator(low))
    ```

    Reference:
        - [Wang et al., 2004](https://doi.org/10.1109/TIP.2003.819861), "Image Quality
          Assessment: From Error Visibility to Structural Similarity" (Section III).
    """
    targets, images = _check_pair(targets, images)
    data_range = _check_data_range(data_range)
    if (
        isinstance(window_size, bool)
        or not isinstance(window_size, int)
        or (window_size < 1 or window_size % 2 == 0)
    ):
        raise ValueError(
            f"`window_size` must be an odd positive integer. Received: window_size={window_size!r}"
        )
    _, height, width, channels = targets.shape
    if height < window_size or width < window_size:
        raise ValueError(
            f"SSIM needs images of at least {window_size}x{window_size} pixels (its window). "
            f"Received: images of {height}x{width}"
        )
    window = _gaussian_window(window_size, sigma).astype("float32")
    rows = ops.convert_to_tensor(np.tile(window.reshape(-1, 1, 1, 1), (1, 1, channels, 1)))
    columns = ops.convert_to_tensor(np.tile(window.reshape(1, -1, 1, 1), (1, 1, channels, 1)))

    def local_mean(x):
        x = ops.depthwise_conv(x, rows, strides=1, padding="valid")
        return ops.depthwise_conv(x, columns, strides=1, padding="valid")

    mean_t, mean_i = local_mean(targets), local_mean(images)
    variance_t = local_mean(targets * targets) - mean_t * mean_t
    variance_i = local_mean(images * images) - mean_i * mean_i
    covariance = local_mean(targets * images) - mean_t * mean_i
    c1, c2 = (k1 * data_range) ** 2, (k2 * data_range) ** 2
    numerator = (2 * mean_t * mean_i + c1) * (2 * covariance + c2)
    denominator = (mean_t * mean_t + mean_i * mean_i + c1) * (variance_t + variance_i + c2)
    return ops.mean(numerator / denominator, axis=(1, 2, 3))
