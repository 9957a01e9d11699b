"""`PairedTrainingMixin`: `fit` and `evaluate` of a paired translator on `(input, target)` data.

The engine trains on real samples and what they are conditioned on,
`(samples, labels)`; a paired translator's real samples are its targets and
its conditions are its inputs. Users pass `(inputs, targets)`, as Keras'
`fit(x, y)` reads; the mixin checks the pairs against the networks (clear
errors for pairs whose shapes disagree) and hands the engine `(targets,
inputs)`, keeping every feature of `AdversarialModel.fit`: the seeded,
resumable order of the examples, `n_critic` batches per step, data checks.
"""

import numpy as np

from keras_gans.image_to_image.image_checks import describe_shape
from keras_gans.image_to_image.image_checks import input_shape_of


def _is_dataset(value):
    try:
        import tensorflow as tf
    except ImportError:  # pragma: no cover - TensorFlow is a dependency
        return False
    return isinstance(value, tf.data.Dataset)


class PairedTrainingMixin:
    """`fit(inputs, targets)` / `evaluate(inputs, targets)` for Pix2Pix and SRGAN.

    The variant defines `scale` (the factor from input to target size: 1 for
    pix2pix tasks) and has a generator with one image input.
    """

    def check_pairs(self, inputs, targets, where="fit"):
        """Checks `(inputs, targets)` arrays against the model; returns them as float32."""
        from keras_gans.data.paired import check_paired_data

        name = type(self).__name__
        inputs, targets = np.asarray(inputs), np.asarray(targets)
        for what, array in (("inputs", inputs), ("targets", targets)):
            if array.ndim != 4:
                raise ValueError(
                    f"{name}.{where} takes (inputs, targets) batches of images (n, height, width, "
                    f"channels). Received: {what} of shape {array.shape}"
                )
        scale = check_paired_data(inputs, targets)
        expected_in = input_shape_of(self.generator)
        expected_out = tuple(self.image_shape)
        if tuple(inputs.shape[1:]) != expected_in:
            raise ValueError(
                f"The generator of {name} takes inputs of {describe_shape(expected_in)}, but the "
                f"paired data's inputs are {describe_shape(inputs.shape[1:])}. Received: inputs of "
                f"shape {inputs.shape}, targets of shape {targets.shape}"
            )
        if scale != self.scale or tuple(targets.shape[1:]) != expected_out:
            raise ValueError(
                f"The generator of {name} turns {describe_shape(expected_in)} inputs into "
                f"{describe_shape(expected_out)} images (scale {self.scale}), but the paired data's "
                f"targets are {describe_shape(targets.shape[1:])} (scale {scale}). Received: inputs of "
                f"shape {inputs.shape}, targets of shape {targets.shape}"
            )
        return inputs.astype("float32"), targets.astype("float32")

    def _check_pair_batch(self, element):
        if not isinstance(element, (tuple, list)) or len(element) != 2:
            raise ValueError(
                f"{type(self).__name__} trains on a dataset of (inputs, targets) batches. Received: "
                f"an element of type {type(element).__name__}"
            )
        self.check_pairs(np.asarray(element[0]), np.asarray(element[1]), where="fit (first batch)")

    def engine_data(self, x, y, where="fit"):
        """`(x, y)` for the engine, `(targets, inputs)`, from the user's `(inputs, targets)`."""
        if _is_dataset(x):
            if y is not None:
                raise ValueError(f"A dataset of (inputs, targets) batches takes no `y`. Received: y={y!r}")
            for element in x.take(1):
                self._check_pair_batch(element)
            return x.map(lambda inputs, targets: (targets, inputs)), None
        if y is None and isinstance(x, (tuple, list)) and len(x) == 2:
            x, y = x
        if x is None or y is None:
            raise ValueError(
                f"{type(self).__name__}.{where} takes paired images: {where}(inputs, targets) or a "
                "tf.data.Dataset of (inputs, targets) batches."
            )
        inputs, targets = self.check_pairs(x, y, where)
        return targets, inputs

    def fit(self, x=None, y=None, batch_size=None, epochs=1, validation_data=None, **kwargs):
        """`AdversarialModel.fit` on `(inputs, targets)`: arrays `fit(inputs, targets)` or a
        `tf.data.Dataset` of `(inputs, targets)` batches (e.g. `keras_gans.data.paired_dataset`).

        Pairs whose shapes do not fit the generator, or each other, raise a
        `ValueError` naming the shapes. `validation_data` is `(inputs, targets)` too.
        """
        x, y = self.engine_data(x, y)
        if validation_data is not None:
            validation_data = self.engine_data(*self._split_validation(validation_data), where="fit")
            if validation_data[1] is None:
                validation_data = validation_data[0]
        return super().fit(
            x, y, batch_size=batch_size, epochs=epochs, validation_data=validation_data, **kwargs
        )

    @staticmethod
    def _split_validation(validation_data):
        if _is_dataset(validation_data):
            return validation_data, None
        if isinstance(validation_data, (tuple, list)) and len(validation_data) == 2:
            return validation_data[0], validation_data[1]
        raise ValueError(
            "`validation_data` must be (inputs, targets) or a dataset of them. Received: "
            f"{type(validation_data).__name__}"
        )

    def evaluate(self, x=None, y=None, **kwargs):
        """`keras.Model.evaluate` on `(inputs, targets)`: the main phases' losses, no update."""
        x, y = self.engine_data(x, y, where="evaluate")
        return super().evaluate(x, y, **kwargs)
