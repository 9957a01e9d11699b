"""Class-conditional generators and discriminators built around unconditional bodies.

Labels enter every network as an int tensor `(batch, 1)` named `"labels"`. A label
is encoded as a one-hot vector (`label_embedding_dim=None`) or a learned embedding,
then concatenated to the latent vector (generator) or to the samples (discriminator:
as constant feature maps for images). The projection discriminator of Miyato &
Koyama (2018) instead takes the inner product of a class embedding with the
discriminator's features.
"""

import numbers

import keras

from keras_gans.layers.spectral_normalization import SpectralNormalization


def _check_positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"`{name}` must be a positive integer. Received: {name}={value!r}")
    return int(value)


def label_code_size(num_classes, label_embedding_dim=None):
    """Width of a label's code: `num_classes` (one-hot) or `label_embedding_dim`."""
    return num_classes if label_embedding_dim is None else label_embedding_dim


def _encode_labels(labels, num_classes, label_embedding_dim, name):
    if label_embedding_dim is None:
        return keras.layers.CategoryEncoding(
            num_tokens=num_classes, output_mode="one_hot", name=f"{name}_one_hot"
        )(labels)
    x = keras.layers.Embedding(num_classes, label_embedding_dim, name=f"{name}_embedding")(labels)
    return keras.layers.Reshape((label_embedding_dim,), name=f"{name}_flatten")(x)


def _single_input_shape(model, what):
    shape = model.input_shape
    if isinstance(shape, list) or (shape and isinstance(shape[0], (tuple, list))):
        raise ValueError(f"The {what} body must take a single input, got input shapes {shape}.")
    return tuple(shape[1:])


def conditional_generator(body, num_classes, latent_dim, label_embedding_dim=None, name="generator"):
    """A generator `[z, labels] -> samples`: `body(concat(z, code(labels)))`.

    Args:
        body: an unconditional generator whose input size is
            `latent_dim + label_code_size(num_classes, label_embedding_dim)`.
        num_classes: number of classes.
        latent_dim: size of `z`.
        label_embedding_dim: `None` for one-hot labels, or the size of a learned
            label embedding.
        name: name of the model.

    Returns:
        A functional `keras.Model` with inputs `z` `(batch, latent_dim)` and
        `labels` `(batch, 1)` int32.

    Example:

    ```python
    body = keras_gans.networks.mlp_generator(latent_dim=8 + 5, output_dim=2)
    generator = conditional_generator(body, num_classes=5, latent_dim=8)
    points = generator([keras.random.normal((4, 8)), np.array([[0], [1], [2], [3]])])
    ```

    Reference:
        Mirza & Osindero, "Conditional Generative Adversarial Nets", 2014.
    """
    num_classes = _check_positive_int(num_classes, "num_classes")
    latent_dim = _check_positive_int(latent_dim, "latent_dim")
    code_size = label_code_size(num_classes, label_embedding_dim)
    expected = (latent_dim + code_size,)
    if _single_input_shape(body, "generator") != expected:
        raise ValueError(
            f"The generator body must take inputs of shape (batch, {expected[0]}) = latent_dim "
            f"{latent_dim} + label code {code_size}; it takes {body.input_shape}."
        )
    z = keras.Input((latent_dim,), name="z")
    labels = keras.Input((1,), dtype="int32", name="labels")
    code = _encode_labels(labels, num_classes, label_embedding_dim, "generator_labels")
    x = keras.layers.Concatenate(name="generator_condition")([z, code])
    return keras.Model([z, labels], body(x), name=name)


def conditional_discriminator(
    body, num_classes, sample_shape, label_embedding_dim=None, name="discriminator"
):
    """A discriminator `[samples, labels] -> logits`: labels concatenated to the input.

    For images `(H, W, C)` the label code is broadcast to `H x W` feature maps and
    concatenated as extra channels; flat samples `(D,)` get it concatenated.

    Args:
        body: an unconditional discriminator taking `(H, W, C + k)` (or `(D + k,)`)
            with `k = label_code_size(num_classes, label_embedding_dim)`.
        num_classes: number of classes.
        sample_shape: shape of one sample without the label, e.g. `(28, 28, 1)`.
        label_embedding_dim: `None` (one-hot) or the size of a learned embedding.
        name: name of the model.

    Example:

    ```python
    body = keras_gans.networks.dcgan_discriminator((28, 28, 1 + 10))
    discriminator = conditional_discriminator(body, 10, (28, 28, 1))
    ```

    Reference:
        Mirza & Osindero, "Conditional Generative Adversarial Nets", 2014.
    """
    num_classes = _check_positive_int(num_classes, "num_classes")
    sample_shape = tuple(int(d) for d in sample_shape)
    if len(sample_shape) not in (1, 3):
        raise ValueError(f"sample_shape must be (H, W, C) or (D,), got {sample_shape}.")
    code_size = label_code_size(num_classes, label_embedding_dim)
    expected = sample_shape[:-1] + (sample_shape[-1] + code_size,)
    if _single_input_shape(body, "discriminator") != expected:
        raise ValueError(
            f"The discriminator body must take inputs of shape {(None,) + expected} (samples "
            f"plus a label code of size {code_size}); it takes {body.input_shape}."
        )
    samples = keras.Input(sample_shape, name="samples")
    labels = keras.Input((1,), dtype="int32", name="labels")
    code = _encode_labels(labels, num_classes, label_embedding_dim, "discriminator_labels")
    if len(sample_shape) == 3:
        code = keras.layers.Reshape((1, 1, code_size), name="label_maps_reshape")(code)
        code = keras.layers.UpSampling2D(sample_shape[:2], name="label_maps")(code)
    x = keras.layers.Concatenate(name="discriminator_condition")([samples, code])
    return keras.Model([samples, labels], body(x), name=name)


