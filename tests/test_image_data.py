"""course_utils.image_data: the digits, both readers on small files written here in the published formats, the
cache, the download (never the network: urlopen and _fetch are replaced), the fallback and bad arguments."""

import builtins
import gzip
import hashlib
import io
import pickle
import re
import struct
import sys
import tarfile
import types
import urllib.error
import urllib.request

import numpy as np
import pytest
import torch

from course_utils import image_data
from course_utils.image_data import CLASSES, ImageData, load_image_data, read_cifar_batch, read_idx

FASHION_FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                 "t10k-labels-idx1-ubyte.gz")


def idx_bytes(array: np.ndarray) -> bytes:
    """An IDX file of unsigned bytes: magic 0x0000080<ndim>, the sizes as big-endian uint32, then the data."""
    header = struct.pack(">I", 0x800 + array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(np.uint8).tobytes()


def write_fashion(folder, n_train=12, n_test=5):
    rng = np.random.default_rng(0)
    arrays = {"train": (rng.integers(0, 256, (n_train, 28, 28)), rng.integers(0, 10, n_train)),
              "t10k": (rng.integers(0, 256, (n_test, 28, 28)), rng.integers(0, 10, n_test))}
    folder.mkdir(parents=True)
    for prefix, (images, labels) in arrays.items():
        (folder / f"{prefix}-images-idx3-ubyte.gz").write_bytes(gzip.compress(idx_bytes(images)))
        (folder / f"{prefix}-labels-idx1-ubyte.gz").write_bytes(gzip.compress(idx_bytes(labels)))
    return arrays


def cifar_batch(n, seed):
    rng = np.random.default_rng(seed)
    return {b"data": rng.integers(0, 256, (n, 3072)).astype(np.uint8), b"labels": rng.integers(0, 10, n).tolist()}


def write_cifar(folder, per_batch=2):
    """A cifar-10-python.tar.gz laid out like the published one, with ``per_batch`` images per batch."""
    folder.mkdir(parents=True)
    batches = {f"data_batch_{i}": cifar_batch(per_batch, i) for i in range(1, 6)}
    batches["test_batch"] = cifar_batch(per_batch + 1, 6)
    batches["batches.meta"] = {b"label_names": [c.encode() for c in CLASSES["cifar10"]]}
    with tarfile.open(folder / "cifar-10-python.tar.gz", "w:gz") as archive:
        for member, content in batches.items():
            payload = pickle.dumps(content)
            info = tarfile.TarInfo(f"cifar-10-batches-py/{member}")
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
    return batches


@pytest.fixture
def no_torchvision(monkeypatch):
    """torchvision failing to import as PyPI's build does beside the CPU torch (a RuntimeError, not ImportError)."""
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name.split(".")[0] == "torchvision":
            raise RuntimeError("operator torchvision::nms does not exist")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "torchvision", raising=False)
    monkeypatch.setattr(builtins, "__import__", fake_import)


def test_digits_shapes_classes_normalisation_and_seed(capsys):
    data = load_image_data("digits", seed=3)
    assert isinstance(data, ImageData) and data.name == "digits"
    assert data.x_train.shape == (1437, 1, 8, 8) and data.x_test.shape == (360, 1, 8, 8)
    assert data.x_train.dtype == torch.float32 and data.y_train.dtype == torch.int64 and data.y_test.shape == (360,)
    assert data.classes == tuple("0123456789") and (data.in_channels, data.image_size, data.n_classes) == (1, 8, 10)
    assert repr(data) == "ImageData('digits', train=(1437, 1, 8, 8), test=(360, 1, 8, 8), classes=10)"
    assert abs(data.x_train.mean()) < 1e-5 and abs(data.x_train.std(correction=0) - 1) < 1e-4
    assert abs(data.x_test.mean()) > 1e-4  # the test images use the training statistics, not their own
    out = capsys.readouterr().out
    assert out == ("digits: 1437 training and 360 test images of 1x8x8, 10 classes "
                   "(scikit-learn's bundled copy, no download)\n")
    again = load_image_data("digits", seed=3, verbose=False)
    assert torch.equal(data.x_train, again.x_train) and torch.equal(data.y_test, again.y_test)
    assert not torch.equal(load_image_data("digits", seed=4, verbose=False).y_test, data.y_test)
    assert capsys.readouterr().out == ""


