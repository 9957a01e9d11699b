"""Presets: save/load round trips, the zoo registry, offline loading, and
hash-checked downloads from a real HTTP server on 127.0.0.1."""

import ast
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading

import h5py
import keras
import numpy as np
import pytest
from PIL import Image

from keras_gans import data
from keras_gans import models
from keras_gans import networks
from keras_gans import presets
from keras_gans.callbacks import image_grid
from keras_gans.callbacks import scatter_image

ZOO_SIZE_LIMIT = 25 * 1024 * 1024
DOWNLOAD_PRESET = "gan_ring"  # the smallest zoo entry
REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


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


def _sampling_inputs(gan, n, seed):
    """Generator inputs of NumPy latent seed `seed` (labels 0, 1, 2, ... if conditional)."""
    z = _numpy_noise(n, gan.latent_dim, seed)
    if gan.num_classes:
        return [z, (np.arange(n) % gan.num_classes).astype("int32")[:, None]]
    return z


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
    assert sorted(os.listdir(preset_dir)) == [
        "config.json",
        "metadata.json",
        "model.weights.h5",
        "samples.png",
    ]
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
    with pytest.raises(ValueError, match="model.weights.h5 is corrupt or truncated"):
        models.from_preset(str(tmp_path / "broken"))
    # A folder that records no hashes (written by hand): the weights fail to load, by name.
    card = presets.load_metadata(str(tmp_path / "broken"))
    del card["files"]
    presets.write_json_atomic(str(tmp_path / "broken" / "metadata.json"), card)
    with pytest.raises(
        ValueError, match="Could not load the weights .*model.weights.h5 .*corrupt or truncated"
    ):
        models.from_preset(str(tmp_path / "broken"))
    with pytest.raises(ValueError, match="needs a keras_gans model"):
        presets.save_to_preset(
            keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)]), str(tmp_path / "x")
        )


# ------------------------------------------------------------------ the zoo


def test_registry_matches_the_zoo_cards():
    entries = presets.list_presets()
    assert len(entries) >= 5
    total = 0
    for name, entry in entries.items():
        folder = os.path.join(presets.PACKAGED_ZOO_DIR, name)
        for filename, sha256 in entry["files"].items():
            path = os.path.join(folder, filename)
            assert presets.file_sha256(path) == sha256, path
        total += sum(os.path.getsize(os.path.join(folder, f)) for f in os.listdir(folder))
        with open(os.path.join(folder, "metadata.json")) as f:
            card = json.load(f)
        assert card["description"] == entry["description"]
        assert card["class_name"] == entry["variant"]
        if "task" in card:  # image-to-image presets: trained by scripts/image_to_image/train.py
            assert card["data"]["dataset"] == entry["dataset"]
            assert "python scripts/image_to_image/train.py " in card["commands"][0]
            assert all(e["protocol"]["task"] == card["task"] for e in card["evaluations"])
        else:
            assert card["recipe"]["dataset"] == entry["dataset"]
            assert card["commands"][0].startswith("keras-gans train ")
        assert os.path.isfile(os.path.join(folder, "samples.png"))
        # Every card states its metrics with their protocol and command.
        assert card["evaluations"], name
        for evaluation in card["evaluations"]:
            assert evaluation["command"].split()[:3] in (
                ["keras-gans", "evaluate", name],
                ["keras-gans", "evaluate", f"zoo/{name}"],
                ["keras-gans", "evaluate", f"keras_gans/zoo/{name}"],
            )
            assert evaluation["protocol"]["description"]
        headline = {k: v for k, v in card["metrics"].items() if k in entry["metrics"]}
        assert headline == entry["metrics"]
    assert total < ZOO_SIZE_LIMIT
    # A copy: editing it leaves the registry alone.
    entries[name]["files"].clear()
    assert presets.list_presets()[name]["files"]


