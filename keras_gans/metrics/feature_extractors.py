"""Feature extractors for FID, KID, IS and precision/recall.

An extractor maps a batch of images in [-1, 1] (NHWC) to feature vectors
(`extractor(images)`), and, when it has a classifier head, to class
probabilities as well (`extractor.features_and_probabilities(images)`).
Both return NumPy arrays and work under every Keras backend.
"""

import os

import keras
import numpy as np

INCEPTION_WEIGHTS_URL = (
    "https://storage.googleapis.com/tensorflow/keras-applications/"
    "inception_v3/inception_v3_weights_tf_dim_ordering_tf_kernels.h5"
)
INCEPTION_NOTOP_WEIGHTS_URL = (
    "https://storage.googleapis.com/tensorflow/keras-applications/"
    "inception_v3/inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5"
)
DOMAIN_CLASSIFIER_WEIGHTS = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))),  # keras_gans/
    "zoo",
    "fashion_mnist_classifier",
    "model.weights.h5",
)


def _as_image_batch(images):
    images = keras.ops.convert_to_numpy(images).astype(np.float32)
    if images.ndim == 3:
        images = images[..., None]
    if images.ndim != 4:
        raise ValueError(
            "Expected images (batch, height, width, channels) or "
            f"(batch, height, width), got shape {images.shape}."
        )
    return images


class _BatchedExtractor:
    """Runs `self._model_for(...)` (outputs: features, probabilities) in batches.

    Every batch is padded to `batch_size`, so the compiled predict function
    (XLA under TensorFlow and JAX) is built once per image size.
    """

    batch_size = 100

    def _prepare(self, images):
        return images

    def _model_for(self, image_shape):
        raise NotImplementedError

    def _run(self, images):
        images = self._prepare(_as_image_batch(images))
        if len(images) == 0:
            raise ValueError("Got an empty batch of images.")
        model = self._model_for(images.shape[1:])
        features, probabilities = [], []
        for start in range(0, len(images), self.batch_size):
            batch = images[start : start + self.batch_size]
            count = len(batch)
            if count < self.batch_size:
                padding = np.zeros((self.batch_size - count,) + batch.shape[1:], batch.dtype)
                batch = np.concatenate([batch, padding])
            outputs = model.predict_on_batch(batch)
            if not isinstance(outputs, (list, tuple)):
                outputs = [outputs]
            features.append(np.asarray(outputs[0])[:count])
            if len(outputs) > 1:
                probabilities.append(np.asarray(outputs[1])[:count])
        features = np.concatenate(features)
        probabilities = np.concatenate(probabilities) if probabilities else None
        return features, probabilities

    def __call__(self, images):
        """Returns float32 features `(batch, feature_dim)` of images in [-1, 1]."""
        return self._run(images)[0]

    def features_and_probabilities(self, images):
        """Returns `(features, class_probabilities)` as NumPy arrays."""
        features, probabilities = self._run(images)
        if probabilities is None:
            raise ValueError(f"{type(self).__name__} was built without class probabilities.")
        return features, probabilities


class InceptionFeatures(_BatchedExtractor):
    """InceptionV3 pool features (2048-d) and ImageNet class probabilities.

    Images in [-1, 1] (the range InceptionV3 expects) are resized to
    `image_size` with bilinear interpolation; grayscale images are repeated
    over 3 channels.

    Args:
        weights: `"imagenet"` (downloaded once by `keras.applications`),
            the path of a local InceptionV3 weights file (with the top when
            `include_probabilities=True`, the `_notop` file otherwise), or
            `None` for random weights (only for tests).
        image_size: side of the network input (299 for published FIDs; at
            least 75).
        batch_size: images per forward pass.
        include_probabilities: also build the 1000-class head, needed for
            the Inception Score.

    Example:

    >>> extractor = InceptionFeatures(weights="imagenet")
    >>> features = extractor(images)  # (n, 2048)

    Reference:
        Szegedy et al., "Rethinking the Inception Architecture for Computer
        Vision", CVPR 2016. https://arxiv.org/abs/1512.00567
    """

    def __init__(
        self,
        weights="imagenet",
        image_size=299,
        batch_size=50,
        include_probabilities=True,
    ):
        if image_size < 75:
            raise ValueError(f"InceptionV3 needs image_size >= 75, got {image_size}.")
        if weights == "imagenet" and include_probabilities and image_size != 299:
            raise ValueError(
                "The ImageNet classifier head needs image_size=299; use "
                "include_probabilities=False for other sizes."
            )
        if weights not in ("imagenet", None) and not os.path.isfile(weights):
            raise FileNotFoundError(
                f"Inception weights file {weights!r} does not exist. Pass "
                "weights='imagenet', or download "
                f"{INCEPTION_WEIGHTS_URL if include_probabilities else INCEPTION_NOTOP_WEIGHTS_URL}"
                " and pass its path."
            )
        self.weights = weights
        self.image_size = image_size
        self.batch_size = batch_size
        self.include_probabilities = include_probabilities
        self.feature_dim = 2048
        self._network = self._build_network()
        self._models = {}

    def _build_network(self):
        size = self.image_size
        try:
            if self.include_probabilities:
                base = keras.applications.InceptionV3(
                    include_top=True,
                    weights=self.weights,
                    input_shape=(size, size, 3),
                )
                return keras.Model(
                    base.inputs,
                    [base.get_layer("avg_pool").output, base.output],
                    name="inception_features",
                )
            return keras.applications.InceptionV3(
                include_top=False,
                weights=self.weights,
                input_shape=(size, size, 3),
                pooling="avg",
            )
        except Exception as error:  # download or file-format failures
            url = INCEPTION_WEIGHTS_URL if self.include_probabilities else INCEPTION_NOTOP_WEIGHTS_URL
            raise RuntimeError(
                f"Could not build InceptionV3 with weights={self.weights!r}: "
                f"{error}. Offline? Download {url} on a connected machine and "
                "pass its path as weights=..."
            ) from error

    def _prepare(self, images):
        if images.shape[-1] == 1:
            images = np.repeat(images, 3, axis=-1)  # grayscale -> RGB
        if images.shape[-1] != 3:
            raise ValueError(f"Expected 1 or 3 channels, got images of shape {images.shape}.")
        return images

    def _model_for(self, image_shape):
        image_shape = tuple(image_shape)
        if image_shape not in self._models:
            inputs = keras.Input(shape=image_shape)
            x = inputs
            if image_shape[:2] != (self.image_size, self.image_size):
                x = keras.layers.Resizing(self.image_size, self.image_size, interpolation="bilinear")(x)
            self._models[image_shape] = keras.Model(inputs, self._network(x))
        return self._models[image_shape]


