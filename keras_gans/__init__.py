"""keras-gans: a Keras 3 model zoo of Generative Adversarial Networks."""

from keras_gans import callbacks
from keras_gans import data
from keras_gans import layers
from keras_gans import losses
from keras_gans import metrics
from keras_gans import networks
from keras_gans import penalties
from keras_gans import models

__version__ = "0.1.0"
