"""`DiscriminatorPair`: CycleGAN's two discriminators as one network of the engine."""

import keras

from keras_gans.image_to_image.network_pair import check_pair_member
from keras_gans.image_to_image.network_pair import pair_config
from keras_gans.image_to_image.network_pair import pair_from_config
from keras_gans.image_to_image.network_pair import static_shape


@keras.saving.register_keras_serializable(package="keras_gans")
class DiscriminatorPair(keras.Model):
    """The two discriminators of an unpaired translator, held as one Keras model.

    The engine updates `model.discriminator` with `model.d_optimizer`: one
    optimizer step on the sum of both discriminators' losses (their parameters
    are disjoint, so this is the same as two separate steps with one Adam
    each). `d_a` tells real domain A images from translations B -> A, `d_b`
    real domain B images from translations A -> B. Calling the pair runs
    `d_b` (the judge of the A -> B direction).

    Args:
        d_a: a `keras.Model` judging images of domain A (logits).
        d_b: a `keras.Model` judging images of domain B.
        **kwargs: `keras.Model` arguments (`name`).

    Example:

    ```python
    pair = DiscriminatorPair(patchgan_discriminator((28, 28, 1), num_downsamplings=1),
                             patchgan_discriminator((28, 28, 1), num_downsamplings=1))
    logits = pair.d_b(boots)  # (batch, 12, 12, 1)
    ```

    Reference:
        - [Zhu et al., 2017](https://arxiv.org/abs/1703.10593), "Unpaired Image-to-Image
          Translation using Cycle-Consistent Adversarial Networks" (D_X and D_Y).
    """

    def __init__(self, d_a, d_b, **kwargs):
        kwargs.setdefault("name", "discriminator_pair")
        super().__init__(**kwargs)
        check_pair_member(d_a, "d_a")
        check_pair_member(d_b, "d_b")
        in_a = static_shape(d_a.input_shape, "d_a", "input")[1:]
        in_b = static_shape(d_b.input_shape, "d_b", "input")[1:]
        if in_a != in_b:
            raise ValueError(
                "The two discriminators of a DiscriminatorPair must judge images of one shape. "
                f"Received: d_a takes {in_a}, d_b takes {in_b}"
            )
        self.d_a = d_a
        self.d_b = d_b
        self.image_shape = in_a
        self.built = True

    @property
    def input_shape(self):
        return (None,) + self.image_shape

    def call(self, images, training=False):
        return self.d_b(images, training=training)

    def compute_output_shape(self, input_shape):
        return self.d_b.compute_output_shape(input_shape)

    def get_config(self):
        return pair_config(self, ("d_a", "d_b"))

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return pair_from_config(cls, config, ("d_a", "d_b"), custom_objects)
