"""Building blocks of image-to-image translation (pix2pix, CycleGAN, SRGAN)."""

from keras_gans.image_to_image.image_pool import ImagePool

__all__ = ["ImagePool"]
