"""GAN variants: `keras.Model` subclasses trained with `model.fit`.

`from_preset` (a trained model from the zoo) is `keras_gans.presets.from_preset`,
imported on first use: `keras_gans.presets` builds on this package, never the
other way round.
"""

from keras_gans.models.acgan import ACGAN
from keras_gans.models.adversarial_optimizer import AdversarialOptimizer
from keras_gans.models.base import AdversarialModel
from keras_gans.models.class_conditional import ClassConditionalMixin
from keras_gans.models.compile_mixin import CompileMixin
from keras_gans.models.conditional_gan import ConditionalGAN
from keras_gans.models.config_mixin import ConfigMixin
from keras_gans.models.cycle_gan import CycleGAN
from keras_gans.models.gan import GAN
from keras_gans.models.generation_mixin import GenerationMixin
from keras_gans.models.lsgan import LSGAN
from keras_gans.models.phase import Phase
from keras_gans.models.pix2pix import Pix2Pix
from keras_gans.models.progan import ProGAN
from keras_gans.models.sagan import SAGAN
from keras_gans.models.semi_supervised_gan import SemiSupervisedGAN
from keras_gans.models.sngan import SNGAN
from keras_gans.models.srgan import SRGAN
from keras_gans.models.stylegan import StyleGAN
from keras_gans.models.wgan import WGAN
from keras_gans.models.wgan_gp import WGANGP

__all__ = [
    "ACGAN",
    "AdversarialModel",
    "AdversarialOptimizer",
    "ClassConditionalMixin",
    "CompileMixin",
    "ConfigMixin",
    "ConditionalGAN",
    "CycleGAN",
    "from_preset",
    "GAN",
    "GenerationMixin",
    "LSGAN",
    "Phase",
    "Pix2Pix",
    "ProGAN",
    "SAGAN",
    "SemiSupervisedGAN",
    "SNGAN",
    "SRGAN",
    "StyleGAN",
    "WGAN",
    "WGANGP",
]


def __getattr__(name):
    if name == "from_preset":
        from keras_gans.presets import from_preset

        return from_preset
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | {"from_preset"})
