"""What each failure `FailureMonitor` finds means and what to do about it, in plain words."""

__all__ = ["DIAGNOSES"]

# Failure kind -> message template (str.format fields from the check that found it).
DIAGNOSES = {
    "non_finite_loss": (
        "Epoch {epoch}{where}: {key} became {value}. Training diverged: the weights overflowed, "
        "usually because a learning rate is too high (a discriminator learning rate above ~1e-3 "
        "with Adam is a common cause) or a loss took the log of 0. Lower the learning rates "
        "(e.g. 2e-4 with Adam beta_1=0.5), and restart from the last good checkpoint."
    ),
    "discriminator_wins": (
        "Epoch {epoch}: the discriminator loss has stayed below {floor} for {epochs} epochs "
        "(now {d_loss:.3g}). The discriminator tells real from fake perfectly, so the generator "
        "gets almost no useful gradient and stops improving. Give the discriminator a lower "
        "learning rate or fewer updates, use the non-saturating or a Wasserstein loss with "
        "gradient penalty, or add instance noise, label smoothing or spectral normalization."
    ),
    "discriminator_unstable": (
        "Epoch {epoch}: the discriminator loss averaged {d_loss:.3g}, far above chance level "
        "(about 1.4 for the standard GAN loss). The discriminator is confidently wrong: its "
        "updates overshoot, so it swings from one extreme to the other instead of learning, and "
        "the generator chases a moving target. Lower the discriminator's learning rate (1e-4 to "
        "4e-4 with Adam is typical), or add a gradient penalty or spectral normalization."
    ),
    "generator_fools_weak_discriminator": (
        "Epoch {epoch}: the generator loss fell from {first:.3g} to {last:.3g} over the last "
        "{count} evaluations, but {metric} stayed poor ({values}). The generator is fooling the "
        "discriminator without making better samples: the discriminator has probably stopped "
        "learning, or the generator found a blind spot. Check the discriminator's capacity and "
        "learning rate, and look at the samples."
    ),
    "non_finite_samples": (
        "Epoch {epoch}: generated samples contain NaN or infinite values although the losses are "
        "finite: the generator's weights or its last layer overflowed. Lower the generator's "
        "learning rate, and restart from the last good checkpoint."
    ),
    "mode_collapse": (
        "Epoch {epoch}: the mean distance between generated samples is {ratio:.1%} of that "
        "between real samples (threshold {threshold:.0%}). The generator has collapsed onto a "
        "few outputs (mode collapse). Try minibatch discrimination or minibatch standard "
        "deviation, a Wasserstein loss with gradient penalty, a lower generator learning rate, "
        "or restart from the last good checkpoint."
    ),
}


def diagnosis(kind, **fields):
    """`(kind, message)`: the failure `kind` and its message with `fields` filled in."""
    return kind, DIAGNOSES[kind].format(**fields)
