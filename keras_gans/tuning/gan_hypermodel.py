"""A KerasTuner HyperModel of any keras_gans variant, described by a training recipe."""

import copy

import keras
import keras_tuner

from keras_gans import recipes
from keras_gans.tuning.objectives import SCORE
from keras_gans.tuning.objectives import check_evaluation
from keras_gans.tuning.objectives import check_objective
from keras_gans.tuning.objectives import combined_score
from keras_gans.tuning.objectives import evaluate_trial
from keras_gans.tuning.search_space import apply_hyperparameters
from keras_gans.tuning.search_space import check_search_space
from keras_gans.tuning.search_space import declare
from keras_gans.tuning.search_space import resolve_default_optimizers


class GANHyperModel(keras_tuner.HyperModel):
    """A KerasTuner HyperModel that trains a recipe's GAN with tuned hyperparameters.

    `build(hp)` draws the search space's hyperparameters, applies them to the
    recipe (`trial_recipe`) and builds the compiled model; `fit(hp, model)`
    trains it on the recipe's data for the recipe's epochs and returns the
    metrics of `keras_gans.tuning.evaluate_trial` (FID, KID and, on 2D
    mixtures, the mode scores), which KerasTuner's objectives read. Every
    trial starts from `keras.utils.set_random_seed(recipe seed)` and the model
    seed of the recipe, so a trial with the same hyperparameters trains the
    same way. Works with every variant and every KerasTuner tuner.

    Args:
        recipe: a training recipe (dict; see `keras_gans.recipes`). Its
            optimizers are made explicit (the variant's defaults when left
            out) so that their settings can be tuned.
        search_space: `{name: spec}`, see `keras_gans.tuning.search_space`.
        evaluation: optional dict with `seeds` (default `[0]`),
            `num_samples` and `split` for `evaluate_trial`.
        objective: the metric name(s) the tuner optimizes; with several,
            `fit` also returns their combined `score` (see
            `keras_gans.tuning.objectives.combined_score`), which the tuner
            then minimizes.
        data_dir: folder with the raw dataset files (`keras_gans.data.load`).
        name: the HyperModel's name.

    Example:

    ```python
    recipe = keras_gans.recipes.load_recipe("recipes/gan_ring.json")
    hypermodel = GANHyperModel(recipe, {"g_learning_rate": {"min": 1e-4, "max": 3e-3, "sampling": "log"},
                                        "ttur_ratio": {"values": [1, 2, 4]}})
    tuner = keras_tuner.RandomSearch(hypermodel, keras_tuner.Objective("reverse_kl", "min"),
                                     max_trials=10, seed=0, directory="tuning")
    tuner.search()
    ```

    Reference:
        O'Malley et al., KerasTuner, 2019, https://github.com/keras-team/keras-tuner.
        Lucic et al., "Are GANs Created Equal? A Large-Scale Study", NeurIPS 2018
        (hyperparameter search as the fair way to compare GANs).
    """

    def __init__(
        self, recipe, search_space, evaluation=None, objective=None, data_dir=None, name="gan_hypermodel"
    ):
        super().__init__(name=name, tunable=True)
        recipe = recipes.check_recipe(recipe)
        if recipe.get("seed") is None:
            recipe["seed"] = 0
        self.recipe = resolve_default_optimizers(recipe)
        self.search_space = check_search_space(search_space, self.recipe)
        evaluation = check_evaluation(evaluation)
        self.evaluation = evaluation
        self.objective = None if objective is None else check_objective(objective, recipe["dataset"])
        self.data_dir = data_dir
        # Fails early on values no trial could build with (unknown networks, ...).
        self.trial_recipe(keras_tuner.HyperParameters())

    def trial_recipe(self, hp):
        """The recipe of a trial: the hyperparameters drawn from `hp` applied."""
        return apply_hyperparameters(self.recipe, declare(hp, self.search_space))

    def build(self, hp):
        recipe = self.trial_recipe(hp)
        keras.utils.set_random_seed(int(recipe["seed"]))
        return recipes.build_compiled_model(recipe)

    def fit(self, hp, model, *args, callbacks=None, verbose=0, **kwargs):
        """Trains the trial model on the recipe's data; returns its metrics.

        `verbose` is the tuner's: 2 also shows one line per training epoch.
        Other arguments of `tuner.search` are ignored (the recipe says how to
        train).
        """
        recipe = self.trial_recipe(hp)
        fit_args, fit_kwargs, _ = recipes.training_data(recipe, model, data_dir=self.data_dir)
        model.fit(
            *fit_args,
            epochs=recipe["epochs"],
            callbacks=callbacks,
            verbose=2 if verbose == 2 else 0,
            **fit_kwargs,
        )
        results = evaluate_trial(
            model, recipe, data_dir=self.data_dir, metrics=self.objective, **copy.deepcopy(self.evaluation)
        )
        if self.objective is not None and len(self.objective) > 1:
            results[SCORE] = combined_score(results, self.objective)
        return results
