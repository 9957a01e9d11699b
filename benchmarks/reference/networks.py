"""DCGAN and SNGAN networks in plain PyTorch, layer for layer as in `keras_gans.networks`.

The layer lists follow the docstrings of `keras_gans.networks.dcgan` and
`keras_gans.networks.sngan`; tensors are NCHW, as PyTorch code is usually
written. Keras' `padding="same"` for a stride-2, size-4 kernel on even sides is
PyTorch's `padding=1` (also for transposed convolutions), a stride-1 size-3
kernel is `padding=1`. Batch norm uses PyTorch's defaults (`eps=1e-5`,
`momentum=0.1`), the Keras networks' `epsilon=1e-5, momentum=0.9`.

`SpectralNorm` repeats the math of `keras_gans.layers.SpectralNormalization`
(one power iteration per training call on a `(1, out)` vector `u`, sigma from
the refreshed `u`) instead of `torch.nn.utils.parametrizations.spectral_norm`,
whose sigma estimate differs slightly, so both libraries compute the same
function.

Example:

```python
generator = DCGANGenerator(latent_dim=100, image_shape=(28, 28, 1))
images = generator(torch.randn(16, 100))  # (16, 1, 28, 28)
```
"""

import torch
from torch import nn
from torch.nn import functional as F

DCGAN_STDDEV = 0.02
NORM_EPSILON = 1e-5
TORCH_BN_MOMENTUM = 0.1  # Keras momentum 0.9


def dcgan_base_grid(image_shape):
    """`(base_height, base_width, num_steps)` exactly as `keras_gans.networks.dcgan_base_grid`."""
    height, width, _ = image_shape

    def halvings(side):
        steps = 0
        while side % 2 == 0 and side > 4:
            side //= 2
            steps += 1
        return side, steps

    base_height, steps_h = halvings(height)
    base_width, steps_w = halvings(width)
    if steps_h != steps_w or height % 4 or width % 4:
        raise ValueError(f"Unsupported DCGAN image shape {tuple(image_shape)}.")
    return base_height, base_width, steps_h


def sngan_base_grid(image_shape, max_upsamplings=3):
    """`(base_height, base_width, num_upsamplings)` as `keras_gans.networks.sngan.sngan_base_grid`."""
    height, width, _ = image_shape

    def halvings(side):
        steps = 0
        while side % 2 == 0 and steps < max_upsamplings:
            side //= 2
            steps += 1
        return side, steps

    base_height, steps_h = halvings(height)
    base_width, steps_w = halvings(width)
    if steps_h != steps_w or steps_h == 0:
        raise ValueError(f"Unsupported SNGAN image shape {tuple(image_shape)}.")
    return base_height, base_width, steps_h


def _l2_normalize(x, epsilon):
    return x / (torch.sqrt(torch.sum(x * x)) + epsilon)