def test_digits_raw_values_limit_and_split_size():
    raw = load_image_data(normalize=False, verbose=False)
    assert raw.x_train.min() == 0 and raw.x_train.max() == 1
    small = load_image_data(limit=50, test_fraction=0.5, verbose=False)
    assert small.x_train.shape == (50, 1, 8, 8) and small.x_test.shape == (50, 1, 8, 8) and len(small.y_train) == 50
    assert len(load_image_data(test_fraction=0.5, verbose=False).y_test) == 899


def test_read_idx_round_trip_plain_and_gzip(tmp_path):
    images = np.arange(2 * 3 * 4).reshape(2, 3, 4).astype(np.uint8)
    (tmp_path / "images").write_bytes(idx_bytes(images))
    (tmp_path / "labels.gz").write_bytes(gzip.compress(idx_bytes(np.array([7, 1, 255]))))
    read = read_idx(tmp_path / "images")
    assert read.dtype == torch.uint8 and torch.equal(read, torch.from_numpy(images))
    assert read_idx(tmp_path / "labels.gz").tolist() == [7, 1, 255]


@pytest.mark.parametrize("content, problem", [
    (struct.pack(">I", 0x00000D03) + bytes(20), "magic number 0x00000d03"),
    (idx_bytes(np.zeros((2, 3, 4)))[:-1], "23 bytes of data where the header (2, 3, 4) needs 24"),
    (idx_bytes(np.zeros((2, 3, 4)))[:10], "header ends early"),
    (b"", "no header"),
    (gzip.compress(idx_bytes(np.random.default_rng(0).integers(0, 256, (50, 5, 5))))[:600], "gzip"),
], ids=["bad-magic", "truncated-data", "truncated-header", "empty", "truncated-gzip"])
def test_read_idx_rejects_bad_files_naming_them(tmp_path, content, problem):
    path = tmp_path / "broken-idx3-ubyte.gz"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=re.escape(str(path))) as error:
        read_idx(path)
    assert problem in str(error.value) and "delete it" in str(error.value)


def test_read_cifar_batch(tmp_path):
    batch = cifar_batch(4, 0)
    (tmp_path / "data_batch_1").write_bytes(pickle.dumps(batch))
    images, labels = read_cifar_batch(tmp_path / "data_batch_1")
    assert images.shape == (4, 3, 32, 32) and images.dtype == torch.uint8 and labels.dtype == torch.int64
    assert images[1, 2, 0, 5] == batch[b"data"][1, 2 * 1024 + 5]  # channel-major rows of 32, as published
    assert labels.tolist() == batch[b"labels"]
    (tmp_path / "bad").write_bytes(pickle.dumps({b"data": np.zeros((2, 100), np.uint8), b"labels": [0, 1]}))
    with pytest.raises(ValueError, match="expected \\(n, 3072\\)"):
        read_cifar_batch(tmp_path / "bad")
    (tmp_path / "cut").write_bytes(pickle.dumps(batch)[:500])
    with pytest.raises(ValueError, match="cut is corrupt or truncated"):
        read_cifar_batch(tmp_path / "cut")


