"""`StepTensors`: the tensors one objective evaluation of a train step works on."""

import functools

from keras import ops


class StepTensors:
    """Real and fake samples, labels and the discriminator's outputs of one objective.

    Everything is computed on first use and then reused by every term of the
    phase, so a phase whose terms never look at the real batch (the generator's
    adversarial loss) does not run the discriminator on it. In discriminator
    phases the fakes carry no gradient back to the generator.

    Attributes:
        model: the `AdversarialModel`.
        network: `"discriminator"` or `"generator"`: whose objective this is.
        real: the real batch (float), as the variant prepared it.
        real_labels: its labels, or None.
        training: whether the networks run in training mode.
        z, fake_labels, fake: latent noise, the labels the fakes were
            generated for (None when unconditional), the generated batch.
        seen_real, seen_fake: what the discriminator sees of them (after
            augmentation, instance noise and packing).
        real_outputs, fake_outputs: the discriminator's outputs on those.
        real_logits, fake_logits: the real/fake logits within the outputs.
        loss_scale: the loss scale of this network's optimizer under
            `mixed_float16` (for input gradients), else None.
        iteration: the model's train step counter (int tensor).

    Example:

    ```python
    def compute(self, tensors):  # a term's hook
        critic = tensors.critic(tensors.real_labels)
        return {"r1": keras_gans.penalties.r1_penalty(critic, tensors.seen_real)}
    ```
    """

    def __init__(self, model, network, real, real_labels, training=True):
        self.model = model
        self.network = network
        self.real = real
        self.real_labels = real_labels
        self.training = training

    @functools.cached_property
    def batch_size(self):
        return ops.shape(self.real)[0]

    @functools.cached_property
    def z(self):
        return self.model.sample_latent(self.batch_size)

    @functools.cached_property
    def fake_labels(self):
        return self.model.fake_labels(self.batch_size, self.real_labels)

    @functools.cached_property
    def fake(self):
        model = self.model
        fake = model.generator(model.generator_inputs(self.z, self.fake_labels), training=self.training)
        fake = ops.cast(fake, self.real.dtype)
        if self.network == "discriminator":
            fake = ops.stop_gradient(fake)
        return fake

    @functools.cached_property
    def seen_real(self):
        return self.model.discriminator_view(self.real, training=self.training)

    @functools.cached_property
    def seen_fake(self):
        return self.model.discriminator_view(self.fake, training=self.training)

    @functools.cached_property
    def real_outputs(self):
        return self.model.discriminator_on_view(self.seen_real, self.real_labels, training=self.training)

    @functools.cached_property
    def fake_outputs(self):
        return self.model.discriminator_on_view(self.seen_fake, self.fake_labels, training=self.training)

    @functools.cached_property
    def real_logits(self):
        return self.model.adversarial_logits(self.real_outputs)

    @functools.cached_property
    def fake_logits(self):
        return self.model.adversarial_logits(self.fake_outputs)

    @functools.cached_property
    def loss_scale(self):
        return self.model.loss_scale(self.network)

    @functools.cached_property
    def iteration(self):
        return self.model.train_iteration()

    def critic(self, labels):
        """`x -> real/fake logits of D(x)`, for `x` as the discriminator sees it
        (already augmented / noised / packed): the function penalties take
        input gradients of."""
        model = self.model

        def logits(x):
            return model.adversarial_logits(model.discriminator_on_view(x, labels, training=self.training))

        return logits
