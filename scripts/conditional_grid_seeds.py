"""ConditionalGAN on the 25-Gaussian grid, the row of each label, over training seeds.

Usage: KERAS_BACKEND=jax python scripts/conditional_grid_seeds.py --conditioning projection

Protocol: 8192 grid points, label = the point's grid row (5 classes), default MLP
networks, Adam(lr, beta_1=0.5) for both, batch 256; after training, 400 samples per
label: accuracy = share whose x-coordinate is nearest to that row. A seed (Keras'
global seed for the initial weights and the model's seed for its random streams)
succeeds at mean accuracy >= 0.8. Prints the mean accuracy of each seed.
"""

import argparse

import keras
import numpy as np

from keras_gans import data
from keras_gans import models


def row_accuracy(conditioning, lr, epochs, seed):
    keras.utils.set_random_seed(seed)  # the initial weights

    points, modes = data.mixture("grid", 8192, seed=0, with_labels=True)
    gan = models.ConditionalGAN(
        num_classes=5, image_shape=(2,), latent_dim=8, seed=seed, conditioning=conditioning
    )
    gan.compile(
        g_optimizer=keras.optimizers.Adam(lr, beta_1=0.5), d_optimizer=keras.optimizers.Adam(lr, beta_1=0.5)
    )
    gan.fit(points, modes // 5, batch_size=256, epochs=epochs, verbose=0)
    values = np.arange(-4.0, 5.0, 2.0)
    accuracy = [
        np.mean(np.abs(gan.generate(400, labels=row, seed=row)[:, :1] - values[None]).argmin(1) == row)
        for row in range(5)
    ]
    return float(np.mean(accuracy))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conditioning", default="concat", choices=["concat", "projection"])
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--seeds", type=int, default=4)
    args = parser.parse_args()
    scores = [row_accuracy(args.conditioning, args.lr, args.epochs, seed) for seed in range(args.seeds)]
    print(
        f"{keras.backend.backend()} {vars(args)} accuracy per seed {np.round(scores, 3).tolist()}, "
        f"successes {sum(s >= 0.8 for s in scores)}/{len(scores)}"
    )


if __name__ == "__main__":
    main()
