"""`keras-gans translate MODEL input output`: an image file through a saved SRGAN, and the
errors a user meets (wrong size, a GAN that samples, an existing output, a missing file)."""

import keras
import numpy as np
from PIL import Image

from keras_gans import cli
from keras_gans import models
from keras_gans import networks


def saved_srgan(folder):
    srgan = models.SRGAN(
        networks.srgan_generator(input_shape=(4, 4, 1), scale=2, filters=8, num_residual_blocks=1),
        networks.srgan_discriminator(image_shape=(8, 8, 1), filters=4, dense_units=8),
        seed=0,
    )
    srgan.compile()
    path = folder / "srgan.keras"
    srgan.save(path)
    return srgan, path


def run(capsys, *argv):
    status = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_translate_writes_the_generator_output(tmp_path, capsys):
    srgan, path = saved_srgan(tmp_path)
    pixels = np.random.default_rng(0).integers(0, 256, (4, 4), dtype=np.uint8)
    Image.fromarray(pixels, mode="L").save(tmp_path / "low.png")
    status, out, err = run(capsys, "translate", path, tmp_path / "low.png", tmp_path / "out" / "high.png")
    assert status == 0, err
    assert "Wrote" in out and "8x8 pixels, 1 channel(s)" in out
    written = np.asarray(Image.open(tmp_path / "out" / "high.png"))
    # The generator applied by hand to the scaled pixels, then mapped back to 0..255.
    inputs = (pixels.astype("float32") / 127.5 - 1.0)[None, :, :, None]
    expected = keras.ops.convert_to_numpy(srgan.generator(inputs, training=False))[0, :, :, 0]
    expected = np.round((np.clip(expected, -1, 1) + 1) * 127.5)
    assert written.shape == (8, 8)
    assert np.abs(written.astype(int) - expected.astype(int)).max() <= 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["high.png"]  # no partial file left


def test_translate_errors_lose_nothing(tmp_path, capsys):
    _, path = saved_srgan(tmp_path)
    Image.fromarray(np.zeros((6, 6), np.uint8), mode="L").save(tmp_path / "wrong.png")
    Image.fromarray(np.zeros((4, 4), np.uint8), mode="L").save(tmp_path / "low.png")
    Image.fromarray(np.full((2, 2), 7, np.uint8), mode="L").save(tmp_path / "kept.png")
    cases = [
        (("translate", path, tmp_path / "wrong.png", tmp_path / "a.png"), "translates images of 4x4 pixels"),
        (
            ("translate", path, tmp_path / "low.png", tmp_path / "kept.png"),
            "already exists; pass --overwrite",
        ),
        (("translate", path, tmp_path / "none.png", tmp_path / "a.png"), "does not exist"),
        (("translate", path, tmp_path / "low.png", tmp_path / "a.txt"), "--output must name a .png"),
        (
            ("translate", "gan_ring", tmp_path / "low.png", tmp_path / "a.png"),
            "needs an image-to-image model",
        ),
    ]
    for argv, message in cases:
        status, _, err = run(capsys, *argv)
        assert status == 1 and "Traceback" not in err, (argv, err)
        assert message in err, (argv, err)
    assert not (tmp_path / "a.png").exists()
    np.testing.assert_array_equal(np.asarray(Image.open(tmp_path / "kept.png")), np.full((2, 2), 7))
    status, _, err = run(
        capsys, "translate", path, tmp_path / "low.png", tmp_path / "kept.png", "--overwrite"
    )
    assert status == 0, err
    assert np.asarray(Image.open(tmp_path / "kept.png")).shape == (8, 8)
