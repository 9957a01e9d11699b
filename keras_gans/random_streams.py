"""Independent random streams derived from one model seed."""

import hashlib

import keras
import numpy as np
from keras import ops

# Seeds live in [0, 2**31 - 1): every backend's generator accepts them.
_SEED_RANGE = 2**31 - 1


def derive_seed(seed, consumer):
    """The int seed of one random consumer, derived from a model seed.

    Two consumers of one model (the latent noise and the instance noise, say)
    must never share an int seed: `keras.random.SeedGenerator`s built from the
    same int advance in lockstep and draw identical numbers. This hashes
    `(seed, consumer)` into a seed of its own, so streams are independent and
    still reproducible from the one model seed.

    Args:
        seed: the model's int seed, or None (then None: a fresh random seed).
        consumer: a name saying what draws from the stream, e.g. `"latent"`.

    Returns:
        An int in `[0, 2**31 - 1)`, or None.

    Example:

    >>> derive_seed(0, "latent") != derive_seed(0, "instance_noise")
    True
    """
    if seed is None:
        return None
    digest = hashlib.sha256(f"keras_gans/{int(seed)}/{consumer}".encode()).digest()
    return int.from_bytes(digest[:8], "little") % _SEED_RANGE


def split_int_seed(seed, consumer):
    """For functions given an int (stateless) seed: a different int per draw.

    A `keras.random.SeedGenerator` advances itself between draws and is
    returned unchanged; an int seed is turned into `derive_seed(seed,
    consumer)` so that two draws of one function never coincide.
    """
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        return derive_seed(int(seed), consumer)
    return seed


def seed_generators(layer):
    """Every `keras.random.SeedGenerator` of a layer and its sublayers, in a
    deterministic order (the order of `_flatten_layers`), without repeats."""
    found, seen = [], set()
    for sublayer in layer._flatten_layers(include_self=True):
        for generator in getattr(sublayer, "_seed_generators", ()):
            if id(generator) not in seen:
                seen.add(id(generator))
                found.append(generator)
    return found


def save_seed_states(layer, store, prefix="seed_state"):
    """Writes the state of every seed generator of `layer` into `store`.

    Keras does not save seed generator states; a resumed run that restarts
    them would draw the noise of its first steps again.
    """
    for i, generator in enumerate(seed_generators(layer)):
        store[f"{prefix}_{i}"] = ops.convert_to_numpy(generator.state.value)


def load_seed_states(layer, store, prefix="seed_state"):
    """Restores the states `save_seed_states` wrote (missing ones are kept)."""
    generators = seed_generators(layer)
    for i, generator in enumerate(generators):
        key = f"{prefix}_{i}"
        if key in store.keys():
            value = np.asarray(store[key])
            if tuple(value.shape) != tuple(generator.state.shape):
                raise ValueError(
                    f"Saved seed state {key!r} has shape {value.shape}; the model's has "
                    f"{tuple(generator.state.shape)}. Received a file saved from another model."
                )
            generator.state.assign(value.astype(generator.state.dtype))


def stream(seed, consumer):
    """A `keras.random.SeedGenerator` for one consumer of a model seeded `seed`."""
    return keras.random.SeedGenerator(derive_seed(seed, consumer), name=f"{consumer}_seed")
