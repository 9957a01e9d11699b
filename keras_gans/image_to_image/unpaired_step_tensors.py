"""`UnpairedStepTensors`: the step tensors of a batch from two unpaired image domains."""

import functools

from keras import ops

from keras_gans.terms.step_tensors import StepTensors


class UnpairedStepTensors(StepTensors):
    """The tensors of one CycleGAN objective on a batch of images of domains A and B.

    The model's `generator` is a `keras_gans.image_to_image.GeneratorPair`
    (`a_to_b`, `b_to_a`) and its `discriminator` a
    `keras_gans.image_to_image.DiscriminatorPair` (`d_a` judges domain A, `d_b`
    domain B); one optimizer updates both generators, one both
    discriminators. Everything is computed on first use and shared by the
    phase's terms:

    - `fake_b = a_to_b(real_a)`, `fake_a = b_to_a(real_b)`; in discriminator
      phases they carry no gradient and, when training, pass through the
      model's image pools (`model.pool_a`, `model.pool_b`: the discriminators
      see a history of fakes);
    - `reconstructed_a = b_to_a(fake_b)`, `reconstructed_b = a_to_b(fake_a)`
      (the cycle), `identity_a = b_to_a(real_a)`, `identity_b = a_to_b(real_b)`;
    - `real_logits_a = d_a(view(real_a))`, `fake_logits_a = d_a(view(fake_a))`,
      and likewise for B, where `view` is `model.discriminator_view` (every
      term's `view`: augmentation, instance noise).

    For the engine's generic terms `real`/`fake`/`real_logits`/`fake_logits`
    are those of the A -> B direction (domain B and `d_b`).

    Attributes:
        real_a, real_b: the batch's images of each domain (`real_a` is `real`,
            `real_b` is `real_labels`).
        fake_a, fake_b, reconstructed_a, reconstructed_b, identity_a,
        identity_b, real_logits_a, real_logits_b, fake_logits_a, fake_logits_b:
            see above.

    Example:

    ```python
    tensors = UnpairedStepTensors(cycle_gan, "generator", sneakers, boots)
    cycle = keras.ops.mean(keras.ops.abs(tensors.reconstructed_a - tensors.real_a))
    ```
    """

    def __init__(self, model, network, real_a, real_b, training=True):
        super().__init__(model, network, real_a, real_b, training=training)

    @property
    def real_a(self):
        return self.real

    @property
    def real_b(self):
        return ops.cast(self.real_labels, self.real.dtype)

    @property
    def z(self):
        return None

    @property
    def fake_labels(self):
        return None

    def _translate(self, generator, images):
        return ops.cast(generator(images, training=self.training), self.real.dtype)

    def _for_discriminator(self, fake, pool):
        if self.network != "discriminator":
            return fake
        fake = ops.stop_gradient(fake)
        if self.training:
            fake = pool(fake)
        return fake

    @functools.cached_property
    def fake_b(self):
        fake = self._translate(self.model.generator.a_to_b, self.real_a)
        return self._for_discriminator(fake, self.model.pool_b)

    @functools.cached_property
    def fake_a(self):
        fake = self._translate(self.model.generator.b_to_a, self.real_b)
        return self._for_discriminator(fake, self.model.pool_a)

    @functools.cached_property
    def reconstructed_a(self):
        return self._translate(self.model.generator.b_to_a, self.fake_b)

    @functools.cached_property
    def reconstructed_b(self):
        return self._translate(self.model.generator.a_to_b, self.fake_a)

    @functools.cached_property
    def identity_a(self):
        return self._translate(self.model.generator.b_to_a, self.real_a)

    @functools.cached_property
    def identity_b(self):
        return self._translate(self.model.generator.a_to_b, self.real_b)

    def _logits(self, discriminator, images):
        seen = self.model.discriminator_view(images, training=self.training)
        return ops.cast(discriminator(seen, training=self.training), "float32")

    @functools.cached_property
    def real_logits_a(self):
        return self._logits(self.model.discriminator.d_a, self.real_a)

    @functools.cached_property
    def real_logits_b(self):
        return self._logits(self.model.discriminator.d_b, self.real_b)

    @functools.cached_property
    def fake_logits_a(self):
        return self._logits(self.model.discriminator.d_a, self.fake_a)

    @functools.cached_property
    def fake_logits_b(self):
        return self._logits(self.model.discriminator.d_b, self.fake_b)

    # The engine's generic names: the A -> B direction.
    @property
    def fake(self):
        return self.fake_b

    @property
    def real_logits(self):
        return self.real_logits_b

    @property
    def fake_logits(self):
        return self.fake_logits_b

    @property
    def seen_real(self):
        return self.model.discriminator_view(self.real_b, training=self.training)

    @property
    def real_outputs(self):
        return self.real_logits_b

    @property
    def fake_outputs(self):
        return self.fake_logits_b

    def critic(self, labels=None):
        """`x -> d_b(x)` for `x` as the discriminator sees it (input gradients)."""
        discriminator = self.model.discriminator.d_b

        def logits(x):
            return discriminator(x, training=self.training)

        return logits
