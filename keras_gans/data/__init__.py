"""Datasets: image pipelines (tf.data, with an offline path) and 2D mixtures."""

from keras_gans.data.datasets import DATASET_NAMES
from keras_gans.data.datasets import load
from keras_gans.data.datasets import load_numpy
from keras_gans.data.datasets import read_idx
from keras_gans.data.mixtures import MIXTURE_NAMES
from keras_gans.data.mixtures import mixture
from keras_gans.data.mixtures import mixture_modes
from keras_gans.data.pipeline import array_dataset
