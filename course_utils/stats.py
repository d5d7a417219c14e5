"""Activation and gradient statistics of a network: activations collected with forward hooks (the hooks are
always removed again, even when the forward or backward pass raises), and parameter-gradient norms step by step.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
from torch import nn

from ._validation import check_number, check_tensor, check_type

ACTIVATION_TYPES: tuple[type[nn.Module], ...] = (nn.ReLU, nn.LeakyReLU, nn.Tanh, nn.Sigmoid, nn.GELU, nn.SiLU, nn.ELU)
"""The module types treated as activation layers by default."""


def _matching_modules(model: nn.Module, module_types: tuple[type[nn.Module], ...]) -> list[tuple[str, nn.Module]]:
    check_type("model", model, nn.Module)
    check_type("module_types", module_types, tuple)
    found = [(name, m) for name, m in model.named_modules() if isinstance(m, module_types)]
    if not found:
        raise ValueError(f"model has no module of type {[t.__name__ for t in module_types]}")
    return found


def _forward_with_hooks(model: nn.Module, x: torch.Tensor, module_types: tuple[type[nn.Module], ...],
                        on_output: Callable[[str, torch.Tensor], None]) -> torch.Tensor:
    handles = [m.register_forward_hook(lambda _m, _inp, out, name=name: on_output(name, out))
               for name, m in _matching_modules(model, module_types)]
    try:
        return model(x)
    finally:
        for handle in handles:
            handle.remove()


@torch.no_grad()
def record_activations(model: nn.Module, x: torch.Tensor,
                       module_types: tuple[type[nn.Module], ...] = ACTIVATION_TYPES) -> dict[str, torch.Tensor]:
    """Run ``model(x)`` once and return the output of every module of ``module_types``, in call order.

    Returns:
        module name -> detached output tensor (e.g. of shape (batch, width) for an MLP).
    """
    check_tensor("x", x, floating=True)
    outputs: dict[str, torch.Tensor] = {}
    _forward_with_hooks(model, x, module_types, lambda name, out: outputs.__setitem__(name, out.detach()))
    return outputs


def record_activation_grads(model: nn.Module, x: torch.Tensor, y: torch.Tensor, loss_fn: Callable,
                            module_types: tuple[type[nn.Module], ...] = ACTIVATION_TYPES) -> dict[str, torch.Tensor]:
    """Gradient of ``loss_fn(model(x), y)`` with respect to the output of every module of ``module_types``.

    Returns:
        module name -> gradient tensor of the same shape as that module's output, in forward order.
        Parameter gradients of ``model`` are left as they were before the call.
    """
    check_tensor("x", x, floating=True)
    check_type("y", y, torch.Tensor)
    outputs: dict[str, torch.Tensor] = {}
    with torch.enable_grad():
        prediction = _forward_with_hooks(model, x, module_types, outputs.__setitem__)
        grads = torch.autograd.grad(loss_fn(prediction, y), list(outputs.values()))
    return {name: g.detach() for name, g in zip(outputs, grads)}


def std_per_layer(tensors: dict[str, torch.Tensor]) -> list[float]:
    """The standard deviation of each tensor over all its elements (unbiased), in order."""
    check_type("tensors", tensors, dict)
    return [t.float().std().item() for t in tensors.values()]


def grad_norms(model: nn.Module, norm_type: float = 2.0) -> dict[str, float]:
    """The norm of each parameter's gradient, by parameter name, in ``model.named_parameters()`` order.

    Call it after ``loss.backward()`` and before clipping to see what the backward pass produced. Parameters
    whose ``.grad`` is ``None`` (frozen, or not reached by the last backward pass) are left out.

    Args:
        norm_type: the p of the p-norm, ``2.0`` (Euclidean), ``1.0``, ``float("inf")`` (largest absolute entry)...

    Returns:
        name -> norm as a float (``inf`` or ``nan`` when that gradient holds non-finite values).
    """
    check_type("model", model, nn.Module)
    check_number("norm_type", norm_type, 0.0, low_inclusive=False)
    return {name: torch.linalg.vector_norm(p.grad.detach(), float(norm_type)).item()
            for name, p in model.named_parameters() if p.grad is not None}


class GradNormLog:
    """Gradient norms of one model, step after step: call :meth:`record` after every ``backward()``.

    ``log.per_parameter[name]`` holds one norm per recorded step (``nan`` at a step where that parameter had
    no gradient), ``log.total`` the global norm of each step: all gradients as one long vector, as
    ``torch.nn.utils.clip_grad_norm_`` measures it.
    """

    def __init__(self, model: nn.Module, norm_type: float = 2.0) -> None:
        check_type("model", model, nn.Module)
        check_number("norm_type", norm_type, 0.0, low_inclusive=False)
        self.model, self.norm_type = model, float(norm_type)
        self.names = [name for name, _ in model.named_parameters()]
        if not self.names:
            raise ValueError("model has no parameters whose gradients could be recorded")
        self.per_parameter: dict[str, list[float]] = {name: [] for name in self.names}
        self.total: list[float] = []

    def record(self) -> float:
        """Append this step's norms (read from the parameters' ``.grad``) and return the global norm."""
        norms = grad_norms(self.model, self.norm_type)
        for name in self.names:
            self.per_parameter[name].append(norms.get(name, math.nan))
        present = torch.tensor(list(norms.values()), dtype=torch.float64)
        total = torch.linalg.vector_norm(present, self.norm_type).item() if norms else 0.0
        self.total.append(total)
        return total

    def as_tensor(self) -> torch.Tensor:
        """The per-parameter norms as a float64 tensor of shape (steps, parameters), columns in ``names`` order."""
        return torch.tensor([self.per_parameter[name] for name in self.names], dtype=torch.float64).T.reshape(
            len(self.total), len(self.names))

    def __len__(self) -> int:
        return len(self.total)

    def __repr__(self) -> str:
        return f"GradNormLog(steps={len(self)}, parameters={len(self.names)})"
