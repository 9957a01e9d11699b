"""Zoo presets of `keras_gans.models.SRGAN`.

Their files ship in `keras_gans/zoo/<name>/`; `keras_gans.presets` finds this
module by its name (`*_presets`) and checks each file against its sha256 here.
Made with scripts/image_to_image/make_preset.py; docs/image_to_image.md says how
each was trained and measured.
"""

PRESETS = {
    "srgan_fashion_mnist_x4": {
        "description": (
            "SRGAN x4 super-resolution (7x7 -> 28x28) on Fashion-MNIST: pixel MSE + 0.5 x domain-"
            "classifier conv_3 feature MSE + 1e-3 x adversarial"
        ),
        "variant": "SRGAN",
        "dataset": "fashion_mnist",
        "metrics": {"fid": 0.7978, "psnr": 19.5809, "ssim": 0.6252, "psnr_over_bicubic_db": 3.5526},
        "files": {
            "config.json": "a0b5b0712853e4fc35be980fc6acc421ef70d1e0a5577cdcd2a17dcabf64f657",
            "metadata.json": "39a866d1eb5747fb2239edf6a4d6545be05b266e78c7ffb62469d0ea34596e2f",
            "model.weights.h5": "95e44bded14d0807e06a38fc2e8084653209eb5e9decd51480a63c6a80f16547",
            "samples.png": "f6d7df9d091e11a216caacf46b2101190068bab80db8175cbe790166414008ec",
        },
    }
}