def test_cached_fashion_mnist_is_read_without_network(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(image_data, "_fetch", None)  # any download attempt would fail loudly
    arrays = write_fashion(tmp_path / "fashion_mnist")
    data = load_image_data("fashion_mnist", root=tmp_path, normalize=False, download=False)
    assert data.name == "fashion_mnist" and data.classes == CLASSES["fashion_mnist"]
    assert data.classes[0] == "T-shirt/top" and data.classes[-1] == "Ankle boot"
    assert data.x_train.shape == (12, 1, 28, 28) and data.x_test.shape == (5, 1, 28, 28)
    assert torch.allclose(data.x_train[:, 0] * 255, torch.as_tensor(arrays["train"][0], dtype=torch.float32))
    assert data.y_test.tolist() == arrays["t10k"][1].tolist() and data.y_train.dtype == torch.int64
    assert capsys.readouterr().out.startswith(f"fashion_mnist: 12 training and 5 test images of 1x28x28, 10 classes "
                                              f"(read from {tmp_path / 'fashion_mnist'}")
    normalized = load_image_data("fashion_mnist", root=tmp_path, limit=4, verbose=False)
    assert normalized.x_train.shape == (4, 1, 28, 28) and normalized.x_test.shape == (4, 1, 28, 28)
    assert abs(normalized.x_train.mean()) < 1e-5 and abs(normalized.x_train.std(correction=0) - 1) < 1e-4


def test_cached_cifar10_archive_is_read(tmp_path):
    batches = write_cifar(tmp_path / "cifar10")
    data = load_image_data("cifar10", root=tmp_path, normalize=False, verbose=False)
    assert data.name == "cifar10" and data.classes == CLASSES["cifar10"] and data.n_classes == 10
    assert data.x_train.shape == (10, 3, 32, 32) and data.x_test.shape == (3, 3, 32, 32)
    assert data.y_train.tolist()[:2] == batches["data_batch_1"][b"labels"]
    assert data.x_test[2, 1, 3, 4] * 255 == pytest.approx(float(batches["test_batch"][b"data"][2, 1024 + 3 * 32 + 4]))
    per_channel = load_image_data("cifar10", root=tmp_path, verbose=False).x_train
    assert per_channel.mean(dim=(0, 2, 3)).abs().max() < 1e-5
    assert (per_channel.std(dim=(0, 2, 3), correction=0) - 1).abs().max() < 1e-4


@pytest.mark.parametrize("name", ["fashion_mnist", "cifar10"])
def test_corrupt_cache_raises_naming_the_file(tmp_path, name):
    if name == "fashion_mnist":
        write_fashion(tmp_path / name)
        broken = tmp_path / name / "t10k-images-idx3-ubyte.gz"
    else:
        write_cifar(tmp_path / name)
        broken = tmp_path / name / "cifar-10-python.tar.gz"
    broken.write_bytes(broken.read_bytes()[:len(broken.read_bytes()) // 2])
    with pytest.raises(ValueError, match=re.escape(f"{broken} is corrupt or truncated")) as error:
        load_image_data(name, root=tmp_path, verbose=False)
    assert "delete it" in str(error.value)


def test_no_network_falls_back_to_digits_with_one_line(tmp_path, capsys, monkeypatch, no_torchvision):
    def offline(url, destination, md5):
        raise urllib.error.URLError("Temporary failure in name resolution")

    monkeypatch.setattr(image_data, "_fetch", offline)
    data = load_image_data("fashion_mnist", root=tmp_path, verbose=False)
    assert data.name == "digits" and data.x_train.shape == (1437, 1, 8, 8) and data.classes == CLASSES["digits"]
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("load_image_data: fashion_mnist not available (download failed")
    assert "Temporary failure in name resolution" in lines[0] and lines[0].endswith("using the offline digits instead")
    load_image_data("cifar10", root=tmp_path / "empty", download=False, limit=10)
    lines = capsys.readouterr().out.splitlines()
    assert "(no files in" in lines[0] and "download=False" in lines[0] and lines[1].startswith("digits: 10 training")


def test_download_with_a_wrong_checksum_leaves_nothing_and_falls_back(tmp_path, capsys, monkeypatch, no_torchvision):
    monkeypatch.setattr(urllib.request, "urlopen", lambda url, timeout: io.BytesIO(b"<html>captive portal</html>"))
    data = load_image_data("cifar10", root=tmp_path, verbose=False)
    assert data.name == "digits" and list((tmp_path / "cifar10").iterdir()) == []
    assert "not the published c58f30108f718f92721af3b95e74349a" in capsys.readouterr().out


def test_fetch_keeps_a_file_whose_checksum_matches(tmp_path, monkeypatch):
    payload = b"published bytes"
    monkeypatch.setattr(urllib.request, "urlopen", lambda url, timeout: io.BytesIO(payload))
    image_data._fetch("https://example.org/f.gz", tmp_path / "sub" / "f.gz", hashlib.md5(payload).hexdigest())
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["f.gz"]
    assert (tmp_path / "sub" / "f.gz").read_bytes() == payload


def test_download_fetches_the_published_files_then_reads_them(tmp_path, capsys, monkeypatch, no_torchvision):
    source = tmp_path / "server"
    write_fashion(source)
    fetched = []

    def fake_fetch(url, destination, md5):
        assert url.startswith("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/") and len(md5) == 32
        fetched.append(destination.name)
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes((source / destination.name).read_bytes())

    monkeypatch.setattr(image_data, "_fetch", fake_fetch)
    assert image_data._import_torchvision() is None
    data = load_image_data("fashion_mnist", root=tmp_path / "data")
    assert data.name == "fashion_mnist" and sorted(fetched) == sorted(FASHION_FILES)
    assert "downloaded into" in capsys.readouterr().out


def test_torchvision_is_used_where_it_imports(tmp_path, capsys, monkeypatch):
    made = []

    class FakeCIFAR10:  # torchvision's layout: data (n, 32, 32, 3) uint8 array, targets a list
        def __init__(self, root, train, download):
            made.append((root, train, download))
            n = 4 if train else 2
            self.data = np.arange(n * 32 * 32 * 3, dtype=np.int64).reshape(n, 32, 32, 3).astype(np.uint8)
            self.targets = list(range(n))

    fake = types.ModuleType("torchvision")
    fake.datasets = types.SimpleNamespace(CIFAR10=FakeCIFAR10)
    monkeypatch.setitem(sys.modules, "torchvision", fake)
    data = load_image_data("cifar10", root=tmp_path, normalize=False)
    assert made == [(str(tmp_path / "cifar10"), True, True), (str(tmp_path / "cifar10"), False, True)]
    assert data.name == "cifar10" and data.x_train.shape == (4, 3, 32, 32) and data.y_test.tolist() == [0, 1]
    expected = torch.from_numpy(FakeCIFAR10(None, True, None).data).permute(0, 3, 1, 2).float() / 255
    assert torch.equal(data.x_train, expected)
    assert "torchvision" in capsys.readouterr().out


@pytest.mark.parametrize("kwargs, error, text", [
    ({"name": "mnist"}, ValueError, "name must be one of 'digits', 'fashion_mnist', 'cifar10'; got 'mnist'"),
    ({"name": 10}, TypeError, "name must be str"),
    ({"limit": 0}, ValueError, "limit must be >= 1"),
    ({"limit": 2.5}, TypeError, "limit must be an int"),
    ({"test_fraction": 1.0}, ValueError, "test_fraction must be in (0.0, 1.0)"),
    ({"seed": -1}, ValueError, "seed must be >= 0"),
    ({"normalize": "yes"}, TypeError, "normalize must be bool"),
    ({"download": 1}, TypeError, "download must be bool"),
    ({"verbose": None}, TypeError, "verbose must be bool"),
    ({"root": 3}, TypeError, "root must be str or PathLike"),
])
def test_bad_arguments(kwargs, error, text):
    name = kwargs.pop("name", "digits")
    with pytest.raises(error, match=re.escape(text)):
        load_image_data(name, **kwargs)
