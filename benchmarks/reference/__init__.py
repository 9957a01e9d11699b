"""Plain PyTorch implementations of the networks and updates that keras-gans benchmarks.

Nothing here imports Keras: `networks` holds the DCGAN and SNGAN networks
written layer for layer after `keras_gans.networks` (NCHW, as PyTorch code is
usually written), `training` the adversarial updates (non-saturating, hinge and
WGAN-GP) and `weights` copies a Keras model's weights into the matching module
so that the two can be compared number for number.
"""
