"""What an exported generator takes and returns: its serving signature.

Every export format carries one signature, `serving_default`, whose inputs are
named tensors with a free batch dimension and whose output is `images`. The
default signature of a latent-to-image model is

    z: float32 [batch, latent_dim]     (+ labels: int32 [batch] when num_classes)
        -> images: float32 [batch, *sample_shape] in [-1, 1]  (uint8 in [0, 255])

A model whose generator takes something else, e.g. an image-to-image
translator (`source -> images`), describes its signature by defining
`serving_signature()` and returning a `ServingSignature`. The output is always
named `images`; no input may take that name (an ONNX graph cannot have an
input and an output of the same name).
"""

import keras

LATENT_INPUT = "z"
LABELS_INPUT = "labels"
OUTPUT_NAME = "images"
SIGNATURE_NAME = "serving_default"


class ServingSignature:
    """The named inputs of an exported generator and how they reach it.

    Args:
        inputs: list of `keras.InputSpec` with a `name`, a shape whose first
            dimension is the free batch size (`None`) and a dtype.
        generator_inputs: function of a dict `{name: tensor}` returning what
            the generator is called on.
        num_classes: number of classes of the `label_input` (class labels are
            checked to lie in `[0, num_classes)`), or `None`.
        label_input: the name of the class-label input, or `None`.

    Example:

    An image-to-image model (sketch) serving `source -> images`:

    ```python
    def serving_signature(self):
        return ServingSignature(
            inputs=[keras.InputSpec(shape=(None, 64, 64, 3), dtype="float32", name="source")],
            generator_inputs=lambda inputs: inputs["source"],
        )
    ```
    """

    def __init__(self, inputs, generator_inputs, num_classes=None, label_input=None):
        names = [spec.name for spec in inputs]
        if not inputs or any(not name for name in names) or len(set(names)) != len(names):
            raise ValueError(
                f"A serving signature needs one or more inputs with distinct names. Received: inputs={inputs}"
            )
        if OUTPUT_NAME in names:
            raise ValueError(
                f"No serving input may be named {OUTPUT_NAME!r}, the name of the output. "
                f"Received: inputs={names}"
            )
        for spec in inputs:
            if spec.shape is None or spec.shape[0] is not None:
                raise ValueError(
                    "Each serving input must have a free batch dimension (shape "
                    f"(None, ...)). Received: {spec.name} shape={spec.shape}"
                )
        if (label_input is None) != (num_classes is None):
            raise ValueError(
                "num_classes and label_input go together. Received: "
                f"num_classes={num_classes}, label_input={label_input}"
            )
        if label_input is not None and label_input not in names:
            raise ValueError(
                f"label_input must name one of the inputs {names}. Received: label_input={label_input!r}"
            )
        self.inputs = list(inputs)
        self.generator_inputs = generator_inputs
        self.num_classes = None if num_classes is None else int(num_classes)
        self.label_input = label_input

    @property
    def input_names(self):
        return [spec.name for spec in self.inputs]

    def spec(self, name):
        return self.inputs[self.input_names.index(name)]

    def describe(self):
        """A one-line description, e.g. `z float32 [None, 64], labels int32 [None]`."""
        return ", ".join(
            f"{spec.name} {spec.dtype} [{', '.join(str(d) for d in spec.shape)}]" for spec in self.inputs
        )


def serving_signature(model):
    """The signature a model is exported with.

    Models that define `serving_signature()` give their own; a latent model
    (`latent_dim`, optional `num_classes`) gets `z` (+ `labels`), and its
    generator is called on `model.generator_inputs(z, labels)`.

    Args:
        model: a `keras_gans` model.

    Returns:
        A `ServingSignature`.
    """
    own = getattr(model, "serving_signature", None)
    if callable(own):
        signature = own()
        if not isinstance(signature, ServingSignature):
            raise ValueError(
                f"{type(model).__name__}.serving_signature() must return a "
                f"keras_gans.export.ServingSignature. Received: {signature!r}"
            )
        return signature
    inputs = [keras.InputSpec(shape=(None, int(model.latent_dim)), dtype="float32", name=LATENT_INPUT)]
    num_classes = getattr(model, "num_classes", None)
    if num_classes is not None:
        inputs.append(keras.InputSpec(shape=(None,), dtype="int32", name=LABELS_INPUT))

        def generator_inputs(tensors):
            return model.generator_inputs(tensors[LATENT_INPUT], tensors[LABELS_INPUT])

        return ServingSignature(inputs, generator_inputs, num_classes, LABELS_INPUT)

    def latent_only(tensors):
        return model.generator_inputs(tensors[LATENT_INPUT], None)

    return ServingSignature(inputs, latent_only)
