"""GAN variants: `keras.Model` subclasses trained with `model.fit`."""

from keras_gans.models.adversarial_optimizer import AdversarialOptimizer
from keras_gans.models.base import AdversarialModel
from keras_gans.models.gan import GAN
from keras_gans.models.lsgan import LSGAN
from keras_gans.models.wgan import WGAN
from keras_gans.models.wgan_gp import WGANGP

__all__ = ["AdversarialModel", "AdversarialOptimizer", "GAN", "LSGAN", "WGAN", "WGANGP"]
