"""Image classification data as (N, C, H, W) tensors: offline by default, online where the network allows.

- ``"digits"`` (the default, and what CI uses): scikit-learn's bundled 8x8 digits; never touches the network.
- ``"fashion_mnist"`` and ``"cifar10"``: the published files, kept in ``root/<name>/`` (``data/`` by default).
  Files already there are read with the readers below. Otherwise, with ``download=True``, torchvision's
  datasets fetch them where torchvision imports (Colab); elsewhere (PyPI's torchvision does not import beside
  the CPU build of torch) :func:`_fetch` downloads the published files and keeps each one only when its MD5
  matches the published checksum, so the cache never holds a half-written or foreign file.

Fallback policy: when an online data set cannot be had (no network, a download whose checksum does not match,
no files and ``download=False``) the loader prints one line saying why and returns the digits instead; the
returned ``name`` says what was loaded. A file that is in the cache but cannot be read (corrupt or truncated)
raises ``ValueError`` naming the file: delete it and run again. An unknown name or a bad argument raises too.
The CIFAR-10 batches are pickles: only read files that came from the published archive.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import pickle
import struct
import tarfile
import tempfile
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from ._validation import check_choice, check_int, check_number, check_type

NAMES = ("digits", "fashion_mnist", "cifar10")
CLASSES = {
    "digits": tuple(str(digit) for digit in range(10)),
    "fashion_mnist": ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                      "Ankle boot"),
    "cifar10": ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
}
_FASHION_URL = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
_CIFAR_URL = "https://www.cs.toronto.edu/~kriz/"
# file name -> (URL, published MD5); the checksums are those in torchvision's FashionMNIST and CIFAR10.
_FILES = {
    "fashion_mnist": {
        "train-images-idx3-ubyte.gz": (_FASHION_URL, "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        "train-labels-idx1-ubyte.gz": (_FASHION_URL, "25c81989df183df01b3e8a0aad5dffbe"),
        "t10k-images-idx3-ubyte.gz": (_FASHION_URL, "bef4ecab320f06d8554ea6380940ec79"),
        "t10k-labels-idx1-ubyte.gz": (_FASHION_URL, "bb300cfdad3c16e7a12a480ee83cd310"),
    },
    "cifar10": {"cifar-10-python.tar.gz": (_CIFAR_URL, "c58f30108f718f92721af3b95e74349a")},
}
_TORCHVISION_CLASS = {"fashion_mnist": "FashionMNIST", "cifar10": "CIFAR10"}
_IDX_DIMS = {0x00000801: 1, 0x00000803: 3}  # IDX magic numbers of unsigned bytes: labels (n,), images (n, h, w)
_TIMEOUT_S = 30


@dataclass(frozen=True)
class ImageData:
    """Images ``x_*`` float32 of shape (N, C, H, W) with H == W, labels ``y_*`` int64 of shape (N,).

    ``classes[k]`` names label ``k``; ``name`` is the data set actually loaded ("digits" after a fallback).
    """

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor
    classes: tuple[str, ...]
    name: str

    @property
    def in_channels(self) -> int:
        return self.x_train.shape[1]

    @property
    def image_size(self) -> int:
        return self.x_train.shape[2]

    @property
    def n_classes(self) -> int:
        return len(self.classes)

    def __repr__(self) -> str:
        return (f"ImageData({self.name!r}, train={tuple(self.x_train.shape)}, test={tuple(self.x_test.shape)}, "
                f"classes={self.n_classes})")


class _Unavailable(Exception):
    """An online data set cannot be had now; the message says why and the loader falls back to digits."""


def _corrupt(where: object, problem: str) -> ValueError:
    return ValueError(f"{where} is corrupt or truncated ({problem}); delete it so that a fresh copy is downloaded")


def read_idx(path: str | os.PathLike) -> torch.Tensor:
    """An IDX file (gzip-compressed or plain) of unsigned bytes as a uint8 tensor.

    Returns:
        Shape (n, rows, cols) for images (magic number 0x00000803) or (n,) for labels (0x00000801).
    Raises:
        ValueError naming the file when it is not such a file or is truncated.
    """
    path = Path(path)
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":  # the gzip signature
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as error:
            raise _corrupt(path, f"gzip: {error}") from error
    magic = struct.unpack(">I", raw[:4])[0] if len(raw) >= 4 else None
    if magic not in _IDX_DIMS:
        found = "no header" if magic is None else f"magic number 0x{magic:08x}"
        raise _corrupt(path, f"{found}; IDX images have 0x00000803 and labels 0x00000801")
    header = 4 + 4 * _IDX_DIMS[magic]
    if len(raw) < header:
        raise _corrupt(path, "the header ends early")
    shape = struct.unpack(f">{_IDX_DIMS[magic]}I", raw[4:header])
    if len(raw) - header != int(np.prod(shape)):
        raise _corrupt(path, f"{len(raw) - header} bytes of data where the header {shape} needs {np.prod(shape)}")
    return torch.from_numpy(np.frombuffer(raw, dtype=np.uint8, offset=header).copy()).reshape(shape)


def _cifar_batch(file, where: object) -> tuple[torch.Tensor, torch.Tensor]:
    try:
        batch = pickle.load(file, encoding="bytes")
        data = np.asarray(batch[b"data"], dtype=np.uint8)
        labels = np.asarray(batch[b"labels"], dtype=np.int64)
    except Exception as error:  # unpickling a damaged file can raise almost anything
        raise _corrupt(where, f"not a CIFAR batch: {error!r}") from error
    if data.ndim != 2 or data.shape[1] != 3 * 32 * 32 or labels.shape != (len(data),):
        raise _corrupt(where, f"b'data' of shape {data.shape} and {labels.size} labels; expected (n, 3072) and n")
    return torch.from_numpy(data.reshape(-1, 3, 32, 32).copy()), torch.from_numpy(labels)


def read_cifar_batch(path: str | os.PathLike) -> tuple[torch.Tensor, torch.Tensor]:
    """One pickled CIFAR-10 batch (a dict with ``b"data"`` of shape (n, 3072) and ``b"labels"``).

    Returns:
        Images uint8 of shape (n, 3, 32, 32) and labels int64 of shape (n,).
    """
    with open(path, "rb") as file:
        return _cifar_batch(file, path)


def _read_cifar_archive(path: Path) -> tuple[torch.Tensor, ...]:
    """The five training batches and the test batch, read from the tar.gz without extracting anything."""
    parts = []
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]:
                file = archive.extractfile(f"cifar-10-batches-py/{member}")
                if file is None:
                    raise KeyError(f"{member} is not a regular file")
                parts.append(_cifar_batch(file, f"{path} (member {member})"))
    except (tarfile.TarError, OSError, EOFError, zlib.error, KeyError) as error:
        raise _corrupt(path, f"{type(error).__name__}: {error}") from error
    train, test = parts[:5], parts[5]
    return torch.cat([x for x, _ in train]), torch.cat([y for _, y in train]), test[0], test[1]


def _read_fashion(folder: Path) -> tuple[torch.Tensor, ...]:
    parts = []
    for prefix in ("train", "t10k"):
        images = read_idx(folder / f"{prefix}-images-idx3-ubyte.gz").unsqueeze(1)
        labels = read_idx(folder / f"{prefix}-labels-idx1-ubyte.gz").long()
        if images.dim() != 4 or labels.dim() != 1 or len(images) != len(labels):
            raise _corrupt(folder / f"{prefix}-*", f"images {tuple(images.shape)} and labels {tuple(labels.shape)}")
        parts += [images, labels]
    return tuple(parts)


def _fetch(url: str, destination: Path, md5: str) -> None:
    """Download ``url`` into ``destination``, kept only when its MD5 is ``md5``: nothing half-written remains."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=destination.name, suffix=".part")
    try:
        digest = hashlib.md5(usedforsecurity=False)
        with os.fdopen(handle, "wb") as out, urllib.request.urlopen(url, timeout=_TIMEOUT_S) as response:
            for chunk in iter(lambda: response.read(1 << 20), b""):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != md5:
            raise _Unavailable(f"{url} gave a file with MD5 {digest.hexdigest()}, not the published {md5}")
        os.replace(temporary, destination)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def _import_torchvision():
    """torchvision, or None where it does not import (absent, or built for another torch: a RuntimeError)."""
    try:
        import torchvision
    except Exception:
        return None
    return torchvision


