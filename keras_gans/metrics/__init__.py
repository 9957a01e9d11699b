"""Evaluation metrics for generative models, and their feature extractors."""

from keras_gans.metrics.bicubic import bicubic_upsample
from keras_gans.metrics.density_coverage import density_coverage
from keras_gans.metrics.evaluate import METRIC_NAMES
from keras_gans.metrics.evaluate import FeatureSet
from keras_gans.metrics.evaluate import compare_features
from keras_gans.metrics.evaluate import evaluate_generator
from keras_gans.metrics.evaluate import extract_features
from keras_gans.metrics.evaluate import generated_features
from keras_gans.metrics.feature_extractors import EXTRACTOR_NAMES
from keras_gans.metrics.feature_extractors import DomainFeatures
from keras_gans.metrics.feature_extractors import InceptionFeatures
from keras_gans.metrics.feature_extractors import RawFeatures
from keras_gans.metrics.feature_extractors import build_domain_classifier
from keras_gans.metrics.feature_extractors import get_extractor
from keras_gans.metrics.frechet import FeatureStatistics
from keras_gans.metrics.frechet import fid_from_features
from keras_gans.metrics.frechet import frechet_distance
from keras_gans.metrics.image_quality import peak_signal_noise_ratio
from keras_gans.metrics.image_quality import structural_similarity
from keras_gans.metrics.inception_score import inception_score
from keras_gans.metrics.kernel_inception import kid_from_features
from keras_gans.metrics.kernel_inception import polynomial_mmd2
from keras_gans.metrics.mixture_scores import mixture_scores
from keras_gans.metrics.model_card import EVAL_BATCH_SIZE
from keras_gans.metrics.model_card import MIXTURE_EVAL_SAMPLES
from keras_gans.metrics.model_card import add_evaluation
from keras_gans.metrics.model_card import card_summary
from keras_gans.metrics.model_card import default_extractor
from keras_gans.metrics.model_card import evaluate_model
from keras_gans.metrics.model_card import mixture_report
from keras_gans.metrics.precision_recall import precision_recall
from keras_gans.metrics.translation import cycle_reconstruction_error
from keras_gans.metrics.translation import target_class_fraction
from keras_gans.metrics.translation_tasks import check_task
from keras_gans.metrics.translation_tasks import evaluate_translation
from keras_gans.metrics.translation_tasks import inpainting_completions
from keras_gans.metrics.translation_tasks import task_data
from keras_gans.metrics.translation_tasks import translate_images
from keras_gans.metrics.translation_tasks import translation_figure

__all__ = [
    "add_evaluation",
    "bicubic_upsample",
    "build_domain_classifier",
    "card_summary",
    "check_task",
    "compare_features",
    "cycle_reconstruction_error",
    "default_extractor",
    "density_coverage",
    "DomainFeatures",
    "EVAL_BATCH_SIZE",
    "evaluate_generator",
    "evaluate_model",
    "evaluate_translation",
    "extract_features",
    "EXTRACTOR_NAMES",
    "FeatureSet",
    "FeatureStatistics",
    "fid_from_features",
    "frechet_distance",
    "generated_features",
    "get_extractor",
    "inception_score",
    "InceptionFeatures",
    "inpainting_completions",
    "kid_from_features",
    "METRIC_NAMES",
    "MIXTURE_EVAL_SAMPLES",
    "mixture_report",
    "mixture_scores",
    "peak_signal_noise_ratio",
    "polynomial_mmd2",
    "precision_recall",
    "RawFeatures",
    "structural_similarity",
    "target_class_fraction",
    "task_data",
    "translate_images",
    "translation_figure",
]
