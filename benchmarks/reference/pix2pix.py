"""Pix2Pix in plain PyTorch: the U-Net, the conditional PatchGAN and the update of `Pix2Pix`.

The networks follow the docstrings of `keras_gans.networks.unet_generator` and
`keras_gans.networks.patchgan_discriminator` layer for layer (NCHW tensors;
Keras' `padding="same"` for a stride-2, size-4 kernel on even sides is
PyTorch's `padding=1`; batch norm with `eps=1e-5`, `momentum=0.1`, the Keras
networks' `epsilon=1e-5, momentum=0.9`), and register their layers with
weights in the Keras models' layer order, so that
`benchmarks.reference.weights.load_keras_weights` copies a Keras network in.

`Pix2PixTrainer.train_step(inputs, targets)` is one Keras `train_step` of
`Pix2Pix`: a discriminator update on the real pair `(x, y)` and the translated
pair `(x, G(x))` (the translation without gradient, the generator in training
mode), `discriminator_weight * (softplus(-D(x, y)) + softplus(D(x, G(x))))`
averaged over the patch logits; then a generator update on a fresh
translation (fresh dropout), `softplus(-D(x, G(x))) + l1_weight * |G(x) - y|`.
Adam uses Keras' default `eps=1e-7` (Keras adds it to `sqrt(v)` before the bias
correction, PyTorch after it: the first updates of parameters with gradients
below about `1e-5` differ a little; the cost of a step is the same).

Example:

```python
generator = UNetGenerator((28, 28, 2), output_channels=1, filters=16, num_downsamplings=4)
discriminator = PatchGANDiscriminator((28, 28, 1), (28, 28, 2), filters=16, num_downsamplings=1)
trainer = Pix2PixTrainer(generator, discriminator)
logs = trainer.train_step(torch.rand(32, 2, 28, 28) * 2 - 1, torch.rand(32, 1, 28, 28) * 2 - 1)
```
"""

import torch
from torch import nn
from torch.nn import functional as F

from benchmarks.reference.networks import NORM_EPSILON
from benchmarks.reference.networks import TORCH_BN_MOMENTUM

KERNEL_SIZE = 4
MAX_FILTER_MULTIPLIER = 8
LEAKY_RELU_SLOPE = 0.2


def _batch_norm(channels):
    return nn.BatchNorm2d(channels, eps=NORM_EPSILON, momentum=TORCH_BN_MOMENTUM)


def _next_power_of_two(side):
    power = 1
    while power < side:
        power *= 2
    return power


class UNetGenerator(nn.Module):
    """`keras_gans.networks.unet_generator` (batch norm) in PyTorch: `(N, C_in, H, W)` -> `(N, C_out, H, W)`.

    Reflection padding to the next power of two; `D` encoder blocks
    `Conv2d(4, 2, 1)` -> [`BatchNorm2d`, not in the first and last block] ->
    `LeakyReLU(0.2)`; `D - 1` decoder blocks `ConvTranspose2d(4, 2, 1, bias=False)`
    -> `BatchNorm2d` -> [`Dropout`, the first `num_dropout_blocks`] -> `ReLU` ->
    concatenation with the mirrored encoder block's output;
    `ConvTranspose2d(., C_out, 4, 2, 1)`, cropping, `tanh`.

    Args:
        image_shape: `(height, width, channels)` of the inputs.
        output_channels: channels of the outputs.
        filters: channels of the first encoder block.
        num_downsamplings: the number of encoder blocks `D`.
        dropout_rate: rate of the decoder's dropout layers (on in training mode).
        num_dropout_blocks: decoder blocks with dropout.
    """

    def __init__(
        self, image_shape, output_channels, filters, num_downsamplings, dropout_rate=0.5, num_dropout_blocks=3
    ):
        super().__init__()
        height, width, channels = image_shape
        padded_h, padded_w = _next_power_of_two(height), _next_power_of_two(width)
        # F.pad order: (left, right, top, bottom).
        self.pads = (
            (padded_w - width) // 2,
            (padded_w - width + 1) // 2,
            (padded_h - height) // 2,
            (padded_h - height + 1) // 2,
        )
        depth = int(num_downsamplings)

        def level_filters(level):
            return filters * min(2**level, MAX_FILTER_MULTIPLIER)

        self.encoder = nn.ModuleList()
        for block in range(1, depth + 1):
            normalized = 1 < block < depth
            out = level_filters(block - 1)
            layers = [nn.Conv2d(channels, out, KERNEL_SIZE, 2, 1, bias=not normalized)]
            if normalized:
                layers.append(_batch_norm(out))
            layers.append(nn.LeakyReLU(LEAKY_RELU_SLOPE))
            self.encoder.append(nn.Sequential(*layers))
            channels = out
        self.decoder = nn.ModuleList()
        for block in range(1, depth):
            out = level_filters(depth - 1 - block)
            layers = [nn.ConvTranspose2d(channels, out, KERNEL_SIZE, 2, 1, bias=False), _batch_norm(out)]
            if block <= num_dropout_blocks and dropout_rate > 0:
                layers.append(nn.Dropout(dropout_rate))
            layers.append(nn.ReLU())
            self.decoder.append(nn.Sequential(*layers))
            channels = out + level_filters(depth - 1 - block)  # after the skip concatenation
        self.output = nn.ConvTranspose2d(channels, output_channels, KERNEL_SIZE, 2, 1)

    def forward(self, x):
        height, width = x.shape[-2:]
        padded = any(self.pads)
        if padded:
            x = F.pad(x, self.pads, mode="reflect")
        skips = []
        for block in self.encoder:
            x = block(x)
            skips.append(x)
        for j, block in enumerate(self.decoder, start=1):
            x = torch.cat([block(x), skips[len(self.encoder) - 1 - j]], dim=1)
        x = self.output(x)
        if padded:
            left, _, top, _ = self.pads
            x = x[:, :, top : top + height, left : left + width]
        return torch.tanh(x)


