"""Image-to-image translation on the engine: pix2pix, CycleGAN and SRGAN pieces.

The variants live in `keras_gans.models` (`Pix2Pix`, `CycleGAN`, `SRGAN`);
this package holds what they are made of: the step tensors of paired and
unpaired batches, the terms (L1, cycle, identity, content and the
two-direction adversarial loss), the network pairs of CycleGAN, the history
pool of fakes, CycleGAN's learning-rate decay, image checks, and
`translate_file` (an image file through a translator). See docs/image_to_image.md.
"""

from keras_gans.image_to_image.bidirectional_adversarial_loss import BidirectionalAdversarialLoss
from keras_gans.image_to_image.content_loss import DOMAIN_FEATURE_LAYERS
from keras_gans.image_to_image.content_loss import ContentLoss
from keras_gans.image_to_image.content_loss import domain_feature_extractor
from keras_gans.image_to_image.cycle_consistency import CycleConsistency
from keras_gans.image_to_image.discriminator_pair import DiscriminatorPair
from keras_gans.image_to_image.generator_pair import GeneratorPair
from keras_gans.image_to_image.identity_mapping import IdentityMapping
from keras_gans.image_to_image.image_checks import check_images
from keras_gans.image_to_image.image_pool import ImagePool
from keras_gans.image_to_image.l1_reconstruction import L1Reconstruction
from keras_gans.image_to_image.linear_decay import LinearDecay
from keras_gans.image_to_image.paired_step_tensors import PairedStepTensors
from keras_gans.image_to_image.paired_training import PairedTrainingMixin
from keras_gans.image_to_image.translate_file import read_image
from keras_gans.image_to_image.translate_file import translate_file
from keras_gans.image_to_image.translate_file import write_image
from keras_gans.image_to_image.translation_mixin import ImageTranslationMixin
from keras_gans.image_to_image.unpaired_epochs import unpaired_epochs
from keras_gans.image_to_image.unpaired_step_tensors import UnpairedStepTensors

__all__ = [
    "BidirectionalAdversarialLoss",
    "ContentLoss",
    "CycleConsistency",
    "DOMAIN_FEATURE_LAYERS",
    "DiscriminatorPair",
    "GeneratorPair",
    "IdentityMapping",
    "ImagePool",
    "ImageTranslationMixin",
    "L1Reconstruction",
    "LinearDecay",
    "PairedStepTensors",
    "PairedTrainingMixin",
    "UnpairedStepTensors",
    "check_images",
    "domain_feature_extractor",
    "read_image",
    "translate_file",
    "unpaired_epochs",
    "write_image",
]
