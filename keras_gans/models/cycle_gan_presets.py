"""Zoo presets of `keras_gans.models.CycleGAN`.

Their files ship in `keras_gans/zoo/<name>/`; `keras_gans.presets` finds this
module by its name (`*_presets`) and checks each file against its sha256 here.
Made with scripts/image_to_image/make_preset.py; docs/image_to_image.md says how
each was trained and measured.
"""

PRESETS = {
    "cycle_gan_sneaker_ankle_boot": {
        "description": (
            "CycleGAN sneaker <-> ankle boot on Fashion-MNIST (ResNet generators 16 filters x 3 blocks;"
            " PatchGANs 34x34 patches; LSGAN, cycle 10, identity 5, pools of 50)"
        ),
        "variant": "CycleGAN",
        "dataset": "fashion_mnist",
        "metrics": {
            "a_to_b_target_class_fraction": 0.956,
            "b_to_a_target_class_fraction": 0.932,
            "a_cycle_l1": 0.0847,
            "b_cycle_l1": 0.1023,
            "a_to_b_fid": 0.7141,
            "b_to_a_fid": 0.8536,
        },
        "files": {
            "config.json": "2f7c3eed86038ae53b3c69c73d90725c88c7b9235a1b1e4b6523aa7de58291d3",
            "metadata.json": "6eac570db6a5269e2b1cb9b2d08f1b99a9272d242aa03d9bd9eceecb7b3c4b64",
            "model.weights.h5": "ce4fd80b168171f5475cbb5b23ecb5c99a6f8db34f593ce8133c1ee91927d523",
            "samples.png": "158f5dbc2a95bff3667eddefc2b91427668228e576f65fa571829c0cd4771f19",
        },
    }
}