class SpectralNorm(nn.Module):
    """Spectral normalization of a `Linear`, `Conv2d` or `ConvTranspose2d` weight.

    The wrapped layer keeps its raw, trainable weight; every call uses
    `weight / sigma`. `u` (a buffer of shape `(1, out_features)`) is refined by
    one power iteration, without gradient, on each call in training mode.

    Args:
        layer: the layer to wrap.
        power_iterations: power-iteration steps per training call.
        epsilon: added to norms.
    """

    def __init__(self, layer, power_iterations=1, epsilon=1e-12):
        super().__init__()
        if not isinstance(layer, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            raise ValueError(f"SpectralNorm wraps Linear/Conv2d/ConvTranspose2d, got {type(layer).__name__}.")
        self.layer = layer
        self.power_iterations = int(power_iterations)
        self.epsilon = float(epsilon)
        self.register_buffer("u", torch.randn(1, self._matrix(layer.weight).shape[0]))

    def _matrix(self, weight):
        # Rows are output channels (dim 1 of a transposed convolution's weight).
        if isinstance(self.layer, nn.ConvTranspose2d):
            weight = weight.transpose(0, 1)
        return weight.reshape(weight.shape[0], -1)

    def normalized_weight(self):
        matrix = self._matrix(self.layer.weight)
        u = self.u
        if self.training:
            with torch.no_grad():
                detached = matrix.detach()
                for _ in range(self.power_iterations):
                    v = _l2_normalize(u @ detached, self.epsilon)
                    u = _l2_normalize(v @ detached.t(), self.epsilon)
                self.u.copy_(u)
        u = _l2_normalize(u, self.epsilon)
        sigma = torch.clamp_min(torch.sqrt(torch.sum((u @ matrix) ** 2)), self.epsilon)
        return self.layer.weight / sigma

    def forward(self, x):
        weight = self.normalized_weight()
        layer = self.layer
        if isinstance(layer, nn.Linear):
            return F.linear(x, weight, layer.bias)
        if isinstance(layer, nn.Conv2d):
            return F.conv2d(x, weight, layer.bias, layer.stride, layer.padding)
        return F.conv_transpose2d(x, weight, layer.bias, layer.stride, layer.padding)


def _maybe_sn(layer, spectral_norm):
    return SpectralNorm(layer) if spectral_norm else layer


def _init_dcgan(module):
    for m in module.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(m.weight, 0.0, DCGAN_STDDEV)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            nn.init.normal_(m.weight, 1.0, DCGAN_STDDEV)
            nn.init.zeros_(m.bias)


class DCGANGenerator(nn.Module):
    """`keras_gans.networks.dcgan_generator` in PyTorch: `(N, latent)` -> `(N, C, H, W)`.

    `Linear(latent, h0*w0*F*2**(n-1), bias=False)` -> `BatchNorm1d` -> `ReLU` ->
    reshape; `n-1` blocks `ConvTranspose2d(4, 2, 1, bias=False)` -> `BatchNorm2d`
    -> `ReLU`, halving the channels; `ConvTranspose2d(F, C, 4, 2, 1)` -> `tanh`.
    """

    def __init__(self, latent_dim=100, image_shape=(28, 28, 1), filters=64):
        super().__init__()
        base_h, base_w, steps = dcgan_base_grid(image_shape)
        base_filters = filters * 2 ** (steps - 1)
        self.base_shape = (base_filters, base_h, base_w)
        features = base_filters * base_h * base_w
        self.projection = nn.Linear(latent_dim, features, bias=False)
        self.projection_bn = nn.BatchNorm1d(features, eps=NORM_EPSILON, momentum=TORCH_BN_MOMENTUM)
        blocks = []
        channels = base_filters
        for _ in range(1, steps):
            blocks += [
                nn.ConvTranspose2d(channels, channels // 2, 4, 2, 1, bias=False),
                nn.BatchNorm2d(channels // 2, eps=NORM_EPSILON, momentum=TORCH_BN_MOMENTUM),
                nn.ReLU(),
            ]
            channels //= 2
        blocks.append(nn.ConvTranspose2d(channels, image_shape[-1], 4, 2, 1))
        self.blocks = nn.Sequential(*blocks)
        _init_dcgan(self)

    def forward(self, z):
        x = F.relu(self.projection_bn(self.projection(z)))
        x = x.view(-1, *self.base_shape)
        return torch.tanh(self.blocks(x))


class DCGANDiscriminator(nn.Module):
    """`keras_gans.networks.dcgan_discriminator` in PyTorch: `(N, C, H, W)` -> `(N, 1)` logits.

    `n` blocks `Conv2d(4, 2, 1)` -> [`BatchNorm2d` | `LayerNorm((C, H, W))`, none
    in the first block] -> `LeakyReLU(0.2)`, doubling the channels; `Flatten` ->
    `Linear(., 1)`. Normalized convolutions have no bias.
    """

    def __init__(self, image_shape=(28, 28, 1), filters=64, normalization="batch"):
        super().__init__()
        if normalization not in ("batch", "layer", None):
            raise ValueError(f"Unknown normalization {normalization!r}.")
        height, width, channels = image_shape
        _, _, steps = dcgan_base_grid(image_shape)
        layers = []
        for step in range(steps):
            out = filters * 2**step
            normalized = step > 0 and normalization is not None
            layers.append(nn.Conv2d(channels, out, 4, 2, 1, bias=not normalized))
            height, width, channels = height // 2, width // 2, out
            if normalized and normalization == "batch":
                layers.append(nn.BatchNorm2d(out, eps=NORM_EPSILON, momentum=TORCH_BN_MOMENTUM))
            elif normalized:
                layers.append(nn.LayerNorm((out, height, width), eps=NORM_EPSILON))
            layers.append(nn.LeakyReLU(0.2))
        self.features = nn.Sequential(*layers)
        self.flatten_shape = (channels, height, width)
        self.logits = nn.Linear(channels * height * width, 1)
        _init_dcgan(self)

    def forward(self, x):
        return self.logits(torch.flatten(self.features(x), 1))


class SNGANGenerator(nn.Module):
    """`keras_gans.networks.sngan.sngan_generator` in PyTorch (Miyato et al. 2018, Table 3a).

    `Linear(latent, h0*w0*F*2**n)` -> `BatchNorm1d` -> `ReLU` -> reshape; `n` blocks
    `ConvTranspose2d(4, 2, 1)` -> `BatchNorm2d` -> `ReLU`, halving the channels;
    `Conv2d(F, C, 3, 1, 1)` -> `tanh`. All layers have biases.
    """

    def __init__(self, latent_dim=128, image_shape=(32, 32, 3), filters=64, spectral_norm=False):
        super().__init__()
        base_h, base_w, steps = sngan_base_grid(image_shape)
        base_filters = filters * 2**steps
        self.base_shape = (base_filters, base_h, base_w)
        features = base_filters * base_h * base_w
        self.projection = _maybe_sn(nn.Linear(latent_dim, features), spectral_norm)
        self.projection_bn = nn.BatchNorm1d(features, eps=NORM_EPSILON, momentum=TORCH_BN_MOMENTUM)
        blocks = []
        channels = base_filters
        for _ in range(steps):
            blocks += [
                _maybe_sn(nn.ConvTranspose2d(channels, channels // 2, 4, 2, 1), spectral_norm),
                nn.BatchNorm2d(channels // 2, eps=NORM_EPSILON, momentum=TORCH_BN_MOMENTUM),
                nn.ReLU(),
            ]
            channels //= 2
        blocks.append(_maybe_sn(nn.Conv2d(channels, image_shape[-1], 3, 1, 1), spectral_norm))
        self.blocks = nn.Sequential(*blocks)

    def forward(self, z):
        x = F.relu(self.projection_bn(self.projection(z)))
        x = x.view(-1, *self.base_shape)
        return torch.tanh(self.blocks(x))


class SNGANDiscriminator(nn.Module):
    """`keras_gans.networks.sngan.sngan_discriminator` in PyTorch (Miyato et al. 2018, Table 3b).

    Spectral-normalized `Conv2d` (3x3 stride 1, 4x4 stride 2) pairs with `F`,
    `2F`, `4F` channels, a 3x3 `8F` convolution, each followed by
    `LeakyReLU(0.1)`; `Flatten` -> spectral-normalized `Linear(., 1)`.
    """

    def __init__(self, image_shape=(32, 32, 3), filters=64, spectral_norm=True):
        super().__init__()
        height, width, channels = image_shape
        layout = []
        for stage in range(3):
            layout += [(filters * 2**stage, 3, 1), (filters * 2**stage, 4, 2)]
        layout.append((filters * 8, 3, 1))
        layers = []
        for out, kernel, stride in layout:
            layers.append(_maybe_sn(nn.Conv2d(channels, out, kernel, stride, 1), spectral_norm))
            layers.append(nn.LeakyReLU(0.1))
            channels = out
            height, width = -(-height // stride), -(-width // stride)
        self.features = nn.Sequential(*layers)
        self.flatten_shape = (channels, height, width)
        self.logits = _maybe_sn(nn.Linear(channels * height * width, 1), spectral_norm)

    def forward(self, x):
        return self.logits(torch.flatten(self.features(x), 1))
