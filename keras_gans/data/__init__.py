"""Datasets: image pipelines (tf.data, with an offline path), folders of the
user's own images, 2D mixtures, and the facts about every dataset (`DATASETS`;
`dataset_info` describes folders too)."""

from keras_gans.data.catalog import DATASET_NAMES
from keras_gans.data.catalog import DATASETS
from keras_gans.data.catalog import IMAGE_DATASET_NAMES
from keras_gans.data.catalog import MIXTURE_NAMES
from keras_gans.data.catalog import DatasetInfo
from keras_gans.data.datasets import RESIZE_METHODS
from keras_gans.data.datasets import dataset_info
from keras_gans.data.datasets import load
from keras_gans.data.datasets import load_numpy
from keras_gans.data.folder_info import ImageFolderInfo
from keras_gans.data.folder_info import image_folder_info
from keras_gans.data.folder_info import is_image_folder
from keras_gans.data.image_folder import load_image_folder
from keras_gans.data.image_patches import SCIKIT_IMAGE_COLOUR_IMAGES
from keras_gans.data.image_patches import image_patches
from keras_gans.data.image_patches import scikit_image_patches
from keras_gans.data.mixtures import mixture
from keras_gans.data.mixtures import mixture_modes
from keras_gans.data.paired import FASHION_MNIST_TASKS
from keras_gans.data.paired import check_paired_data
from keras_gans.data.paired import colorization_pairs
from keras_gans.data.paired import denoising_pairs
from keras_gans.data.paired import fashion_mnist_pairs
from keras_gans.data.paired import inpainting_pairs
from keras_gans.data.paired import paired_dataset
from keras_gans.data.paired import super_resolution_pairs
from keras_gans.data.pipeline import PREFETCH_BATCHES
from keras_gans.data.pipeline import array_dataset
from keras_gans.data.pipeline import finish_pipeline
from keras_gans.data.pipeline import map_parallelism
from keras_gans.data.raw_files import raw_source
from keras_gans.data.raw_files import read_idx
from keras_gans.data.unpaired import FASHION_MNIST_CLASS_NAMES
from keras_gans.data.unpaired import check_unpaired_domains
from keras_gans.data.unpaired import fashion_mnist_class
from keras_gans.data.unpaired import fashion_mnist_domains
from keras_gans.data.unpaired import unpaired_dataset

__all__ = [
    "array_dataset",
    "check_paired_data",
    "check_unpaired_domains",
    "colorization_pairs",
    "dataset_info",
    "DATASET_NAMES",
    "DatasetInfo",
    "DATASETS",
    "denoising_pairs",
    "fashion_mnist_class",
    "FASHION_MNIST_CLASS_NAMES",
    "fashion_mnist_domains",
    "fashion_mnist_pairs",
    "FASHION_MNIST_TASKS",
    "finish_pipeline",
    "IMAGE_DATASET_NAMES",
    "image_folder_info",
    "ImageFolderInfo",
    "image_patches",
    "inpainting_pairs",
    "is_image_folder",
    "load",
    "load_image_folder",
    "load_numpy",
    "map_parallelism",
    "mixture",
    "mixture_modes",
    "MIXTURE_NAMES",
    "paired_dataset",
    "PREFETCH_BATCHES",
    "raw_source",
    "read_idx",
    "RESIZE_METHODS",
    "SCIKIT_IMAGE_COLOUR_IMAGES",
    "scikit_image_patches",
    "super_resolution_pairs",
    "unpaired_dataset",
]
