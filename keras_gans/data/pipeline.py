"""tf.data input pipelines that keep out of the training step's way.

tf.data's autotuner runs a background optimization thread in every pipeline
that has it on (the default). On a machine with few cores that thread competes
with the training step for CPU: measured on a 2-core machine, a DCGAN step fed
by an autotuned pipeline ran at 8.1 steps/s in some `fit` calls and 13-14 in
others, and at 13-14 in every call with the autotuner off (docs/performance.md).
The pipelines of keras-gans therefore turn it off and use fixed sizes instead:
`os.cpu_count()` parallel calls for `map` and a prefetch of two batches, which
is all an in-memory or decode-and-resize pipeline needs to stay ahead of a
training step.
"""

import numbers
import os

import keras
import numpy as np

# Batches prepared ahead of the training step.
PREFETCH_BATCHES = 2


def map_parallelism():
    """Parallel calls for the `map` stages of a pipeline (the number of cores)."""
    return max(1, os.cpu_count() or 1)


def finish_pipeline(dataset):
    """Turns the tf.data autotuner off and prefetches `PREFETCH_BATCHES` batches."""
    import tensorflow as tf

    options = tf.data.Options()
    options.autotune.enabled = False
    return dataset.with_options(options).prefetch(PREFETCH_BATCHES)


def array_dataset(x, y=None, batch_size=32, shuffle=True, seed=None):
    """Batches in-memory arrays as `model.fit` would, without the autotuner.

    Elements have the structure Keras gives arrays in `fit`
    (`keras.utils.pack_x_y_sample_weight`): an `x` batch, `(x,)` when `x` is a
    tuple of arrays, or `(x, y)` with targets. The examples are reshuffled at every
    pass when `shuffle` is True
    (a shuffled index stream and a gather, so no copy of the data is buffered);
    the last batch may be smaller. Floating-point arrays are cast to
    `keras.config.floatx()`, as Keras does.

    Args:
        x: an array, or a tuple/list of arrays with the same first dimension.
        y: optional array of targets (labels).
        batch_size: examples per batch (32 when None, as in `fit`).
        shuffle: reshuffle the examples at every pass over them.
        seed: optional shuffle seed.

    Returns:
        A batched `tf.data.Dataset`.

    Example:

    ```python
    dataset = keras_gans.data.array_dataset(images, batch_size=64)
    gan.fit(dataset, epochs=5)
    ```
    """
    import tensorflow as tf

    data = keras.utils.pack_x_y_sample_weight(x, y)
    arrays = tf.nest.flatten(data)
    sizes = {int(np.shape(a)[0]) for a in arrays}
    if len(sizes) != 1:
        raise ValueError(
            "All arrays must have the same number of examples. Received: arrays with "
            f"{', '.join(str(s) for s in sorted(sizes))} examples"
        )
    (size,) = sizes
    if size == 0:
        shapes = ", ".join(str(tuple(np.shape(a))) for a in arrays)
        raise ValueError(f"The data holds no examples. Received: arrays of shape {shapes}")
    if batch_size is None:
        batch_size = 32
    if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
        raise ValueError(f"`batch_size` must be a positive integer. Received: batch_size={batch_size!r}")
    batch_size = int(batch_size)
    floatx = keras.config.floatx()

    def as_tensor(array):
        array = np.asarray(array) if not tf.is_tensor(array) else array
        if isinstance(array, np.ndarray) and array.dtype.kind == "f" and array.dtype != floatx:
            array = array.astype(floatx)
        return tf.convert_to_tensor(array)

    tensors = tf.nest.map_structure(as_tensor, data)
    indices = tf.data.Dataset.range(size)
    if shuffle:
        indices = indices.shuffle(size, seed=seed, reshuffle_each_iteration=True)
    # A gather per batch costs little next to a training step: no parallel calls.
    batches = indices.batch(batch_size).map(
        lambda i: tf.nest.map_structure(lambda t: tf.gather(t, i), tensors)
    )
    return finish_pipeline(batches)
