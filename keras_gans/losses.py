"""Adversarial losses as pure `keras.ops` functions of discriminator logits.

Each loss is an object with two methods, both returning mean-reduced float32
scalars and both numerically stable from raw logits:

- `discriminator_loss(real_logits, fake_logits, real_target=1.0, fake_target=0.0)`
- `generator_loss(fake_logits)`

`real_target` / `fake_target` (a float, or a tensor of per-sample targets) are how
label smoothing and noisy labels reach the losses that have targets
(`minimax`, `non_saturating`, `least_squares`); the critic losses
(`wasserstein`, `hinge`) have no targets and reject them.

Example:

```python
loss = keras_gans.losses.get("non_saturating")
d_loss = loss.discriminator_loss(real_logits, fake_logits)
g_loss = loss.generator_loss(fake_logits)
```
"""

from keras import ops

__all__ = [
    "AdversarialLoss",
    "MinimaxLoss",
    "NonSaturatingLoss",
    "LeastSquaresLoss",
    "WassersteinLoss",
    "HingeLoss",
    "get",
    "names",
    "sigmoid_cross_entropy",
]


def _float32(x):
    return ops.cast(x, "float32")


def sigmoid_cross_entropy(logits, target):
    """Mean binary cross-entropy of `sigmoid(logits)` against `target`.

    Uses `softplus(x) - t * x`, which equals `-t log s(x) - (1 - t) log(1 - s(x))`
    and never evaluates the log of a saturated sigmoid.
    """
    logits = _float32(logits)
    target = _float32(target)
    return ops.mean(ops.softplus(logits) - target * logits)


class AdversarialLoss:
    """Base class: a pair of discriminator and generator losses on logits."""

    name = None
    has_targets = True

    def discriminator_loss(self, real_logits, fake_logits, real_target=1.0, fake_target=0.0):
        raise NotImplementedError

    def generator_loss(self, fake_logits):
        raise NotImplementedError

    def _check_targets(self, real_target, fake_target):
        default = isinstance(real_target, (int, float)) and isinstance(fake_target, (int, float))
        if not self.has_targets and not (default and real_target == 1.0 and fake_target == 0.0):
            raise ValueError(
                f"The '{self.name}' loss has no targets, so label smoothing and noisy labels "
                "do not apply to it. Use 'minimax', 'non_saturating' or 'least_squares'."
            )

    def __repr__(self):
        return f"<{type(self).__name__} '{self.name}'>"


class MinimaxLoss(AdversarialLoss):
    """The original minimax GAN loss (Goodfellow et al. 2014).

    D maximizes `log D(x) + log(1 - D(G(z)))`; G minimizes `log(1 - D(G(z)))`,
    which saturates when D rejects the fakes confidently.

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.
    """

    name = "minimax"

    def discriminator_loss(self, real_logits, fake_logits, real_target=1.0, fake_target=0.0):
        return sigmoid_cross_entropy(real_logits, real_target) + sigmoid_cross_entropy(
            fake_logits, fake_target
        )

    def generator_loss(self, fake_logits):
        # log(1 - sigmoid(x)) = -softplus(x)
        return -ops.mean(ops.softplus(_float32(fake_logits)))


class NonSaturatingLoss(MinimaxLoss):
    """Non-saturating GAN loss: G maximizes `log D(G(z))` instead.

    Same fixed point as the minimax game, with strong gradients early in training.

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014, section 3.
    """

    name = "non_saturating"

    def generator_loss(self, fake_logits):
        return sigmoid_cross_entropy(fake_logits, 1.0)


class LeastSquaresLoss(AdversarialLoss):
    """Least-squares GAN loss with targets a=0 (fake), b=1 (real), c=1 (generator).

    D minimizes `0.5 E[(D(x) - b)^2] + 0.5 E[(D(G(z)) - a)^2]`, G minimizes
    `0.5 E[(D(G(z)) - c)^2]`, on the discriminator's raw (linear) output.

    Reference:
        Mao et al., "Least Squares Generative Adversarial Networks", ICCV 2017.
    """

    name = "least_squares"

    def discriminator_loss(self, real_logits, fake_logits, real_target=1.0, fake_target=0.0):
        real = ops.square(_float32(real_logits) - _float32(real_target))
        fake = ops.square(_float32(fake_logits) - _float32(fake_target))
        return 0.5 * ops.mean(real) + 0.5 * ops.mean(fake)

    def generator_loss(self, fake_logits):
        return 0.5 * ops.mean(ops.square(_float32(fake_logits) - 1.0))


class WassersteinLoss(AdversarialLoss):
    """Wasserstein critic loss: the critic maximizes `E[D(x)] - E[D(G(z))]`.

    Needs a Lipschitz constraint on the critic: weight clipping (WGAN), a gradient
    penalty (WGAN-GP) or spectral normalization.

    Reference:
        Arjovsky et al., "Wasserstein Generative Adversarial Networks", ICML 2017.
    """

    name = "wasserstein"
    has_targets = False

    def discriminator_loss(self, real_logits, fake_logits, real_target=1.0, fake_target=0.0):
        self._check_targets(real_target, fake_target)
        return ops.mean(_float32(fake_logits)) - ops.mean(_float32(real_logits))

    def generator_loss(self, fake_logits):
        return -ops.mean(_float32(fake_logits))


class HingeLoss(AdversarialLoss):
    """Hinge loss: D minimizes `E[relu(1 - D(x))] + E[relu(1 + D(G(z)))]`, G `-E[D(G(z))]`.

    Reference:
        Lim & Ye, "Geometric GAN", 2017; Miyato et al., "Spectral Normalization for
        Generative Adversarial Networks", ICLR 2018.
    """

    name = "hinge"
    has_targets = False

    def discriminator_loss(self, real_logits, fake_logits, real_target=1.0, fake_target=0.0):
        self._check_targets(real_target, fake_target)
        real = ops.relu(1.0 - _float32(real_logits))
        fake = ops.relu(1.0 + _float32(fake_logits))
        return ops.mean(real) + ops.mean(fake)

    def generator_loss(self, fake_logits):
        return -ops.mean(_float32(fake_logits))


_LOSSES = {
    cls.name: cls for cls in (MinimaxLoss, NonSaturatingLoss, LeastSquaresLoss, WassersteinLoss, HingeLoss)
}


def get(identifier):
    """Returns the adversarial loss named `identifier`.

    Args:
        identifier: one of `"minimax"`, `"non_saturating"`, `"least_squares"`,
            `"wasserstein"`, `"hinge"`, or an `AdversarialLoss` instance (returned as is).

    Example:

    >>> keras_gans.losses.get("hinge").generator_loss(keras.ops.ones((4, 1)))
    """
    if isinstance(identifier, AdversarialLoss):
        return identifier
    if isinstance(identifier, str) and identifier in _LOSSES:
        return _LOSSES[identifier]()
    raise ValueError(f"Unknown adversarial loss {identifier!r}. Known losses: {', '.join(sorted(_LOSSES))}.")


def names():
    """The names `get` accepts."""
    return sorted(_LOSSES)
