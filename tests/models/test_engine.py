"""Engine v2: phases, a real batch per critic update, independent random streams,
lazy regularization, exact resume and checked training data, on every backend."""

import json
import warnings

import keras
import numpy as np
import pytest
from keras import ops

from keras_gans import models
from keras_gans import networks
from keras_gans import terms
from keras_gans.random_streams import seed_generators


def to_numpy(x):
    return ops.convert_to_numpy(x)


def mlp_gan(cls=models.GAN, latent_dim=2, **kwargs):
    return cls(
        networks.mlp_generator(latent_dim, 2, hidden_units=(16, 16)),
        networks.mlp_discriminator(2, hidden_units=(16, 16)),
        latent_dim=latent_dim,
        **kwargs,
    )


@keras.saving.register_keras_serializable(package="keras_gans_tests")
class RecordRealBatches(terms.Term):
    """Records the mean of the real batch of every critic update (weight 0)."""

    def __init__(self, capacity=64, **kwargs):
        kwargs.setdefault("name", "record")
        kwargs["weight"] = 0.0
        super().__init__(**kwargs)
        self.capacity = capacity
        self.seen = self.add_weight(shape=(capacity,), initializer="zeros", trainable=False, name="seen")
        self.count = self.add_weight(
            shape=(), initializer="zeros", trainable=False, name="count", dtype="int32"
        )

    def compute(self, tensors):
        mean = ops.mean(tensors.real)
        one_hot = ops.one_hot(self.count, self.capacity)
        self.seen.assign(self.seen * (1.0 - one_hot) + ops.stop_gradient(mean) * one_hot)
        self.count.assign(self.count + 1)
        return {self.name: mean}


def batch_ids(num_batches=50, batch=4):
    """Examples whose value is the id of the batch they belong to (in order)."""
    return np.repeat(np.arange(num_batches, dtype="float32"), batch)[:, None] * np.ones((1, 2), "float32")


@pytest.mark.parametrize("source", ["arrays", "dataset", "dataset_with_labels"])
def test_each_critic_update_sees_its_own_real_batch(source):
    import tensorflow as tf

    record = RecordRealBatches()
    gan = mlp_gan(models.WGANGP, n_critic=5, gp_weight=0.0, terms=[record])
    gan.compile(jit_compile=False)
    x = batch_ids()
    if source == "arrays":
        gan.fit(x, batch_size=4, epochs=1, shuffle=False, verbose=0)
    else:
        dataset = tf.data.Dataset.from_tensor_slices(
            x if source == "dataset" else (x, np.zeros(len(x), "int32"))
        ).batch(4)
        history = gan.fit(dataset, epochs=1, verbose=0)
        assert len(history.history["d_loss"]) == 1
    assert int(to_numpy(gan.g_optimizer.iterations)) == 10
    assert int(to_numpy(gan.d_optimizer.iterations)) == 50
    assert int(to_numpy(gan.optimizer.iterations)) == 10
    seen = to_numpy(record.seen)[:50]
    np.testing.assert_array_equal(seen, np.arange(50))


def test_shuffled_epochs_use_every_batch_once_and_differ():
    record = RecordRealBatches(capacity=20)
    gan = mlp_gan(models.WGANGP, n_critic=5, gp_weight=0.0, terms=[record], seed=3)
    gan.compile(jit_compile=False)
    x = np.arange(40, dtype="float32")[:, None] * np.ones((1, 2), "float32")
    gan.fit(x, batch_size=4, epochs=2, verbose=0)
    seen = to_numpy(record.seen) * 4  # sums of 4 distinct examples
    assert int(to_numpy(gan.d_optimizer.iterations)) == 20
    first, second = seen[:10], seen[10:]
    np.testing.assert_allclose(first.sum(), x[:, 0].sum(), rtol=1e-5)  # every example once
    np.testing.assert_allclose(second.sum(), x[:, 0].sum(), rtol=1e-5)
    assert not np.allclose(np.sort(first), np.sort(second))  # reshuffled per epoch


def test_steps_per_epoch_counts_generator_steps():
    gan = mlp_gan(models.WGANGP, n_critic=5)
    gan.compile(jit_compile=False)
    history = gan.fit(batch_ids(), batch_size=4, epochs=1, steps_per_epoch=3, verbose=0)
    assert len(history.history["d_loss"]) == 1
    assert int(to_numpy(gan.g_optimizer.iterations)) == 3
    assert int(to_numpy(gan.d_optimizer.iterations)) == 15


# ------------------------------------------------------------ random streams


def _correlation(a, b):
    a, b = np.ravel(a).astype("float64"), np.ravel(b).astype("float64")
    n = min(len(a), len(b))
    return abs(np.corrcoef(a[:n], b[:n])[0, 1])


