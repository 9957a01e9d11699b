"""Representative inputs for int8 calibration.

Post-training int8 quantization measures the range of every activation on
representative inputs. For a latent model these are what the generator sees
when it samples: `z` from N(0, 1) and class labels spread evenly over the
classes, drawn with NumPy so that they are the same on every backend. Inputs
that cannot be drawn (e.g. the images of an image-to-image model) must be
given as `representative_data`.
"""

import numpy as np

from keras_gans.export.signature import LATENT_INPUT

CALIBRATION_BATCH_SIZE = 8


def representative_inputs(signature, num_samples=256, seed=0, representative_data=None):
    """Calibration inputs as a dict `{input name: NumPy array (num_samples, ...)}`.

    Args:
        signature: a `ServingSignature`.
        num_samples: samples to draw (ignored for `representative_data`).
        seed: NumPy seed of the drawn samples.
        representative_data: optional dict `{input name: array}` (or one array
            for a one-input signature) used instead of drawn samples.

    Returns:
        dict of NumPy arrays with the dtypes of the signature.
    """
    names = signature.input_names
    if representative_data is not None:
        if not isinstance(representative_data, dict):
            if len(names) != 1:
                raise ValueError(
                    f"representative_data must be a dict with keys {names} for this signature. "
                    f"Received: {type(representative_data).__name__}"
                )
            representative_data = {names[0]: representative_data}
        if sorted(representative_data) != sorted(names):
            raise ValueError(
                f"representative_data must have exactly the keys {names}. "
                f"Received: keys={sorted(representative_data)}"
            )
        data = {}
        for name in names:
            spec = signature.spec(name)
            array = np.asarray(representative_data[name]).astype(spec.dtype)
            if array.ndim != len(spec.shape) or any(
                d is not None and d != a for d, a in zip(spec.shape[1:], array.shape[1:])
            ):
                raise ValueError(
                    f"representative_data[{name!r}] must have shape {spec.shape}. "
                    f"Received: shape={array.shape}"
                )
            data[name] = array
        counts = {len(array) for array in data.values()}
        if len(counts) != 1 or counts == {0}:
            raise ValueError(
                "representative_data needs the same non-zero number of samples for every "
                f"input. Received: {{{', '.join(f'{k}: {len(v)}' for k, v in data.items())}}}"
            )
        return data
    if isinstance(num_samples, bool) or not isinstance(num_samples, int) or num_samples < 1:
        raise ValueError(
            f"num_calibration_samples must be a positive integer. Received: "
            f"num_calibration_samples={num_samples!r}"
        )
    rng = np.random.default_rng(seed)
    data = {}
    for spec in signature.inputs:
        if spec.name == signature.label_input:
            data[spec.name] = (np.arange(num_samples) % signature.num_classes).astype(spec.dtype)
        elif spec.name == LATENT_INPUT:
            shape = (num_samples,) + tuple(spec.shape[1:])
            data[spec.name] = rng.standard_normal(shape).astype(spec.dtype)
        else:
            raise ValueError(
                f"int8 calibration cannot draw the input {spec.name!r}: pass "
                f"representative_data={{{', '.join(repr(n) for n in names)}: arrays}}."
            )
    return data


def calibration_batches(data, batch_size=CALIBRATION_BATCH_SIZE):
    """Yields dicts of consecutive batches of the calibration inputs."""
    count = len(next(iter(data.values())))
    for start in range(0, count, batch_size):
        yield {name: array[start : start + batch_size] for name, array in data.items()}
