"""Zoo presets of `keras_gans.models.GAN`.

Their files ship in `keras_gans/zoo/<name>/`; `keras_gans.presets` finds this
module by its name (`*_presets`) and checks each file against its sha256 here.
See docs/zoo.md for how a preset was trained and measured, and how to add one.
"""

PRESETS = {
    "dcgan_fashion_mnist": {
        "description": "DCGAN (non-saturating loss, batch-norm discriminator) on Fashion-MNIST 28x28x1",
        "variant": "GAN",
        "dataset": "fashion_mnist",
        "metrics": {"fid": 8.0829, "kid": 0.2699},
        "files": {
            "config.json": "a244ed3a1a981c4a739c48893cf1de98f2d8737fa1de510fb3a3543f819c777a",
            "metadata.json": "fe1663caceb369fc52dd6b885bc1c2afe81031bf8f2b01c5ec737ee0cf278913",
            "model.weights.h5": "6aef8b4df506979aa620678cb83d9d663bd87dc4b56a13f77b99acf4dffc20aa",
            "samples.png": "779170ec6749cc5ec020cba82f9d863447d8135ff41232b767e5cf1e4b130da5",
        },
    },
    "dcgan_fashion_mnist_1k": {
        "description": (
            "DCGAN (non-saturating loss, batch-norm discriminator) on the first 1,000 Fashion-MNIST "
            "training images, 12,000 steps"
        ),
        "variant": "GAN",
        "dataset": "fashion_mnist",
        "metrics": {"fid": 5.2465, "kid": 0.114},
        "files": {
            "config.json": "8d29b972a956c39248c33ae6c6cca29445ec573b36145b777e7b00b0d6380e02",
            "metadata.json": "452f00c4eb6f560ff7cba084ce95274330b830df02bf3033e49ae08b31b86496",
            "model.weights.h5": "7f997532f0328dbf93176c37ee7c7ed5ba1e9bc7437b5c860750bafa363aa055",
            "samples.png": "0d0e498fff2f971323b542fd5b25b86646fc56914c607b3ab2670b0e9d290c76",
        },
    },
    "gan_grid": {
        "description": "GAN (non-saturating loss, 3x128 MLPs, 150 epochs) on the 25-Gaussian grid",
        "variant": "GAN",
        "dataset": "grid",
        "metrics": {"modes": 25, "high_quality": 0.5808, "reverse_kl": 0.2862},
        "files": {
            "config.json": "c4eda66c2cf4622944d480eab7a16769ca1a18150314720623d4cfac43bf4ffd",
            "metadata.json": "cbe5ebf157af5bdf394d90c9ec1181cda2b46e8cff17668d83505742d35cd491",
            "model.weights.h5": "b5ef8c7dc40385eef0e1e2854a18687af8ad548a26d343a16c1a025259e9dd60",
            "samples.png": "3e62fae739786eebb90e1ad1d5aa895418cf91f35098db0a181681f1e42f634c",
        },
    },
    "gan_ring": {
        "description": (
            "GAN (non-saturating loss, 3x128 MLPs) on the 8-Gaussian ring (the `make demo` recipe, 80 epochs)"
        ),
        "variant": "GAN",
        "dataset": "ring",
        "metrics": {"modes": 8, "high_quality": 0.6908, "reverse_kl": 0.3284},
        "files": {
            "config.json": "c4eda66c2cf4622944d480eab7a16769ca1a18150314720623d4cfac43bf4ffd",
            "metadata.json": "35aec2f3c0a70596c7eeb356f07b5ef961d105588e705edfb365548e1ac04c97",
            "model.weights.h5": "b97ec1547acb682a927503276dd64a27ae2e67cdf348f7fb88b1e4c1fde538d2",
            "samples.png": "b61eaa1156867fab91006cd8aff0c60aaacc4d3c622d699116267ab5fcfc0b9b",
        },
    },
}
