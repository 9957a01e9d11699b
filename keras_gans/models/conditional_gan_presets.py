"""Zoo presets of `keras_gans.models.ConditionalGAN`.

Their files ship in `keras_gans/zoo/<name>/`; `keras_gans.presets` finds this
module by its name (`*_presets`) and checks each file against its sha256 here.
See docs/zoo.md for how a preset was trained and measured, and how to add one.
"""

PRESETS = {
    "cgan_fashion_mnist": {
        "description": (
            "Conditional GAN (one-hot labels concatenated to z and to the discriminator's "
            "input channels, DCGAN bodies) on Fashion-MNIST 28x28x1, 10 classes"
        ),
        "variant": "ConditionalGAN",
        "dataset": "fashion_mnist",
        "metrics": {"fid": 2.387, "kid": 0.0709},
        "files": {
            "config.json": "dfa92eb0a65fd93c0e3db5da3c577674a588fe06c03a9411c898453a267840e9",
            "metadata.json": "d1dd6dd02aa82b9592b7fefa7fae45617fef1006deada36113b856dd4d8bc4f0",
            "model.weights.h5": "fb868807d124688168a1d83f21b2853773655b0f2e2112a55e610fe5c1339d5e",
            "samples.png": "10a0adb0f285e8a1e23bd1474854cc79124b231c0a31ee2f2bcb166b3495422b",
        },
    },
}
