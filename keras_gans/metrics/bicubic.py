"""Bicubic up-sampling: the baseline a super-resolution generator must beat."""

import numpy as np
from keras import ops

# Keys' cubic convolution parameter; -0.5 is the value of MATLAB, PIL and TensorFlow.
CUBIC_A = -0.5


def _cubic(distance):
    d = np.abs(distance)
    near = ((CUBIC_A + 2) * d - (CUBIC_A + 3)) * d * d + 1
    far = ((CUBIC_A * d - 5 * CUBIC_A) * d + 8 * CUBIC_A) * d - 4 * CUBIC_A
    return np.where(d <= 1, near, np.where(d < 2, far, 0.0))


def _interpolation_matrix(in_size, scale):
    """`(in_size * scale, in_size)` matrix of the 1D bicubic weights.

    Taps that fall outside the input get no weight, and each row is renormalized to
    sum to 1 (the border rule of PIL and of TensorFlow's half-pixel resizing).
    """
    out = np.arange(in_size * scale)
    source = (out + 0.5) / scale - 0.5  # pixel centres, as in "half-pixel" resizing
    first = np.floor(source).astype(int) - 1
    matrix = np.zeros((in_size * scale, in_size))
    for tap in range(4):
        index = first + tap
        inside = (index >= 0) & (index < in_size)
        matrix[out[inside], index[inside]] += _cubic(source - index)[inside]
    matrix /= matrix.sum(axis=1, keepdims=True)
    return matrix.astype("float32")


def bicubic_upsample(images, scale):
    """Up-samples NHWC images by an integer factor with bicubic interpolation.

    Output pixel `o` of a side samples the input at `(o + 0.5) / scale - 0.5`
    (pixel centres aligned) with Keys' cubic kernel (`a = -0.5`) over the four nearest
    pixels; near the border, taps outside the image are dropped and the others
    renormalized. This is what PIL's `Image.resize(..., BICUBIC)` and
    `tf.image.resize(..., method="bicubic")` compute when up-sampling. The
    interpolation is separable: a fixed matrix applied to the rows, then to the
    columns, so the same numbers come out on every backend. Values may overshoot the
    input range slightly (the kernel has negative lobes); they are not clipped.

    Args:
        images: `(batch, height, width, channels)` images (any range).
        scale: int >= 1, the up-sampling factor.

    Returns:
        A float32 tensor `(batch, scale * height, scale * width, channels)`.

    Example:

    ```python
    baseline = keras_gans.metrics.bicubic_upsample(low, 4)  # 7x7 -> 28x28
    psnr = keras_gans.metrics.peak_signal_noise_ratio(high, baseline)
    ```

    Reference:
        - [Keys, 1981](https://doi.org/10.1109/TASSP.1981.1163711), "Cubic Convolution
          Interpolation for Digital Image Processing".
    """
    if isinstance(scale, bool) or not isinstance(scale, int) or scale < 1:
        raise ValueError(f"`scale` must be a positive integer. Received: scale={scale!r}")
    images = ops.cast(ops.convert_to_tensor(images), "float32")
    if len(images.shape) != 4 or None in tuple(images.shape[1:3]):
        raise ValueError(
            "`images` must be (batch, height, width, channels) with known height and width. "
            f"Received: images.shape={tuple(images.shape)}"
        )
    _, height, width, _ = images.shape
    rows = ops.convert_to_tensor(_interpolation_matrix(height, scale))
    columns = ops.convert_to_tensor(_interpolation_matrix(width, scale))
    return ops.einsum("oh,nhwc,pw->nopc", rows, images, columns)
