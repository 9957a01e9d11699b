"""TensorFlow training step: GradientTape, nested tapes for input gradients, tf.distribute.

Under a `tf.distribute` strategy (`MirroredStrategy`, `MultiWorkerMirroredStrategy`,
`TPUStrategy`) Keras runs `train_step` once per replica on that replica's share
of the global batch, and the optimizer sums the replicas' gradients. Every loss
and penalty of a variant is a mean over the replica's share, so `update` divides
it by the number of replicas before differentiation (as Keras' own losses do,
`keras.losses.Loss` with `scale_loss_for_distribution`): the summed gradient is
the gradient of the mean over the global batch. Logged values are the unscaled
per-replica means; the metric trackers average them over replicas.

Each replica also draws its own random numbers: during a distributed step the
seed of every `keras.random.SeedGenerator` of the model is offset by the
replica's index (and restored afterwards), so replicas do not generate the same
latent noise, interpolation weights or instance noise.

With `jit_compile` on, the first call of the train (or test) function lowers
the step to XLA before running it; if XLA cannot compile it (an op without an
XLA kernel, say), the step runs as a plain `tf.function` graph instead, with a
warning, and no batch is lost.
"""

import warnings

import tensorflow as tf

# Replica r draws from seed (s + r * stride, counter) instead of (s, counter).
_REPLICA_SEED_STRIDE = 1_000_003


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


def _num_replicas():
    return tf.distribute.get_strategy().num_replicas_in_sync


def _global_batch_share(loss):
    """`loss / num_replicas`: the replica's share of the global-batch mean."""
    replicas = _num_replicas()
    if replicas == 1:
        return loss
    return loss * tf.cast(1.0 / replicas, loss.dtype)


def _all_finite(grads):
    return tf.reduce_all([tf.reduce_all(tf.math.is_finite(g)) for g in grads])


def _update(network, optimizer, objective):
    variables = network.trainable_variables
    with tf.GradientTape() as tape:
        loss, logs = objective()
        scaled_loss = optimizer.scale_loss(_global_batch_share(loss))
    grads = tape.gradient(scaled_loss, variables)
    grads = [tf.zeros_like(v) if g is None else g for g, v in zip(grads, variables)]
    # The loss scaler skips updates with non-finite gradients; so do the logs.
    applied = _all_finite(grads) if hasattr(optimizer, "inner_optimizer") else None
    optimizer.apply(grads, variables)
    return logs, applied


def _run(fn):
    return fn()


def _when(condition, fn):
    if condition is None:
        fn()
        return

    def taken():
        fn()
        return tf.constant(True)

    tf.cond(condition, taken, lambda: tf.constant(False))


class _ReplicaRandomStreams:
    """Offsets the model's seed generators by the replica index for one step."""

    def __init__(self, model):
        self.generators = []
        self.offset = None
        if _num_replicas() == 1:
            return
        context = tf.distribute.get_replica_context()
        if context is None:  # cross-replica context: nothing per replica
            return
        seen = set()
        for layer in model._flatten_layers(include_self=True):
            for generator in getattr(layer, "_seed_generators", ()):
                if id(generator) not in seen:
                    seen.add(id(generator))
                    self.generators.append(generator)
        self.replica = context.replica_id_in_sync_group

    def _shift(self, sign):
        for generator in self.generators:
            state = generator.state
            offset = tf.cast(self.replica, state.dtype) * _REPLICA_SEED_STRIDE * sign
            state.assign(state.value + tf.stack([offset, tf.zeros_like(offset)]))

    def __enter__(self):
        self._shift(1)
        return self

    def __exit__(self, *exc_info):
        self._shift(-1)
        return False


def _reducible(logs):
    """Logs that Keras can reduce over the workers of a MultiWorkerMirroredStrategy.

    Keras reduces multi-worker step outputs with `strategy.reduce("MEAN", value,
    axis=0)`, which fails on scalars (tensorflow/tensorflow#72388); a `(1,)`
    shape reduces to the same scalar mean.
    """
    strategy = tf.distribute.get_strategy()
    in_multi_worker_mode = getattr(strategy.extended, "_in_multi_worker_mode", None)
    if not (
        isinstance(strategy, tf.distribute.MultiWorkerMirroredStrategy)
        and in_multi_worker_mode is not None
        and in_multi_worker_mode()
    ):
        return logs
    return {name: tf.reshape(value, [1]) for name, value in logs.items()}


def _xla_failure(step, element_spec):
    """The error XLA raises on `step` for data of `element_spec`, or None if it compiles.

    The step is traced and lowered to XLA's HLO without running it (no data is
    consumed and no variable changes); unsupported ops fail here.
    """

    def zeros(spec):
        shape = [2 if dim is None else dim for dim in spec.shape]
        return tf.zeros(shape, spec.dtype)

    try:
        data = tf.nest.map_structure(zeros, element_spec)
    except (TypeError, ValueError, AttributeError):
        return None  # not plain tensors: let the step itself decide
    probe = tf.function(step, jit_compile=True, autograph=False)
    try:
        probe.experimental_get_compiler_ir(data)(stage="hlo")
    except (tf.errors.OpError, ValueError, TypeError, NotImplementedError) as error:
        return error
    return None


def _with_graph_fallback(model, function, kind):
    """Checks once that XLA compiles the step; otherwise rebuilds it without XLA."""
    checked = []

    def run(iterator):
        if checked:
            return function(iterator)
        checked.append(True)
        element_spec = getattr(iterator, "element_spec", None)
        if element_spec is None or model._distribute_strategy is not None:
            return function(iterator)
        step = model.train_step if kind == "train" else model.test_step
        error = _xla_failure(step, element_spec)
        if error is None:
            return function(iterator)
        warnings.warn(
            f"XLA could not compile the {kind} step of {model.name} "
            f"({type(error).__name__}: {str(error).strip().splitlines()[0][:300]}); "
            "running it as a TensorFlow graph without XLA (jit_compile=False).",
            stacklevel=2,
        )
        model.jit_compile = False
        if kind == "train":
            model.make_train_function(force=True)
            return model.train_function(iterator)
        model.make_test_function(force=True)
        return model.test_function(iterator)

    return run


class AdversarialTrainer:
    """`train_step` / `test_step` for the TensorFlow backend."""

    def train_step(self, data):
        real, labels = self.unpack_batch(data)
        # Every op of the step waits for the data: when reading a batch fails
        # (the end of a dataset of unknown length, a failed data check), no
        # counter or stream advances.
        with tf.control_dependencies([t for t in tf.nest.flatten(data) if tf.is_tensor(t)]):
            with _ReplicaRandomStreams(self):
                self.adversarial_step(real, labels, update=_update, run=_run, when=_when)
        return _reducible(self.current_logs())

    def test_step(self, data):
        real, labels = self.unpack_batch(data)
        self.evaluation_step(real, labels)
        return _reducible(self.current_logs())

    def make_train_function(self, force=False):
        if self.train_function is not None and not force:
            return self.train_function
        super().make_train_function(force=force)
        if self.jit_compile and not self.run_eagerly:
            self.train_function = _with_graph_fallback(self, self.train_function, "train")
        return self.train_function

    def make_test_function(self, force=False):
        if self.test_function is not None and not force:
            return self.test_function
        super().make_test_function(force=force)
        if self.jit_compile and not self.run_eagerly:
            self.test_function = _with_graph_fallback(self, self.test_function, "test")
        return self.test_function
