"""Datasets: image pipelines (tf.data, with an offline path), 2D mixtures, and
the facts about every dataset (`DATASETS`)."""

from keras_gans.data.catalog import DATASET_NAMES
from keras_gans.data.catalog import DATASETS
from keras_gans.data.catalog import IMAGE_DATASET_NAMES
from keras_gans.data.catalog import MIXTURE_NAMES
from keras_gans.data.catalog import DatasetInfo
from keras_gans.data.catalog import dataset_info
from keras_gans.data.datasets import RESIZE_METHODS
from keras_gans.data.datasets import load
from keras_gans.data.datasets import load_numpy
from keras_gans.data.image_folder import load_image_folder
from keras_gans.data.mixtures import mixture
from keras_gans.data.mixtures import mixture_modes
from keras_gans.data.pipeline import PREFETCH_BATCHES
from keras_gans.data.pipeline import array_dataset
from keras_gans.data.pipeline import finish_pipeline
from keras_gans.data.pipeline import map_parallelism
from keras_gans.data.raw_files import raw_source
from keras_gans.data.raw_files import read_idx

__all__ = [
    "DATASETS",
    "DATASET_NAMES",
    "DatasetInfo",
    "IMAGE_DATASET_NAMES",
    "MIXTURE_NAMES",
    "PREFETCH_BATCHES",
    "RESIZE_METHODS",
    "array_dataset",
    "dataset_info",
    "finish_pipeline",
    "load",
    "load_image_folder",
    "load_numpy",
    "map_parallelism",
    "mixture",
    "mixture_modes",
    "raw_source",
    "read_idx",
]
