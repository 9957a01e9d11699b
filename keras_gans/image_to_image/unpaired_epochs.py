"""Resumable batches of two unpaired image domains for `CycleGAN.fit` on arrays."""

import math

import keras
import numpy as np

from keras_gans.random_streams import derive_seed


def unpaired_epochs(domain_a, domain_b, batch_size, seed, initial_epoch=0, shuffle=True):
    """Batches `(images_a, images_b)` whose order in epoch `e` depends on `(seed, e)` only.

    An epoch is one pass over the larger domain, in `len(larger) // batch_size`
    steps; the smaller domain is cycled through fresh permutations within the
    epoch. Each domain is shuffled with a stream of its own, so that no image
    of A is tied to an image of B. As in `AdversarialModel.fit` on arrays, a
    run resumed at epoch `e` (`fit(..., initial_epoch=e)` on a reloaded model)
    sees the batches an uninterrupted run would have seen.

    Args:
        domain_a, domain_b: float arrays `(n_a, h, w, c)` and `(n_b, h, w, c)`.
        batch_size: images of each domain per batch.
        seed: int seed of the order (the model's data seed).
        initial_epoch: the first epoch of the endless dataset.
        shuffle: False keeps the order of the arrays (each cycled).

    Returns:
        `(dataset, steps_per_epoch)`: an endless `tf.data.Dataset` and the steps of one epoch.

    Example:

    ```python
    dataset, steps = unpaired_epochs(sneakers, boots, 1, seed=0)
    ```
    """
    import tensorflow as tf

    from keras_gans.data.pipeline import finish_pipeline

    sizes = [len(domain_a), len(domain_b)]
    steps = max(sizes) // batch_size
    if steps == 0:
        raise ValueError(
            f"Neither domain fills one batch. Received: batch_size={batch_size}, domain sizes {sizes}"
        )
    count = steps * batch_size
    floatx = keras.config.floatx()
    domains = [tf.convert_to_tensor(np.asarray(d, floatx)) for d in (domain_a, domain_b)]
    seeds = [derive_seed(int(seed), f"unpaired_order/{name}") for name in ("a", "b")]

    def order(size, domain_seed, epoch):
        passes = math.ceil(count / size)
        pieces = []
        for index in range(passes):
            if shuffle:
                keys = tf.random.stateless_uniform(
                    [size], seed=tf.stack([tf.constant(domain_seed, tf.int64), epoch * passes + index])
                )
                pieces.append(tf.argsort(keys))
            else:
                pieces.append(tf.range(size))
        return tf.concat(pieces, 0)[:count]

    def epoch_batches(epoch):
        indices = [order(size, s, epoch) for size, s in zip(sizes, seeds)]
        return tf.data.Dataset.from_tensor_slices(tuple(indices)).batch(batch_size, drop_remainder=True)

    def gather(a, b):
        return tf.gather(domains[0], a), tf.gather(domains[1], b)

    epochs = tf.data.Dataset.range(int(initial_epoch), np.iinfo(np.int64).max)
    return finish_pipeline(epochs.flat_map(epoch_batches).map(gather)), steps
