"""A plain training loop with a tqdm progress bar that records what the course looks at, and a single training
step with gradient clipping, norm logging and skipping of non-finite steps."""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import torch
from torch import nn
from torch.utils.data import DataLoader
from tqdm.auto import tqdm

from ._validation import check_choice, check_int, check_number, check_type

Metric = Callable[[torch.Tensor, torch.Tensor], float]
ClipFunction = Callable[[list[torch.Tensor], float, float], torch.Tensor]
"""``clip(parameters, max_norm, norm_type) -> global norm before clipping``, like ``nn.utils.clip_grad_norm_``."""


class History:
    """What :func:`train` recorded.

    ``history.step[name]`` has one value per optimizer step (``"loss"``, ``"lr"``, ``"grad_norm"``);
    ``history.epoch[name]`` one value per epoch (``"train_loss"``, ``"seconds"``: the training time so far,
    evaluation excluded, and ``"val_loss"`` plus one ``"val_<metric>"`` per metric when a validation loader is
    given).
    """

    def __init__(self) -> None:
        self.step: dict[str, list[float]] = defaultdict(list)
        self.epoch: dict[str, list[float]] = defaultdict(list)
        self.stopped_early = False

    def __repr__(self) -> str:
        last = {k: round(v[-1], 4) for k, v in self.epoch.items() if v}
        return f"History(epochs={len(self.epoch['train_loss'])}, steps={len(self.step['loss'])}, last={last})"


def accuracy(logits: torch.Tensor, targets: torch.Tensor) -> float:
    """Fraction of rows of ``logits`` (n, classes) whose arg-max equals ``targets`` (n,)."""
    check_type("logits", logits, torch.Tensor)
    check_type("targets", targets, torch.Tensor)
    if logits.dim() != 2 or targets.shape != logits.shape[:1]:
        raise ValueError(f"accuracy expects logits (n, classes) and targets (n,), got "
                         f"{tuple(logits.shape)} and {tuple(targets.shape)}")
    return (logits.argmax(dim=1) == targets).float().mean().item()


def global_grad_norm(parameters: Iterable[nn.Parameter]) -> float:
    """The L2 norm of all gradients together, as if they were one long vector (0 when none exist)."""
    norms = [p.grad.detach().norm() for p in parameters if p.grad is not None]
    return torch.stack(norms).norm().item() if norms else 0.0


@dataclass(frozen=True)
class StepResult:
    """What :func:`train_step` did.

    ``loss``: the batch loss; ``grad_norm``: the global gradient norm after ``backward()`` and **before**
    clipping; ``clipped``: that norm was above ``max_norm``, so the gradients were scaled down; ``skipped``: the
    norm was not finite, so ``optimizer.step()`` was not called.
    """

    loss: float
    grad_norm: float
    clipped: bool
    skipped: bool


def _total_norm(parameters: list[torch.Tensor], norm_type: float) -> torch.Tensor:
    """The global norm of the gradients (the norm of the per-parameter norms), without touching them."""
    norms = [torch.linalg.vector_norm(p.grad.detach(), norm_type) for p in parameters if p.grad is not None]
    return torch.linalg.vector_norm(torch.stack(norms), norm_type) if norms else torch.tensor(0.0)


def train_step(model: nn.Module, loss_fn: Callable, x: torch.Tensor, y: torch.Tensor,
               optimizer: torch.optim.Optimizer, *, max_norm: float | None = None, norm_type: float = 2.0,
               skip_nonfinite: bool = True, clip_fn: ClipFunction | None = None) -> StepResult:
    """One training step in the right order: ``zero_grad -> forward -> loss -> backward -> clip -> step``.

    The global gradient norm is measured after ``backward()`` and before clipping. When it is not finite (a NaN
    or inf gradient) and ``skip_nonfinite`` is set, the gradients are zeroed and ``optimizer.step()`` is not
    called, as AMP's ``GradScaler`` skips such steps: one bad batch cannot write NaN into the weights.

    Args:
        model / loss_fn: ``loss_fn(model(x), y)`` is a scalar; ``x`` and ``y`` are one batch, already on the
            model's device.
        max_norm: clip the global gradient norm to this value; ``None``: measure it, do not clip.
        norm_type: the p of the norm (``2.0``, ``1.0``, ``float("inf")``).
        clip_fn: ``clip(parameters, max_norm, norm_type) -> norm before clipping``; defaults to
            ``torch.nn.utils.clip_grad_norm_`` (pass your own to use it in a training run).
    """
    check_type("model", model, nn.Module)
    check_type("optimizer", optimizer, torch.optim.Optimizer)
    if max_norm is not None:
        check_number("max_norm", max_norm, 0.0, low_inclusive=False)
    check_number("norm_type", norm_type, 0.0, low_inclusive=False)
    check_type("skip_nonfinite", skip_nonfinite, bool)
    if clip_fn is not None and not callable(clip_fn):
        raise TypeError(f"clip_fn must be callable (parameters, max_norm, norm_type) -> norm, got {clip_fn!r}")
    parameters = [p for p in model.parameters() if p.requires_grad]
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    if max_norm is None:
        grad_norm = float(_total_norm(parameters, float(norm_type)))
    else:
        grad_norm = float((clip_fn or nn.utils.clip_grad_norm_)(parameters, max_norm, norm_type))
    skipped = skip_nonfinite and not math.isfinite(grad_norm)
    if skipped:
        optimizer.zero_grad()
    else:
        optimizer.step()
    return StepResult(loss.item(), grad_norm, max_norm is not None and grad_norm > max_norm, skipped)