def projection_discriminator(features, num_classes, spectral_norm=False, name="discriminator"):
    """Projection discriminator: `D(x, y) = psi(phi(x)) + embed(y) . phi(x)`.

    `phi` is `features` (samples -> `(batch, F)`), `psi` a linear layer to one
    logit and `embed` a learned `num_classes x F` class embedding (the matrix `V`
    of the paper).

    Args:
        features: a `keras.Model` mapping samples to flat features `(batch, F)`.
        num_classes: number of classes.
        spectral_norm: wrap `psi` and the embedding in `SpectralNormalization`,
            as in the paper's SN discriminators.
        name: name of the model.

    Returns:
        A functional `keras.Model` `[samples, labels] -> (batch, 1)` float32 logits.

    Example:

    ```python
    body = keras_gans.networks.mlp_discriminator(2)
    phi = keras.Model(body.input, body.get_layer("hidden_3").output)
    discriminator = projection_discriminator(phi, num_classes=5)
    ```

    Reference:
        Miyato & Koyama, "cGANs with Projection Discriminator", ICLR 2018.
    """
    num_classes = _check_positive_int(num_classes, "num_classes")
    sample_shape = _single_input_shape(features, "features")
    feature_shape = tuple(features.output_shape[1:])
    if len(feature_shape) != 1 or feature_shape[0] is None:
        raise ValueError(f"features must output flat vectors (batch, F), got {features.output_shape}.")
    width = feature_shape[0]
    samples = keras.Input(sample_shape, name="samples")
    labels = keras.Input((1,), dtype="int32", name="labels")
    phi = features(samples)
    psi = keras.layers.Dense(1, dtype="float32", name="unconditional_logit")
    embed = keras.layers.Embedding(num_classes, width, name="class_embedding")
    if spectral_norm:
        psi = SpectralNormalization(psi, dtype="float32", name="sn_unconditional_logit")
        embed = SpectralNormalization(embed, name="sn_class_embedding")
    class_vectors = keras.layers.Reshape((width,), name="class_vector")(embed(labels))
    projection = keras.layers.Dot(axes=1, dtype="float32", name="projection")([phi, class_vectors])
    logits = keras.layers.Add(dtype="float32", name="logits")([psi(phi), projection])
    return keras.Model([samples, labels], logits, name=name)


def auxiliary_classifier_discriminator(features, num_classes, spectral_norm=False, name="discriminator"):
    """ACGAN discriminator: samples -> `[source logit (batch, 1), class logits (batch, K)]`.

    Args:
        features: a `keras.Model` mapping samples to flat features `(batch, F)`.
        num_classes: number of classes `K`.
        spectral_norm: wrap both heads in `SpectralNormalization`.
        name: name of the model.

    Example:

    ```python
    body = keras_gans.networks.dcgan_discriminator((28, 28, 1))
    phi = keras.Model(body.input, body.get_layer("flatten").output)
    discriminator = auxiliary_classifier_discriminator(phi, num_classes=10)
    ```

    Reference:
        Odena et al., "Conditional Image Synthesis with Auxiliary Classifier GANs",
        ICML 2017.
    """
    num_classes = _check_positive_int(num_classes, "num_classes")
    sample_shape = _single_input_shape(features, "features")
    samples = keras.Input(sample_shape, name="samples")
    phi = features(samples)
    source = keras.layers.Dense(1, dtype="float32", name="source")
    classes = keras.layers.Dense(num_classes, dtype="float32", name="classes")
    if spectral_norm:
        source = SpectralNormalization(source, dtype="float32", name="sn_source")
        classes = SpectralNormalization(classes, dtype="float32", name="sn_classes")
    return keras.Model(samples, [source(phi), classes(phi)], name=name)


def feature_model(discriminator, layer_name, name="features"):
    """The part of a functional discriminator from its input to layer `layer_name`.

    Example:

    ```python
    phi = feature_model(keras_gans.networks.dcgan_discriminator((28, 28, 1)), "flatten")
    ```
    """
    names = [layer.name for layer in discriminator.layers]
    if layer_name not in names:
        raise ValueError(f"No layer {layer_name!r} in {discriminator.name}; its layers: {', '.join(names)}.")
    return keras.Model(discriminator.input, discriminator.get_layer(layer_name).output, name=name)
