"""GAN variants: `keras.Model` subclasses trained with `model.fit`."""

from keras_gans.models.acgan import ACGAN
from keras_gans.models.adversarial_optimizer import AdversarialOptimizer
from keras_gans.models.base import AdversarialModel
from keras_gans.models.conditional_gan import ConditionalGAN
from keras_gans.models.gan import GAN
from keras_gans.models.lsgan import LSGAN
from keras_gans.models.progan import ProGAN
from keras_gans.models.sagan import SAGAN
from keras_gans.models.sngan import SNGAN
from keras_gans.models.stylegan import StyleGAN
from keras_gans.models.wgan import WGAN
from keras_gans.models.wgan_gp import WGANGP
from keras_gans.presets import from_preset

__all__ = [
    "ACGAN",
    "AdversarialModel",
    "AdversarialOptimizer",
    "ConditionalGAN",
    "GAN",
    "LSGAN",
    "SAGAN",
    "SNGAN",
    "WGAN",
    "WGANGP",
]
