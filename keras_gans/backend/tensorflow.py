"""TensorFlow training step: GradientTape, nested tapes for input gradients."""

import tensorflow as tf


def input_gradient(fn, x, output_scale=None):
    """Gradient of `sum(fn(x))` with respect to `x`, recorded by any outer tape.

    Args:
        fn: a function of `x` (typically the discriminator in training mode).
        x: the input tensor.
        output_scale: optional scalar multiplying the summed output before
            differentiation (loss scaling for float16); the result is NOT unscaled.
    """
    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(tf.cast(fn(x), "float32"))
        if output_scale is not None:
            total = total * tf.cast(output_scale, "float32")
    return tape.gradient(total, x)


def _update(network, optimizer, objective):
    variables = network.trainable_variables
    with tf.GradientTape() as tape:
        loss, logs = objective()
        scaled_loss = optimizer.scale_loss(loss)
    grads = tape.gradient(scaled_loss, variables)
    grads = [tf.zeros_like(v) if g is None else g for g, v in zip(grads, variables)]
    optimizer.apply(grads, variables)
    return logs


def _run(fn):
    return fn()


class AdversarialTrainer:
    """`train_step` / `test_step` for the TensorFlow backend."""

    def train_step(self, data):
        real, labels = self.unpack_batch(data)
        self.adversarial_step(real, labels, update=_update, run=_run)
        return self.current_logs()

    def test_step(self, data):
        real, labels = self.unpack_batch(data)
        self.evaluation_step(real, labels)
        return self.current_logs()
