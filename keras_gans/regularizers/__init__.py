"""Regularizers of the discriminator for limited data: LeCam and balanced consistency (bCR)."""

from keras_gans.regularizers.balanced_consistency_penalty import balanced_consistency_penalty
from keras_gans.regularizers.lecam_penalty import lecam_penalty
from keras_gans.regularizers.lecam_regularizer import LeCamRegularizer

__all__ = ["LeCamRegularizer", "balanced_consistency_penalty", "lecam_penalty"]
