"""Offline data sets as tensors and DataLoaders: nothing here touches the network.

Classification data come from scikit-learn (the bundled digits, the generated moons) with a fixed,
stratified train/test split; regression data are generated from a known linear model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset

# scikit-learn (and scipy behind it) is imported inside the loaders: it takes longer to import than torch,
# and a notebook should not pay for it before it loads data.

from ._validation import check_int, check_number, check_type


@dataclass(frozen=True)
class DataSplit:
    """A train/test split. ``x_*`` are float32 of shape (n, features); ``y_*`` are int64 of shape (n,)."""

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor

    @property
    def n_features(self) -> int:
        return self.x_train.shape[1]

    @property
    def n_classes(self) -> int:
        return int(torch.cat([self.y_train, self.y_test]).max()) + 1

    def __repr__(self) -> str:
        return (f"DataSplit(train={tuple(self.x_train.shape)}, test={tuple(self.x_test.shape)}, "
                f"classes={self.n_classes})")


def _split(x: np.ndarray, y: np.ndarray, test_fraction: float, seed: int, standardize: bool) -> DataSplit:
    check_number("test_fraction", test_fraction, 0.0, 1.0, low_inclusive=False, high_inclusive=False)
    check_int("seed", seed, minimum=0)
    check_type("standardize", standardize, bool)
    from sklearn.model_selection import train_test_split

    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=test_fraction, random_state=seed, stratify=y)
    if standardize:  # statistics of the training part only, so the test part stays unseen
        mean, std = x_train.mean(axis=0), x_train.std(axis=0)
        std[std == 0] = 1.0  # constant pixels (digits' borders) stay constant instead of dividing by 0
        x_train, x_test = (x_train - mean) / std, (x_test - mean) / std
    as_x = lambda a: torch.as_tensor(a, dtype=torch.float32)  # noqa: E731
    as_y = lambda a: torch.as_tensor(a, dtype=torch.int64)  # noqa: E731
    return DataSplit(as_x(x_train), as_y(y_train), as_x(x_test), as_y(y_test))


def load_digits_data(test_fraction: float = 0.2, seed: int = 0, standardize: bool = True) -> DataSplit:
    """scikit-learn's bundled 8x8 digits (1,797 images, 10 classes) as flat 64-feature tensors.

    Returns:
        A :class:`DataSplit` with ``x`` of shape (n, 64) and ``y`` in 0..9, split with stratification.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    return _split(digits.data, digits.target, test_fraction, seed, standardize)


def load_moons_data(n_samples: int = 1000, noise: float = 0.2, test_fraction: float = 0.2,
                    seed: int = 0, standardize: bool = False) -> DataSplit:
    """Two interleaving half-moons (scikit-learn's ``make_moons``): ``x`` of shape (n, 2), ``y`` in {0, 1}."""
    check_int("n_samples", n_samples, minimum=10)
    check_number("noise", noise, 0.0)
    from sklearn.datasets import make_moons

    x, y = make_moons(n_samples=n_samples, noise=noise, random_state=seed)
    return _split(x, y, test_fraction, seed, standardize)


def load_diabetes_data(standardize: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """scikit-learn's bundled diabetes regression data: 442 patients, 10 features, a disease-progression target.

    Returns:
        ``x`` of shape (442, 10) and ``y`` of shape (442,), float32; with ``standardize`` both have zero mean
        and unit variance per column (the usual preparation for gradient descent).
    """
    check_type("standardize", standardize, bool)
    from sklearn.datasets import load_diabetes

    data = load_diabetes()
    x = torch.as_tensor(data.data, dtype=torch.float32)
    y = torch.as_tensor(data.target, dtype=torch.float32)
    if standardize:
        x = (x - x.mean(0)) / x.std(0, correction=0)
        y = (y - y.mean()) / y.std(correction=0)
    return x, y


def make_regression_data(n_samples: int = 1000, weight: Sequence[float] = (2.0, -3.4), bias: float = 4.2,
                         noise: float = 0.01, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Samples of ``y = x @ weight + bias + noise`` with ``x ~ N(0, I)`` (d2l's synthetic data by default).

    Returns:
        ``x`` of shape (n_samples, len(weight)) and ``y`` of shape (n_samples,), both float32.
    """
    check_int("n_samples", n_samples, minimum=1)
    check_type("weight", weight, (list, tuple, torch.Tensor, np.ndarray))
    check_number("bias", bias)
    check_number("noise", noise, 0.0)
    check_int("seed", seed, minimum=0)
    w = torch.as_tensor(weight, dtype=torch.float32)
    if w.dim() != 1 or w.numel() == 0:
        raise ValueError(f"weight must be a non-empty 1-D sequence, got shape {tuple(w.shape)}")
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(n_samples, w.numel(), generator=generator)
    y = x @ w + bias + noise * torch.randn(n_samples, generator=generator)
    return x, y


def make_loaders(split: DataSplit, batch_size: int = 64, seed: int = 0) -> tuple[DataLoader, DataLoader]:
    """A shuffling training loader (reproducible through ``seed``) and an ordered test loader."""
    check_type("split", split, DataSplit)
    check_int("batch_size", batch_size, minimum=1)
    check_int("seed", seed, minimum=0)
    train = DataLoader(TensorDataset(split.x_train, split.y_train), batch_size=batch_size, shuffle=True,
                       generator=torch.Generator().manual_seed(seed))
    test = DataLoader(TensorDataset(split.x_test, split.y_test), batch_size=max(batch_size, 256))
    return train, test


def make_adding_problem(n_samples: int, seq_len: int = 50, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """The adding problem (Hochreiter and Schmidhuber, 1997): add the two marked numbers of a long sequence.

    Each sequence has ``seq_len`` steps of two channels: a number drawn uniformly from [0, 1), and a marker
    that is 1 at exactly two steps, one in each half of the sequence, and 0 elsewhere. The target is the sum
    of the two marked numbers: between 0 and 2, mean 1, variance 1/6, so always predicting 1 gives a mean
    squared error of about 0.167. A model must carry the first number across up to ``seq_len`` steps.

    Returns:
        ``x`` of shape (n_samples, seq_len, 2) and ``y`` of shape (n_samples,), both float32; the same
        ``seed`` gives the same data.
    """
    check_int("n_samples", n_samples, minimum=1)
    check_int("seq_len", seq_len, minimum=2)
    check_int("seed", seed, minimum=0)
    generator = torch.Generator().manual_seed(seed)
    values = torch.rand(n_samples, seq_len, generator=generator)
    half = seq_len // 2
    first = torch.randint(0, half, (n_samples,), generator=generator)
    second = torch.randint(half, seq_len, (n_samples,), generator=generator)
    markers = torch.zeros(n_samples, seq_len)
    rows = torch.arange(n_samples)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    return torch.stack([values, markers], dim=-1), (values * markers).sum(dim=1)