def test_random_streams_are_independent_with_seed_0():
    """keras-gans 0.1 gave every consumer SeedGenerator(seed): with seed=0 the
    instance noise drawn after a latent batch equalled it element for element,
    and so did the dropout masks, label flips and interpolation weights."""
    n = 4096
    inputs = keras.Input((64,))
    hidden = keras.layers.Dense(64, activation="relu")(inputs)
    generator = keras.Model(inputs, keras.layers.Dense(2)(hidden))
    gan = models.WGANGP(
        generator,
        networks.mlp_discriminator(2),
        seed=0,
        gp_weight=1.0,
        instance_noise=1.0,
        generator_dropout=0.5,
    )
    z = to_numpy(gan.sample_latent(n // 64 * 64 // 64))  # (64, 64): 4096 values
    draws = {}
    noise_term = gan.get_layer("instance_noise")
    draws["instance_noise"] = to_numpy(noise_term.view(ops.zeros((64, 64)), gan, training=True))
    dropout = next(layer for layer in gan.generator.layers if layer.name.startswith("generator_dropout"))
    draws["dropout"] = to_numpy(dropout(ops.ones((64, 64)), training=True))
    gp = gan.get_layer("gradient_penalty")
    draws["interpolation"] = to_numpy(keras.random.uniform((n,), seed=gp.seed_generator))
    draws["fake_labels"] = to_numpy(keras.random.normal((n,), seed=gan.label_stream))
    draws["data_order"] = to_numpy(keras.random.normal((n,), seed=gan.data_stream))
    for name, values in draws.items():
        assert _correlation(z, values) < 0.06, name
    # Every seed generator of the model starts from a state of its own.
    states = [tuple(to_numpy(g.state).tolist()) for g in seed_generators(gan)]
    assert len(set(states)) == len(states)
    # The same seed gives the same streams (reproducible).
    again = models.WGANGP(generator, networks.mlp_discriminator(2), seed=0, gp_weight=1.0, instance_noise=1.0)
    np.testing.assert_array_equal(to_numpy(again.sample_latent(64)), z)


def test_stylegan_mixing_latent_is_not_the_latent():
    gan = models.StyleGAN(image_shape=(8, 8, 1), latent_dim=8, filters=4, mapping_layers=1, seed=0)
    z = to_numpy(gan.sample_latent(512))
    mixing = to_numpy(keras.random.normal((512, 8), seed=gan.generator.seed_generator))
    assert _correlation(z, mixing) < 0.06


# ------------------------------------------------------- lazy regularization


def test_lazy_r1_runs_every_interval_with_the_gain():
    gan = mlp_gan(models.GAN, r1_gamma=2.0, r1_interval=4)
    assert [p.name for p in gan.phases] == ["discriminator", "discriminator_every_4", "generator"]
    lazy = gan.phases[1]
    assert lazy.gain == 4.0 and [t.name for t in lazy.terms] == ["r1_penalty"]
    gan.compile(jit_compile=False)
    x = np.random.default_rng(0).normal(size=(64, 2)).astype("float32")
    history = gan.fit(x, batch_size=8, epochs=1, verbose=0)  # 8 steps: R1 at steps 0 and 4
    assert int(to_numpy(gan.d_optimizer.iterations)) == 8 + 2
    assert int(to_numpy(gan.g_optimizer.iterations)) == 8
    assert history.history["r1_penalty"][0] > 0
    real = ops.convert_to_tensor(x[:8])
    tensors = terms.StepTensors(gan, "discriminator", real, None)
    total, logs = gan.phase_objective(lazy, tensors)
    np.testing.assert_allclose(to_numpy(total), 4.0 * 1.0 * to_numpy(logs["r1_penalty"]), rtol=1e-5)


@pytest.mark.parametrize("jit_compile", [False, True] if keras.backend.backend() != "torch" else [False])
def test_lazy_phases_compile(jit_compile):
    gan = mlp_gan(models.GAN, r1_gamma=1.0, r1_interval=3)
    gan.compile(jit_compile=jit_compile)
    x = np.random.default_rng(0).normal(size=(48, 2)).astype("float32")
    gan.fit(x, batch_size=8, epochs=1, verbose=0)  # 6 steps: R1 at 0 and 3
    assert int(to_numpy(gan.d_optimizer.iterations)) == 6 + 2


# ------------------------------------------------------------------ resume


def test_a_resumed_run_continues_exactly(tmp_path):
    """Two epochs in one go equal one epoch, save, load, one more epoch: the
    data order, every random stream and the optimizer state are restored."""

    def build():
        gan = mlp_gan(models.GAN, seed=5, instance_noise=0.1, label_flip_probability=0.1, ema_decay=0.9)
        gan.compile(
            g_optimizer=keras.optimizers.Adam(1e-2),
            d_optimizer=keras.optimizers.Adam(1e-2),
            jit_compile=False,
        )
        return gan

    x = np.random.default_rng(1).normal(size=(96, 2)).astype("float32")
    straight = build()
    first = build()
    first.set_weights(straight.get_weights())  # the same start (the seed gives the same streams)
    straight.fit(x, batch_size=16, epochs=2, verbose=0)
    first.fit(x, batch_size=16, epochs=1, verbose=0)
    path = str(tmp_path / "run.keras")
    first.save(path)
    resumed = keras.models.load_model(path)
    resumed.fit(x, batch_size=16, epochs=2, initial_epoch=1, verbose=0)
    for a, b in zip(straight.weights, resumed.weights):
        np.testing.assert_allclose(to_numpy(a), to_numpy(b), rtol=1e-5, atol=1e-6, err_msg=a.path)
    np.testing.assert_allclose(resumed.generate(8, seed=0), straight.generate(8, seed=0), atol=1e-6)


# -------------------------------------------------------------- bad input


def conditional(cls=models.ConditionalGAN):
    return cls(num_classes=10, image_shape=(2,), latent_dim=4)


@pytest.mark.parametrize("cls", [models.ConditionalGAN, models.ACGAN])
@pytest.mark.parametrize("bad", [10, -1, 2.7])
def test_labels_out_of_range_or_not_integers_are_refused(cls, bad):
    import tensorflow as tf

    gan = conditional(cls)
    gan.compile()
    before = [to_numpy(w) for w in gan.weights]
    x = np.zeros((32, 2), "float32")
    labels = np.zeros(32, "float32" if isinstance(bad, float) else "int64")
    labels[5] = bad
    with pytest.raises(ValueError, match=r"labels\[5\]|integers|\[0, 10\)"):
        gan.fit(x, labels, batch_size=8, verbose=0)
    dataset = tf.data.Dataset.from_tensor_slices((x, labels)).batch(8)
    with pytest.raises(ValueError, match=r"batch 0|\[0, 10\)|integers"):
        gan.fit(dataset, verbose=0)
    for a, b in zip(before, gan.weights):  # nothing trained on the bad batch
        np.testing.assert_array_equal(a, to_numpy(b))


def test_nan_data_empty_data_and_bad_sizes_are_refused():
    import tensorflow as tf

    gan = mlp_gan()
    gan.compile()
    x = np.random.default_rng(0).normal(size=(32, 2)).astype("float32")
    bad = x.copy()
    bad[20, 1] = np.nan
    with pytest.raises(ValueError, match="NaN or Inf.*example 20"):
        gan.fit(bad, batch_size=8, verbose=0)
    with pytest.raises(ValueError, match=r"NaN or Inf values in training batch 2"):
        gan.fit(tf.data.Dataset.from_tensor_slices(bad).batch(8), verbose=0)
    with pytest.raises(ValueError, match="no training examples"):
        gan.fit(np.zeros((0, 2), "float32"), verbose=0)
    with pytest.raises(ValueError, match="empty dataset"):
        gan.fit(tf.data.Dataset.from_tensor_slices(x).batch(8).take(0), verbose=0)
    with pytest.raises(ValueError, match="batch_size=0"):
        gan.fit(x, batch_size=0, verbose=0)
    with pytest.raises(ValueError, match="epochs=0"):
        gan.fit(x, epochs=0, verbose=0)
    with pytest.raises(ValueError, match="initial_epoch=3"):
        gan.fit(x, epochs=2, initial_epoch=3, verbose=0)
    with pytest.raises(ValueError, match="shape"):
        gan.fit(np.zeros((8, 3), "float32"), verbose=0)
    # Only the dataset's two good batches trained, before batch 2 was read.
    assert int(to_numpy(gan.optimizer.iterations)) == 2


def test_images_outside_the_generator_range_warn_once():
    gan = models.GAN(image_shape=(8, 8, 1), latent_dim=4)
    gan.compile()
    images = np.random.default_rng(0).integers(0, 256, (16, 8, 8, 1)).astype("uint8")
    with pytest.warns(UserWarning, match=r"\[-1, 1\].*x / 127.5 - 1"):
        gan.fit(images, batch_size=8, verbose=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        gan.fit(images.astype("float32") / 127.5 - 1, batch_size=8, verbose=0)


def test_from_config_leaves_the_callers_config_intact():
    gan = models.WGANGP(
        networks.mlp_generator(2, 2, hidden_units=(4,)),
        networks.mlp_discriminator(2, hidden_units=(4,)),
        latent_dim=2,
        seed=0,
        r1_gamma=0.5,
    )
    config = gan.get_config()
    kept = json.dumps(config, sort_keys=True, default=str)
    rebuilt = models.WGANGP.from_config(config)
    assert json.dumps(config, sort_keys=True, default=str) == kept
    assert rebuilt.get_config() == models.WGANGP.from_config(config).get_config()
