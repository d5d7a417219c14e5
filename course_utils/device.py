"""Choosing a device and seeding every random number generator a notebook touches."""

from __future__ import annotations

import os
import random

import numpy as np
import torch

from ._validation import check_choice, check_int, check_type

DEVICE_KINDS = ("cuda", "mps", "cpu")


def get_device(prefer: str | None = None) -> torch.device:
    """Return the best available device: CUDA, then Apple's MPS, then the CPU.

    Args:
        prefer: ``"cuda"``, ``"mps"`` or ``"cpu"`` to ask for one kind; it falls back to the CPU (with a
            message) when that kind is not available. ``None`` picks automatically.
    """
    if prefer is not None:
        check_choice("prefer", prefer, DEVICE_KINDS)
    available = {
        "cuda": torch.cuda.is_available(),
        "mps": getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available(),
        "cpu": True,
    }
    if prefer is not None:
        if available[prefer]:
            return torch.device(prefer)
        print(f"get_device: {prefer!r} is not available here; using the CPU.")
        return torch.device("cpu")
    return torch.device(next(kind for kind in DEVICE_KINDS if available[kind]))


def seed_everything(seed: int = 0, deterministic: bool = False) -> int:
    """Seed Python's ``random``, NumPy and torch (CPU and every CUDA device).

    Args:
        seed: a non-negative int.
        deterministic: also make torch choose deterministic kernels (slower on a GPU; raises where an
            operation has no deterministic implementation). It is a process-wide switch: pass
            ``False`` again to turn it off.

    Returns:
        The seed, so a notebook can print it.
    """
    check_int("seed", seed, minimum=0)
    check_type("deterministic", deterministic, bool)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds every CUDA device
    if deterministic:
        os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    torch.use_deterministic_algorithms(deterministic)
    torch.backends.cudnn.deterministic = deterministic
    torch.backends.cudnn.benchmark = False
    return seed
