"""The WGAN-GP ring recipe of tests/models/test_ring_learning.py over several training seeds.

`python scripts/wgan_gp_ring_seeds.py --seeds 0 1 2 3` prints the mixture scores (PacGAN
protocol, 2,500 samples) of each seed: 3x128 MLPs, latent 2, gp_weight 0.1, n_critic 5,
batch 16, Adam(beta=(0.5, 0.9)) with a cosine decay from 2e-3 to 1e-5, 20 epochs of 20k
points.
"""

import argparse
import json

import keras

from keras_gans import data
from keras_gans import metrics
from keras_gans import models


def mlp(input_dim, output_dim, activation):
    return keras.Sequential(
        [keras.Input((input_dim,))]
        + [keras.layers.Dense(128, activation=activation) for _ in range(3)]
        + [keras.layers.Dense(output_dim)]
    )


def train(seed, epochs=20, batch_size=16):
    keras.utils.set_random_seed(seed)
    real = data.mixture("ring", 20_000, seed=0)
    gan = models.WGANGP(mlp(2, 2, "relu"), mlp(2, 1, "leaky_relu"), latent_dim=2, seed=seed, gp_weight=0.1)
    steps = epochs * -(-len(real) // (batch_size * gan.n_critic))

    def adam(updates):
        schedule = keras.optimizers.schedules.CosineDecay(2e-3, steps * updates, alpha=5e-3)
        return keras.optimizers.Adam(schedule, beta_1=0.5, beta_2=0.9)

    gan.compile(g_optimizer=adam(1), d_optimizer=adam(gan.n_critic))
    gan.fit(real, batch_size=batch_size, epochs=epochs, verbose=0)
    return metrics.mixture_scores(gan.generate(2_500, seed=1), "ring")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3])
    for seed in parser.parse_args().seeds:
        print(json.dumps({"backend": keras.backend.backend(), "seed": seed, **train(seed)}), flush=True)
