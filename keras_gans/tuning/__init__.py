"""Hyperparameter search for GANs with KerasTuner.

`GANHyperModel` makes any training recipe (any variant) a KerasTuner
HyperModel over a search space of stability-relevant hyperparameters
(learning rates, TTUR ratio, n_critic, penalty weights, EMA, network width,
...); trials are judged at their end by `keras_gans.metrics` (domain-FID, KID,
the 2D mixtures' mode scores). `run_tuning(tuning_recipe)` runs a seeded,
resumable search described by a JSON tuning recipe; `keras-gans tune` calls it.
See docs/tuning.md.
"""

from keras_gans.tuning.gan_hypermodel import GANHyperModel
from keras_gans.tuning.objectives import OBJECTIVE_DIRECTIONS
from keras_gans.tuning.objectives import evaluate_trial
from keras_gans.tuning.search import TUNERS
from keras_gans.tuning.search import TUNING_KEYS
from keras_gans.tuning.search import build_tuner
from keras_gans.tuning.search import load_tuning_recipe
from keras_gans.tuning.search import run_tuning
from keras_gans.tuning.search_space import NAMED_HYPERPARAMETERS
from keras_gans.tuning.search_space import apply_hyperparameters
from keras_gans.tuning.search_space import check_search_space

__all__ = [
    "GANHyperModel",
    "NAMED_HYPERPARAMETERS",
    "OBJECTIVE_DIRECTIONS",
    "TUNERS",
    "TUNING_KEYS",
    "apply_hyperparameters",
    "build_tuner",
    "check_search_space",
    "evaluate_trial",
    "load_tuning_recipe",
    "run_tuning",
]
