"""The adversarial update of `keras_gans.models.AdversarialModel`, as a plain PyTorch loop.

One `train_step(real)` is what one Keras `train_step` does: `n_critic` times
(fresh noise, fakes from the generator in training mode without gradient,
discriminator loss on real and fake batches plus an optional gradient penalty,
one discriminator optimizer step), then one generator step on fresh noise whose
gradient is taken with respect to the generator's parameters only. Both
networks stay in training mode throughout (batch statistics and running
averages, as Keras' `training=True`). Adam uses Keras' default `eps=1e-7`.

Example:

```python
trainer = AdversarialTrainer(DCGANGenerator(), DCGANDiscriminator(), latent_dim=100)
losses = trainer.train_step(torch.rand(64, 1, 28, 28) * 2 - 1)
```
"""

import torch
from torch.nn import functional as F

LOSSES = ("non_saturating", "hinge", "wasserstein")


def discriminator_loss(name, real_logits, fake_logits):
    if name == "non_saturating":
        return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()
    if name == "hinge":
        return F.relu(1.0 - real_logits).mean() + F.relu(1.0 + fake_logits).mean()
    return fake_logits.mean() - real_logits.mean()


def generator_loss(name, fake_logits):
    if name == "non_saturating":
        return F.softplus(-fake_logits).mean()
    return -fake_logits.mean()


def gradient_penalty(discriminator, real, fake):
    """`E[(||grad D(x_hat)|| - 1)^2]`, `x_hat = a real + (1 - a) fake`, `a ~ U[0, 1]` per sample."""
    alpha = torch.rand((real.shape[0],) + (1,) * (real.dim() - 1), device=real.device)
    x_hat = (alpha * real + (1.0 - alpha) * fake).requires_grad_(True)
    (grads,) = torch.autograd.grad(discriminator(x_hat).sum(), x_hat, create_graph=True)
    norms = torch.sqrt(grads.square().flatten(1).sum(1) + 1e-12)
    return (norms - 1.0).square().mean()


class AdversarialTrainer:
    """Trains a generator against a discriminator, one Keras-equivalent step at a time.

    Args:
        generator, discriminator: `torch.nn.Module`s.
        latent_dim: size of the latent vectors.
        loss: `"non_saturating"`, `"hinge"` or `"wasserstein"`.
        n_critic: discriminator updates per generator update.
        gp_weight: weight of the WGAN-GP gradient penalty; 0 turns it off.
        learning_rate, beta_1, beta_2: Adam settings of both optimizers.
        autocast_dtype: `None` (float32), `torch.bfloat16` or `torch.float16`:
            forward passes run under `torch.autocast` (the mixed precision of
            PyTorch); float16 adds a `GradScaler` per optimizer, as Keras'
            `mixed_float16` adds a `LossScaleOptimizer`.
    """

    def __init__(
        self,
        generator,
        discriminator,
        latent_dim,
        loss="non_saturating",
        n_critic=1,
        gp_weight=0.0,
        learning_rate=2e-4,
        beta_1=0.5,
        beta_2=0.999,
        autocast_dtype=None,
    ):
        if loss not in LOSSES:
            raise ValueError(f"Unknown loss {loss!r}; one of {LOSSES}.")
        self.generator = generator.train()
        self.discriminator = discriminator.train()
        self.latent_dim = int(latent_dim)
        self.loss = loss
        self.n_critic = int(n_critic)
        self.gp_weight = float(gp_weight)
        betas = (beta_1, beta_2)
        self.g_params = list(generator.parameters())
        self.d_params = list(discriminator.parameters())
        self.g_optimizer = torch.optim.Adam(self.g_params, lr=learning_rate, betas=betas, eps=1e-7)
        self.d_optimizer = torch.optim.Adam(self.d_params, lr=learning_rate, betas=betas, eps=1e-7)
        self.autocast_dtype = autocast_dtype
        if autocast_dtype == torch.float16 and self.gp_weight:
            raise ValueError("The reference has no float16 loss scaling for the gradient penalty.")
        self.device_type = next(generator.parameters()).device.type
        scaled = autocast_dtype == torch.float16
        self.g_scaler = torch.amp.GradScaler(self.device_type, enabled=scaled)
        self.d_scaler = torch.amp.GradScaler(self.device_type, enabled=scaled)

    def _autocast(self):
        return torch.autocast(
            self.device_type, dtype=self.autocast_dtype, enabled=self.autocast_dtype is not None
        )

    def _noise(self, real):
        return torch.randn(real.shape[0], self.latent_dim, device=real.device, dtype=real.dtype)

    def discriminator_step(self, real):
        with self._autocast():
            with torch.no_grad():
                fake = self.generator(self._noise(real))
            real_logits = self.discriminator(real).float()
            fake_logits = self.discriminator(fake).float()
            d_loss = discriminator_loss(self.loss, real_logits, fake_logits)
            total = d_loss
            penalty = None
            if self.gp_weight:
                penalty = gradient_penalty(self.discriminator, real, fake.to(real.dtype))
                total = total + self.gp_weight * penalty
        self.d_optimizer.zero_grad(set_to_none=True)
        self.d_scaler.scale(total).backward()
        self.d_scaler.step(self.d_optimizer)
        self.d_scaler.update()
        return d_loss.detach(), penalty

    def generator_step(self, real):
        with self._autocast():
            fake_logits = self.discriminator(self.generator(self._noise(real))).float()
            g_loss = generator_loss(self.loss, fake_logits)
        self.g_optimizer.zero_grad(set_to_none=True)
        # Gradients of the generator only; the discriminator's are not needed.
        self.g_scaler.scale(g_loss).backward(inputs=self.g_params)
        self.g_scaler.step(self.g_optimizer)
        self.g_scaler.update()
        return g_loss.detach()

    def train_step(self, real):
        """One step; returns `{"d_loss", "g_loss"[, "gradient_penalty"]}` as tensors (no sync)."""
        for _ in range(self.n_critic):
            d_loss, penalty = self.discriminator_step(real)
        logs = {"d_loss": d_loss, "g_loss": self.generator_step(real)}
        if penalty is not None:
            logs["gradient_penalty"] = penalty.detach()
        return logs
