"""`PairedStepTensors`: the step tensors of a paired image-to-image batch."""

import functools

from keras import ops

from keras_gans.terms.step_tensors import StepTensors


class PairedStepTensors(StepTensors):
    """The tensors of one objective on a batch of `(input, target)` image pairs.

    A paired translator (`keras_gans.models.Pix2Pix`, `keras_gans.models.SRGAN`)
    has no latent noise: its fakes are the generator's translations of the
    inputs, `fake = G(inputs)`. In the engine's terms the targets are the real
    samples and the inputs are what the fakes are conditioned on, so every
    engine term (the adversarial loss, R1, label smoothing, DiffAugment, ...)
    works on pairs unchanged: `real` is the targets, `real_labels` and
    `fake_labels` are both the inputs, and the discriminator sees
    `model.discriminator_inputs(images, inputs)` (pix2pix: the pair
    `[inputs, images]`; SRGAN: the images alone).

    In discriminator phases the translations carry no gradient back to the
    generator. Dropout inside the generator runs in training mode during
    training (pix2pix's noise).

    Attributes:
        inputs: the generator's inputs `(batch, h, w, c_in)` (= `real_labels`).
        targets: the images it should produce (= `real`).
        fake: `G(inputs)`, float32.
        z: None (no latent noise).
        (and every attribute of `keras_gans.terms.StepTensors`)

    Example:

    ```python
    tensors = PairedStepTensors(pix2pix, "generator", targets, inputs)
    l1 = keras.ops.mean(keras.ops.abs(tensors.fake - tensors.targets))
    ```
    """

    def __init__(self, model, network, targets, inputs, training=True):
        super().__init__(model, network, targets, inputs, training=training)

    @property
    def inputs(self):
        return self.real_labels

    @property
    def targets(self):
        return self.real

    @property
    def z(self):
        return None

    @functools.cached_property
    def fake_labels(self):
        return self.real_labels

    @functools.cached_property
    def fake(self):
        fake = self.model.generator(self.inputs, training=self.training)
        fake = ops.cast(fake, self.real.dtype)
        if self.network == "discriminator":
            fake = ops.stop_gradient(fake)
        return fake
