"""Zoo presets of `keras_gans.models.Pix2Pix`.

Their files ship in `keras_gans/zoo/<name>/`; `keras_gans.presets` finds this
module by its name (`*_presets`) and checks each file against its sha256 here.
Made with scripts/image_to_image/make_preset.py; docs/image_to_image.md says how
each was trained and measured.
"""

PRESETS = {
    "pix2pix_fashion_mnist_inpainting": {
        "description": (
            "Pix2Pix inpainting of a missing 14x14 square on Fashion-MNIST (U-Net 16 filters, 4 levels;"
            " PatchGAN 16x16 patches; adversarial + 100 x L1)"
        ),
        "variant": "Pix2Pix",
        "dataset": "fashion_mnist",
        "metrics": {"fid": 1.0096, "psnr": 20.61, "ssim": 0.6958, "hole_l1": 0.2414},
        "files": {
            "config.json": "d14ced5e9dde01aa9b97eddd42a3d935bda8a494cc47378a43365d1ae90d9547",
            "metadata.json": "8e2a680dd6962f38a046471a192d5c3bd1c7a9f093da05874271d1aa1c2f2830",
            "model.weights.h5": "238af87e013dbe8a5013c5724faafbaf42b5611e4564d83a273e5a7ddd043bd2",
            "samples.png": "c24bd08b456b4768a995a50d772d7e909827f168f5963b58b1ee345abd43da97",
        },
    }
}
