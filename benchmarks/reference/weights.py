"""Copies a Keras network's weights into the matching PyTorch reference module.

The Keras side is passed as plain NumPy arrays, so this module does not import
Keras: one dict per Keras layer that has weights, in layer order, keyed by the
weight's base name (`kernel`, `bias`, `gamma`, `beta`, `moving_mean`,
`moving_variance`, `u`). `keras_layer_weights` in `benchmarks/speed.py` builds
that list from a model.

Layouts: Keras dense kernels are `(in, out)` (PyTorch `(out, in)`), convolution
kernels `(kh, kw, in, out)` (PyTorch `(out, in, kh, kw)`), transposed ones
`(kh, kw, out, in)` (PyTorch `(in, out, kh, kw)`); features that Keras orders
`(h, w, c)` (the generator's projection, the discriminator's flattened maps)
are `(c, h, w)` in PyTorch.

Example:

```python
load_keras_weights(torch_generator, keras_layer_weights(keras_generator))
```
"""

import numpy as np
import torch
from torch import nn

from benchmarks.reference.networks import SpectralNorm

_PARAMETRIC = (
    nn.Linear,
    nn.Conv2d,
    nn.ConvTranspose2d,
    nn.BatchNorm1d,
    nn.BatchNorm2d,
    nn.LayerNorm,
    SpectralNorm,
)


def parametric_modules(module):
    """The modules with weights, in registration (= forward) order; a `SpectralNorm` counts once."""
    for child in module.children():
        if isinstance(child, _PARAMETRIC):
            yield child
        else:
            yield from parametric_modules(child)


def _hwc_to_chw(shape_chw):
    channels, height, width = shape_chw
    return np.arange(height * width * channels).reshape(height, width, channels).transpose(2, 0, 1).ravel()


def _copy(target, array):
    array = np.asarray(array, dtype=np.float32)
    if tuple(target.shape) != array.shape:
        raise ValueError(f"Shape mismatch: PyTorch {tuple(target.shape)} vs converted Keras {array.shape}.")
    with torch.no_grad():
        target.copy_(torch.from_numpy(np.ascontiguousarray(array)))


def _load_layer(layer, weights, out_perm=None, in_perm=None):
    if isinstance(layer, SpectralNorm):
        _load_layer(layer.layer, weights, out_perm, in_perm)
        _copy(layer.u, weights["u"])
        return
    if isinstance(layer, nn.Linear):
        kernel = weights["kernel"]
        if out_perm is not None:
            kernel = kernel[:, out_perm]
        if in_perm is not None:
            kernel = kernel[in_perm, :]
        _copy(layer.weight, kernel.T)
    elif isinstance(layer, (nn.Conv2d, nn.ConvTranspose2d)):
        _copy(layer.weight, weights["kernel"].transpose(3, 2, 0, 1))
    elif isinstance(layer, (nn.BatchNorm1d, nn.BatchNorm2d)):
        names = ("gamma", "beta", "moving_mean", "moving_variance")
        targets = (layer.weight, layer.bias, layer.running_mean, layer.running_var)
        for name, target in zip(names, targets):
            value = weights[name]
            _copy(target, value if out_perm is None else value[out_perm])
        return
    elif isinstance(layer, nn.LayerNorm):
        _copy(layer.weight, weights["gamma"].transpose(2, 0, 1))
        _copy(layer.bias, weights["beta"].transpose(2, 0, 1))
        return
    if layer.bias is not None:
        bias = weights["bias"]
        _copy(layer.bias, bias if out_perm is None else bias[out_perm])


def load_keras_weights(module, layer_weights):
    """Loads Keras weights (see the module docstring) into a reference network.

    Args:
        module: a network of `benchmarks.reference.networks`.
        layer_weights: list of `{weight name: array}`, one per Keras layer with
            weights, in the Keras model's layer order.
    """
    targets = list(parametric_modules(module))
    if len(targets) != len(layer_weights):
        raise ValueError(
            f"The PyTorch module has {len(targets)} layers with weights, the Keras model "
            f"{len(layer_weights)}."
        )
    out_perms, in_perms = {}, {}
    if hasattr(module, "base_shape"):
        perm = _hwc_to_chw(module.base_shape)
        out_perms[id(module.projection)] = perm
        out_perms[id(module.projection_bn)] = perm
    if hasattr(module, "flatten_shape"):
        in_perms[id(module.logits)] = _hwc_to_chw(module.flatten_shape)
    for layer, weights in zip(targets, layer_weights):
        _load_layer(layer, weights, out_perms.get(id(layer)), in_perms.get(id(layer)))
