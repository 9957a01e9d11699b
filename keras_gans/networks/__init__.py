"""Generator and discriminator networks, built as functional `keras.Model`s."""

from keras_gans.networks.conditional import auxiliary_classifier_discriminator
from keras_gans.networks.conditional import conditional_discriminator
from keras_gans.networks.conditional import conditional_generator
from keras_gans.networks.conditional import projection_discriminator
from keras_gans.networks.dcgan import dcgan_base_grid
from keras_gans.networks.dcgan import dcgan_discriminator
from keras_gans.networks.dcgan import dcgan_generator
from keras_gans.networks.image_pyramid import LatentToImageShapes
from keras_gans.networks.mlp import mlp_discriminator
from keras_gans.networks.mlp import mlp_generator
from keras_gans.networks.patchgan_discriminator import patchgan_discriminator
from keras_gans.networks.progan import ProGANDiscriminator
from keras_gans.networks.progan import ProGANGenerator
from keras_gans.networks.resnet_generator import resnet_generator
from keras_gans.networks.sngan import sngan_discriminator
from keras_gans.networks.sngan import sngan_generator
from keras_gans.networks.srgan_discriminator import srgan_discriminator
from keras_gans.networks.srgan_generator import srgan_generator
from keras_gans.networks.stylegan import StyleGANGenerator
from keras_gans.networks.stylegan import stylegan_discriminator
from keras_gans.networks.unet_generator import unet_generator

__all__ = [
    "auxiliary_classifier_discriminator",
    "conditional_discriminator",
    "conditional_generator",
    "dcgan_base_grid",
    "dcgan_discriminator",
    "dcgan_generator",
    "LatentToImageShapes",
    "mlp_discriminator",
    "mlp_generator",
    "patchgan_discriminator",
    "ProGANDiscriminator",
    "ProGANGenerator",
    "projection_discriminator",
    "resnet_generator",
    "sngan_discriminator",
    "sngan_generator",
    "srgan_discriminator",
    "srgan_generator",
    "stylegan_discriminator",
    "StyleGANGenerator",
    "unet_generator",
]