class PatchGANDiscriminator(nn.Module):
    """`keras_gans.networks.patchgan_discriminator` with a condition, in PyTorch.

    `(conditions, images)` -> patch logits.

    The pair joined on the channel axis; `Conv2d(F, 4, 2, 1)` -> `LeakyReLU(0.2)`;
    for `n = 1 .. L-1` `Conv2d(F*2**n, 4, 2, 1, bias=False)` -> `BatchNorm2d` ->
    `LeakyReLU(0.2)`; `Conv2d(F*2**L, 4, 1, 1, bias=False)` -> `BatchNorm2d` ->
    `LeakyReLU(0.2)`; `Conv2d(1, 4, 1, 1)`: `(N, 1, h, w)` patch logits.

    Args:
        image_shape: `(height, width, channels)` of the judged images.
        condition_shape: `(height, width, channels)` of the conditions.
        filters: channels of the first convolution.
        num_downsamplings: the number of stride-2 convolutions `L`.
    """

    def __init__(self, image_shape, condition_shape, filters, num_downsamplings):
        super().__init__()
        channels = image_shape[-1] + condition_shape[-1]
        blocks = [(min(2**n, MAX_FILTER_MULTIPLIER), 2) for n in range(num_downsamplings)]
        blocks.append((min(2**num_downsamplings, MAX_FILTER_MULTIPLIER), 1))
        layers = []
        for block, (multiplier, stride) in enumerate(blocks, start=1):
            out = filters * multiplier
            layers.append(nn.Conv2d(channels, out, KERNEL_SIZE, stride, 1, bias=block == 1))
            if block > 1:
                layers.append(_batch_norm(out))
            layers.append(nn.LeakyReLU(LEAKY_RELU_SLOPE))
            channels = out
        self.features = nn.Sequential(*layers)
        self.logits = nn.Conv2d(channels, 1, KERNEL_SIZE, 1, 1)

    def forward(self, conditions, images):
        return self.logits(self.features(torch.cat([conditions, images], dim=1)))


class Pix2PixTrainer:
    """Trains a U-Net against a conditional PatchGAN, one Keras-equivalent `Pix2Pix` step at a time.

    Args:
        generator: a `UNetGenerator`.
        discriminator: a `PatchGANDiscriminator`.
        l1_weight: `lambda` of the L1 term.
        discriminator_weight: multiplier of the discriminator's loss.
        learning_rate, beta_1, beta_2, epsilon: Adam settings of both optimizers.
    """

    def __init__(
        self,
        generator,
        discriminator,
        l1_weight=100.0,
        discriminator_weight=0.5,
        learning_rate=2e-4,
        beta_1=0.5,
        beta_2=0.999,
        epsilon=1e-7,
    ):
        self.generator = generator.train()
        self.discriminator = discriminator.train()
        self.l1_weight = float(l1_weight)
        self.discriminator_weight = float(discriminator_weight)
        self.g_params = list(generator.parameters())
        betas = (beta_1, beta_2)
        adam = dict(lr=learning_rate, betas=betas, eps=epsilon)
        self.g_optimizer = torch.optim.Adam(self.g_params, **adam)
        self.d_optimizer = torch.optim.Adam(discriminator.parameters(), **adam)

    def discriminator_step(self, inputs, targets):
        with torch.no_grad():
            fake = self.generator(inputs)
        real_logits = self.discriminator(inputs, targets)
        fake_logits = self.discriminator(inputs, fake)
        d_loss = F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()
        self.d_optimizer.zero_grad(set_to_none=True)
        (self.discriminator_weight * d_loss).backward()
        self.d_optimizer.step()
        return d_loss.detach()

    def generator_step(self, inputs, targets):
        fake = self.generator(inputs)
        g_loss = F.softplus(-self.discriminator(inputs, fake)).mean()
        l1_loss = (fake - targets).abs().mean()
        self.g_optimizer.zero_grad(set_to_none=True)
        # Gradients of the generator only; the discriminator's are not needed.
        (g_loss + self.l1_weight * l1_loss).backward(inputs=self.g_params)
        self.g_optimizer.step()
        return g_loss.detach(), l1_loss.detach()

    def train_step(self, inputs, targets):
        """One step; returns `{"d_loss", "g_loss", "l1_loss"}` as tensors (no sync)."""
        d_loss = self.discriminator_step(inputs, targets)
        g_loss, l1_loss = self.generator_step(inputs, targets)
        return {"d_loss": d_loss, "g_loss": g_loss, "l1_loss": l1_loss}