def _translation_rows(model, task, seed, count=8):
    """The rows of an image-to-image preset's samples.png, computed here from the
    networks and the Fashion-MNIST test split (not with metrics.translation_figure)."""
    kind, *classes = task.split(":")
    if classes:
        a, b = data.fashion_mnist_domains(*classes, split="test", num_examples=count)
        g, f = model.generator.a_to_b, model.generator.b_to_a
        fake_b, fake_a = _numpy(g(a, training=False)), _numpy(f(b, training=False))
        return [a, fake_b, _numpy(f(fake_b, training=False)), b, fake_a, _numpy(g(fake_a, training=False))]
    inputs, targets = data.fashion_mnist_pairs(kind, "test", num_examples=count, seed=seed)
    outputs = _numpy(model.translation_generator()(inputs, training=False))
    shown = inputs
    if kind == "inpainting":
        hole = inputs[..., 1:] > 0
        outputs, shown = np.where(hole, outputs, inputs[..., :1]), np.where(hole, -1.0, inputs[..., :1])
    elif kind.startswith("super_resolution"):
        shown = inputs.repeat(int(kind[-1]), axis=1).repeat(int(kind[-1]), axis=2)
    return [shown, outputs, targets]


def _check_translation_picture(model, card, name):
    rows = _translation_rows(model, card["task"], card["sample_picture"]["seed"])
    picture = np.asarray(Image.open(os.path.join(presets.PACKAGED_ZOO_DIR, name, "samples.png")))
    expected = image_grid(np.concatenate(rows), num_rows=len(rows))[..., 0]
    assert picture.shape == expected.shape, name
    difference = np.abs(picture.astype(int) - expected)
    tile = picture.shape[0] // len(rows)
    # Pix2Pix keeps its dropout on when translating (the paper's noise source): its output row
    # differs from draw to draw; every other row, and every row of the other presets, is exact.
    noisy_rows = (1,) if type(model).__name__ == "Pix2Pix" else ()
    for row in range(len(rows)):
        band = difference[row * tile : (row + 1) * tile]
        if row in noisy_rows:
            assert band.mean() < 8, (name, row, band.mean())
        else:
            assert band.max() <= 2, (name, row, band.max())


def test_every_preset_loads_offline_and_redraws_its_card_grid(monkeypatch):
    # No download can happen: the base URL points at a closed local port.
    monkeypatch.setenv(presets.BASE_URL_ENV, "http://127.0.0.1:9/nothing")
    for name, entry in presets.list_presets().items():
        gan = models.from_preset(name)
        card = presets.load_metadata(name)
        assert type(gan).__name__ == entry["variant"]
        assert list(gan.image_shape) == card["sample_shape"]
        if "task" in card:
            _check_translation_picture(gan, card, name)
            continue
        # samples.png shows 64 samples from NumPy latent seed 0 (labels 0, 1, 2, ...):
        # the same on every backend.
        z = _numpy_noise(64, gan.latent_dim, 0)
        if gan.num_classes:
            inputs = [z, (np.arange(64) % gan.num_classes).astype("int32")[:, None]]
        else:
            inputs = z
        samples = _numpy(gan.sampling_generator()(inputs, training=False))
        assert samples.shape == (64, *card["sample_shape"]) and np.isfinite(samples).all()
        picture = np.asarray(Image.open(os.path.join(presets.PACKAGED_ZOO_DIR, name, "samples.png")))
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
    """A real HTTP server on 127.0.0.1 serving a copy of one zoo preset; an empty
    Keras home (`$KERAS_HOME`) and no packaged zoo, so that files must be fetched."""
    root = tmp_path / "served"
    shutil.copytree(os.path.join(presets.PACKAGED_ZOO_DIR, DOWNLOAD_PRESET), root / DOWNLOAD_PRESET)
    handler = functools.partial(_RecordingHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.requests = []
    server.truncate = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv(presets.BASE_URL_ENV, f"http://127.0.0.1:{server.server_address[1]}/")
    monkeypatch.setenv(presets.ZOO_DIR_ENV, "")  # no packaged zoo: force downloads
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras_home"))
    yield server, root
    server.shutdown()
    server.server_close()


def _weights_path(cache):
    return os.path.join(cache, "keras_gans", DOWNLOAD_PRESET, "model.weights.h5")


def _flip_a_byte(path, offset=100):
    with open(path, "r+b") as f:
        f.seek(offset)
        byte = f.read(1)
        f.seek(offset)
        f.write(bytes([byte[0] ^ 0xFF]))


def test_default_cache_is_keras_home_as_keras_finds_it(tmp_path, monkeypatch):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "kh"))
    assert presets.keras_home() == str(tmp_path / "kh")
    monkeypatch.delenv("KERAS_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert presets.keras_home() == str(tmp_path / ".keras")
    # A home folder that cannot be written (here: missing): Keras falls back to /tmp.
    monkeypatch.setenv("HOME", str(tmp_path / "missing"))
    assert presets.keras_home() == "/tmp/.keras"
    # cache_root creates the default folder rather than falling back.
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "new" / "home"))
    assert presets.cache_root() == str(tmp_path / "new" / "home") and os.path.isdir(tmp_path / "new" / "home")


