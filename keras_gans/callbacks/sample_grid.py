"""`SampleGrid`: a picture of the generator's samples at the end of epochs."""

import math
import os

import keras
import numpy as np


def image_grid(images, num_rows=None, padding=2):
    """Tiles images in [-1, 1] into one uint8 picture.

    Args:
        images: `(n, height, width, channels)` with 1 or 3 channels, or
            `(n, height, width)`; values in [-1, 1] (non-finite values show
            as black).
        num_rows: rows of the grid; about `sqrt(n)` by default.
        padding: pixels between tiles (white).

    Returns:
        uint8 array `(H, W, channels)`.
    """
    images = np.asarray(images, np.float32)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4 or images.shape[-1] not in (1, 3) or len(images) == 0:
        raise ValueError(
            f"Expected a non-empty batch of images (n, height, width, 1 or 3), got shape {images.shape}."
        )
    n, height, width, channels = images.shape
    num_cols = math.ceil(math.sqrt(n)) if num_rows is None else math.ceil(n / num_rows)
    num_rows = math.ceil(n / num_cols)
    pixels = np.nan_to_num(images, nan=-1.0, posinf=1.0, neginf=-1.0)
    pixels = np.round((np.clip(pixels, -1.0, 1.0) + 1.0) * 127.5).astype(np.uint8)
    grid = np.full(
        (
            num_rows * height + (num_rows + 1) * padding,
            num_cols * width + (num_cols + 1) * padding,
            channels,
        ),
        255,
        np.uint8,
    )
    for index in range(n):
        row, col = divmod(index, num_cols)
        top = padding + row * (height + padding)
        left = padding + col * (width + padding)
        grid[top : top + height, left : left + width] = pixels[index]
    return grid


def scatter_image(points, size=256, plot_range=None):
    """Draws 2D points as dark dots on a white square, axes in light grey.

    Args:
        points: `(n, 2)` array.
        size: side of the picture in pixels.
        plot_range: half-width of the square in data units; by default 1.1
            times the largest finite coordinate (at least 1).

    Returns:
        uint8 array `(size, size, 1)`.
    """
    points = np.asarray(points, np.float64)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"Expected points of shape (n, 2), got {points.shape}.")
    points = points[np.all(np.isfinite(points), axis=1)]
    if plot_range is None:
        plot_range = max(1.0, 1.1 * np.abs(points).max()) if len(points) else 1.0
    canvas = np.full((size, size), 255, np.uint8)
    center = size // 2
    canvas[center, :] = 200
    canvas[:, center] = 200
    pixels = np.round((points / plot_range + 1.0) * (size - 1) / 2.0).astype(int)
    inside = np.all((pixels >= 0) & (pixels < size), axis=1)
    cols, rows = pixels[inside, 0], size - 1 - pixels[inside, 1]
    for d_row, d_col in ((0, 0), (0, 1), (1, 0), (1, 1)):
        canvas[np.clip(rows + d_row, 0, size - 1), np.clip(cols + d_col, 0, size - 1)] = 0
    return canvas[..., None]


class SampleGrid(keras.callbacks.Callback):
    """Saves a grid of generated samples, from fixed noise, every few epochs.

    Writes `output_dir/epoch_001.png`, `epoch_002.png`, ... (1-based, as
    Keras prints epochs). The same `seed` gives the same latent vectors at
    every epoch, so the pictures show how the generator changes. Samples of
    2D data (`(n, 2)` points) are drawn as a scatter plot instead. Conditional
    models get labels `0, 1, ..., num_classes - 1, 0, 1, ...` unless `labels`
    is given. With `tensorboard_dir`, the grid is also written as a
    TensorBoard image summary (this needs TensorFlow, under any backend, but
    not the tensorboard package).

    Args:
        output_dir: folder for the PNG files (created if missing).
        num_samples: samples per grid (64 gives an 8x8 grid).
        every: write every `every` epochs.
        seed: int seed of the fixed latent noise.
        tensorboard_dir: optional TensorBoard log folder.
        labels: optional class labels for conditional models.

    Example:

    ```python
    gan.fit(dataset, epochs=20, callbacks=[
        keras_gans.callbacks.SampleGrid("runs/samples", tensorboard_dir="runs/tb")])
    ```
    """

    def __init__(
        self,
        output_dir,
        num_samples=64,
        every=1,
        seed=0,
        tensorboard_dir=None,
        labels=None,
    ):
        super().__init__()
        if int(every) < 1 or int(num_samples) < 1:
            raise ValueError(f"every and num_samples must be >= 1, got {every} and {num_samples}.")
        self.output_dir = output_dir
        self.num_samples = int(num_samples)
        self.every = int(every)
        self.seed = seed
        self.tensorboard_dir = tensorboard_dir
        self.labels = labels
        self.written = []
        self._writer = None

    def get_config(self):
        return {
            "output_dir": self.output_dir,
            "num_samples": self.num_samples,
            "every": self.every,
            "seed": self.seed,
            "tensorboard_dir": self.tensorboard_dir,
            "labels": None if self.labels is None else np.asarray(self.labels).tolist(),
        }

    def _labels(self):
        if self.labels is not None:
            return np.asarray(self.labels, "int32")
        num_classes = getattr(self.model, "num_classes", None)
        if num_classes:
            return (np.arange(self.num_samples) % num_classes).astype("int32")
        return None

    def on_train_begin(self, logs=None):
        os.makedirs(self.output_dir, exist_ok=True)
        if self.tensorboard_dir is not None and self._writer is None:
            try:
                import tensorflow as tf
            except ImportError as error:
                raise ImportError(
                    "SampleGrid(tensorboard_dir=...) writes TensorBoard summaries "
                    "with TensorFlow: `pip install tensorflow` (any Keras backend "
                    "works), or pass tensorboard_dir=None."
                ) from error
            self._writer = tf.summary.create_file_writer(self.tensorboard_dir)

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every:
            return
        samples = self.model.generate(self.num_samples, seed=self.seed, labels=self._labels())
        if samples.ndim == 2 and samples.shape[1] == 2:
            picture = scatter_image(samples)
        else:
            picture = image_grid(samples)
        from PIL import Image

        path = os.path.join(self.output_dir, f"epoch_{epoch + 1:03d}.png")
        Image.fromarray(picture[..., 0] if picture.shape[-1] == 1 else picture).save(path)
        self.written.append(path)
        if self._writer is not None:
            self._write_tensorboard_image(picture, step=epoch + 1)

    def _write_tensorboard_image(self, picture, step):
        # The tensor layout of TensorBoard's image plugin (width, height,
        # PNG bytes), written with core TF so the tensorboard package is not
        # needed.
        import tensorflow as tf
        from tensorflow.core.framework import summary_pb2

        metadata = summary_pb2.SummaryMetadata(
            display_name="samples",
            plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name="images"),
        )
        tensor = tf.stack(
            [
                tf.as_string(picture.shape[1]),
                tf.as_string(picture.shape[0]),
                tf.io.encode_png(picture),
            ]
        )
        with self._writer.as_default():
            tf.summary.write("samples", tensor, step=step, metadata=metadata)
        self._writer.flush()

    def on_train_end(self, logs=None):
        if self._writer is not None:
            self._writer.close()
            self._writer = None
