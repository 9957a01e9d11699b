"""Presets: trained GANs from the keras-gans zoo, ready to sample from.

A preset is a folder holding:

- `config.json`: the model's Keras config (`keras.saving.serialize_keras_object`),
  generator and discriminator included;
- `model.weights.h5`: the weights of both networks (no optimizer state);
- `metadata.json`: the model card: data, training recipe, the exact command that
  trained it and the metrics measured on it, with their protocol;
- `samples.png` (optional): a grid of samples.

`from_preset(name_or_dir)` accepts a registered preset name (see `list_presets()`)
or a local preset folder, such as one written by `save_to_preset`. The files of a
registered preset are found, in order:

1. in the zoo folder of a keras-gans checkout (`zoo/<name>/`, or the folder named by
   the `KERAS_GANS_ZOO_DIR` environment variable; an empty value turns this off),
   when their sha256 matches the registry: this works offline;
2. in the Keras cache (`~/.keras/keras_gans/<name>/`, or `$KERAS_HOME`), downloaded
   with `keras.utils.get_file` from `<base URL>/<name>/<file>` and sha256-checked.
   The base URL is `DEFAULT_BASE_URL` unless the `KERAS_GANS_BASE_URL` environment
   variable sets another one (a mirror, or a local `http://` server). A download
   whose sha256 differs (corrupt, or cut short without notice) is deleted from the
   cache and raises a `ValueError`; an interrupted one is deleted and raises an
   `OSError`. A cached file that no longer matches is downloaded again.
"""

import hashlib
import json
import os
import tempfile

import keras
import numpy as np

BASE_URL_ENV = "KERAS_GANS_BASE_URL"
ZOO_DIR_ENV = "KERAS_GANS_ZOO_DIR"
DEFAULT_BASE_URL = "https://raw.githubusercontent.com/keras-gans/keras-gans/main/zoo"
CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.weights.h5"
METADATA_FILE = "metadata.json"
SAMPLES_FILE = "samples.png"
REPO_ZOO_DIR = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "zoo"
)