@torch.no_grad()
def evaluate(model: nn.Module, loader: DataLoader, loss_fn: Callable, metrics: Mapping[str, Metric] | None = None,
             device: torch.device | str | None = None) -> dict[str, float]:
    """Average loss and metrics of ``model`` over ``loader`` (weighted by batch size), in eval mode.

    The model's train/eval mode is restored afterwards, also when the model, the loss or a metric raises.
    """
    check_type("model", model, nn.Module)
    check_type("loader", loader, DataLoader)
    device = next(model.parameters()).device if device is None else torch.device(device)
    was_training = model.training
    model.eval()
    totals: dict[str, float] = defaultdict(float)
    count = 0
    try:
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            out = model(x)
            totals["loss"] += loss_fn(out, y).item() * len(x)
            for name, metric in (metrics or {}).items():
                totals[name] += metric(out, y) * len(x)
            count += len(x)
    finally:
        model.train(was_training)
    if count == 0:
        raise ValueError("loader yielded no samples")
    return {name: total / count for name, total in totals.items()}


def _state_to_parameters(optimizer: torch.optim.Optimizer) -> None:
    """Move optimizer state made before the model moved (Adagrad makes it when it is made; a loaded checkpoint) to
    its parameters' device, by PyTorch's own rules: ``load_state_dict`` casts the state to each parameter."""
    if any(isinstance(value, torch.Tensor) and key != "step" and value.device != parameter.device
           for parameter, state in optimizer.state.items() for key, value in state.items()):
        optimizer.load_state_dict(optimizer.state_dict())


def train(model: nn.Module, train_loader: DataLoader, loss_fn: Callable, optimizer: torch.optim.Optimizer,
          epochs: int, *, val_loader: DataLoader | None = None, metrics: Mapping[str, Metric] | None = None,
          scheduler: object | None = None, scheduler_interval: str = "epoch", max_grad_norm: float | None = None,
          device: torch.device | str | None = None, progress: bool = True, desc: str = "train") -> History:
    """Train ``model`` for ``epochs`` epochs and return a :class:`History`.

    Each step runs ``zero_grad -> forward -> loss -> backward -> (clip) -> optimizer.step`` and, if given,
    ``scheduler.step()`` after the optimizer (per step or per epoch, see ``scheduler_interval``). The
    recorded ``grad_norm`` is the global gradient norm before any clipping. Training stops early, with a
    message, when the loss becomes NaN or infinite.

    Args:
        model: maps a batch ``x`` of shape (batch, ...) to outputs ``loss_fn`` accepts.
        train_loader / val_loader: yield ``(x, y)`` pairs.
        metrics: name -> ``fn(outputs, y) -> float``, evaluated on ``val_loader`` after every epoch.
        max_grad_norm: clip the global gradient norm to this value (``None``: no clipping).
        device: where to train; defaults to the device of the model's parameters. The model moves there, and so
            does any state the optimizer already holds.
        progress: show a tqdm bar over epochs.
    """
    check_type("model", model, nn.Module)
    check_type("train_loader", train_loader, DataLoader)
    check_type("optimizer", optimizer, torch.optim.Optimizer)
    check_int("epochs", epochs, minimum=1)
    if val_loader is not None:
        check_type("val_loader", val_loader, DataLoader)
    check_choice("scheduler_interval", scheduler_interval, ("epoch", "step"))
    if max_grad_norm is not None:
        check_number("max_grad_norm", max_grad_norm, 0.0, low_inclusive=False)
    device = next(model.parameters()).device if device is None else torch.device(device)
    model.to(device)
    _state_to_parameters(optimizer)
    history = History()
    bar = tqdm(range(epochs), desc=desc, disable=not progress)
    seconds = 0.0
    for _ in bar:
        start = time.perf_counter()
        model.train()
        epoch_loss, seen = 0.0, 0
        for x, y in train_loader:
            x, y = x.to(device), y.to(device)
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss_value = loss.item()  # read once: every .item() waits for the device
            if not math.isfinite(loss_value):
                history.stopped_early = True
                break
            loss.backward()
            if max_grad_norm is not None:
                grad_norm = nn.utils.clip_grad_norm_(model.parameters(), max_grad_norm).item()
            else:
                grad_norm = global_grad_norm(model.parameters())
            history.step["lr"].append(optimizer.param_groups[0]["lr"])
            optimizer.step()
            if scheduler is not None and scheduler_interval == "step":
                scheduler.step()
            history.step["loss"].append(loss_value)
            history.step["grad_norm"].append(grad_norm)
            epoch_loss += loss_value * len(x)
            seen += len(x)
        if history.stopped_early:
            print(f"{desc}: the loss became non-finite; training stopped after "
                  f"{len(history.step['loss'])} steps.")
            break
        seconds += time.perf_counter() - start
        history.epoch["train_loss"].append(epoch_loss / seen)
        history.epoch["seconds"].append(seconds)
        if val_loader is not None:
            for name, value in evaluate(model, val_loader, loss_fn, metrics, device).items():
                history.epoch[f"val_{name}"].append(value)
        if scheduler is not None and scheduler_interval == "epoch":
            if isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau):  # it needs the metric
                scheduler.step(history.epoch["val_loss" if val_loader is not None else "train_loss"][-1])
            else:
                scheduler.step()
        bar.set_postfix({k: f"{v[-1]:.4f}" for k, v in history.epoch.items()})
    return history