def test_download_through_the_default_path_uses_the_keras_home_cache(preset_server, tmp_path):
    server, _ = preset_server
    cache = str(tmp_path / "keras_home")
    expected_sha256 = presets.list_presets()[DOWNLOAD_PRESET]["files"]["model.weights.h5"]
    gan = models.from_preset(DOWNLOAD_PRESET)  # no cache_dir: $KERAS_HOME/keras_gans/<name>/
    assert sorted(server.requests) == [
        f"/{DOWNLOAD_PRESET}/config.json",
        f"/{DOWNLOAD_PRESET}/model.weights.h5",
    ]
    assert presets.file_sha256(_weights_path(cache)) == expected_sha256
    # The same weights as the packaged copy.
    local = models.from_preset(os.path.join(presets.PACKAGED_ZOO_DIR, DOWNLOAD_PRESET))
    for downloaded, reference in zip(gan.get_weights(), local.get_weights(), strict=True):
        np.testing.assert_array_equal(downloaded, reference)

    server.requests.clear()
    again = models.from_preset(DOWNLOAD_PRESET)
    assert server.requests == []  # served from the cache
    np.testing.assert_array_equal(again.generate(8, seed=1), gan.generate(8, seed=1))

    # A damaged cached file is noticed and fetched again.
    _flip_a_byte(_weights_path(cache))
    models.from_preset(DOWNLOAD_PRESET)
    assert server.requests == [f"/{DOWNLOAD_PRESET}/model.weights.h5"]
    assert presets.file_sha256(_weights_path(cache)) == expected_sha256


def test_corrupt_packaged_file_is_fetched_again_or_refused(preset_server, tmp_path, monkeypatch):
    server, _ = preset_server
    zoo_copy = tmp_path / "zoo"
    shutil.copytree(os.path.join(presets.PACKAGED_ZOO_DIR, DOWNLOAD_PRESET), zoo_copy / DOWNLOAD_PRESET)
    monkeypatch.setenv(presets.ZOO_DIR_ENV, str(zoo_copy))
    damaged = zoo_copy / DOWNLOAD_PRESET / "model.weights.h5"
    _flip_a_byte(damaged)
    # Before: a flipped byte in the zoo folder made from_preset fail like a missing file.
    gan = models.from_preset(DOWNLOAD_PRESET)
    assert server.requests == [f"/{DOWNLOAD_PRESET}/model.weights.h5"]  # config.json was good
    reference = models.from_preset(os.path.join(presets.PACKAGED_ZOO_DIR, DOWNLOAD_PRESET))
    np.testing.assert_array_equal(gan.generate(4, seed=0), reference.generate(4, seed=0))
    # Without a download location: refused, naming the file and what to do.
    os.remove(_weights_path(tmp_path / "keras_home"))
    monkeypatch.delenv(presets.BASE_URL_ENV)
    with pytest.raises(
        ValueError,
        match=rf"{damaged} is corrupt or truncated .*Reinstall keras-gans .*"
        rf"or set {presets.BASE_URL_ENV}",
    ):
        models.from_preset(DOWNLOAD_PRESET)


def test_download_with_wrong_hash_is_rejected_and_deleted(preset_server, tmp_path):
    server, root = preset_server
    _flip_a_byte(root / DOWNLOAD_PRESET / "model.weights.h5", offset=1000)
    with pytest.raises(ValueError, match="corrupt or truncated .*deleted from the cache"):
        models.from_preset(DOWNLOAD_PRESET)
    assert f"/{DOWNLOAD_PRESET}/model.weights.h5" in server.requests
    assert not os.path.exists(_weights_path(tmp_path / "keras_home"))


