"""SGAN: a semi-supervised GAN whose discriminator is a (K+1)-class classifier."""

import keras
import numpy as np
from keras import ops

from keras_gans import networks
from keras_gans.models import training_data
from keras_gans.models.base import AdversarialModel
from keras_gans.networks.dcgan import dcgan_base_grid
from keras_gans.random_streams import derive_seed
from keras_gans.terms.semi_supervised_classification import UNLABELLED
from keras_gans.terms.semi_supervised_classification import SemiSupervisedClassification
from keras_gans.terms.term import check_non_negative

FEATURES_LAYER = "features"


def check_semi_supervised_labels(labels, num_classes, num_examples, require_labelled=True):
    """Labels as int32 `(n,)`: class indices in `[0, num_classes)` or -1 (unlabelled).

    Args:
        labels: array-like of shape `(n,)` or `(n, 1)`.
        num_classes: `K`, the number of real classes.
        num_examples: the number of images the labels belong to.
        require_labelled: raise when no image is labelled.

    Raises a ValueError naming the first bad label (not an integer, out of
    range), or for a wrong shape or count, or (with `require_labelled`)
    when every label is -1.

    Example:

    ```python
    labels = check_semi_supervised_labels([3, -1, 0], num_classes=10, num_examples=3)
    ```
    """
    labels = np.asarray(labels)
    if labels.ndim == 2 and labels.shape[1] == 1:
        labels = labels[:, 0]
    if labels.ndim != 1:
        raise ValueError(
            "Semi-supervised labels must be class indices of shape (n,) or (n, 1) (not one-hot), -1 for "
            f"unlabelled images. Received: labels of shape {labels.shape}"
        )
    if labels.dtype.kind not in "iubf":
        raise ValueError(f"Semi-supervised labels must be integers. Received: labels of dtype {labels.dtype}")
    if labels.dtype.kind == "f":
        finite = np.isfinite(labels)
        bad = ~finite | (labels != np.round(np.where(finite, labels, 0)))
        if np.any(bad):
            i = int(np.argmax(bad))
            raise ValueError(
                f"Semi-supervised labels must be integers. Received: labels[{i}] = {labels[i].item()!r}"
            )
    bad = (labels < UNLABELLED) | (labels >= num_classes)
    if np.any(bad):
        i = int(np.argmax(bad))
        raise ValueError(
            f"Semi-supervised labels must be class indices in [0, {num_classes}) or -1 (unlabelled) for "
            f"num_classes={num_classes}. Received: labels[{i}] = {labels[i].item()!r}"
        )
    if len(labels) != num_examples:
        raise ValueError(
            f"Got {num_examples} images but {len(labels)} labels (use -1 for the unlabelled images). "
            f"Received: labels of shape {labels.shape}"
        )
    if require_labelled and not np.any(labels != UNLABELLED):
        raise ValueError(
            f"Every one of the {len(labels)} labels is -1 (unlabelled): SemiSupervisedGAN needs some "
            "labelled images to learn its classes (see `semi_supervised_arrays`)."
        )
    return labels.astype("int32")


def _checked_label_dataset(dataset, num_classes):
    """A dataset of `(images, labels)` whose labels are asserted to lie in [-1, num_classes)."""
    import tensorflow as tf

    def check(index, element):
        x, y, _ = keras.utils.unpack_x_y_sample_weight(element)
        if isinstance(x, (list, tuple)) and len(x) == 2 and y is None:
            x, y = x
        labels = tf.cast(tf.reshape(y, [-1]), tf.float64)
        valid = (labels >= UNLABELLED) & (labels < num_classes) & tf.equal(labels, tf.round(labels))
        assertion = tf.debugging.Assert(
            tf.reduce_all(valid),
            [
                f"{training_data.CHECK_MARKER}: semi-supervised labels must be integers from -1 (unlabelled) "
                f"to {num_classes - 1}; batch",
                index,
                "holds labels from",
                tf.reduce_min(labels),
                "to",
                tf.reduce_max(labels),
            ],
        )
        with tf.control_dependencies([assertion]):
            return tf.nest.map_structure(tf.identity, element)

    return dataset.enumerate().map(check)


