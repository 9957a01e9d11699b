"""Gradient penalties on the discriminator, in `keras.ops`.

The input gradient itself comes from `keras_gans.backend.input_gradient`, the
only backend-specific piece (nested GradientTape on TensorFlow, `jax.grad` of
the discriminator's stateless call on JAX, `torch.autograd.grad(...,
create_graph=True)` on PyTorch), so every penalty here is differentiated again
with respect to the discriminator's weights by the training step.

Each penalty takes `discriminator_fn`, a function of a batch of samples that
returns logits (call the discriminator with `training=True`). Under
`mixed_float16` pass `loss_scale` (the discriminator optimizer's current loss
scale, e.g. `optimizer.scale_loss(1.0)`): the input gradient is computed on the
scaled output so float16 back-propagation does not underflow, then unscaled and
reduced in float32.

Example:

```python
gp = keras_gans.penalties.gradient_penalty(
    lambda x: critic(x, training=True), real, fake, seed=0
)
```
"""

import keras
from keras import ops

from keras_gans.backend import input_gradient
from keras_gans.random_streams import split_int_seed

__all__ = [
    "gradient_norm",
    "gradient_penalty",
    "r1_penalty",
    "r2_penalty",
    "dragan_penalty",
    "drift_penalty",
]


def _per_sample_shape(x):
    return (ops.shape(x)[0],) + (1,) * (len(x.shape) - 1)


def _unscaled_input_gradient(discriminator_fn, x, loss_scale):
    grads = input_gradient(discriminator_fn, x, output_scale=loss_scale)
    grads = ops.cast(grads, "float32")
    if loss_scale is not None:
        grads = grads / ops.cast(loss_scale, "float32")
    return grads


def _squared_norm(grads):
    axes = tuple(range(1, len(grads.shape)))
    return ops.sum(ops.square(grads), axis=axes)


def gradient_norm(discriminator_fn, x, loss_scale=None):
    """Per-sample L2 norm of the discriminator's gradient at `x` (float32)."""
    grads = _unscaled_input_gradient(discriminator_fn, x, loss_scale)
    # The epsilon keeps the gradient of the norm finite at zero.
    return ops.sqrt(_squared_norm(grads) + 1e-12)


def gradient_penalty(
    discriminator_fn, real, fake, seed=None, target=1.0, one_sided=False, loss_scale=None, alpha=None
):
    """WGAN-GP penalty `E[(||grad D(x_hat)|| - target)^2]` on interpolates.

    `x_hat = a * real + (1 - a) * fake` with `a ~ U[0, 1]` drawn once per sample.

    Args:
        discriminator_fn: samples -> logits.
        real, fake: batches of the same shape.
        seed: int or `keras.random.SeedGenerator` for the interpolation weights.
        alpha: optional interpolation weights `(batch,)` to use instead of drawn ones.
        target: the norm the penalty pulls towards (1 in the paper).
        one_sided: penalize only norms above `target` (`max(0, ||g|| - target)^2`),
            the variant Gulrajani et al. mention and Petzka et al. study.
        loss_scale: loss scale for float16 (see the module docstring).

    Reference:
        Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017.
        Petzka et al., "On the regularization of Wasserstein GANs", ICLR 2018.
    """
    real = ops.cast(real, "float32")
    fake = ops.cast(fake, "float32")
    if alpha is None:
        alpha = keras.random.uniform(_per_sample_shape(real), seed=seed)
    else:
        alpha = ops.reshape(ops.cast(alpha, "float32"), _per_sample_shape(real))
    x_hat = alpha * real + (1.0 - alpha) * fake
    excess = gradient_norm(discriminator_fn, x_hat, loss_scale) - target
    if one_sided:
        excess = ops.relu(excess)
    return ops.mean(ops.square(excess))


def r1_penalty(discriminator_fn, real, loss_scale=None):
    """R1: `E[||grad D(x)||^2]` on real samples (weight it by gamma / 2).

    Reference:
        Mescheder et al., "Which Training Methods for GANs do actually Converge?",
        ICML 2018.
    """
    grads = _unscaled_input_gradient(discriminator_fn, ops.cast(real, "float32"), loss_scale)
    return ops.mean(_squared_norm(grads))


def r2_penalty(discriminator_fn, fake, loss_scale=None):
    """R2: `E[||grad D(G(z))||^2]` on generated samples (weight it by gamma / 2).

    Reference:
        Mescheder et al., "Which Training Methods for GANs do actually Converge?",
        ICML 2018.
    """
    grads = _unscaled_input_gradient(discriminator_fn, ops.cast(fake, "float32"), loss_scale)
    return ops.mean(_squared_norm(grads))


def dragan_penalty(discriminator_fn, real, seed=None, perturbation=0.5, loss_scale=None):
    """DRAGAN: gradient penalty around perturbed real samples.

    `x_p = real + perturbation * std(real) * u`, `u ~ U[0, 1]`, then
    `E[(||grad D(a x_p + (1 - a) real)|| - 1)^2]` with `a ~ U[0, 1]` per sample.
    `u` and `a` are independent draws, also for an int `seed` (each draw gets
    a seed of its own derived from it).

    Reference:
        Kodali et al., "On Convergence and Stability of GANs", 2017.
    """
    real = ops.cast(real, "float32")
    noise = keras.random.uniform(ops.shape(real), seed=split_int_seed(seed, "dragan/perturbation"))
    perturbed = real + perturbation * ops.std(real) * noise
    return gradient_penalty(
        discriminator_fn,
        perturbed,
        real,
        seed=split_int_seed(seed, "dragan/interpolation"),
        loss_scale=loss_scale,
    )


def drift_penalty(real_logits):
    """Epsilon drift term `E[D(x)^2]` that keeps critic outputs near 0 (ProGAN).

    Reference:
        Karras et al., "Progressive Growing of GANs", ICLR 2018, section A.1.
    """
    return ops.mean(ops.square(ops.cast(real_logits, "float32")))