def _via_torchvision(torchvision, name: str, folder: Path) -> tuple[torch.Tensor, ...]:
    parts = []
    for train in (True, False):
        dataset = getattr(torchvision.datasets, _TORCHVISION_CLASS[name])(str(folder), train=train, download=True)
        images = torch.as_tensor(np.asarray(dataset.data))  # (n, h, w) for Fashion-MNIST, (n, h, w, 3) for CIFAR
        images = images.unsqueeze(1) if images.dim() == 3 else images.permute(0, 3, 1, 2).contiguous()
        parts += [images, torch.as_tensor(np.asarray(dataset.targets), dtype=torch.int64)]
    return tuple(parts)


def _load_online(name: str, folder: Path, download: bool) -> tuple[tuple[torch.Tensor, ...], str]:
    """uint8 images and int64 labels (train then test) and where they came from; ``_Unavailable`` if none."""
    files = _FILES[name]
    read = _read_fashion if name == "fashion_mnist" else lambda f: _read_cifar_archive(f / "cifar-10-python.tar.gz")
    if all((folder / file).is_file() for file in files):
        return read(folder), f"read from {folder}"
    if not download:
        raise _Unavailable(f"no files in {folder} and download=False")
    torchvision = _import_torchvision()
    try:
        if torchvision is not None:
            return _via_torchvision(torchvision, name, folder), f"torchvision's copy in {folder}"
        for file, (url, md5) in files.items():
            if not (folder / file).is_file():
                _fetch(url + file, folder / file, md5)
    except (OSError, RuntimeError) as error:  # no network, a timeout, a full disk; torchvision's download errors
        raise _Unavailable(f"download failed: {error}") from error
    return read(folder), f"downloaded into {folder}, checksums verified"