@keras.saving.register_keras_serializable(package="keras_gans")
class SemiSupervisedGAN(AdversarialModel):
    """Semi-supervised GAN: a (K+1)-class discriminator trained on few labels, many images and fakes.

    The discriminator outputs `K` class logits `l(x)`; the (K+1)-th class,
    "generated", has its logit fixed at 0 (Salimans et al. show that this
    loses nothing: a softmax over K+1 logits is unchanged by subtracting
    one of them). So `D(x) = Z(x) / (Z(x) + 1)` with `Z = sum_k exp l_k(x)`
    is the probability of "real", whose logit is `logsumexp(l(x))`
    (`adversarial_logits`), and the discriminator minimizes

    - the unsupervised loss `-E_x log D(x) - E_z log(1 - D(G(z)))` over all
      real images and the fakes: the non-saturating GAN loss on
      `logsumexp(l)` (`d_loss`);
    - the supervised loss `-E log softmax(l(x))_y` over the labelled real
      images of the batch (`d_classification_loss`, times
      `classification_weight`).

    The generator minimizes feature matching (`g_loss`): the squared
    distance between the mean features of real and generated images at the
    discriminator layer `feature_matching_layer` (`"features"`, the
    flattened last hidden layer of the default discriminator), which
    Salimans et al. found best for semi-supervised classification; pass
    `feature_matching_layer=None` for the adversarial generator loss.
    `classify(images)` returns the discriminator's class predictions.

    Training data: `fit(images, labels)` with `labels[i] = -1` for the
    unlabelled images (arrays, or a `tf.data.Dataset` of `(images,
    labels)`); `semi_supervised_arrays` builds them from a labelled and an
    unlabelled set, repeating the labelled images so that each batch holds
    some. The generator is unconditional, so `num_classes` (the engine's
    "conditional generator" property) stays `None`; the number of classes
    the discriminator tells apart is `num_real_classes`.

    Args:
        num_classes: `K`, the number of real classes (>= 2).
        classification_weight: weight of the supervised loss (1 in the paper).
        discriminator_filters: channels of the default discriminator's first
            convolution (they double at each later one).
        dropout: dropout rate after each hidden layer of the default
            discriminator.
        generator, discriminator: networks; the discriminator maps images to
            `(batch, num_classes)` logits (and has a layer named by
            `feature_matching_layer`). Defaults: a DCGAN generator (an MLP for
            samples of shape `(d,)`, e.g. 2D mixtures); strided
            convolutions (two Dense layers for `(d,)` samples) with
            LeakyReLU and dropout (no batch normalization,
            so the classifier does not depend on batch statistics), a
            `Flatten` named `"features"` and a `Dense(num_classes)`.
        latent_dim, image_shape, loss, n_critic, seed, name, and the
            training tricks: see `AdversarialModel` (packing is not available).

    Example:

    ```python
    images, labels = keras_gans.data.load_numpy("fashion_mnist", with_labels=True)
    x, y = SemiSupervisedGAN.semi_supervised_arrays(images[:1000], labels[:1000], images[1000:])
    gan = keras_gans.models.SemiSupervisedGAN(num_classes=10, image_shape=(28, 28, 1))
    gan.compile()
    gan.fit(x, y, batch_size=64, epochs=5)
    predicted = gan.classify(test_images)  # int class indices
    ```

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016
        (sections 3.1 and 5).
        Odena, "Semi-Supervised Learning with Generative Adversarial
        Networks", 2016, arXiv:1606.01583.
    """

    def __init__(
        self,
        *args,
        num_classes=None,
        classification_weight=1.0,
        discriminator_filters=64,
        dropout=0.5,
        **kwargs,
    ):
        if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) or num_classes < 2:
            raise ValueError(
                "SemiSupervisedGAN needs `num_classes`, the number of real classes (an integer >= 2). "
                f"Received: num_classes={num_classes!r}"
            )
        classification_weight = check_non_negative("classification_weight", classification_weight)
        if not 0.0 <= float(dropout) < 1.0:
            raise ValueError(f"`dropout` must be in [0, 1). Received: dropout={dropout!r}")
        if kwargs.get("packing", 1) != 1:
            raise ValueError(
                "`packing` is not supported by SemiSupervisedGAN (its discriminator classifies single "
                f"images). Received: packing={kwargs['packing']!r}"
            )
        self.num_real_classes = int(num_classes)
        self.classification_weight = float(classification_weight)
        self.discriminator_filters = int(discriminator_filters)
        self.dropout = float(dropout)
        kwargs.setdefault("feature_matching_layer", FEATURES_LAYER)
        super().__init__(*args, **kwargs)

    # ------------------------------------------------------------ networks

    def expected_discriminator_output(self):
        return self.num_real_classes

    def default_generator(self, latent_dim, image_shape):
        if len(image_shape) == 1:  # points (2D mixtures): an MLP; images: DCGAN
            return networks.mlp_generator(latent_dim, image_shape[0])
        return super().default_generator(latent_dim, image_shape)

    def default_discriminator(self, image_shape):
        image_shape = tuple(image_shape)
        inputs = keras.Input(image_shape, name="images")
        x = inputs
        if len(image_shape) == 1:
            for i in range(2):
                x = keras.layers.Dense(4 * self.discriminator_filters, name=f"hidden_{i + 1}")(x)
                x = keras.layers.LeakyReLU(0.2, name=f"hidden_{i + 1}_lrelu")(x)
                x = keras.layers.Dropout(
                    self.dropout, seed=self._dropout_seed(i), name=f"hidden_{i + 1}_dropout"
                )(x)
        else:
            _, _, num_steps = dcgan_base_grid(image_shape)
            for step in range(num_steps):
                x = keras.layers.Conv2D(
                    self.discriminator_filters * 2**step,
                    4,
                    strides=2,
                    padding="same",
                    kernel_initializer=keras.initializers.RandomNormal(stddev=0.02),
                    name=f"down_{step + 1}_conv",
                )(x)
                x = keras.layers.LeakyReLU(0.2, name=f"down_{step + 1}_lrelu")(x)
                x = keras.layers.Dropout(
                    self.dropout, seed=self._dropout_seed(step), name=f"down_{step + 1}_dropout"
                )(x)
        x = keras.layers.Flatten(name=FEATURES_LAYER)(x)
        logits = keras.layers.Dense(self.num_real_classes, dtype="float32", name="class_logits")(x)
        return keras.Model(inputs, logits, name="discriminator")

    def _dropout_seed(self, index):
        """The default discriminator's dropout streams come from the model seed."""
        return derive_seed(self.seed, f"discriminator_dropout_{index}")

    def adversarial_logits(self, outputs):
        """`logsumexp(l(x))`: the logit of "real" against the generated class, whose logit is 0."""
        return ops.logsumexp(ops.cast(outputs, "float32"), axis=-1, keepdims=True)

    def class_logits(self, outputs):
        return outputs

    def variant_terms(self):
        return [SemiSupervisedClassification(self.classification_weight)]

    # ------------------------------------------------------------ classification

    def classify(self, images, batch_size=256):
        """The discriminator's class predictions: `argmax_k l_k(x)`, int32 `(n,)`.

        Example:

        ```python
        accuracy = np.mean(gan.classify(test_images) == test_labels)
        ```
        """
        return np.argmax(self.class_probabilities(images, batch_size), axis=-1).astype("int32")

    def class_probabilities(self, images, batch_size=256):
        """`softmax(l(x))`: the class posterior given that `x` is real, float32 `(n, num_classes)`."""
        images = np.asarray(images, "float32")
        if tuple(images.shape[1:]) != tuple(self.image_shape):
            raise ValueError(
                f"{self.name} classifies images of shape {tuple(self.image_shape)}. "
                f"Received: images of shape {images.shape}"
            )
        out = []
        for start in range(0, len(images), batch_size):
            logits = self.discriminator(images[start : start + batch_size], training=False)
            out.append(ops.convert_to_numpy(ops.softmax(ops.cast(logits, "float32"), axis=-1)))
        return np.concatenate(out) if out else np.zeros((0, self.num_real_classes), "float32")

    @staticmethod
    def semi_supervised_arrays(labelled_images, labels, unlabelled_images, repeat_labelled=1):
        """`(images, labels)` for `fit`: the unlabelled images (label -1) and the labelled ones.

        Args:
            labelled_images, labels: the labelled set.
            unlabelled_images: the unlabelled set.
            repeat_labelled: how many copies of the labelled set to include
                (so that a batch holds more labelled images).

        Example:

        ```python
        x, y = SemiSupervisedGAN.semi_supervised_arrays(images[:1000], labels[:1000], images[1000:], 5)
        ```
        """
        if (
            isinstance(repeat_labelled, bool)
            or not isinstance(repeat_labelled, (int, np.integer))
            or (repeat_labelled < 1)
        ):
            raise ValueError(
                f"`repeat_labelled` must be an integer >= 1. Received: repeat_labelled={repeat_labelled!r}"
            )
        labelled_images, unlabelled_images = np.asarray(labelled_images), np.asarray(unlabelled_images)
        if len(labelled_images) == 0:
            raise ValueError(
                "`semi_supervised_arrays` needs at least one labelled image. "
                f"Received: labelled_images of shape {labelled_images.shape}"
            )
        if labelled_images.shape[1:] != unlabelled_images.shape[1:]:
            raise ValueError(
                "The labelled and unlabelled images must have the same shape per image. Received: "
                f"labelled_images of shape {labelled_images.shape}, unlabelled_images of shape "
                f"{unlabelled_images.shape}"
            )
        labels = np.asarray(labels)
        if labels.ndim == 2 and labels.shape[1] == 1:
            labels = labels[:, 0]
        if labels.ndim != 1 or len(labels) != len(labelled_images):
            raise ValueError(
                f"Got {len(labelled_images)} labelled images: `labels` must be {len(labelled_images)} class "
                f"indices, of shape (n,) or (n, 1) (not one-hot). Received: labels of shape {labels.shape}"
            )
        if labels.dtype.kind in "iuf" and np.any(labels < 0):
            i = int(np.argmax(labels < 0))
            raise ValueError(
                "`labels` are the classes of the labelled images, so they must be >= 0 (the unlabelled "
                f"images go in `unlabelled_images`). Received: labels[{i}] = {labels[i].item()!r}"
            )
        # Integers (no range to check here: `fit` checks them against num_classes).
        labels = check_semi_supervised_labels(labels, np.iinfo(np.int32).max, len(labelled_images))
        images = np.concatenate([unlabelled_images] + [labelled_images] * int(repeat_labelled))
        all_labels = np.concatenate(
            [np.full(len(unlabelled_images), UNLABELLED, "int32")] + [labels] * int(repeat_labelled)
        )
        return images, all_labels

    # ------------------------------------------------------------ training

    def fit(self, x=None, y=None, *args, **kwargs):
        """`AdversarialModel.fit` on `(images, labels)`, `labels[i] = -1` for unlabelled images.

        The labels are checked first (integers in `[-1, num_classes)`, one
        per image; a dataset's batch by batch).
        """
        if training_data.in_memory(x):
            samples, labels = x, y
            if isinstance(x, (list, tuple)) and len(x) == 2 and y is None:
                samples, labels = x
            if labels is None:
                raise ValueError(
                    "SemiSupervisedGAN trains on (images, labels) with label -1 for the unlabelled images: "
                    "pass the labels, e.g. fit(images, labels)."
                )
            labels = check_semi_supervised_labels(
                ops.convert_to_numpy(labels), self.num_real_classes, len(samples)
            )
            return super().fit(samples, labels, *args, **kwargs)
        if training_data.is_dataset(x):
            for element in x.take(1):
                inputs, labels, _ = keras.utils.unpack_x_y_sample_weight(element)
                if isinstance(inputs, (list, tuple)) and len(inputs) == 2 and labels is None:
                    inputs, labels = inputs
                if labels is None:
                    raise ValueError(
                        "SemiSupervisedGAN trains on (images, labels): the dataset must yield "
                        "(images, labels) with label -1 for the unlabelled images."
                    )
                # A clear error for one-hot or misshapen labels (values: checked batch by batch).
                check_semi_supervised_labels(
                    np.asarray(labels), self.num_real_classes, len(np.asarray(inputs)), require_labelled=False
                )
            x = _checked_label_dataset(x, self.num_real_classes)
        return super().fit(x, y, *args, **kwargs)

    def get_config(self):
        return {
            **super().get_config(),
            "num_classes": self.num_real_classes,
            "classification_weight": self.classification_weight,
            "discriminator_filters": self.discriminator_filters,
            "dropout": self.dropout,
        }
