"""StyleGAN2's path length regularization, as a lazy generator term."""

import math

import keras
from keras import ops

from keras_gans.backend import input_gradient
from keras_gans.terms.term import Term
from keras_gans.terms.term import check_non_negative
from keras_gans.terms.term import check_positive_int


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class PathLengthPenalty(Term):
    """`E[(||J_w^T y||_2 - a)^2]`: a fixed-size step in `w` gives a fixed-size image change.

    For styles `w` of a batch of latents and images `g(w)`, `y` is Gaussian
    noise scaled by `1 / sqrt(H * W)` and `J_w^T y = grad_w sum(g(w) * y)`
    (an input gradient, differentiated again in the generator's update);
    the length is the root of its squared norm averaged over the style
    layers. `a` is a running mean of the lengths (`decay` 0.01), kept in the
    non-trainable variable `mean_length`. Runs lazily every `interval` steps
    (4) with its weight times the interval, on `batch_size // batch_shrink`
    latents. Logged as `path_length_penalty`; needs a generator with
    `styles(z, training)` and `synthesis(ws, training)` (the StyleGAN one).

    Args:
        weight: `w_pl` (2 in the paper).
        interval: steps between applications.
        decay: decay of the running mean `a`.
        batch_shrink: the penalty's batch is the real batch divided by this.
        seed: seed of the noise `y`.
        **kwargs: see `Term`.

    Example:

    ```python
    gan = keras_gans.models.StyleGAN(image_shape=(32, 32, 1), path_length_weight=2.0)
    ```

    Reference:
        Karras et al., "Analyzing and Improving the Image Quality of StyleGAN",
        CVPR 2020, section 3.2 and appendix B.
    """

    def __init__(
        self,
        weight=2.0,
        interval=4,
        decay=0.01,
        batch_shrink=2,
        seed=None,
        name="path_length_penalty",
        **kwargs,
    ):
        kwargs.pop("network", None)
        super().__init__(network="generator", weight=weight, interval=interval, name=name, **kwargs)
        self.decay = check_non_negative("decay", decay)
        self.batch_shrink = check_positive_int("batch_shrink", batch_shrink)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.mean_length = self.add_weight(
            shape=(), initializer="zeros", trainable=False, name="mean_length", dtype="float32"
        )

    def attach(self, model):
        generator = model.generator
        if not (hasattr(generator, "styles") and hasattr(generator, "synthesis")):
            raise ValueError(
                "PathLengthPenalty needs a generator with styles(z) and synthesis(ws), such as "
                f"keras_gans.networks.stylegan.StyleGANGenerator. Received: {type(generator).__name__}"
            )

    def compute(self, tensors):
        model = tensors.model
        generator = model.generator
        batch = tensors.batch_size // self.batch_shrink
        batch = max(batch, 1) if isinstance(batch, int) else ops.maximum(batch, 1)
        ws = generator.styles(model.sample_latent(batch), training=tensors.training)
        height, width = model.image_shape[0], model.image_shape[1]
        noise = keras.random.normal(
            (batch,) + tuple(model.image_shape), dtype="float32", seed=self.seed_generator
        ) / math.sqrt(height * width)

        def image_dot_noise(styles):
            images = ops.cast(generator.synthesis(styles, training=tensors.training), "float32")
            return ops.sum(images * noise, axis=tuple(range(1, len(images.shape))))

        scale = tensors.loss_scale
        grads = ops.cast(input_gradient(image_dot_noise, ws, output_scale=scale), "float32")
        if scale is not None:
            grads = grads / ops.cast(scale, "float32")
        lengths = ops.sqrt(ops.mean(ops.sum(ops.square(grads), axis=2), axis=1) + 1e-12)
        mean = ops.convert_to_tensor(self.mean_length)
        mean = ops.stop_gradient(mean + self.decay * (ops.mean(lengths) - mean))
        self.mean_length.assign(mean)
        return {self.name: ops.mean(ops.square(lengths - mean))}

    def get_config(self):
        config = super().get_config()
        config.pop("network")
        return {**config, "decay": self.decay, "batch_shrink": self.batch_shrink, "seed": self.seed}
