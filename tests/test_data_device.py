import random

import numpy as np
import pytest
import torch

import course_utils as cu


def test_digits_split_is_stratified_standardized_and_fixed():
    a, b = cu.load_digits_data(seed=3), cu.load_digits_data(seed=3)
    assert a.x_train.shape == (1437, 64) and a.x_test.shape == (360, 64)
    assert a.x_train.dtype == torch.float32 and a.y_train.dtype == torch.int64
    assert torch.equal(a.x_train, b.x_train) and torch.equal(a.y_test, b.y_test)
    counts_train = torch.bincount(a.y_train) / len(a.y_train)
    counts_test = torch.bincount(a.y_test) / len(a.y_test)
    assert (counts_train - counts_test).abs().max() < 0.01  # stratified
    assert a.x_train.mean(0).abs().max() < 1e-5
    assert a.n_features == 64 and a.n_classes == 10
    assert not torch.equal(cu.load_digits_data(seed=4).y_test, a.y_test)


def test_moons_and_regression():
    moons = cu.load_moons_data(n_samples=200, noise=0.1)
    assert moons.x_train.shape == (160, 2) and set(moons.y_train.tolist()) == {0, 1}
    x, y = cu.make_regression_data(n_samples=2000, noise=0.0)
    assert x.shape == (2000, 2) and y.shape == (2000,)
    solution = torch.linalg.lstsq(torch.cat([x, torch.ones(2000, 1)], 1), y.unsqueeze(1)).solution.squeeze()
    assert torch.allclose(solution, torch.tensor([2.0, -3.4, 4.2]), atol=1e-4)


def test_diabetes_is_bundled_and_standardized():
    x, y = cu.load_diabetes_data()
    assert x.shape == (442, 10) and y.shape == (442,)
    assert x.mean(0).abs().max() < 1e-5 and (x.std(0, correction=0) - 1).abs().max() < 1e-4
    assert abs(y.mean()) < 1e-5 and abs(y.std(correction=0) - 1) < 1e-4
    raw_x, raw_y = cu.load_diabetes_data(standardize=False)
    assert raw_y.min() >= 25
    with pytest.raises(TypeError, match="standardize must be bool"):
        cu.load_diabetes_data(standardize=1)


def test_loaders_are_reproducible():
    split = cu.load_moons_data(n_samples=100)
    first = [y.tolist() for _, y in cu.make_loaders(split, batch_size=16, seed=1)[0]]
    again = [y.tolist() for _, y in cu.make_loaders(split, batch_size=16, seed=1)[0]]
    assert first == again and len(first) == 5


@pytest.mark.parametrize("call, error, text", [
    (lambda: cu.load_digits_data(test_fraction=1.5), ValueError, "test_fraction must be in (0.0, 1.0)"),
    (lambda: cu.load_digits_data(seed=-1), ValueError, "seed must be >= 0"),
    (lambda: cu.load_moons_data(n_samples="100"), TypeError, "n_samples must be an int, got str"),
    (lambda: cu.make_regression_data(weight=[[1.0]]), ValueError, "weight must be a non-empty 1-D"),
    (lambda: cu.make_regression_data(noise=-0.1), ValueError, "noise must be in"),
    (lambda: cu.make_loaders("digits"), TypeError, "split must be DataSplit, got str"),
    (lambda: cu.make_loaders(cu.load_moons_data(), batch_size=0), ValueError, "batch_size must be >= 1"),
])
def test_data_bad_input(call, error, text):
    with pytest.raises(error, match=text.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        call()


def test_seed_everything_seeds_all_generators():
    cu.seed_everything(5)
    first = (random.random(), np.random.rand(), torch.rand(1).item())
    cu.seed_everything(5)
    assert first == (random.random(), np.random.rand(), torch.rand(1).item())


def test_seed_everything_deterministic_switch():
    cu.seed_everything(0, deterministic=True)
    assert torch.are_deterministic_algorithms_enabled()
    cu.seed_everything(0)
    assert not torch.are_deterministic_algorithms_enabled()


def test_seed_and_device_bad_input():
    with pytest.raises(TypeError, match="seed must be an int, got float"):
        cu.seed_everything(1.5)
    with pytest.raises(TypeError, match="deterministic must be bool"):
        cu.seed_everything(0, deterministic="yes")
    with pytest.raises(ValueError, match="prefer must be one of 'cuda', 'mps', 'cpu'; got 'gpu'"):
        cu.get_device("gpu")


def test_get_device():
    assert cu.get_device("cpu") == torch.device("cpu")
    assert cu.get_device().type in cu.device.DEVICE_KINDS
    if not torch.cuda.is_available():
        assert cu.get_device("cuda") == torch.device("cpu")
