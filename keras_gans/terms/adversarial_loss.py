"""The adversarial loss of the discriminator or of the generator, as a term."""

import keras

from keras_gans.terms.term import Term


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class AdversarialLoss(Term):
    """The model's adversarial loss (`model.adversarial_loss`) for one network.

    For the discriminator: `loss.discriminator_loss(D(x), D(G(z)), real
    target, fake target)`, the targets first passed through every term's
    `adjust_targets` (label smoothing, flips); logged as `d_loss`. For the
    generator: `loss.generator_loss(D(G(z)))`, logged as `g_loss`. The engine
    adds it to a network's main phase unless another term logs the same name
    (feature matching replaces `g_loss`).

    Args:
        network: `"discriminator"` or `"generator"`.
        **kwargs: see `Term`.

    Example:

    ```python
    term = AdversarialLoss("generator")  # what every variant's G phase holds
    ```

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.
    """

    def __init__(self, network="discriminator", name=None, **kwargs):
        name = name or ("d_loss" if network == "discriminator" else "g_loss")
        super().__init__(network=network, name=name, **kwargs)

    def compute(self, tensors):
        loss = tensors.model.adversarial_loss
        if self.network == "generator":
            return {self.name: loss.generator_loss(tensors.fake_logits)}
        real_target, fake_target = 1.0, 0.0
        for term in tensors.model.terms:
            real_target, fake_target = term.adjust_targets(real_target, fake_target, tensors)
        return {
            self.name: loss.discriminator_loss(
                tensors.real_logits, tensors.fake_logits, real_target, fake_target
            )
        }
