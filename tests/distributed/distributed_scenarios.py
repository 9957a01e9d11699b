"""Deterministic one-step training runs, executed in subprocesses by the distributed tests.

A distributed step must equal the single-device step on the same global batch.
The runs here have no randomness that could differ between the two: generators
ignore their noise (`z * 0` feeds the first layer), critics are fixed, the
optimizer is SGD, and penalties are either deterministic (R1 on real data) or
taken on a linear critic whose input gradient is the same everywhere (WGAN-GP).

Usage (the tests call it): `python distributed_scenarios.py MODE OUTPUT.npz` with MODE one of
`mirrored` (TensorFlow, two logical CPU devices), `worker` (one
MultiWorkerMirroredStrategy worker; TF_CONFIG set by the caller), `single`
(TensorFlow, one device) and `data_parallel` (JAX, two host devices; XLA_FLAGS set
by the caller). Results are saved as `<scenario>/<name>` arrays.
"""

import os
import sys

import numpy as np

GLOBAL_BATCH = 32
SCENARIOS = ("wgan_gp_linear", "gan_r1_mlp")
LEARNING_RATE = 0.05


def _points(n, seed):
    return np.random.default_rng(seed).normal(size=(n, 2)).astype("float32")


def _dense_stack(keras, input_dim, layers, seed, zero_input=False):
    """A Sequential MLP with weights drawn from a fixed NumPy seed."""
    rng = np.random.default_rng(seed)
    model_layers = [keras.Input((input_dim,))]
    if zero_input:
        model_layers.append(keras.layers.Lambda(lambda z: z * 0.0))
    dense = [keras.layers.Dense(units, activation=activation) for units, activation in layers]
    model = keras.Sequential(model_layers + dense)
    fan_in = input_dim
    for layer, (units, _) in zip(dense, layers):
        layer.set_weights(
            [
                rng.normal(scale=1.0 / np.sqrt(fan_in), size=(fan_in, units)).astype("float32"),
                rng.normal(scale=0.1, size=(units,)).astype("float32"),
            ]
        )
        fan_in = units
    return model


def build(name):
    """An uncompiled model of scenario `name`."""
    import keras

    from keras_gans import models

    generator = _dense_stack(keras, 4, [(8, "tanh"), (2, None)], seed=1, zero_input=True)
    if name == "wgan_gp_linear":
        critic = _dense_stack(keras, 2, [(1, None)], seed=2)
        return models.WGANGP(generator, critic, n_critic=2, gp_weight=10.0, seed=0)
    if name == "gan_r1_mlp":
        critic = _dense_stack(keras, 2, [(16, "tanh"), (1, None)], seed=3)
        return models.GAN(generator, critic, n_critic=1, r1_gamma=1.0, seed=0)
    raise ValueError(f"Unknown scenario {name!r}.")


def compile_and_fit(gan, steps=1):
    """Compiles with SGD and trains `steps` steps on the fixed data; returns results."""
    import keras

    gan.compile(
        g_optimizer=keras.optimizers.SGD(LEARNING_RATE),
        d_optimizer=keras.optimizers.SGD(LEARNING_RATE),
    )
    return fit(gan, steps)


def fit(gan, steps=1):
    import keras

    data = _points(GLOBAL_BATCH * steps, seed=4)
    history = gan.fit(data, batch_size=GLOBAL_BATCH, epochs=1, shuffle=False, verbose=0)
    out = {f"log_{k}": np.asarray(v[-1], "float32") for k, v in history.history.items()}
    for prefix, network in (("g", gan.generator), ("d", gan.discriminator)):
        for i, variable in enumerate(network.weights):
            out[f"{prefix}{i}"] = keras.ops.convert_to_numpy(variable.value)
    return out


def _save(path, results):
    flat = {
        f"{scenario}/{key}": value for scenario, values in results.items() for key, value in values.items()
    }
    np.savez(path, **flat)


def load(path):
    """`{scenario: {name: array}}` from a file written by this script."""
    results = {}
    with np.load(path) as data:
        for key in data.files:
            scenario, name = key.split("/", 1)
            results.setdefault(scenario, {})[name] = data[key]
    return results


def run_single():
    return {name: compile_and_fit(build(name)) for name in SCENARIOS}