def test_partial_download_is_rejected_and_deleted(preset_server, tmp_path):
    server, _ = preset_server
    server.truncate = True
    cache = str(tmp_path / "explicit_cache")
    with pytest.raises(OSError, match="Could not download .*model.weights.h5.*retrieval incomplete"):
        presets.preset_file(DOWNLOAD_PRESET, "model.weights.h5", cache_dir=cache)
    assert server.requests == [f"/{DOWNLOAD_PRESET}/model.weights.h5"]
    assert not os.path.exists(_weights_path(cache))


def test_without_packaged_files_and_download_location_the_error_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setenv(presets.ZOO_DIR_ENV, "")
    monkeypatch.delenv(presets.BASE_URL_ENV, raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert presets.DEFAULT_BASE_URL is None and presets.base_url() is None
    with pytest.raises(
        FileNotFoundError,
        match="Preset 'gan_ring' has no config.json .*keras-gans publishes its preset files on no server",
    ):
        models.from_preset("gan_ring")


# ------------------------------------------------------- local preset folders


def test_save_to_preset_refuses_an_existing_folder_and_replaces_it_atomically(tmp_path):
    gan = _small_gan(compiled=False)
    folder = tmp_path / "mine"
    presets.save_to_preset(gan, str(folder), metadata={"round": 1}, samples=False)
    # Before: silently overwritten.
    with pytest.raises(FileExistsError, match="already exists and is not empty. Pass overwrite=True"):
        presets.save_to_preset(gan, str(folder), metadata={"round": 2}, samples=False)
    assert presets.load_metadata(str(folder))["round"] == 1
    # A save that fails half-way (metadata JSON cannot hold a set) leaves the old folder whole.
    with pytest.raises(TypeError, match="not JSON serializable"):
        presets.save_to_preset(gan, str(folder), metadata={"round": {3}}, samples=False, overwrite=True)
    assert presets.load_metadata(str(folder))["round"] == 1
    assert sorted(os.listdir(tmp_path)) == ["mine"]  # no temporary folder left behind
    presets.save_to_preset(gan, str(folder), metadata={"round": 4}, samples=False, overwrite=True)
    card = presets.load_metadata(str(folder))
    assert card["round"] == 4
    assert card["files"] == {
        name: presets.file_sha256(folder / name) for name in ("config.json", "model.weights.h5")
    }
    # An existing empty folder is fine (export writes into a fresh temporary folder).
    os.makedirs(tmp_path / "empty")
    presets.save_to_preset(gan, str(tmp_path / "empty"), samples=False)
    assert models.from_preset(str(tmp_path / "empty")).latent_dim == 3


def test_corrupt_local_preset_files_are_named(tmp_path):
    folder = tmp_path / "mine"
    presets.save_to_preset(_small_gan(compiled=False), str(folder), samples=False)
    weights = folder / "model.weights.h5"
    good = weights.read_bytes()
    _flip_a_byte(weights, offset=len(good) // 2)
    # Before: the flipped weights loaded unchecked.
    with pytest.raises(
        ValueError, match=f"{weights} is corrupt or truncated: its sha256 is not the .* recorded in"
    ):
        models.from_preset(str(folder))
    weights.write_bytes(good)
    metadata = folder / "metadata.json"
    metadata.write_text(metadata.read_text()[:40])
    # Before: a JSONDecodeError that named no file.
    with pytest.raises(ValueError, match=f"{metadata} is corrupt or truncated: it is not valid JSON"):
        models.from_preset(str(folder))
    with pytest.raises(ValueError, match=f"{metadata} is corrupt or truncated"):
        presets.load_metadata(str(folder))


# ------------------------------------------------------------ the package


def test_no_import_circle_between_models_and_presets():
    code = (
        "import sys, keras_gans.models as m; "
        "assert 'keras_gans.presets' not in sys.modules, 'presets imported'; "
        "import keras_gans.presets as p; assert m.from_preset is p.from_preset; print('ok')"
    )
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=REPO_ROOT
    )
    assert result.stdout.strip() == "ok", result.stderr[-2000:]
    models_dir = os.path.dirname(os.path.abspath(models.__file__))
    for filename in os.listdir(models_dir):
        if filename.endswith(".py") and filename != "__init__.py":
            tree = ast.parse(open(os.path.join(models_dir, filename)).read())
            imported = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module]
            imported += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
            assert not [i for i in imported if i.startswith("keras_gans.presets")], filename


