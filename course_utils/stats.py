"""Activation and gradient statistics of a network, collected with forward hooks.

The hooks are always removed again, even when the forward or backward pass raises.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from ._validation import check_tensor, check_type

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
