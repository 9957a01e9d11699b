"""Augmentation of what the discriminator sees: DiffAugment and ADA (adaptive augmentation)."""

from keras_gans.augment.adaptive_augment import ADA_TRANSFORMS
from keras_gans.augment.adaptive_augment import AdaptiveAugment
from keras_gans.augment.adaptive_augment_controller import AdaptiveAugmentController
from keras_gans.augment.adjust_augment_probability import adjust_augment_probability
from keras_gans.augment.affine_transform import affine_transform
from keras_gans.augment.diff_augment import DIFF_AUGMENT_POLICIES
from keras_gans.augment.diff_augment import DiffAugment

__all__ = [
    "ADA_TRANSFORMS",
    "AdaptiveAugment",
    "AdaptiveAugmentController",
    "DIFF_AUGMENT_POLICIES",
    "DiffAugment",
    "adjust_augment_probability",
    "affine_transform",
]