def run_mirrored():
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)
    import keras

    results = {}
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    for name in SCENARIOS:
        results[f"single_{name}"] = compile_and_fit(build(name))
        with strategy.scope():
            gan = build(name)
            gan.compile(
                g_optimizer=keras.optimizers.SGD(LEARNING_RATE),
                d_optimizer=keras.optimizers.SGD(LEARNING_RATE),
            )
        results[f"mirrored_{name}"] = fit(gan)
        results[f"mirrored_{name}"]["replicas"] = np.asarray(strategy.num_replicas_in_sync)
    results["streams"] = _replica_streams(strategy)
    return results


def _replica_streams(strategy):
    """Latent noise drawn on each replica in a step, and the seed state after it."""
    import tensorflow as tf

    from keras_gans.backend import tensorflow as tf_backend

    with strategy.scope():
        gan = build("gan_r1_mlp")

    @tf.function
    def draw():
        def replica_fn():
            with tf_backend._ReplicaRandomStreams(gan):
                return gan.sample_latent(3)

        return strategy.run(replica_fn)

    values = strategy.experimental_local_results(draw())
    states = [v.numpy() for v in gan.seed_generator.state.value.values]
    return {"replica_0": values[0].numpy(), "replica_1": values[1].numpy(), "states": np.stack(states)}


def run_worker():
    import tensorflow as tf

    strategy = tf.distribute.MultiWorkerMirroredStrategy()
    import keras

    results = {}
    for name in SCENARIOS:
        with strategy.scope():
            gan = build(name)
            gan.compile(
                g_optimizer=keras.optimizers.SGD(LEARNING_RATE),
                d_optimizer=keras.optimizers.SGD(LEARNING_RATE),
            )
        results[name] = fit(gan)
        results[name]["replicas"] = np.asarray(strategy.num_replicas_in_sync)
    return results


def run_data_parallel():
    import jax
    import keras

    from keras_gans import models
    from keras_gans import networks

    def dcgan():
        # Batch norm and latent noise included: JAX runs the global program.
        generator = networks.dcgan_generator(latent_dim=8, image_shape=(8, 8, 1), filters=4)
        discriminator = networks.dcgan_discriminator(image_shape=(8, 8, 1), filters=4)
        return models.GAN(generator, discriminator, seed=7)

    def dcgan_fit(gan, initial):
        gan.set_weights(initial)
        gan.compile(g_optimizer=keras.optimizers.Adam(1e-3), d_optimizer=keras.optimizers.Adam(1e-3))
        images = np.random.default_rng(5).uniform(-1, 1, size=(GLOBAL_BATCH * 2, 8, 8, 1)).astype("float32")
        history = gan.fit(images, batch_size=GLOBAL_BATCH, epochs=1, shuffle=False, verbose=0)
        out = {f"log_{k}": np.asarray(v[-1], "float32") for k, v in history.history.items()}
        for i, w in enumerate(gan.get_weights()):
            out[f"w{i}"] = np.asarray(w)
        return out

    results = {}
    keras.utils.set_random_seed(0)
    initial = dcgan().get_weights()
    results["single_dcgan"] = dcgan_fit(dcgan(), initial)
    for name in SCENARIOS:
        results[f"single_{name}"] = compile_and_fit(build(name))
    devices = jax.devices("cpu")
    keras.distribution.set_distribution(keras.distribution.DataParallel(devices=devices))
    gan = dcgan()
    results["parallel_dcgan"] = dcgan_fit(gan, initial)
    results["parallel_dcgan"]["devices"] = np.asarray(len(devices))
    results["parallel_dcgan"]["variable_devices"] = np.asarray(
        len(gan.generator.trainable_variables[0].value.sharding.device_set)
    )
    distribution = keras.distribution.distribution()
    data_layout = distribution.get_data_layout((GLOBAL_BATCH, 8, 8, 1))
    results["parallel_dcgan"]["batch_sharded"] = np.asarray(
        data_layout.axes[0] == distribution.batch_dim_name
    )
    for name in SCENARIOS:
        results[f"parallel_{name}"] = compile_and_fit(build(name))
    return results


def main(argv):
    mode, output = argv[1], argv[2]
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    runs = {
        "single": run_single,
        "mirrored": run_mirrored,
        "worker": run_worker,
        "data_parallel": run_data_parallel,
    }
    _save(output, runs[mode]())


if __name__ == "__main__":
    main(sys.argv)
