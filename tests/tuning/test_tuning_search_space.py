"""Search spaces: hyperparameters land where they should in the recipe and the model."""

import keras
import keras_tuner
import numpy as np
import pytest

from keras_gans import recipes
from keras_gans.tuning import GANHyperModel
from keras_gans.tuning import apply_hyperparameters
from keras_gans.tuning import check_search_space
from keras_gans.tuning.search_space import resolve_default_optimizers

RING = {
    "variant": "GAN",
    "dataset": "ring",
    "num_examples": 512,
    "latent_dim": 2,
    "generator": {"network": "mlp_generator", "args": {}},
    "discriminator": {"network": "mlp_discriminator", "args": {"hidden_units": [64, 64]}},
    "g_optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.001, "beta_1": 0.5}},
    "d_optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.001, "beta_1": 0.5}},
    "batch_size": 128,
    "epochs": 1,
    "seed": 3,
}


def _recipe(**changes):
    recipe = recipes.check_recipe(dict(RING, **changes))
    return resolve_default_optimizers(recipe)


def test_named_hyperparameters_set_optimizers_tricks_and_widths():
    recipe = _recipe()
    values = {
        "g_learning_rate": 2e-4,
        "ttur_ratio": 4.0,
        "beta_1": 0.0,
        "beta_2": 0.99,
        "n_critic": 3,
        "ema_decay": 0.999,
        "width": 32,
        "r1_gamma": 0.5,
        "batch_size": 64,
        "generator.args.activation": "tanh",
    }
    tuned = apply_hyperparameters(recipe, values)
    assert tuned["g_optimizer"]["config"] == {"learning_rate": 2e-4, "beta_1": 0.0, "beta_2": 0.99}
    assert tuned["d_optimizer"]["config"] == {"learning_rate": 8e-4, "beta_1": 0.0, "beta_2": 0.99}
    assert tuned["variant_args"] == {"n_critic": 3, "ema_decay": 0.999, "r1_gamma": 0.5}
    assert tuned["generator"]["args"] == {"hidden_units": [32, 32, 32], "activation": "tanh"}
    assert tuned["discriminator"]["args"] == {"hidden_units": [32, 32]}  # its own depth kept
    assert tuned["batch_size"] == 64
    assert recipe["variant_args"] == {} and recipe["batch_size"] == 128  # the base is not edited
    # EMA 0 is "off"; the ratio applies to the recipe's generator rate when not tuned.
    tuned = apply_hyperparameters(recipe, {"ema_decay": 0.0, "ttur_ratio": 2.0})
    assert tuned["variant_args"] == {"ema_decay": None}
    assert tuned["d_optimizer"]["config"]["learning_rate"] == pytest.approx(0.002)


def test_width_of_cnns_and_of_default_networks():
    cnn = recipes.check_recipe(
        {
            "variant": "WGANGP",
            "dataset": "fashion_mnist",
            "latent_dim": 8,
            "generator": {"network": "dcgan_generator", "args": {"filters": 32}},
            "discriminator": {"network": "dcgan_discriminator", "args": {"normalization": "layer"}},
        }
    )
    tuned = apply_hyperparameters(resolve_default_optimizers(cnn), {"width": 16})
    assert tuned["generator"]["args"] == {"filters": 16}
    assert tuned["discriminator"]["args"] == {"filters": 16, "normalization": "layer"}
    style = recipes.check_recipe({"variant": "StyleGAN", "dataset": "fashion_mnist", "image_size": 16})
    assert apply_hyperparameters(resolve_default_optimizers(style), {"width": 8})["variant_args"] == {
        "filters": 8
    }
    default_dcgan = recipes.check_recipe({"variant": "GAN", "dataset": "fashion_mnist"})
    with pytest.raises(ValueError, match="width needs networks with hidden_units or filters"):
        apply_hyperparameters(resolve_default_optimizers(default_dcgan), {"width": 8})


def test_default_optimizers_become_explicit_and_tunable():
    recipe = recipes.check_recipe({"variant": "WGANGP", "dataset": "fashion_mnist", "latent_dim": 8})
    assert recipe["g_optimizer"] is None
    resolved = resolve_default_optimizers(recipe)
    # WGAN-GP's paper defaults: Adam(1e-4, beta_1=0, beta_2=0.9).
    for key in ("g_optimizer", "d_optimizer"):
        assert resolved[key]["class_name"] == "Adam"
        config = resolved[key]["config"]
        assert config["learning_rate"] == pytest.approx(1e-4)
        assert (config["beta_1"], config["beta_2"]) == (0.0, 0.9)


@pytest.mark.parametrize(
    "space, message",
    [
        ({"learning_rate": {"values": [1e-3]}}, "Unknown hyperparameter 'learning_rate'"),
        ({"variant": {"values": ["WGAN"]}}, "Unknown hyperparameter 'variant'"),
        ({"n_critic": [1, 2]}, r"search_space\['n_critic'\] must be"),
        ({"n_critic": {"values": []}}, "non-empty list"),
        ({"n_critic": {"values": [1, "two"]}}, "one kind"),
        ({"g_learning_rate": {"min": 1e-3, "max": 1e-4}}, "min < max"),
        ({"g_learning_rate": {"min": 0.0, "max": 1e-3, "sampling": "log"}}, "needs min > 0"),
        ({"g_learning_rate": {"min": 1e-4, "max": 1e-3, "sampling": "cubic"}}, "'linear' or 'log'"),
        ({"ttur_ratio": {"values": [2]}, "d_learning_rate": {"values": [1e-3]}}, "give one of them"),
        ({}, "non-empty JSON object"),
    ],
)
def test_bad_search_spaces_are_refused(space, message):
    with pytest.raises(ValueError, match=message):
        check_search_space(space, _recipe())


def test_mixed_int_and_float_choices_become_floats():
    space = check_search_space({"ema_decay": {"values": [0, 0.99]}}, _recipe())
    assert space["ema_decay"]["values"] == [0.0, 0.99]
    assert all(isinstance(v, float) for v in space["ema_decay"]["values"])


def test_a_built_trial_model_carries_the_drawn_values():
    space = {
        "g_learning_rate": {"min": 1e-4, "max": 1e-2, "sampling": "log"},
        "ttur_ratio": {"values": [3]},
        "n_critic": {"min": 1, "max": 4},
        "width": {"values": [24]},
        "ema_decay": {"value": 0.9},
    }
    hypermodel = GANHyperModel(RING, space)
    hp = keras_tuner.HyperParameters()
    model = hypermodel.build(hp)
    g_rate = hp.get("g_learning_rate")
    assert 1e-4 <= g_rate <= 1e-2 and hp.get("n_critic") in (1, 2, 3, 4)
    assert float(keras.ops.convert_to_numpy(model.g_optimizer.learning_rate)) == pytest.approx(g_rate)
    assert float(keras.ops.convert_to_numpy(model.d_optimizer.learning_rate)) == pytest.approx(3 * g_rate)
    assert model.n_critic == hp.get("n_critic")
    assert model.ema_decay == pytest.approx(0.9)
    kernels = [w for w in model.generator.weights if w.name == "kernel"]
    assert [tuple(k.shape) for k in kernels] == [(2, 24), (24, 24), (24, 24), (24, 2)]
    np.testing.assert_equal(model.seed, 3)
