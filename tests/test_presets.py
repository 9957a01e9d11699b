"""Presets: save/load round trips, the zoo registry, offline loading, and
hash-checked downloads from a real HTTP server on 127.0.0.1."""

import functools
import http.server
import json
import os
import shutil
import threading

import h5py
import keras
import numpy as np
import pytest
from PIL import Image

from keras_gans import models
from keras_gans import networks
from keras_gans import presets
from keras_gans.callbacks import image_grid
from keras_gans.callbacks import scatter_image

ZOO_SIZE_LIMIT = 25 * 1024 * 1024
DOWNLOAD_PRESET = "gan_ring"  # the smallest zoo entry


def _numpy(x):
    return keras.ops.convert_to_numpy(x)


def _mlp_forward(weights, z):
    """NumPy forward pass of `networks.mlp_generator` (ReLU hidden layers)."""
    h = z.astype(np.float64)
    pairs = list(zip(weights[0::2], weights[1::2]))
    for kernel, bias in pairs[:-1]:
        h = np.maximum(h @ kernel + bias, 0.0)
    kernel, bias = pairs[-1]
    return h @ kernel + bias


def _numpy_noise(n, latent_dim, seed):
    """The latent vectors of `presets.latent_noise`, drawn here independently."""
    return np.random.default_rng(seed).standard_normal((n, latent_dim)).astype("float32")


def _small_gan(compiled=True):
    generator = networks.mlp_generator(3, 2, hidden_units=(8, 8))
    discriminator = networks.mlp_discriminator(2, hidden_units=(8,))
    gan = models.GAN(generator, discriminator, latent_dim=3, seed=0)
    if compiled:
        gan.compile()
        points = np.random.default_rng(0).normal(size=(64, 2)).astype("float32")
        gan.fit(points, batch_size=32, epochs=1, verbose=0)
    return gan


def _h5_groups(path):
    with h5py.File(path, "r") as f:
        return sorted(f.keys())


# ------------------------------------------------------------ save / load


def test_save_to_preset_round_trip(tmp_path):
    gan = _small_gan()
    trained = [w.copy() for w in gan.generator.get_weights()]
    preset_dir = presets.save_to_preset(gan, str(tmp_path / "mine"), metadata={"data": "normal"})
    assert sorted(os.listdir(preset_dir)) == ["config.json", "metadata.json", "model.weights.h5", "samples.png"]
    # Networks only: no optimizer state in the preset's weights.
    assert not [g for g in _h5_groups(os.path.join(preset_dir, "model.weights.h5")) if "optimizer" in g]
    card = presets.load_metadata(preset_dir)
    assert card["data"] == "normal"
    assert card["class_name"] == "GAN" and card["latent_dim"] == 3 and card["sample_shape"] == [2]

    loaded = models.from_preset(preset_dir)
    assert type(loaded) is models.GAN and loaded.latent_dim == 3 and not loaded.compiled
    z = np.random.default_rng(3).normal(size=(6, 3)).astype("float32")
    np.testing.assert_allclose(_numpy(loaded.generator(z)), _mlp_forward(trained, z), atol=1e-5)
    # The preset's picture: 64 samples from NumPy latent seed 0, as a scatter plot.
    picture = np.asarray(Image.open(os.path.join(preset_dir, "samples.png")))
    expected = scatter_image(_mlp_forward(trained, _numpy_noise(64, 3, 0)))[..., 0]
    assert np.mean(picture == expected) > 0.995
    np.testing.assert_allclose(
        presets.generate_samples(loaded, 5, seed=7), _mlp_forward(trained, _numpy_noise(5, 3, 7)), atol=1e-5
    )

    fresh = models.from_preset(preset_dir, load_weights=False)
    assert np.abs(_numpy(fresh.generator(z)) - _mlp_forward(trained, z)).max() > 1e-3