def test_presets_are_registered_beside_their_variants():
    models_dir = os.path.dirname(os.path.abspath(models.__file__))
    for name, entry in presets.list_presets().items():
        owner = [
            f
            for f in os.listdir(models_dir)
            if f.endswith("_presets.py") and f'"{name}"' in open(os.path.join(models_dir, f)).read()
        ]
        assert len(owner) == 1, (name, owner)
        variant_module = getattr(models, entry["variant"]).__module__.rsplit(".", 1)[1]
        assert owner[0] == f"{variant_module}_presets.py"


def _build_wheel_and_install(tmp_path):
    """Builds the wheel from a copy of the package sources and installs it into a
    folder of its own; returns that folder."""
    repo = REPO_ROOT
    source = tmp_path / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(os.path.join(repo, "keras_gans"), source / "keras_gans", ignore=ignore)
    for filename in ("setup.cfg", "pyproject.toml", "README.md"):
        shutil.copy(os.path.join(repo, filename), source / filename)
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    subprocess.run(
        pip + ["wheel", "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = os.listdir(tmp_path / "dist")
    subprocess.run(
        pip + ["install", "--no-deps", "--target", str(tmp_path / "site"), str(tmp_path / "dist" / wheel)],
        check=True,
        capture_output=True,
    )
    return tmp_path / "site"


def test_every_preset_loads_and_samples_from_an_installed_wheel(tmp_path):
    site = _build_wheel_and_install(tmp_path)
    empty_home = tmp_path / "keras_home"
    empty_home.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    code = textwrap.dedent("""
        import json, numpy as np, keras_gans, keras_gans.presets as presets
        out = {"file": keras_gans.__file__, "presets": {}}
        for name in presets.list_presets():
            gan = keras_gans.models.from_preset(name)
            task = presets.load_metadata(name).get("task")
            if task:  # image-to-image: four test images translated
                x = keras_gans.metrics.task_data(task, num_examples=4, seed=0)[0]
                direction = "a_to_b" if task.startswith("unpaired:") else None
                out["presets"][name] = gan.translate(x, direction=direction).tolist()
                continue
            labels = np.arange(4) % gan.num_classes if gan.num_classes else None
            out["presets"][name] = presets.generate_samples(gan, 4, seed=0, labels=labels).tolist()
        print(json.dumps(out))
    """)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KERAS_GANS")}
    env.update(
        PYTHONPATH=str(site),
        KERAS_HOME=str(empty_home),
        TF_CPP_MIN_LOG_LEVEL="3",
        KERAS_GANS_BASE_URL="http://127.0.0.1:9/nothing-is-served-here",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=elsewhere
    )
    assert result.returncode == 0, result.stderr[-3000:]
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["file"].startswith(str(site))  # the installed copy, not the checkout
    assert sorted(out["presets"]) == sorted(presets.list_presets())
    for name, samples in out["presets"].items():
        gan = models.from_preset(name)
        task = presets.load_metadata(name).get("task")
        if task:
            kind, *classes = task.split(":")
            if classes:
                x = data.fashion_mnist_domains(*classes, split="test", num_examples=4)[0]
                expected = _numpy(gan.generator.a_to_b(x, training=False))
            else:
                x = data.fashion_mnist_pairs(kind, "test", num_examples=4, seed=0)[0]
                expected = _numpy(gan.translation_generator()(x, training=False))
            if type(gan).__name__ == "Pix2Pix":  # dropout when translating: a fresh draw each time
                assert np.abs(np.asarray(samples) - expected).mean() < 0.1, name
                continue
        else:
            expected = _numpy(gan.sampling_generator()(_sampling_inputs(gan, 4, 0), training=False))
        np.testing.assert_allclose(np.asarray(samples), expected, atol=1e-4, err_msg=name)
    # Nothing was downloaded or cached (Keras itself writes keras.json there).
    assert not (empty_home / "keras_gans").exists()
    assert os.path.isfile(site / "bin" / "keras-gans")  # the console script
