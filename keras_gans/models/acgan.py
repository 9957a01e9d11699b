"""ACGAN: a discriminator that also classifies, and a generator that must be recognized."""

import keras

from keras_gans.models.base import AdversarialModel
from keras_gans.models.class_conditional import ClassConditionalMixin
from keras_gans.models.network_checks import static_shape
from keras_gans.networks.conditional import auxiliary_classifier_discriminator
from keras_gans.terms import AuxiliaryClassification


@keras.saving.register_keras_serializable(package="keras_gans")
class ACGAN(ClassConditionalMixin, AdversarialModel):
    """Auxiliary Classifier GAN.

    The generator takes `[z, labels]`; the discriminator takes samples only and
    outputs `[source logits (batch, 1), class logits (batch, num_classes)]`. On top
    of the adversarial loss on the source logits, the discriminator minimizes the
    cross-entropy of the class logits on real samples (with their labels) and on
    fakes (with the labels they were generated for); the generator minimizes the
    latter too, so its samples must be recognizable as their class:
    `L_D = L_adv + w * (CE(real) + CE(fake))`, `L_G = L_adv_G + w * CE(fake)`.
    The two cross-entropies are logged as `d_classification_loss` (real + fake)
    and `g_classification_loss`.

    Args:
        num_classes: number of classes (>= 2).
        classification_weight: `w`, the weight of the auxiliary classification
            losses (1 in the paper).
        label_embedding_dim: `None` for one-hot labels in the default generator,
            or the size of a learned label embedding.
        generator: a model `[z, labels] -> samples`.
        discriminator: a model `samples -> [source (batch, 1), classes (batch,
            num_classes)]`; see
            `keras_gans.networks.conditional.auxiliary_classifier_discriminator`.
        latent_dim, image_shape, loss, n_critic, seed, name, and the training
            tricks: see `AdversarialModel` (packing is not available; label
            smoothing and noise act on the source logits only).

    Example:

    ```python
    images, labels = keras_gans.data.load_numpy("fashion_mnist", with_labels=True)
    gan = keras_gans.models.ACGAN(num_classes=10, image_shape=(28, 28, 1))
    gan.compile()
    gan.fit(images, labels, batch_size=64, epochs=5)
    shirts = gan.generate(16, labels=6)
    ```

    Reference:
        Odena et al., "Conditional Image Synthesis with Auxiliary Classifier GANs",
        ICML 2017.
    """

    def __init__(
        self, *args, num_classes=None, classification_weight=1.0, label_embedding_dim=None, **kwargs
    ):
        if num_classes is None:
            raise ValueError("ACGAN needs num_classes, the number of class labels.")
        if not float(classification_weight) >= 0:
            raise ValueError(f"classification_weight must be >= 0, got {classification_weight!r}.")
        self.classification_weight = float(classification_weight)
        self._set_num_classes(num_classes, label_embedding_dim)
        super().__init__(*args, **kwargs)
        self._check_heads()

    def expected_discriminator_output(self):
        return None  # two heads, checked by _check_heads

    def _check_heads(self):
        shapes = None
        try:
            shapes = self.discriminator.compute_output_shape((None,) + tuple(self.image_shape))
        except Exception:  # noqa: BLE001 - subclassed models may not implement it
            return
        ok = (
            isinstance(shapes, (list, tuple))
            and len(shapes) == 2
            and all(isinstance(s, (list, tuple)) for s in shapes)
            and static_shape(shapes[0])[-1] == 1
            and static_shape(shapes[1])[-1] == self.num_classes
        )
        if not ok:
            raise ValueError(
                "The ACGAN discriminator must output [source logits (batch, 1), class logits "
                f"(batch, {self.num_classes})]; it outputs {shapes}."
            )

    def default_discriminator(self, image_shape):
        phi = self.default_discriminator_features(tuple(image_shape))
        return auxiliary_classifier_discriminator(phi, self.num_classes)

    def adversarial_logits(self, outputs):
        return outputs[0]

    def class_logits(self, outputs):
        return outputs[1]

    def variant_terms(self):
        return [
            AuxiliaryClassification(self.classification_weight, network="discriminator"),
            AuxiliaryClassification(self.classification_weight, network="generator"),
        ]

    def get_config(self):
        return {
            **super().get_config(),
            "num_classes": self.num_classes,
            "classification_weight": self.classification_weight,
            "label_embedding_dim": self.label_embedding_dim,
        }
