"""keras_gans.backend.tensorflow: the step falls back to a graph when XLA cannot compile it."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gans import models


def linear(input_dim, output_dim, kernel, bias):
    layer = keras.layers.Dense(output_dim)
    model = keras.Sequential([keras.Input((input_dim,)), layer])
    layer.set_weights([np.asarray(kernel, "float32"), np.asarray(bias, "float32")])
    return model


def host_identity(x):
    # tf.numpy_function runs Python on the host: XLA cannot compile it.
    y = tf.numpy_function(lambda a: a, [x], tf.float32)
    return tf.ensure_shape(y, x.shape)


def test_xla_failure_falls_back_to_a_graph_and_trains():
    generator = linear(3, 2, np.zeros((3, 2)), [0.25, -0.75])
    critic = keras.Sequential([keras.Input((2,)), keras.layers.Lambda(host_identity), keras.layers.Dense(1)])
    w = np.array([[3.0], [-4.0]], "float32")
    critic.layers[-1].set_weights([w, np.array([0.5], "float32")])
    gan = models.WGAN(generator, critic, n_critic=1, clip_value=10.0)
    lr = 0.01
    gan.compile(g_optimizer=keras.optimizers.SGD(lr), d_optimizer=keras.optimizers.SGD(lr), jit_compile=True)
    assert gan.jit_compile
    real = np.random.default_rng(0).normal(size=(16, 2)).astype("float32")
    with pytest.warns(UserWarning, match="XLA could not compile the train step"):
        gan.fit(real, batch_size=16, epochs=1, shuffle=False, verbose=0)
    assert not gan.jit_compile
    # The critic step that ran without XLA is the Wasserstein gradient step.
    expected = w - lr * (np.array([0.25, -0.75], "float32") - real.mean(0))[:, None]
    np.testing.assert_allclose(keras.ops.convert_to_numpy(critic.layers[-1].kernel), expected, rtol=1e-5)
    # Later epochs and evaluation run without a new warning.
    gan.fit(real, batch_size=16, epochs=1, shuffle=False, verbose=0)
    gan.evaluate(real, batch_size=16, verbose=0)


def test_a_step_that_xla_compiles_keeps_xla(recwarn):
    generator = linear(3, 2, np.zeros((3, 2)), [0.25, -0.75])
    critic = linear(2, 1, [[3.0], [-4.0]], [0.5])
    gan = models.WGANGP(generator, critic, n_critic=1)
    gan.compile(jit_compile=True)
    gan.fit(np.zeros((8, 2), "float32"), batch_size=8, epochs=1, verbose=0)
    assert gan.jit_compile
    assert not [w for w in recwarn if "XLA" in str(w.message)]


def _small_gan(seed):
    keras.utils.set_random_seed(seed)
    generator = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(2)]
    )
    critic = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)]
    )
    gan = models.GAN(generator, critic, seed=seed)
    gan.compile(g_optimizer=keras.optimizers.SGD(0.05), d_optimizer=keras.optimizers.SGD(0.05))
    return gan


def test_fit_on_arrays_trains_exactly_as_on_the_same_batches_of_a_dataset(monkeypatch):
    # In-memory arrays go through the engine's grouped pipeline (autotuner
    # off); the updates must be those of the same batches fed as a dataset.
    from keras_gans.models import training_data

    built = []
    original = training_data.grouped_array_dataset

    def recording(*args, **kwargs):
        dataset, steps = original(*args, **kwargs)
        built.append(dataset)
        return dataset, steps

    monkeypatch.setattr(training_data, "grouped_array_dataset", recording)
    real = np.random.default_rng(0).normal(size=(50, 2)).astype("float32")
    from_arrays, from_dataset = _small_gan(3), _small_gan(3)
    history = from_arrays.fit(real, batch_size=16, epochs=2, shuffle=False, verbose=0)
    batches = tf.data.Dataset.from_tensor_slices(real).batch(16)
    from_dataset.fit(batches, epochs=2, shuffle=False, verbose=0)
    assert int(from_arrays.optimizer.iterations) == 2 * 4  # 50 examples: 3 full batches + 1 of 2
    for a, b in zip(from_arrays.get_weights(), from_dataset.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert len(history.history["d_loss"]) == 2 and len(built) == 1
    assert built[0].options().autotune.enabled is False
    # Keras' own pipeline still serves what the grouped pipeline does not cover.
    _small_gan(3).fit(real, batch_size=16, epochs=1, validation_split=0.2, verbose=0)
    assert len(built) == 1
