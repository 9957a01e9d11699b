"""Scores of unpaired image-to-image translation: target-class fraction and cycle error."""

import numbers

import keras
import numpy as np

from keras_gans.metrics.feature_extractors import DomainFeatures


def target_class_fraction(images, target_class, classifier=None):
    """Fraction of translated images that a classifier assigns to the target class.

    A CycleGAN that turns sneakers into ankle boots should make the domain classifier
    say "ankle boot" (class 9) for most of its outputs. The predicted class is the
    arg-max of the classifier's probabilities.

    Args:
        images: translated images `(n, height, width, channels)` in [-1, 1].
        target_class: int, the index of the class the images should belong to.
        classifier: an extractor with `features_and_probabilities(images)` (see
            `keras_gans.metrics.DomainFeatures`); None loads `DomainFeatures()`, the
            Fashion-MNIST classifier shipped with keras-gans (28x28x1 images).

    Returns:
        A float in [0, 1].

    Example:

    ```python
    boots = generator_a_to_b.predict(sneakers)
    keras_gans.metrics.target_class_fraction(boots, target_class=9)
    ```

    Reference:
        - [Zhu et al., 2017](https://arxiv.org/abs/1703.10593), "Unpaired Image-to-Image
          Translation using Cycle-Consistent Adversarial Networks" (Section 5.1.1 scores
          outputs with a pretrained classifier, the FCN score).
    """
    classifier = DomainFeatures() if classifier is None else classifier
    _, probabilities = classifier.features_and_probabilities(images)
    num_classes = probabilities.shape[-1]
    if (
        isinstance(target_class, bool)
        or not isinstance(target_class, numbers.Integral)
        or not 0 <= target_class < num_classes
    ):
        raise ValueError(
            f"`target_class` must be a class index from 0 to {num_classes - 1} of the "
            f"classifier. Received: target_class={target_class!r}"
        )
    return float(np.mean(np.argmax(probabilities, axis=-1) == int(target_class)))


def cycle_reconstruction_error(images, forward, backward, batch_size=256):
    """Mean absolute error between images and their round trip `backward(forward(x))`.

    The cycle-consistency loss of CycleGAN, as a score on held-out images: 0 for a
    perfect reconstruction, in the units of the pixel values (images in [-1, 1] give
    values in [0, 2]). The generators run in inference mode, batch by batch.

    Args:
        images: `(n, height, width, channels)` images of the source domain.
        forward: the generator from the source to the target domain (a callable
            `keras.Model`).
        backward: the generator from the target back to the source domain.
        batch_size: int, images per generator call.

    Returns:
        A float, the mean over images, pixels and channels of `|backward(forward(x)) - x|`.

    Example:

    ```python
    error = keras_gans.metrics.cycle_reconstruction_error(sneakers, g_ab, g_ba)
    ```

    Reference:
        - [Zhu et al., 2017](https://arxiv.org/abs/1703.10593), "Unpaired Image-to-Image
          Translation using Cycle-Consistent Adversarial Networks" (Equation 2).
    """
    images = np.asarray(images, dtype="float32")
    if images.ndim != 4 or len(images) == 0:
        raise ValueError(
            "`images` must be a non-empty batch (n, height, width, channels). "
            f"Received: images.shape={images.shape}"
        )
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"`batch_size` must be a positive integer. Received: batch_size={batch_size!r}")
    total = 0.0
    for start in range(0, len(images), batch_size):
        batch = images[start : start + batch_size]
        reconstructed = backward(forward(batch, training=False), training=False)
        reconstructed = keras.ops.convert_to_numpy(reconstructed)
        if reconstructed.shape != batch.shape:
            raise ValueError(
                "The round trip must give back images of the input's shape. Received: "
                f"images of shape {batch.shape[1:]} came back as {reconstructed.shape[1:]}"
            )
        total += float(np.abs(reconstructed.astype("float64") - batch).sum())
    return total / images.size
