"""Training callbacks: sample pictures, metrics in the logs, failure diagnosis."""

from keras_gans.callbacks.failure_monitor import FailureMonitor
from keras_gans.callbacks.failure_monitor import TrainingFailureWarning
from keras_gans.callbacks.failure_recovery import RECOVERABLE_FAILURES
from keras_gans.callbacks.failure_recovery import FailureRecovery
from keras_gans.callbacks.metrics_evaluator import MetricsEvaluator
from keras_gans.callbacks.sample_diversity import mean_pairwise_distance
from keras_gans.callbacks.sample_grid import SampleGrid
from keras_gans.callbacks.sample_grid import image_grid
from keras_gans.callbacks.sample_grid import scatter_image
from keras_gans.callbacks.tensorboard_logger import TensorBoardLogger
from keras_gans.callbacks.training_callbacks import training_callbacks

__all__ = [
    "RECOVERABLE_FAILURES",
    "FailureMonitor",
    "FailureRecovery",
    "MetricsEvaluator",
    "SampleGrid",
    "TensorBoardLogger",
    "TrainingFailureWarning",
    "image_grid",
    "mean_pairwise_distance",
    "scatter_image",
    "training_callbacks",
]
