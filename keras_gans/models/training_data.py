"""What `AdversarialModel.fit` feeds the train step: checked data, `n_critic` batches per step.

A train step makes `n_critic` discriminator updates, each on a real batch of
its own (WGAN-GP's Algorithm 1), and one generator update. `fit` therefore
gives every step `n_critic` consecutive batches of `batch_size` examples as one
batch of `n_critic * batch_size` laid out example-major (`interleave_critic_batches`),
which the step splits with a stride of `n_critic`; an epoch over N batches
makes N / n_critic generator steps (what the progress bar and `steps_per_epoch`
count) and N critic updates. A last group with fewer than `n_critic` examples
is dropped.

In-memory arrays go through a tf.data pipeline whose order of examples in
epoch `e` is a function of the model's data seed and `e` only, so that a run
resumed at epoch `e` (`fit(..., initial_epoch=e)` on a reloaded model) sees the
batches an uninterrupted run would have seen. The data are checked before
training starts: no examples, NaN or Inf values, labels outside
`[0, num_classes)` or not integers raise a `ValueError`; data outside the
generator's output range (0..255 images for a tanh generator) warn once.
`tf.data` datasets are checked batch by batch as they are read.
"""

import warnings

import keras
import numpy as np

# Marks the assertion messages of the pipeline's checks (turned into ValueErrors).
CHECK_MARKER = "keras_gans data check"


def _is_tensor_like(value):
    if isinstance(value, np.ndarray):
        return True
    try:
        import tensorflow as tf

        if isinstance(value, tf.data.Dataset):
            return False
        if tf.is_tensor(value) and not isinstance(value, tf.RaggedTensor):
            return True
    except ImportError:  # pragma: no cover - TensorFlow is a dependency
        pass
    return keras.ops.is_tensor(value)


def in_memory(value):
    """Whether `value` is an array/tensor or a tuple/list of them."""
    if isinstance(value, (list, tuple)):
        return len(value) > 0 and all(in_memory(v) for v in value)
    return _is_tensor_like(value)


def is_dataset(value):
    import tensorflow as tf

    return isinstance(value, tf.data.Dataset)


def check_batch_size(batch_size):
    if batch_size is None:
        return None
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
        raise ValueError(f"`batch_size` must be an integer >= 1. Received: batch_size={batch_size!r}")
    return int(batch_size)


def check_epochs(epochs, initial_epoch):
    if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 1:
        raise ValueError(f"`epochs` must be an integer >= 1. Received: epochs={epochs!r}")
    if initial_epoch >= epochs:
        raise ValueError(
            "`epochs` is the index of the last epoch, so it must exceed `initial_epoch` (the epochs "
            f"already done). Received: epochs={epochs}, initial_epoch={initial_epoch}"
        )


# --------------------------------------------------------------- array checks


def _as_numpy(value):
    return value if isinstance(value, np.ndarray) else keras.ops.convert_to_numpy(value)


def check_labels(labels, num_classes, where="the labels"):
    """Labels as int32 `(n,)`; a ValueError when they are not class indices."""
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.ndim != 1:
        raise ValueError(
            f"Class labels must be indices of shape (n,) or (n, 1) (not one-hot). Received: {where} "
            f"of shape {labels.shape}"
        )
    if labels.dtype.kind not in "iub":
        finite = np.isfinite(labels)
        bad = ~finite | (labels != np.round(np.where(finite, labels, 0)))
        if np.any(bad):
            i = int(np.argmax(bad))
            raise ValueError(f"Class labels must be integers. Received: {where}[{i}] = {labels[i].item()!r}")
    if labels.size:
        low, high = labels.min(), labels.max()
        if low < 0 or high >= num_classes:
            i = int(np.argmax((labels < 0) | (labels >= num_classes)))
            raise ValueError(
                f"Class labels must be in [0, {num_classes}) for num_classes={num_classes}. "
                f"Received: {where}[{i}] = {labels[i].item()!r} "
                f"(values from {low.item()!r} to {high.item()!r})"
            )
    return labels.astype("int32")


