"""Terms: the losses, penalties and training tricks a train step is made of.

Every variant's train step is a list of phases (see
`keras_gans.models.Phase`), each summing the terms of one network. The
constructor keywords of every variant (`r1_gamma=10`, `ema_decay=0.999`, ...)
create the terms registered in `KEYWORD_TERMS`; any `Term` can also be passed
as `terms=[...]`. Adding a trick is one file with a `Term` subclass plus one
line in `KEYWORD_TERMS` (docs/extending.md).
"""

from keras_gans.terms.adaptive_augment import AdaptiveAugmentation
from keras_gans.terms.adversarial_loss import AdversarialLoss
from keras_gans.terms.auxiliary_classification import AuxiliaryClassification
from keras_gans.terms.consistency_regularization import BalancedConsistencyRegularization
from keras_gans.terms.diff_augment import DiffAugmentation
from keras_gans.terms.dragan_penalty import DRAGANPenalty
from keras_gans.terms.drift_penalty import DriftPenalty
from keras_gans.terms.feature_matching import FeatureMatching
from keras_gans.terms.freeze_discriminator import FreezeDiscriminator
from keras_gans.terms.freeze_discriminator import freeze_discriminator_layers
from keras_gans.terms.generator_dropout import GeneratorDropout
from keras_gans.terms.generator_ema import GeneratorEMA
from keras_gans.terms.gradient_penalty import GradientPenalty
from keras_gans.terms.historical_averaging import HistoricalAveraging
from keras_gans.terms.instance_noise import InstanceNoise
from keras_gans.terms.label_flips import LabelFlips
from keras_gans.terms.label_smoothing import LabelSmoothing
from keras_gans.terms.lecam import LeCamRegularization
from keras_gans.terms.loss_balancing import LossBalancing
from keras_gans.terms.packing import Packing
from keras_gans.terms.path_length_penalty import PathLengthPenalty
from keras_gans.terms.r1_penalty import R1Penalty
from keras_gans.terms.r2_penalty import R2Penalty
from keras_gans.terms.semi_supervised_classification import SemiSupervisedClassification
from keras_gans.terms.step_tensors import StepTensors
from keras_gans.terms.term import Term
from keras_gans.terms.weight_clipping import WeightClipping
from keras_gans.terms.weight_decay import WeightDecay

# Terms behind the constructor keywords of every variant, in the order they
# are applied (label smoothing before flips; instance noise before packing;
# what the discriminator sees is transformed in `view_order`: augmentation,
# then instance noise, then packing).
KEYWORD_TERMS = (
    LabelSmoothing,
    LabelFlips,
    InstanceNoise,
    FeatureMatching,
    HistoricalAveraging,
    GeneratorEMA,
    Packing,
    R1Penalty,
    R2Penalty,
    DRAGANPenalty,
    GeneratorDropout,
    WeightDecay,
    DiffAugmentation,
    AdaptiveAugmentation,
    LeCamRegularization,
    BalancedConsistencyRegularization,
    FreezeDiscriminator,
)


def keyword_defaults():
    """`{keyword: off value}` of every keyword term, in registry order."""
    defaults = {}
    for term_class in KEYWORD_TERMS:
        for keyword, default in term_class.keywords.items():
            if keyword in defaults:
                raise ValueError(f"Two keyword terms use the keyword {keyword!r}.")
            defaults[keyword] = default
    return defaults


__all__ = [
    "AdaptiveAugmentation",
    "AdversarialLoss",
    "AuxiliaryClassification",
    "BalancedConsistencyRegularization",
    "DiffAugmentation",
    "DRAGANPenalty",
    "DriftPenalty",
    "FeatureMatching",
    "FreezeDiscriminator",
    "GeneratorDropout",
    "GeneratorEMA",
    "GradientPenalty",
    "HistoricalAveraging",
    "InstanceNoise",
    "KEYWORD_TERMS",
    "LabelFlips",
    "LabelSmoothing",
    "LeCamRegularization",
    "LossBalancing",
    "Packing",
    "PathLengthPenalty",
    "R1Penalty",
    "R2Penalty",
    "SemiSupervisedClassification",
    "StepTensors",
    "Term",
    "WeightClipping",
    "WeightDecay",
    "freeze_discriminator_layers",
    "keyword_defaults",
]
