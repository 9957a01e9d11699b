"""The adversarial loss of both directions of an unpaired translator, as a term."""

import keras

from keras_gans.terms.term import Term


@keras.saving.register_keras_serializable(package="keras_gans.image_to_image")
class BidirectionalAdversarialLoss(Term):
    """The model's adversarial loss for both translation directions, summed.

    For the discriminators (`d_loss`): `loss.discriminator_loss(d_b(b),
    d_b(pool(G(a)))) + loss.discriminator_loss(d_a(a), d_a(pool(F(b))))`, the
    targets first passed through every term's `adjust_targets` (label
    smoothing, flips). For the generators (`g_loss`):
    `loss.generator_loss(d_b(G(a))) + loss.generator_loss(d_a(F(b)))`. `loss`
    is `model.adversarial_loss` (least squares for CycleGAN). It replaces the
    engine's one-direction `keras_gans.terms.AdversarialLoss` (it logs the
    same names). Reads the per-domain logits of
    `keras_gans.image_to_image.UnpairedStepTensors`.

    Note the scale: keras-gans' least-squares losses (Mao et al.) carry a
    factor 1/2 in both networks' losses; CycleGAN's reference code has it in
    the discriminators' only. `CycleGAN` therefore weights the generators'
    term 2 to keep the paper's balance with the cycle loss.

    Args:
        network: `"discriminator"` or `"generator"`.
        weight: the term's weight.
        name: the logged name (`d_loss` / `g_loss` by default).
        **kwargs: `keras_gans.terms.Term` arguments.

    Example:

    ```python
    [t.name for t in cycle_gan.terms_of("discriminator")]  # ['d_loss']
    ```

    Reference:
        - [Zhu et al., 2017](https://arxiv.org/abs/1703.10593), "Unpaired Image-to-Image
          Translation using Cycle-Consistent Adversarial Networks" (Equations 1 and 3,
          Section 4 "Training details").
    """

    def __init__(self, network="discriminator", name=None, **kwargs):
        name = name or ("d_loss" if network == "discriminator" else "g_loss")
        super().__init__(network=network, name=name, **kwargs)

    def compute(self, tensors):
        loss = tensors.model.adversarial_loss
        if self.network == "generator":
            value = loss.generator_loss(tensors.fake_logits_b) + loss.generator_loss(tensors.fake_logits_a)
            return {self.name: value}
        real_target, fake_target = 1.0, 0.0
        for term in tensors.model.terms:
            real_target, fake_target = term.adjust_targets(real_target, fake_target, tensors)
        value = loss.discriminator_loss(
            tensors.real_logits_b, tensors.fake_logits_b, real_target, fake_target
        ) + loss.discriminator_loss(tensors.real_logits_a, tensors.fake_logits_a, real_target, fake_target)
        return {self.name: value}
