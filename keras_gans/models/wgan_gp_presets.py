"""Zoo presets of `keras_gans.models.WGANGP`.

Their files ship in `keras_gans/zoo/<name>/`; `keras_gans.presets` finds this
module by its name (`*_presets`) and checks each file against its sha256 here.
See docs/zoo.md for how a preset was trained and measured, and how to add one.
"""

PRESETS = {
    "wgan_gp_fashion_mnist": {
        "description": (
            "WGAN-GP (gradient penalty 10, 5 critic steps, layer-norm critic) on Fashion-MNIST 28x28x1"
        ),
        "variant": "WGANGP",
        "dataset": "fashion_mnist",
        "metrics": {"fid": 14.1254, "kid": 0.5415},
        "files": {
            "config.json": "932e131f539e41df51f732ed50b11e030010165b603fb9b91dafad9decbb4c62",
            "metadata.json": "7e1a203bbb27c2ff98eb2ba8cf033e99283767a141711e7decc4249c5c6eba26",
            "model.weights.h5": "3245a0240b73f3de478e415dea96640d118e5942385fa58adab7fad8423fa208",
            "samples.png": "09088200f1aa590976eb9b5e19df8f577d119150d2bcb8db9f354fd7bbd2e006",
        },
    },
}
