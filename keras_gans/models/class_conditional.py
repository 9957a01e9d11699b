"""Label handling shared by the class-conditional variants."""

import keras
import numpy as np
from keras import ops

from keras_gans import networks
from keras_gans.models.training_data import check_labels
from keras_gans.networks.conditional import conditional_generator
from keras_gans.networks.conditional import feature_model
from keras_gans.networks.conditional import label_code_size


class ClassConditionalMixin:
    """Feeds class labels to the generator; for `AdversarialModel` subclasses.

    The generator takes `[z, labels]` with int labels `(batch, 1)`. In training
    the real batch comes with its labels (`fit((images, labels))`) and the fakes
    are generated for labels drawn uniformly from the `num_classes` classes.
    `generate(n, labels=...)` accepts one class for all samples, one label per
    sample, or `None` for uniformly drawn labels.

    Subclasses call `_set_num_classes(num_classes)` before
    `AdversarialModel.__init__`.
    """

    def _set_num_classes(self, num_classes, label_embedding_dim=None):
        if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)) or num_classes < 2:
            raise ValueError(f"`num_classes` must be an integer >= 2. Received: num_classes={num_classes!r}")
        if label_embedding_dim is not None and (
            isinstance(label_embedding_dim, bool)
            or not isinstance(label_embedding_dim, (int, np.integer))
            or label_embedding_dim < 1
        ):
            raise ValueError(
                "`label_embedding_dim` must be None or an integer >= 1. "
                f"Received: label_embedding_dim={label_embedding_dim!r}"
            )
        self._num_classes = int(num_classes)
        self.label_embedding_dim = None if label_embedding_dim is None else int(label_embedding_dim)

    @property
    def num_classes(self):
        return self._num_classes

    @property
    def label_code_size(self):
        return label_code_size(self.num_classes, self.label_embedding_dim)

    def generator_input_shapes(self):
        return [(self.latent_dim,), (1,)]

    def default_generator(self, latent_dim, image_shape):
        image_shape = tuple(image_shape)
        width = latent_dim + self.label_code_size
        if len(image_shape) == 1:
            body = networks.mlp_generator(width, image_shape[0], name="generator_body")
        else:
            body = networks.dcgan_generator(width, image_shape, name="generator_body")
        return conditional_generator(body, self.num_classes, latent_dim, self.label_embedding_dim)

    def default_discriminator_features(self, image_shape):
        """The default discriminator body without its logit layer: features `phi(x)`
        for the projection and auxiliary-classifier heads."""
        if len(image_shape) == 1:
            body = networks.mlp_discriminator(image_shape[0], name="discriminator_body")
            return feature_model(body, "hidden_3", name="discriminator_features")
        body = networks.dcgan_discriminator(
            image_shape, normalization=self.default_critic_normalization, name="discriminator_body"
        )
        return feature_model(body, "flatten", name="discriminator_features")

    def labels_column(self, labels):
        if labels is None:
            raise ValueError(
                f"{type(self).__name__} trains on (samples, labels) pairs: pass labels to fit, "
                "e.g. fit(images, labels) or a dataset of (images, labels)."
            )
        labels = ops.convert_to_tensor(labels)
        if len(labels.shape) == 2 and labels.shape[-1] != 1:
            raise ValueError(
                "Labels must be class indices of shape (batch,) or (batch, 1). "
                f"Received: labels of shape {labels.shape}"
            )
        return ops.reshape(ops.cast(labels, "int32"), (-1, 1))

    def generator_inputs(self, z, labels):
        return [z, self.labels_column(labels)]

    def fake_labels(self, batch_size, labels):
        return keras.random.randint(
            (batch_size, 1), 0, self.num_classes, seed=self.label_stream, dtype="int32"
        )

    def prepare_labels(self, n, labels, seed):
        if labels is None:
            if seed is not None:
                return np.random.default_rng(seed).integers(0, self.num_classes, (n, 1)).astype("int32")
            drawn = keras.random.randint((n, 1), 0, self.num_classes, seed=self.label_stream)
            return ops.convert_to_numpy(drawn).astype("int32")
        labels = np.asarray(labels)
        if labels.ndim == 0:
            labels = np.full((n,), labels)
        labels = check_labels(labels.reshape(-1), self.num_classes, where="labels")
        if labels.shape[0] != n:
            raise ValueError(
                f"Got {labels.shape[0]} labels for n={n} samples. Received: labels of shape {labels.shape}"
            )
        return labels.astype("int32").reshape(n, 1)