def _check_finite(samples, where):
    flat = samples.reshape(len(samples), -1)
    bad = ~np.all(np.isfinite(flat), axis=1)
    if np.any(bad):
        i = int(np.argmax(bad))
        raise ValueError(
            f"The training data hold NaN or Inf values ({int(bad.sum())} of {len(samples)} examples, "
            f"the first in {where} example {i}). Remove or fix them before training."
        )


def warn_if_out_of_range(model, low, high, where):
    """Warns once when real data leave the generator's output range."""
    output_range = model.output_range()
    if output_range is None:
        return
    lower, upper = output_range
    slack = 1e-3 * (upper - lower)
    if low < lower - slack or high > upper + slack:
        hint = " Scale 0..255 images with x / 127.5 - 1." if high > 2 and lower == -1 else ""
        warnings.warn(
            f"{where} lie in [{low:g}, {high:g}], but the generator of {model.name} outputs values in "
            f"[{lower:g}, {upper:g}], so the discriminator can tell real from fake by range alone." + hint,
            stacklevel=4,
        )


def check_arrays(model, samples, labels):
    """Checks in-memory training data; returns `(samples, labels)` as NumPy."""
    samples = _as_numpy(samples)
    if samples.ndim == 0 or len(samples) == 0:
        raise ValueError(f"`fit` received no training examples. Received: x of shape {samples.shape}")
    expected = tuple(model.image_shape)
    if tuple(samples.shape[1:]) != expected:
        raise ValueError(
            f"The generator of {model.name} makes samples of shape {expected}, but the training data "
            f"have shape {tuple(samples.shape[1:])} per example. Received: x of shape {samples.shape}"
        )
    if samples.dtype.kind == "f":
        _check_finite(samples, "x")
    low, high = float(np.min(samples)), float(np.max(samples))
    warn_if_out_of_range(model, low, high, "The training data")
    if model.num_classes is not None:
        if labels is None:
            raise ValueError(
                f"{type(model).__name__} trains on (samples, labels): pass the class labels, e.g. "
                "fit(images, labels)."
            )
        labels = check_labels(_as_numpy(labels), model.num_classes)
        if len(labels) != len(samples):
            raise ValueError(
                f"Got {len(samples)} examples but {len(labels)} labels. Received: x of shape "
                f"{samples.shape}, y of shape {labels.shape}"
            )
    return samples, labels


# ------------------------------------------------------------ array pipeline


def interleave_critic_batches(group, n_critic):
    """Lays `n_critic` consecutive batches out example-major: row `j * n + i` is
    example `j` of batch `i`, so that the step's strided split (`real[i::n]`)
    gives batch `i` back, and so does every replica's share of a batch split
    contiguously across devices (`tf.distribute`, JAX data parallelism): critic
    update `i` sees batch `i` on every replica."""
    import tensorflow as tf

    if n_critic == 1:
        return group
    rows = tf.shape(group)[0] // n_critic * n_critic
    shape = tf.shape(group)[1:]
    grouped = tf.reshape(group[:rows], tf.concat([[n_critic, -1], shape], 0))
    perm = tf.concat([[1, 0], tf.range(2, tf.rank(grouped))], 0)
    return tf.reshape(tf.transpose(grouped, perm), tf.concat([[-1], shape], 0))