# The registry: preset name -> description, headline metrics and the sha256 of
# each file. The files themselves live in zoo/<name>/ (see docs/zoo.md to add one).
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
    "wgan_gp_fashion_mnist": {
        "description": "WGAN-GP (gradient penalty 10, 5 critic steps, layer-norm critic) on Fashion-MNIST 28x28x1",
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
    "sngan_fashion_mnist": {
        "description": "SNGAN (spectrally normalized standard-CNN discriminator, hinge loss, setting C) on Fashion-MNIST 28x28x1",
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
    "cgan_fashion_mnist": {
        "description": "Conditional GAN (one-hot labels concatenated to z and to the discriminator's input channels, DCGAN bodies) on Fashion-MNIST 28x28x1, 10 classes",
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
        "description": "GAN (non-saturating loss, 3x128 MLPs) on the 8-Gaussian ring (the `make demo` recipe, 80 epochs)",
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


def list_presets():
    """Returns the registered presets.

    Returns:
        dict mapping each preset name to a copy of its registry entry:
        `description`, `variant`, `dataset`, `metrics` (headline numbers from
        its model card) and `files` (file name -> sha256).

    Example:

    >>> sorted(keras_gans.presets.list_presets())
    ['dcgan_fashion_mnist', ...]
    """
    return {name: json.loads(json.dumps(entry)) for name, entry in sorted(PRESETS.items())}


def file_sha256(path):
    """The sha256 hex digest of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def base_url():
    """The download base URL: `$KERAS_GANS_BASE_URL` or `DEFAULT_BASE_URL`."""
    return (os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")


def zoo_dir():
    """The local zoo folder searched first, or None when there is none."""
    path = os.environ.get(ZOO_DIR_ENV)
    if path is None:
        path = REPO_ZOO_DIR
    return path if path and os.path.isdir(path) else None


def _unknown_preset_error(preset):
    names = ", ".join(sorted(PRESETS)) or "(none registered)"
    return ValueError(
        f"Unknown preset {preset!r}: not a registered preset name and not a preset "
        f"folder. Registered presets: {names}."
    )


def _check_local_dir(preset_dir, need_weights):
    if not os.path.isdir(preset_dir):
        raise FileNotFoundError(f"Preset folder {preset_dir!r} does not exist.")
    required = [CONFIG_FILE] + ([WEIGHTS_FILE] if need_weights else [])
    missing = [f for f in required if not os.path.isfile(os.path.join(preset_dir, f))]
    if missing:
        raise FileNotFoundError(
            f"{preset_dir!r} is not a keras-gans preset folder: it lacks "
            f"{', '.join(missing)} (write one with keras_gans.presets.save_to_preset)."
        )


def _cache_root(cache_dir):
    """The cache folder, created; `get_file` would fall back to /tmp/.keras
    for a folder it cannot write, so choose that fallback here, knowingly."""
    root = os.path.expanduser(cache_dir or keras.config.keras_home())
    try:
        os.makedirs(root, exist_ok=True)
    except OSError:
        pass
    if not os.access(root, os.W_OK):
        root = os.path.join("/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir(), ".keras")
    return root


def _download(preset, filename, expected_sha256, cache_dir):
    url = f"{base_url()}/{preset}/{filename}"
    root = _cache_root(cache_dir)
    cache_subdir = os.path.join("keras_gans", preset)
    try:
        path = keras.utils.get_file(
            fname=filename,
            origin=url,
            file_hash=expected_sha256,
            hash_algorithm="sha256",
            cache_dir=root,
            cache_subdir=cache_subdir,
        )
    except ValueError as error:
        # `get_file` checks the hash but leaves a bad file in the cache.
        _remove_quietly(os.path.join(root, cache_subdir, filename))
        raise ValueError(
            f"The file downloaded from {url} is corrupt or partial (its sha256 is not "
            f"{expected_sha256}); it was deleted from the cache. Try again, or set "
            f"{BASE_URL_ENV} to another mirror. ({error})"
        ) from None
    except Exception as error:  # noqa: BLE001 - get_file raises bare Exceptions
        raise OSError(
            f"Could not download preset file {url}: {error}. Offline? Use a keras-gans "
            f"checkout (its zoo/ folder), a local preset folder, or set {BASE_URL_ENV} "
            "to a reachable mirror."
        ) from None
    if file_sha256(path) != expected_sha256:  # e.g. replaced after get_file
        _remove_quietly(path)
        raise ValueError(
            f"The cached file {path} does not match sha256 {expected_sha256}; it was "
            "deleted. Try again."
        )
    return path


def _remove_quietly(path):
    try:
        os.remove(path)
    except OSError:
        pass


def preset_file(preset, filename, cache_dir=None):
    """Local path of one file of a preset, downloading it when needed.

    Args:
        preset: a registered preset name or a preset folder.
        filename: e.g. `"config.json"`, `"model.weights.h5"`, `"metadata.json"`.
        cache_dir: Keras cache folder for downloads (default `~/.keras` or
            `$KERAS_HOME`).

    Returns:
        The path of the file.
    """
    if os.path.isdir(preset):
        path = os.path.join(preset, filename)
        if not os.path.isfile(path):
            raise FileNotFoundError(f"Preset folder {preset!r} has no {filename}.")
        return path
    if preset not in PRESETS:
        raise _unknown_preset_error(preset)
    files = PRESETS[preset]["files"]
    if filename not in files:
        raise ValueError(
            f"Preset {preset!r} has no file {filename!r}; it has {', '.join(sorted(files))}."
        )
    expected = files[filename]
    local_zoo = zoo_dir()
    if local_zoo is not None:
        path = os.path.join(local_zoo, preset, filename)
        if os.path.isfile(path) and file_sha256(path) == expected:
            return path
    return _download(preset, filename, expected, cache_dir)


def load_metadata(preset, cache_dir=None):
    """The model card (`metadata.json`) of a preset, as a dict ({} if absent)."""
    if os.path.isdir(preset) and not os.path.isfile(os.path.join(preset, METADATA_FILE)):
        return {}
    with open(preset_file(preset, METADATA_FILE, cache_dir)) as f:
        return json.load(f)


def from_preset(preset, load_weights=True, cache_dir=None):
    """Builds a trained model from the zoo or from a local preset folder.

    Args:
        preset: a registered preset name (see `list_presets()`), e.g.
            `"dcgan_fashion_mnist"`, or the path of a preset folder.
        load_weights: load the trained weights (otherwise the networks keep
            their fresh initialization).
        cache_dir: Keras cache folder for downloads (default `~/.keras` or
            `$KERAS_HOME`).

    Returns:
        An uncompiled `keras_gans.models.AdversarialModel` (the variant the
        preset was trained as). Call `compile()` before training it further.

    Example:

    ```python
    gan = keras_gans.models.from_preset("dcgan_fashion_mnist")
    images = gan.generate(16, seed=0)  # (16, 28, 28, 1) in [-1, 1]
    ```
    """
    import keras_gans.models  # noqa: F401 - registers the model classes

    if not isinstance(preset, (str, os.PathLike)):
        raise ValueError(f"preset must be a name or a folder path, got {preset!r}.")
    preset = os.fspath(preset)
    if os.path.isdir(preset):
        _check_local_dir(preset, load_weights)
    elif preset not in PRESETS:
        if os.sep in preset or preset.startswith("."):
            raise FileNotFoundError(f"Preset folder {preset!r} does not exist.")
        raise _unknown_preset_error(preset)
    config_path = preset_file(preset, CONFIG_FILE, cache_dir)
    try:
        with open(config_path) as f:
            config = json.load(f)
        model = keras.saving.deserialize_keras_object(config)
    except (ValueError, TypeError, KeyError) as error:
        raise ValueError(f"Could not build a model from {config_path}: {error}") from None
    if not isinstance(model, keras.Model) or not hasattr(model, "generate"):
        raise ValueError(
            f"{config_path} describes a {type(model).__name__}, not a keras_gans model."
        )
    if load_weights:
        weights_path = preset_file(preset, WEIGHTS_FILE, cache_dir)
        try:
            model.load_weights(weights_path)
        except Exception as error:  # noqa: BLE001 - h5py/Keras raise many types
            raise ValueError(
                f"Could not load the weights {weights_path} into the model of "
                f"{config_path}: {error}"
            ) from None
    return model


def _uncompiled_copy(model):
    """A fresh, uncompiled model with `model`'s config and weights."""
    config = keras.saving.serialize_keras_object(model)
    config.pop("compile_config", None)
    # Deserializing edits nested dicts in place: build from a deep copy.
    copy = keras.saving.deserialize_keras_object(json.loads(json.dumps(config)))
    copy.set_weights(model.get_weights())
    if hasattr(model, "seed_generator") and hasattr(copy, "seed_generator"):
        copy.seed_generator.state.assign(model.seed_generator.state.value)
    return copy, config


def save_to_preset(model, preset_dir, metadata=None, samples=True, seed=0):
    """Saves a model as a preset folder that `from_preset` loads.

    Writes `config.json`, `model.weights.h5` (both networks, no optimizer
    state), `metadata.json` (the given metadata plus the class, latent size,
    sample shape, number of classes and library versions) and, with
    `samples=True`, `samples.png` (64 samples from NumPy latent seed `seed`,
    see `generate_samples`; a scatter plot for 2D samples).

    Args:
        model: a `keras_gans.models.AdversarialModel`.
        preset_dir: folder to write (created; existing preset files are replaced).
        metadata: dict merged into `metadata.json` (the model card).
        samples: also write `samples.png`.
        seed: latent seed of the sample grid.

    Returns:
        `preset_dir`.

    Example:

    ```python
    keras_gans.presets.save_to_preset(gan, "my_gan", metadata={"data": "ring"})
    gan2 = keras_gans.models.from_preset("my_gan")
    ```
    """
    if not isinstance(model, keras.Model) or not hasattr(model, "generator"):
        raise ValueError(
            f"save_to_preset needs a keras_gans model, got {type(model).__name__}."
        )
    os.makedirs(preset_dir, exist_ok=True)
    copy, config = _uncompiled_copy(model)
    with open(os.path.join(preset_dir, CONFIG_FILE), "w") as f:
        json.dump(config, f, indent=2, sort_keys=True)
        f.write("\n")
    copy.save_weights(os.path.join(preset_dir, WEIGHTS_FILE))
    import keras_gans

    card = {
        "class_name": type(model).__name__,
        "latent_dim": int(model.latent_dim),
        "sample_shape": list(model.image_shape),
        "num_classes": model.num_classes,
        "keras_gans_version": keras_gans.__version__,
        "keras_version": keras.__version__,
    }
    card.update(metadata or {})
    with open(os.path.join(preset_dir, METADATA_FILE), "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    if samples:
        write_sample_grid(model, os.path.join(preset_dir, SAMPLES_FILE), seed=seed)
    return preset_dir


def latent_noise(num_samples, latent_dim, seed=0):
    """Standard normal latent vectors drawn with NumPy: `np.random.default_rng(seed)`.

    Unlike `keras.random.normal`, whose streams differ between the TensorFlow,
    JAX and PyTorch backends, these are the same everywhere, so that model
    cards, sample grids and `keras-gans evaluate` reproduce on every backend.
    """
    rng = np.random.default_rng(seed)
    return rng.standard_normal((int(num_samples), int(latent_dim))).astype("float32")


def generate_samples(model, num_samples, seed=0, labels=None, batch_size=256):
    """`model.generate`, with backend-independent latent noise (`latent_noise`).

    Args:
        model: a `keras_gans` model.
        num_samples: number of samples.
        seed: int seed of the latent noise (and of drawn labels).
        labels: for conditional models: one class, one label per sample, or
            None for labels drawn with NumPy from `seed`.
        batch_size: generator batch size.

    Returns:
        float32 NumPy array `(num_samples, *sample_shape)`.
    """
    num_samples = int(num_samples)
    z = latent_noise(num_samples, model.latent_dim, seed)
    labels = model.prepare_labels(num_samples, labels, seed)
    generator = model.sampling_generator()
    outputs = []
    for start in range(0, num_samples, batch_size):
        stop = min(start + batch_size, num_samples)
        batch_labels = None if labels is None else labels[start:stop]
        z_batch = keras.ops.convert_to_tensor(z[start:stop])
        images = generator(model.generator_inputs(z_batch, batch_labels), training=False)
        outputs.append(keras.ops.convert_to_numpy(keras.ops.cast(images, "float32")))
    if not outputs:
        return np.zeros((0,) + tuple(model.image_shape), "float32")
    return np.concatenate(outputs, axis=0)


def write_sample_grid(model, path, num_samples=64, seed=0, labels=None):
    """Writes a PNG of `num_samples` samples (`generate_samples`, latent seed
    `seed`): an image grid, or a scatter plot of 2D points. Conditional models
    get labels `0, 1, ..., 0, 1, ...` unless `labels` is given. Returns the
    uint8 picture."""
    from PIL import Image

    from keras_gans.callbacks import image_grid
    from keras_gans.callbacks import scatter_image

    num_classes = getattr(model, "num_classes", None)
    if labels is None and num_classes:
        labels = (np.arange(num_samples) % num_classes).astype("int32")
    samples = generate_samples(model, num_samples, seed=seed, labels=labels)
    if samples.ndim == 2 and samples.shape[1] == 2:
        picture = scatter_image(samples)
    else:
        picture = image_grid(samples)
    parent = os.path.dirname(os.path.abspath(path))
    os.makedirs(parent, exist_ok=True)
    Image.fromarray(picture[..., 0] if picture.shape[-1] == 1 else picture).save(path)
    return picture
