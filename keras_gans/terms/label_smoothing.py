"""One-sided label smoothing, as a term."""

import keras

from keras_gans.terms.term import Term
from keras_gans.terms.term import check_non_negative


def check_loss_has_targets(model, option):
    if not model.adversarial_loss.has_targets:
        raise ValueError(
            f"`{option}` changes the discriminator's targets, but the "
            f"'{model.adversarial_loss.name}' loss has none. Use 'non_saturating', 'minimax' or "
            f"'least_squares'. Received: loss={model.adversarial_loss.name!r}"
        )


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class LabelSmoothing(Term):
    """The discriminator's target for real samples becomes `1 - amount`; fakes keep 0.

    Keyword of every variant: `label_smoothing` (e.g. 0.1 gives targets 0.9).
    Needs a loss with targets (`non_saturating`, `minimax`, `least_squares`).

    Args:
        amount: in `[0, 1)`.
        **kwargs: see `Term`.

    Example:

    ```python
    gan = keras_gans.models.GAN(image_shape=(28, 28, 1), label_smoothing=0.1)
    ```

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016,
        section 3.4.
    """

    keywords = {"label_smoothing": 0.0}

    def __init__(self, amount=0.1, name="label_smoothing", **kwargs):
        kwargs.pop("network", None)
        super().__init__(network="discriminator", name=name, **kwargs)
        self.amount = check_non_negative("label_smoothing", amount)
        if self.amount >= 1:
            raise ValueError(f"`label_smoothing` must be in [0, 1). Received: label_smoothing={amount!r}")

    @classmethod
    def from_keywords(cls, model, label_smoothing):
        term = cls(label_smoothing)
        if not term.amount:
            return []
        check_loss_has_targets(model, "label_smoothing")
        return [term]

    def adjust_targets(self, real_target, fake_target, tensors):
        return real_target * (1.0 - self.amount), fake_target

    def get_config(self):
        config = super().get_config()
        config.pop("network")
        return {**config, "amount": self.amount}
