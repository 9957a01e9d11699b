"""`GeneratorPair`: CycleGAN's two generators as one network of the engine."""

import keras

from keras_gans.image_to_image.network_pair import check_pair_member
from keras_gans.image_to_image.network_pair import pair_config
from keras_gans.image_to_image.network_pair import pair_from_config
from keras_gans.image_to_image.network_pair import static_shape


@keras.saving.register_keras_serializable(package="keras_gans")
class GeneratorPair(keras.Model):
    """The two generators of an unpaired translator, held as one Keras model.

    The engine updates `model.generator` with `model.g_optimizer`; holding
    both generators in one model lets one optimizer update both on the sum of
    their losses, as CycleGAN does (one Adam over the parameters of G and F).
    Calling the pair translates A -> B (`a_to_b`), which is what `predict`
    and the export serve by default; `b_to_a` is the other direction.

    Both generators must map images of one shape `(height, width, channels)`
    to images of that shape.

    Args:
        a_to_b: a `keras.Model` translating domain A images to domain B.
        b_to_a: a `keras.Model` translating domain B images to domain A.
        **kwargs: `keras.Model` arguments (`name`).

    Example:

    ```python
    pair = GeneratorPair(resnet_generator((28, 28, 1)), resnet_generator((28, 28, 1)))
    boots = pair(sneakers)  # a_to_b
    sneakers_again = pair.b_to_a(boots)
    ```

    Reference:
        - [Zhu et al., 2017](https://arxiv.org/abs/1703.10593), "Unpaired Image-to-Image
          Translation using Cycle-Consistent Adversarial Networks" (G: X -> Y, F: Y -> X).
    """

    def __init__(self, a_to_b, b_to_a, **kwargs):
        kwargs.setdefault("name", "generator_pair")
        super().__init__(**kwargs)
        check_pair_member(a_to_b, "a_to_b")
        check_pair_member(b_to_a, "b_to_a")
        shapes = {}
        for key, network in (("a_to_b", a_to_b), ("b_to_a", b_to_a)):
            in_shape = static_shape(network.input_shape, key, "input")
            out_shape = static_shape(network.output_shape, key, "output")
            if in_shape[1:] != out_shape[1:]:
                raise ValueError(
                    f"Each generator of a GeneratorPair maps images to images of the same shape. "
                    f"Received: {key} maps {in_shape[1:]} to {out_shape[1:]}"
                )
            shapes[key] = in_shape[1:]
        if shapes["a_to_b"] != shapes["b_to_a"]:
            raise ValueError(
                "The two generators of a GeneratorPair must take images of one shape. Received: "
                f"a_to_b takes {shapes['a_to_b']}, b_to_a takes {shapes['b_to_a']}"
            )
        self.a_to_b = a_to_b
        self.b_to_a = b_to_a
        self.image_shape = shapes["a_to_b"]
        self.built = True

    @property
    def input_shape(self):
        return (None,) + self.image_shape

    @property
    def output_shape(self):
        return (None,) + self.image_shape

    def call(self, images, training=False):
        return self.a_to_b(images, training=training)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return pair_config(self, ("a_to_b", "b_to_a"))

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return pair_from_config(cls, config, ("a_to_b", "b_to_a"), custom_objects)
