import keras


@keras.saving.register_keras_serializable(package="keras_gans")
class SamplingDropout(keras.layers.Dropout):
    """Dropout that can stay on when the network samples (inference).

    With `at_sampling=False` it is `keras.layers.Dropout`. With
    `at_sampling=True` it also drops units in inference calls, so that dropout
    is a source of noise of the generator when it samples, as the GAN tips
    and pix2pix use it ("dropout of 50 percent during train and generation").

    Args:
        rate: fraction of the units to drop, in `[0, 1)`.
        at_sampling: keep dropping units in inference calls.
        noise_shape, seed: see `keras.layers.Dropout`.
        **kwargs: base layer keyword arguments (`name`, `dtype`, ...).

    Example:

    ```python
    layer = SamplingDropout(0.5, at_sampling=True)
    y = layer(x)  # units dropped although training=False
    ```

    Reference:
        Isola et al., "Image-to-Image Translation with Conditional Adversarial
        Networks", CVPR 2017, section 2.1. Chintala et al., "How to Train a
        GAN? Tips and tricks" (ganhacks), 2016, tip 17.
    """

    def __init__(self, rate, at_sampling=False, noise_shape=None, seed=None, **kwargs):
        super().__init__(rate, noise_shape=noise_shape, seed=seed, **kwargs)
        self.at_sampling = bool(at_sampling)

    def call(self, inputs, training=False):
        return super().call(inputs, training=True if self.at_sampling else training)

    def get_config(self):
        return {**super().get_config(), "at_sampling": self.at_sampling}