def _load_digits(test_fraction: float, seed: int) -> tuple[tuple[torch.Tensor, ...], str]:
    from sklearn.datasets import load_digits

    from .data import _split

    digits = load_digits()
    split = _split(digits.data / 16.0, digits.target, test_fraction, seed, standardize=False)
    images = [x.reshape(-1, 1, 8, 8) for x in (split.x_train, split.x_test)]
    return (images[0], split.y_train, images[1], split.y_test), "scikit-learn's bundled copy, no download"


def load_image_data(name: str = "digits", *, root: str | os.PathLike = "data", download: bool = True,
                    normalize: bool = True, seed: int = 0, test_fraction: float = 0.2, limit: int | None = None,
                    verbose: bool = True) -> ImageData:
    """Train and test images of ``name`` ("digits", "fashion_mnist" or "cifar10") as an :class:`ImageData`.

    "digits": 1,797 images of 1x8x8 split with stratification by ``seed`` and ``test_fraction`` (the split of
    :func:`course_utils.load_digits_data`). "fashion_mnist" (60,000/10,000 of 1x28x28) and "cifar10"
    (50,000/10,000 of 3x32x32) keep their official split: ``seed`` and ``test_fraction`` do not apply. They are
    read from ``root/<name>/``, downloaded there when missing and ``download`` is true, and replaced by the
    digits with one printed line saying why when they cannot be had (see the module docstring).

    Args:
        normalize: standardise each channel with the training images' mean and std (the test images use the
            same); if False, pixel values stay in [0, 1].
        limit: keep only the first ``limit`` training and the first ``limit`` test images (quick runs).
        verbose: print one line saying what was loaded (a fallback is reported even when False).
    Raises:
        ValueError: an unknown name, a bad argument, or a corrupt file in the cache (delete it and run again).
    """
    check_type("name", name, str)
    check_choice("name", name, NAMES)
    check_type("root", root, (str, os.PathLike))
    for flag, value in (("download", download), ("normalize", normalize), ("verbose", verbose)):
        check_type(flag, value, bool)
    check_int("seed", seed, minimum=0)
    check_number("test_fraction", test_fraction, 0.0, 1.0, low_inclusive=False, high_inclusive=False)
    if limit is not None:
        check_int("limit", limit, minimum=1)
    if name != "digits":
        try:
            parts, source = _load_online(name, Path(root) / name, download)
        except _Unavailable as reason:
            print(f"load_image_data: {name} not available ({reason}); using the offline digits instead")
            name = "digits"
    if name == "digits":
        parts, source = _load_digits(test_fraction, seed)
    x_train, y_train, x_test, y_test = (part[:limit] for part in parts)
    if x_train.dtype == torch.uint8:  # the online sets' bytes 0..255, converted after the limit to save memory
        x_train, x_test = x_train.float().div_(255), x_test.float().div_(255)
    if normalize:
        mean = x_train.mean(dim=(0, 2, 3), keepdim=True)
        std = x_train.std(dim=(0, 2, 3), keepdim=True, correction=0)
        std[std == 0] = 1.0  # a constant channel (possible in a tiny limit) stays constant instead of dividing by 0
        x_train, x_test = (x_train - mean).div_(std), (x_test - mean).div_(std)
    data = ImageData(x_train, y_train, x_test, y_test, CLASSES[name], name)
    if verbose:
        channels, size = data.in_channels, data.image_size
        print(f"{name}: {len(x_train)} training and {len(x_test)} test images of {channels}x{size}x{size}, "
              f"{data.n_classes} classes ({source})")
    return data
