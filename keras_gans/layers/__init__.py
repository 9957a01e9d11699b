"""Layers for GAN generators and discriminators."""

from keras_gans.layers.depth_to_space import DepthToSpace
from keras_gans.layers.equalized_conv2d import EqualizedConv2D
from keras_gans.layers.equalized_dense import EqualizedDense
from keras_gans.layers.instance_noise import InstanceNoise
from keras_gans.layers.minibatch_discrimination import MinibatchDiscrimination
from keras_gans.layers.minibatch_std_dev import MinibatchStdDev
from keras_gans.layers.modulated_conv2d import ModulatedConv2D
from keras_gans.layers.noise_injection import NoiseInjection
from keras_gans.layers.pixel_normalization import PixelNormalization
from keras_gans.layers.reference_batch_model import ReferenceBatchModel
from keras_gans.layers.reflection_padding_2d import ReflectionPadding2D
from keras_gans.layers.sampling_dropout import SamplingDropout
from keras_gans.layers.self_attention import SelfAttention
from keras_gans.layers.spectral_normalization import SpectralNormalization
from keras_gans.layers.virtual_batch_normalization import VirtualBatchNormalization

__all__ = [
    "DepthToSpace",
    "EqualizedConv2D",
    "EqualizedDense",
    "InstanceNoise",
    "MinibatchDiscrimination",
    "MinibatchStdDev",
    "ModulatedConv2D",
    "NoiseInjection",
    "PixelNormalization",
    "ReflectionPadding2D",
    "ReferenceBatchModel",
    "SamplingDropout",
    "SelfAttention",
    "SpectralNormalization",
    "VirtualBatchNormalization",
]