def grouped_array_dataset(samples, labels, batch_size, n_critic, shuffle, seed, initial_epoch):
    """Batches of `n_critic * batch_size` examples; epoch `e`'s order depends on `(seed, e)` only.

    Returns:
        `(dataset, steps_per_epoch)`: an endless dataset starting at epoch
        `initial_epoch`, and the number of train steps of one epoch.
    """
    import tensorflow as tf

    from keras_gans.data.pipeline import finish_pipeline

    size = len(samples)
    group = batch_size * n_critic
    remainder = size % group
    usable = size - remainder if remainder < n_critic else size
    steps = usable // group + (1 if usable % group else 0)
    if steps == 0:
        raise ValueError(
            f"{size} examples do not fill one train step of {n_critic} critic batches (n_critic={n_critic}). "
            f"Received: {size} examples, batch_size={batch_size}"
        )
    floatx = keras.config.floatx()
    tensors = [tf.convert_to_tensor(samples.astype(floatx) if samples.dtype != floatx else samples)]
    if labels is not None:
        tensors.append(tf.convert_to_tensor(labels))
    seed = int(seed)

    def epoch_order(epoch):
        if shuffle:
            keys = tf.random.stateless_uniform([size], seed=tf.stack([tf.constant(seed, tf.int64), epoch]))
            order = tf.argsort(keys)
        else:
            order = tf.range(size)
        return (
            tf.data.Dataset.from_tensor_slices(order[:usable])
            .batch(group)
            .map(lambda indices: interleave_critic_batches(indices, n_critic))
        )

    def gather(indices):
        picked = tuple(tf.gather(t, indices) for t in tensors)
        return picked if len(picked) > 1 else picked[0]

    epochs = tf.data.Dataset.range(int(initial_epoch), np.iinfo(np.int64).max)
    dataset = epochs.flat_map(epoch_order).map(gather)
    return finish_pipeline(dataset), steps


# ---------------------------------------------------------- dataset pipeline


def _static_batch(dataset):
    import tensorflow as tf

    first = tf.nest.flatten(dataset.element_spec)[0]
    shape = getattr(first, "shape", None)
    if shape is None or shape.rank is None or shape.rank == 0:
        return None
    return shape[0]


def grouped_dataset(dataset, n_critic):
    """A batched `tf.data.Dataset` regrouped to `n_critic` batches per element."""
    import tensorflow as tf

    if n_critic == 1:
        return dataset
    batch = _static_batch(dataset)
    if batch is not None:
        # Equal static batches: stack n_critic of them, lay them out example-major.
        def merge(*elements):
            def example_major(t):
                perm = tf.concat([[1, 0], tf.range(2, tf.rank(t))], 0)
                return tf.reshape(tf.transpose(t, perm), tf.concat([[-1], tf.shape(t)[2:]], 0))

            merged = tuple(tf.nest.map_structure(example_major, e) for e in elements)
            return merged if len(merged) > 1 else merged[0]

        return dataset.batch(n_critic, drop_remainder=True).map(merge)
    regrouped = dataset.unbatch()
    # Unknown batch size: regroup by examples, n_critic * (size of the first batch).
    for element in dataset.take(1):
        first = tf.nest.flatten(element)[0]
        size = int(first.shape[0])
        break
    else:
        raise ValueError("`fit` received an empty dataset.")

    def merge(*elements):
        merged = tuple(
            tf.nest.map_structure(lambda t: interleave_critic_batches(t, n_critic), e) for e in elements
        )
        return merged if len(merged) > 1 else merged[0]

    return (
        regrouped.batch(size * n_critic)
        .filter(lambda *e: tf.shape(tf.nest.flatten(e)[0])[0] >= n_critic)
        .map(merge)
    )


def checked_dataset(model, dataset):
    """Adds per-batch checks (finite values, label range) to a `tf.data.Dataset`."""
    import tensorflow as tf

    num_classes = model.num_classes

    def check(index, element):
        x, y, _ = keras.utils.unpack_x_y_sample_weight(element)
        if isinstance(x, (list, tuple)) and len(x) == 2 and y is None:
            x, y = x
        assertions = []
        if x.dtype.is_floating:
            assertions.append(
                tf.debugging.Assert(
                    tf.reduce_all(tf.math.is_finite(x)),
                    [f"{CHECK_MARKER}: NaN or Inf values in training batch", index],
                )
            )
        if num_classes is not None and y is not None:
            labels = tf.reshape(y, [-1])
            if labels.dtype.is_floating:
                assertions.append(
                    tf.debugging.Assert(
                        tf.reduce_all(tf.equal(labels, tf.round(labels))),
                        [f"{CHECK_MARKER}: class labels must be integers; batch", index],
                    )
                )
            labels = tf.cast(labels, tf.float64)
            assertions.append(
                tf.debugging.Assert(
                    tf.reduce_all((labels >= 0) & (labels < num_classes)),
                    [
                        f"{CHECK_MARKER}: class labels must be in [0, {num_classes}); batch",
                        index,
                        "holds labels from",
                        tf.reduce_min(labels),
                        "to",
                        tf.reduce_max(labels),
                    ],
                )
            )
        with tf.control_dependencies(assertions):
            return tf.nest.map_structure(tf.identity, element)

    return dataset.enumerate().map(check)