def build_domain_classifier(num_classes=10, dropout=0.3):
    """The small CNN classifier behind `DomainFeatures` (28x28x1 input).

    Five 3x3 convolutions (two with stride 2), global average pooling, a
    128-unit `features` layer (the FID features) and a `logits` layer.
    About 157k parameters.

    Args:
        num_classes: number of classes.
        dropout: dropout rate before the logits (training only).

    Returns:
        A functional `keras.Model` from images in [-1, 1] to logits.
    """
    inputs = keras.Input(shape=(28, 28, 1), name="images")
    x = inputs
    for filters, strides in ((32, 1), (32, 2), (64, 1), (64, 2), (128, 1)):
        x = keras.layers.Conv2D(filters, 3, strides=strides, padding="same", activation="relu")(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    x = keras.layers.Dense(128, activation="relu", name="features")(x)
    x = keras.layers.Dropout(dropout)(x)
    outputs = keras.layers.Dense(num_classes, name="logits")(x)
    return keras.Model(inputs, outputs, name="domain_classifier")


class DomainFeatures(_BatchedExtractor):
    """Features of a small Fashion-MNIST classifier, for 28x28 grayscale images.

    InceptionV3 features are built for natural RGB photos at 299x299; on
    28x28 clothing they are slow and measure the wrong things. This
    extractor uses the 128-d penultimate layer of a CNN trained on
    Fashion-MNIST by `scripts/train_domain_classifier.py` (weights shipped in
    `zoo/fashion_mnist_classifier/`), and its softmax for the Inception
    Score. Its numbers compare only with other numbers from the same weights.

    Args:
        weights: path of a `.weights.h5` file for `build_domain_classifier()`;
            `None` for the shipped Fashion-MNIST weights.
        batch_size: images per forward pass.

    Example:

    >>> extractor = DomainFeatures()
    >>> features, probabilities = extractor.features_and_probabilities(images)
    """

    def __init__(self, weights=None, batch_size=500):
        path = DOMAIN_CLASSIFIER_WEIGHTS if weights is None else weights
        if not os.path.isfile(path):
            raise FileNotFoundError(
                f"Domain classifier weights not found at {path}. Train them "
                "with `python scripts/train_domain_classifier.py` or pass "
                "weights=<path of a .weights.h5 file>."
            )
        self.weights = weights
        self.batch_size = batch_size
        self.feature_dim = 128
        classifier = build_domain_classifier()
        classifier.load_weights(path)
        self.classifier = classifier
        probabilities = keras.layers.Softmax()(classifier.output)
        self._model = keras.Model(
            classifier.input,
            [classifier.get_layer("features").output, probabilities],
        )

    def _model_for(self, image_shape):
        if tuple(image_shape) != (28, 28, 1):
            raise ValueError(
                "DomainFeatures takes 28x28 grayscale images, got shape "
                f"{tuple(image_shape)}; use InceptionFeatures for other images."
            )
        return self._model


class RawFeatures:
    """Uses the flattened samples themselves as features.

    Meant for low-dimensional data such as the 2D mixtures, where the
    samples are already meaningful coordinates.

    Example:

    >>> RawFeatures()(np.zeros((4, 2))).shape
    (4, 2)
    """

    feature_dim = None

    def __call__(self, images):
        samples = keras.ops.convert_to_numpy(images).astype(np.float32)
        return samples.reshape(len(samples), -1)

    def features_and_probabilities(self, images):
        raise ValueError("RawFeatures has no class probabilities.")


EXTRACTOR_NAMES = ("domain", "inception", "raw")


def get_extractor(extractor):
    """Returns an extractor from a name (`"domain"`, `"inception"`, `"raw"`)
    or passes an extractor object through."""
    if isinstance(extractor, str):
        if extractor == "domain":
            return DomainFeatures()
        if extractor == "inception":
            return InceptionFeatures()
        if extractor == "raw":
            return RawFeatures()
        raise ValueError(
            f"Unknown extractor {extractor!r}. Known extractors: "
            f"{', '.join(EXTRACTOR_NAMES)}, or pass an extractor object."
        )
    if not callable(extractor):
        raise ValueError(
            f"extractor must be a name or a callable mapping images to features, got {extractor!r}."
        )
    return extractor
