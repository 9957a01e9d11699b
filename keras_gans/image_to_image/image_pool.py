"""`ImagePool`: the history of generated images that CycleGAN's discriminators judge."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gans")
class ImagePool(keras.layers.Layer):
    """A history of generated images, fed to the discriminator instead of the newest ones.

    The pool holds up to `pool_size` images. Called on a batch, it goes through the
    images in order: while the pool is not full, an image is stored and returned as
    is; once it is full, with probability `replace_probability` the image replaces a
    stored image drawn uniformly at random and that stored image is returned instead,
    otherwise the image itself is returned. The discriminator thus sees a mix of
    current and older fakes, which damps oscillation (CycleGAN: 50 images, 0.5).

    All state is in Keras variables, so the pool works inside a compiled train step
    on every backend and is saved with the model: the buffer `images` (`(pool_size,
    height, width, channels)`, non-trainable), the number of stored images `count`
    (int32) and the state of its `SeedGenerator` (saved with the layer's variables
    too, so a restored pool continues with the same random draws). The output is cut
    from the gradient: the discriminator's update does not reach the generator
    through it. `pool_size=0` returns the images unchanged.

    Args:
        pool_size: int >= 0, the number of stored images.
        replace_probability: float in [0, 1], the chance that a full pool answers
            with a stored image (and stores the new one in its place).
        seed: optional int seed of the random draws.
        **kwargs: base layer keyword arguments (`name`, `dtype`, ...).

    Example:

    ```python
    pool = ImagePool(50, seed=0)
    fakes_for_d = pool(generator(real_a))  # same shape, some images from the history
    ```

    Reference:
        - [Shrivastava et al., 2017](https://arxiv.org/abs/1612.07828), "Learning from
          Simulated and Unsupervised Images through Adversarial Training" (Section 2.3).
        - [Zhu et al., 2017](https://arxiv.org/abs/1703.10593), "Unpaired Image-to-Image
          Translation using Cycle-Consistent Adversarial Networks" (Section 4).
    """

    def __init__(self, pool_size=50, replace_probability=0.5, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(pool_size, bool) or not isinstance(pool_size, int) or pool_size < 0:
            raise ValueError(f"`pool_size` must be a non-negative integer. Received: pool_size={pool_size!r}")
        if isinstance(replace_probability, bool) or not 0 <= replace_probability <= 1:
            raise ValueError(
                "`replace_probability` must be in [0, 1]. "
                f"Received: replace_probability={replace_probability!r}"
            )
        self.pool_size = pool_size
        self.replace_probability = float(replace_probability)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed, name="image_pool_seed")

    def build(self, input_shape):
        if len(input_shape) < 2 or None in tuple(input_shape[1:]):
            raise ValueError(
                "ImagePool needs batches of images with a known shape, (batch, height, width, "
                f"channels). Received: input_shape={tuple(input_shape)}"
            )
        self.images = self.add_weight(
            shape=(self.pool_size,) + tuple(input_shape[1:]),
            initializer="zeros",
            trainable=False,
            name="images",
        )
        self.count = self.add_weight(
            shape=(), dtype="int32", initializer="zeros", trainable=False, name="count"
        )
        self.built = True

    def call(self, images):
        images = ops.stop_gradient(images)
        if self.pool_size == 0:
            return images
        batch = ops.shape(images)[0]
        coins = keras.random.uniform((batch,), seed=self.seed_generator)
        slots = keras.random.randint((batch,), 0, self.pool_size, seed=self.seed_generator)
        stored_dtype = self.images.dtype
        zeros = (0,) * (len(images.shape) - 1)

        def query(index, state):
            pool, count, outputs = state
            image = ops.expand_dims(ops.cast(ops.take(images, index, axis=0), stored_dtype), 0)
            filling = count < self.pool_size
            swap = ops.logical_and(
                ops.logical_not(filling), ops.take(coins, index) < self.replace_probability
            )
            slot = ops.where(filling, count, ops.cast(ops.take(slots, index), "int32"))
            stored = ops.expand_dims(ops.take(pool, slot, axis=0), 0)
            output = ops.where(swap, stored, image)
            pool = ops.slice_update(
                pool, (slot,) + zeros, ops.where(ops.logical_or(filling, swap), image, stored)
            )
            outputs = ops.slice_update(outputs, (index,) + zeros, output)
            count = ops.where(filling, count + 1, count)
            return pool, count, outputs

        pool, count, outputs = ops.fori_loop(
            0,
            batch,
            query,
            (
                ops.convert_to_tensor(self.images),
                ops.convert_to_tensor(self.count),
                ops.zeros(ops.shape(images), stored_dtype),
            ),
        )
        self.images.assign(pool)
        self.count.assign(count)
        return ops.cast(outputs, images.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def save_own_variables(self, store):
        super().save_own_variables(store)
        store["seed_generator_state"] = self.seed_generator.state

    def load_own_variables(self, store):
        seed_state = store["seed_generator_state"] if "seed_generator_state" in store else None
        own = {key: store[key] for key in store.keys() if key != "seed_generator_state"}
        super().load_own_variables(own)
        if seed_state is not None:
            self.seed_generator.state.assign(seed_state)

    def get_config(self):
        return {
            **super().get_config(),
            "pool_size": self.pool_size,
            "replace_probability": self.replace_probability,
            "seed": self.seed,
        }
