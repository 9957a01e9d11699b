import numpy as np
import pytest
from keras import ops

from keras_gans.backend import input_gradient
from keras_gans.regularizers import balanced_consistency_penalty


def test_matches_numpy():
    rng = np.random.default_rng(0)
    real, real_aug, fake, fake_aug = (rng.normal(size=(16, 3)).astype("float32") for _ in range(4))
    got = balanced_consistency_penalty(real, real_aug, fake, fake_aug, real_weight=2.0, fake_weight=5.0)
    want = 2.0 * np.mean(np.sum((real - real_aug) ** 2, axis=1)) + 5.0 * np.mean(
        np.sum((fake - fake_aug) ** 2, axis=1)
    )
    np.testing.assert_allclose(float(ops.convert_to_numpy(got)), want, rtol=1e-5)
    # Default weights 10 / 10, one logit per image; CR (real only) without the fake pair.
    real, real_aug, fake, fake_aug = (rng.normal(size=(16, 1)).astype("float32") for _ in range(4))
    got = balanced_consistency_penalty(real, real_aug, fake, fake_aug)
    want = 10 * np.mean((real - real_aug) ** 2) + 10 * np.mean((fake - fake_aug) ** 2)
    np.testing.assert_allclose(float(ops.convert_to_numpy(got)), want, rtol=1e-5)
    got = balanced_consistency_penalty(real[:, 0], real_aug[:, 0])
    np.testing.assert_allclose(
        float(ops.convert_to_numpy(got)), 10 * np.mean((real - real_aug) ** 2), rtol=1e-5
    )
    with pytest.raises(ValueError, match="augmented_fake_outputs"):
        balanced_consistency_penalty(real, real_aug, fake)


def test_gradient_flows_through_both_outputs():
    rng = np.random.default_rng(1)
    real, real_aug = rng.normal(size=(8, 1)).astype("float32"), rng.normal(size=(8, 1)).astype("float32")
    grad_real = input_gradient(
        lambda r: balanced_consistency_penalty(r, real_aug), ops.convert_to_tensor(real)
    )
    grad_aug = input_gradient(
        lambda a: balanced_consistency_penalty(real, a), ops.convert_to_tensor(real_aug)
    )
    np.testing.assert_allclose(ops.convert_to_numpy(grad_real), 10 * 2 * (real - real_aug) / 8, rtol=1e-5)
    np.testing.assert_allclose(ops.convert_to_numpy(grad_aug), -10 * 2 * (real - real_aug) / 8, rtol=1e-5)