def test_preset_errors(tmp_path):
    with pytest.raises(ValueError, match="Unknown preset 'no_such_gan'.*Registered presets: .*gan_ring"):
        models.from_preset("no_such_gan")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        models.from_preset(str(tmp_path / "missing" / "preset"))
    os.makedirs(tmp_path / "empty")
    with pytest.raises(FileNotFoundError, match="lacks config.json, model.weights.h5"):
        models.from_preset(str(tmp_path / "empty"))
    presets.save_to_preset(_small_gan(compiled=False), str(tmp_path / "broken"), samples=False)
    with open(tmp_path / "broken" / "model.weights.h5", "wb") as f:
        f.write(b"not an h5 file")
    with pytest.raises(ValueError, match="Could not load the weights"):
        models.from_preset(str(tmp_path / "broken"))
    with pytest.raises(ValueError, match="needs a keras_gans model"):
        presets.save_to_preset(keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]), str(tmp_path / "x"))


# ------------------------------------------------------------------ the zoo


def test_registry_matches_the_zoo_cards():
    entries = presets.list_presets()
    assert len(entries) >= 5
    total = 0
    for name, entry in entries.items():
        folder = os.path.join(presets.REPO_ZOO_DIR, name)
        for filename, sha256 in entry["files"].items():
            path = os.path.join(folder, filename)
            assert presets.file_sha256(path) == sha256, path
        total += sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
        with open(os.path.join(folder, "metadata.json")) as f:
            card = json.load(f)
        assert card["description"] == entry["description"]
        assert card["class_name"] == entry["variant"]
        assert card["recipe"]["dataset"] == entry["dataset"]
        assert card["commands"][0].startswith("keras-gans train ")
        assert os.path.isfile(os.path.join(folder, "samples.png"))
        # Every card states its metrics with their protocol and command.
        assert card["evaluations"], name
        for evaluation in card["evaluations"]:
            assert evaluation["command"].split()[:3] in (
                ["keras-gans", "evaluate", name], ["keras-gans", "evaluate", f"zoo/{name}"])
            assert evaluation["protocol"]["description"]
        headline = {k: v for k, v in card["metrics"].items() if k in entry["metrics"]}
        assert headline == entry["metrics"]
    assert total < ZOO_SIZE_LIMIT
    # A copy: editing it leaves the registry alone.
    entries[name]["files"].clear()
    assert presets.list_presets()[name]["files"]


def test_every_preset_loads_offline_and_redraws_its_card_grid(monkeypatch):
    # No download can happen: the base URL points at a closed local port.
    monkeypatch.setenv(presets.BASE_URL_ENV, "http://127.0.0.1:9/nothing")
    for name, entry in presets.list_presets().items():
        gan = models.from_preset(name)
        card = presets.load_metadata(name)
        assert type(gan).__name__ == entry["variant"]
        assert list(gan.image_shape) == card["sample_shape"]
        # samples.png shows 64 samples from NumPy latent seed 0 (labels 0, 1, 2, ...):
        # the same on every backend.
        z = _numpy_noise(64, gan.latent_dim, 0)
        if gan.num_classes:
            inputs = [z, (np.arange(64) % gan.num_classes).astype("int32")[:, None]]
        else:
            inputs = z
        samples = _numpy(gan.sampling_generator()(inputs, training=False))
        assert samples.shape == (64, *card["sample_shape"]) and np.isfinite(samples).all()
        picture = np.asarray(Image.open(os.path.join(presets.REPO_ZOO_DIR, name, "samples.png")))
        if samples.ndim == 2:
            expected = scatter_image(samples)[..., 0]
            # A dot may move by one pixel with float noise across backends.
            assert np.mean(picture == expected) > 0.995, name
        else:
            assert samples.min() >= -1 and samples.max() <= 1
            expected = image_grid(samples)[..., 0]
            assert picture.shape == expected.shape
            assert np.abs(picture.astype(int) - expected).max() <= 2, name


# --------------------------------------------------------------- downloads


