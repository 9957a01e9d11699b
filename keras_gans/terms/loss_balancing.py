"""Loss-based balancing of the two networks' updates, as a term."""

import keras
from keras import ops

from keras_gans.terms.term import Term


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class LossBalancing(Term):
    """Updates one network only while its adversarial loss is above a floor.

    The guides' loss-based schedule ("while loss_D > A: train D; while
    loss_G > B: train G"): in every update of `network`, the term reads that
    network's adversarial loss on the current batch, before the update, with
    plain targets (1 for real, 0 for fake: no smoothing, no flips); when the
    loss is at or below `min_loss` the network is ahead, and the update is
    undone right after the optimizer step (the network's trainable weights go
    back to their values before it), so the other network can catch up. The
    optimizer's moment estimates and step counter still see the skipped
    update's gradient (as they would with a learning rate of 0 for that step),
    and terms whose `after_update` runs before this one (the generator EMA)
    see the undone weights once. Logged as `<d or g>_update_rate`: the
    fraction of the network's updates that were kept.

    Two terms balance both ways, e.g. for the non-saturating loss (chance
    level: `d_loss = 2 log 2 = 1.39`, `g_loss = log 2 = 0.69`):
    `[LossBalancing("discriminator", 0.5), LossBalancing("generator", 0.3)]`.
    Soumith Chintala's ganhacks (tip 14) advise against such schedules:
    keras_gans' stability benchmark measures them (docs/tricks.md).

    Args:
        network: `"discriminator"` or `"generator"`: the network whose
            updates are gated on its own loss.
        min_loss: float. Updates are kept only while the network's loss on
            the batch is above it.
        name: the logged name (default `d_update_rate` or `g_update_rate`).
        **kwargs: see `Term` (the weight is 0: the term adds nothing to the loss).

    Example:

    ```python
    gan = keras_gans.models.GAN(
        keras_gans.networks.mlp_generator(2, 2), keras_gans.networks.mlp_discriminator(2),
        terms=[keras_gans.terms.LossBalancing("discriminator", min_loss=0.5)])
    ```

    Reference:
        Chintala, Denton, Arjovsky, Mathieu, "How to Train a GAN? Tips and
        tricks to make GANs work" (ganhacks), 2016, tip 14.
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016
        (balancing G and D "is an intuitive idea but hard to make work").
    """

    def __init__(self, network="discriminator", min_loss=0.5, name=None, **kwargs):
        kwargs.pop("weight", None)
        name = name or ("d_update_rate" if network == "discriminator" else "g_update_rate")
        super().__init__(network=network, weight=0.0, name=name, **kwargs)
        try:
            self.min_loss = float(min_loss)
        except (TypeError, ValueError):
            raise ValueError(f"`min_loss` must be a number. Received: min_loss={min_loss!r}") from None
        if self.interval != 1:
            raise ValueError(
                "LossBalancing gates the main updates of a network; it has no lazy form. "
                f"Received: interval={self.interval}"
            )
        self._snapshot = None

    def attach(self, model):
        network = getattr(model, self.network)
        self._snapshot = [
            self.add_weight(
                shape=tuple(v.shape), initializer="zeros", dtype=v.dtype, trainable=False, name=f"before_{i}"
            )
            for i, v in enumerate(network.trainable_variables)
        ]
        self.keep = self.add_weight(shape=(), initializer="ones", trainable=False, name="keep")

    def start(self, model):
        network = getattr(model, self.network)
        for before, variable in zip(self._snapshot, network.trainable_variables):
            # A copy: two variables must not share one buffer (JAX donates them).
            before.assign(ops.copy(ops.convert_to_tensor(variable)))

    def network_loss(self, tensors):
        """The network's adversarial loss on this batch with plain targets (no gradient)."""
        loss = tensors.model.adversarial_loss
        if self.network == "generator":
            value = loss.generator_loss(tensors.fake_logits)
        else:
            value = loss.discriminator_loss(tensors.real_logits, tensors.fake_logits, 1.0, 0.0)
        return ops.stop_gradient(ops.cast(value, "float32"))

    def compute(self, tensors):
        keep = ops.cast(ops.greater(self.network_loss(tensors), self.min_loss), "float32")
        if tensors.training:
            self.keep.assign(keep)
        return {self.name: keep}

    def after_update(self, model):
        keep = ops.greater(ops.convert_to_tensor(self.keep), 0.5)
        network = getattr(model, self.network)
        for before, variable in zip(self._snapshot, network.trainable_variables):
            value = ops.where(keep, ops.convert_to_tensor(variable), ops.cast(before, variable.dtype))
            variable.assign(value)
            before.assign(ops.cast(value, before.dtype))

    def get_config(self):
        config = super().get_config()
        config.pop("weight")
        return {**config, "min_loss": self.min_loss}
