"""Zoo presets of `keras_gans.models.SNGAN`.

Their files ship in `keras_gans/zoo/<name>/`; `keras_gans.presets` finds this
module by its name (`*_presets`) and checks each file against its sha256 here.
See docs/zoo.md for how a preset was trained and measured, and how to add one.
"""

PRESETS = {
    "sngan_fashion_mnist": {
        "description": (
            "SNGAN (spectrally normalized standard-CNN discriminator, hinge loss, setting C) "
            "on Fashion-MNIST 28x28x1"
        ),
        "variant": "SNGAN",
        "dataset": "fashion_mnist",
        "metrics": {"fid": 4.914, "kid": 0.2269},
        "files": {
            "config.json": "41c0f0e9c9cf9f16214a5638b6ad73d55729f523258a1d3388e657041f43f764",
            "metadata.json": "548adf390b0c8d857b5397930b4127a7b6729ab1440c49dcbb41dafd09a901b1",
            "model.weights.h5": "b049074ae011c377ebabd62cdb0bcc28ad4324738841e7e101ae0e1a7ab5e068",
            "samples.png": "c8627ab8359f85ed9961421326fc0e8fc1863877c470cd128dc28e7e35e2ce7a",
        },
    },
}