class _RecordingHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.requests.append(self.path)
        if self.server.truncate and self.path.endswith(".h5"):
            # Announce the whole file, send half of it, hang up.
            with open(self.translate_path(self.path), "rb") as f:
                body = f.read()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()


@pytest.fixture
def preset_server(tmp_path, monkeypatch):
    """A real HTTP server on 127.0.0.1 serving a copy of one zoo preset."""
    root = tmp_path / "served"
    shutil.copytree(os.path.join(presets.REPO_ZOO_DIR, DOWNLOAD_PRESET), root / DOWNLOAD_PRESET)
    handler = functools.partial(_RecordingHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.requests = []
    server.truncate = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv(presets.BASE_URL_ENV, f"http://127.0.0.1:{server.server_address[1]}/")
    monkeypatch.setenv(presets.ZOO_DIR_ENV, "")  # no local zoo: force downloads
    yield server, root
    server.shutdown()
    server.server_close()


def _weights_path(cache):
    return os.path.join(cache, "keras_gans", DOWNLOAD_PRESET, "model.weights.h5")


def test_download_from_http_server_uses_the_cache(preset_server, tmp_path):
    server, _ = preset_server
    cache = str(tmp_path / "cache")
    expected_sha256 = presets.PRESETS[DOWNLOAD_PRESET]["files"]["model.weights.h5"]
    gan = models.from_preset(DOWNLOAD_PRESET, cache_dir=cache)
    assert sorted(server.requests) == [f"/{DOWNLOAD_PRESET}/config.json", f"/{DOWNLOAD_PRESET}/model.weights.h5"]
    assert presets.file_sha256(_weights_path(cache)) == expected_sha256
    # The same weights as the zoo folder's copy.
    local = models.from_preset(os.path.join(presets.REPO_ZOO_DIR, DOWNLOAD_PRESET))
    for downloaded, reference in zip(gan.get_weights(), local.get_weights(), strict=True):
        np.testing.assert_array_equal(downloaded, reference)

    server.requests.clear()
    again = models.from_preset(DOWNLOAD_PRESET, cache_dir=cache)
    assert server.requests == []  # served from the cache
    np.testing.assert_array_equal(again.generate(8, seed=1), gan.generate(8, seed=1))

    # A damaged cached file is noticed and fetched again.
    with open(_weights_path(cache), "r+b") as f:
        f.seek(100)
        f.write(b"\x00\x01\x02\x03")
    models.from_preset(DOWNLOAD_PRESET, cache_dir=cache)
    assert server.requests == [f"/{DOWNLOAD_PRESET}/model.weights.h5"]
    assert presets.file_sha256(_weights_path(cache)) == expected_sha256


def test_download_with_wrong_hash_is_rejected_and_deleted(preset_server, tmp_path):
    server, root = preset_server
    served = root / DOWNLOAD_PRESET / "model.weights.h5"
    content = bytearray(served.read_bytes())
    content[len(content) // 2] ^= 0xFF
    served.write_bytes(bytes(content))
    cache = str(tmp_path / "cache")
    with pytest.raises(ValueError, match="corrupt or partial .*deleted from the cache"):
        models.from_preset(DOWNLOAD_PRESET, cache_dir=cache)
    assert f"/{DOWNLOAD_PRESET}/model.weights.h5" in server.requests
    assert not os.path.exists(_weights_path(cache))


def test_partial_download_is_rejected_and_deleted(preset_server, tmp_path):
    server, _ = preset_server
    server.truncate = True
    cache = str(tmp_path / "cache")
    with pytest.raises(OSError, match="Could not download .*model.weights.h5.*retrieval incomplete"):
        presets.preset_file(DOWNLOAD_PRESET, "model.weights.h5", cache_dir=cache)
    assert server.requests == [f"/{DOWNLOAD_PRESET}/model.weights.h5"]
    assert not os.path.exists(_weights_path(cache))