def check_first_batch(model, dataset):
    """Checks what can be seen from the first batch: emptiness, shape, range, labels."""
    for element in dataset.take(1):
        break
    else:
        raise ValueError("`fit` received an empty dataset.")
    x, y, _ = keras.utils.unpack_x_y_sample_weight(element)
    if isinstance(x, (list, tuple)) and len(x) == 2 and y is None:
        x, y = x
    x = np.asarray(x)
    if tuple(x.shape[1:]) != tuple(model.image_shape):
        raise ValueError(
            f"The generator of {model.name} makes samples of shape {tuple(model.image_shape)}, but the "
            f"dataset's batches hold examples of shape {tuple(x.shape[1:])}. Received: a batch of shape "
            f"{x.shape}"
        )
    if model.num_classes is not None and y is None:
        raise ValueError(
            f"{type(model).__name__} trains on (samples, labels): the dataset must yield (images, labels)."
        )
    if x.size:
        warn_if_out_of_range(model, float(np.min(x)), float(np.max(x)), "The first training batch's values")


def as_value_error(error):
    """The ValueError for a failed pipeline check, or None for other errors."""
    message = str(getattr(error, "message", error))
    if CHECK_MARKER not in message:
        return None
    detail = message[message.index(CHECK_MARKER) + len(CHECK_MARKER) + 2 :]
    detail = " ".join(detail.replace("[", " ").replace("]", " ").split())
    return ValueError(f"Bad training data: {detail} (batches counted from 0).")


def prepare_fit(model, x, y, batch_size, epochs, shuffle, initial_epoch, steps_per_epoch, fit_kwargs):
    """`(x, y, batch_size, shuffle, steps_per_epoch)` for `keras.Model.fit`:
    checked data, `n_critic` batches per step (see the module docstring)."""

    batch_size = check_batch_size(batch_size)
    check_epochs(epochs, initial_epoch)
    n = model.n_critic
    if in_memory(x):
        samples, labels = x, y
        if isinstance(x, (list, tuple)) and len(x) == 2 and y is None:
            samples, labels = x
        samples, labels = check_arrays(model, samples, labels)
        keras_pipeline = any(
            fit_kwargs.get(k) is not None and fit_kwargs.get(k) is not False
            for k in ("validation_split", "sample_weight", "class_weight")
        )
        if keras_pipeline or not isinstance(shuffle, bool):
            # Keras' own pipeline, with batches of n_critic critic batches.
            return samples, labels, (batch_size or 32) * n, shuffle, steps_per_epoch
        dataset, steps = grouped_array_dataset(
            samples, labels, batch_size or 32, n, shuffle, model.data_seed(), initial_epoch
        )
        return dataset, None, None, False, steps_per_epoch or steps
    if is_dataset(x):
        check_first_batch(model, x)
        return grouped_dataset(checked_dataset(model, x), n), y, batch_size, False, steps_per_epoch
    if n > 1:
        raise ValueError(
            f"With n_critic={n} every train step takes {n} batches, which `fit` can only group for "
            "arrays and tf.data.Dataset objects. Wrap your data in a tf.data.Dataset (e.g. "
            f"tf.data.Dataset.from_generator). Received: x of type {type(x).__name__}"
        )
    return x, y, batch_size, shuffle, steps_per_epoch
