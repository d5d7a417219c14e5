"""Stored expected values for 08 Case study (written by ``python -m tools.expected_values``).

What the visible tests need without showing an answer: the flattened sizes of four stacks (computed here by a dry
run of each stack, with the values that known mistakes give), the names of the parameters that must be decayed in
three models, the learning rates that wrong warm-up + cosine formulas give (the right ones come from PyTorch's
schedulers in the test itself), a three-step reference run of a training step with the runs that wrong orders give,
the values of wrong predictions of the label-smoothing loss floor, and the hashed answers of the two multiple-choice
questions. Reference code lives only here and in the notebook's hidden tests.
"""

from __future__ import annotations

import copy
import hashlib
import math
import warnings

import torch
from torch import nn
from torch.optim import lr_scheduler

FATAL_REMOVAL = "A"  # measured in the notebook's stress test: no BatchNorm at lr 0.8 stays at chance on every seed
DIAGNOSIS = "B"  # the colleague's max_norm of 0.02 clips every step


def _digest(answer: str) -> str:
    return hashlib.sha256(f"08_case_study:{answer}".encode()).hexdigest()


# ---------------------------------------------------------------------------------------------- flattened size
def _article_stack(in_channels: int, padding: int, ceil_mode: bool = False) -> nn.Sequential:
    layers, previous = [], in_channels
    for c in (64, 128):
        layers += [nn.Conv2d(previous, c, 3, padding=padding, bias=False), nn.BatchNorm2d(c), nn.ReLU(),
                   nn.MaxPool2d(2, ceil_mode=ceil_mode)]
        previous = c
    return nn.Sequential(*layers)


def _odd_stack(padding: int = 2, ceil_mode: bool = False) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(1, 8, 5, stride=2, padding=padding), nn.ReLU(), nn.Conv2d(8, 16, 3, dilation=2),
                         nn.BatchNorm2d(16), nn.ReLU(), nn.AvgPool2d(2, ceil_mode=ceil_mode), nn.Dropout(0.5))


def _size(stack: nn.Module, shape: tuple[int, ...]) -> int | None:
    """Values per sample at the output (None where the stack fails or leaves nothing)."""
    try:
        with torch.no_grad():
            out = stack.eval()(torch.zeros(1, *shape))
    except RuntimeError:
        return None
    return out[0].numel() or None


def _flattened_cases() -> dict:
    builders = {"article": lambda padding=0, ceil=False: _article_stack(3, padding, ceil),
                "padded": lambda padding=1, ceil=False: _article_stack(1, padding, ceil),
                "odd": lambda padding=2, ceil=False: _odd_stack(padding, ceil)}
    cases = [("article", "the source article's stack (no padding)", (3, 28, 28), None),
             ("article", "the source article's stack (no padding)", (3, 32, 32), None),
             ("padded", "the stack with padding=1", (1, 8, 8),
              "A 3x3 convolution with padding=1 keeps the height and width; only the pooling halves them."),
             ("odd", "a stack with stride 2, padding 2, dilation 2 and average pooling", (1, 30, 21),
              "Apply the formula of section 2 to each side separately, with each layer's own stride, padding "
              "and dilation.")]
    stored = []
    for stack, description, shape, hint in cases:
        expected = _size(builders[stack](), shape)
        out_channels = 128 if stack != "odd" else 16
        wrong = {
            "the values of the whole dry-run batch (2 samples), not of one sample": 2 * expected,
            "the number of channels only, without the height and width": out_channels,
            "the padding left out of the size formula": _size(builders[stack](padding=0), shape),
            "the pooling rounded up instead of down": _size(builders[stack](ceil=True), shape),
            "the shape (C, H, W) instead of the number of values": None,
        }
        with torch.no_grad():
            shape_out = builders[stack]().eval()(torch.zeros(1, *shape)).shape[1:]
        wrong["the shape (C, H, W) instead of the number of values"] = list(shape_out)
        if expected != 3200:
            wrong["the source article's 128*5*5, whatever the input"] = 3200
        wrong = {label: value for label, value in wrong.items() if value is not None and value != expected}
        stored.append({"stack": stack, "description": description, "input_shape": list(shape),
                       "expected": expected, "wrong": wrong, **({"hint": hint} if hint else {})})
    too_small = [{"stack": "article", "description": "the source article's stack (no padding)",
                  "input_shape": [3, 8, 8]},
                 {"stack": "odd", "description": "a stack with stride 2, padding 2, dilation 2 and average pooling",
                  "input_shape": [1, 4, 4]}]
    for case in too_small:
        assert _size(builders[case["stack"]](), tuple(case["input_shape"])) is None
    return {"cases": stored, "too_small": too_small}


# ------------------------------------------------------------------------------------------ label-smoothing floor
def _entropy(probabilities: list[float]) -> float:
    return -sum(p * math.log(p) for p in probabilities if p > 0)


def _loss_floor() -> dict:
    return {"wrong": {
        "the loss of a perfect model without smoothing, 0": 0.0,
        "ε·ln K, the smoothing mass times the loss of a uniform guess": 0.1 * math.log(10),
        "the loss of a uniform prediction, ln K": math.log(10),
        "the smoothing spread over the K − 1 wrong classes only (0.9 and 0.1/9)": _entropy([0.9] + [0.1 / 9] * 9),
    }}


# --------------------------------------------------------------------------------------------- parameter groups
def _param_groups() -> dict:
    decay = {"a CNN with BatchNorm": ["0.weight", "5.weight"],
             "an MLP with LayerNorm and GroupNorm": ["0.weight", "3.weight", "5.weight"],
             "a model with tied weights": ["embed.weight"]}
    kinds = {
        "a CNN with BatchNorm": {"0.weight": "a convolution's weight", "1.weight": "BatchNorm's γ (its weight)",
                                 "1.bias": "BatchNorm's β (its bias)", "5.weight": "a linear layer's weight",
                                 "5.bias": "a linear layer's bias"},
        "an MLP with LayerNorm and GroupNorm": {
            "0.weight": "a linear layer's weight", "0.bias": "a linear layer's bias",
            "1.weight": "LayerNorm's γ (its weight)", "1.bias": "LayerNorm's β (its bias)",
            "3.weight": "a linear layer's weight", "3.bias": "a linear layer's bias",
            "4.weight": "GroupNorm's γ (its weight)", "4.bias": "GroupNorm's β (its bias)",
            "5.weight": "a linear layer's weight", "5.bias": "a linear layer's bias"},
        "a model with tied weights": {
            "embed.weight": "the embedding's weight, also the output layer's",
            "norm.weight": "LayerNorm's γ (its weight)",
            "norm.bias": "LayerNorm's β (its bias)", "head.bias": "a linear layer's bias"},
    }
    for model, names in kinds.items():  # the rule, checked against the stored names
        assert sorted(decay[model]) == sorted(n for n, kind in names.items() if "weight" in kind
                                              and ("layer" in kind or "convolution" in kind or "embedding" in kind))
    return {**decay, "kinds": kinds}


# ------------------------------------------------------------------------------------------- warm-up + cosine
def _rate(t, base_lr, warmup, total, start_factor, eta_min, *, t_max_total=False, clock_from_zero=False,
          early_warmup=False, from_zero=False):
    """The warm-up + cosine rate at step t, right or with one mistake (None where the mistake cannot apply)."""
    if t < warmup:
        start = 0.0 if from_zero else start_factor
        if early_warmup:
            if warmup < 2:
                return None
            return base_lr * min(1.0, start + (1 - start) * t / (warmup - 1))
        return base_lr * (start + (1 - start) * t / warmup)
    span = total if t_max_total else total - warmup
    elapsed = t if clock_from_zero else t - warmup
    return eta_min + (base_lr - eta_min) * (1 + math.cos(math.pi * elapsed / span)) / 2


def _torch_rates(base_lr, warmup, total, start_factor, eta_min) -> list[float]:
    optimizer = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=base_lr)
    cosine = lr_scheduler.CosineAnnealingLR(optimizer, T_max=total - warmup, eta_min=eta_min)
    scheduler = (lr_scheduler.SequentialLR(optimizer, [lr_scheduler.LinearLR(optimizer, start_factor, 1.0, warmup),
                                                       cosine], [warmup]) if warmup else cosine)
    rates = []
    for _ in range(total + 1):
        rates.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return rates


def _warmup_cosine_cases() -> list[dict]:
    configs = [("the recipe's schedule (23 steps of warm-up, 345 in all)", (0.1, 23, 345, 0.1, 0.0)),
               ("a short schedule with eta_min (5 of 40 steps)", (0.05, 5, 40, 0.01, 1e-4)),
               ("no warm-up (0 of 30 steps)", (0.2, 0, 30, 0.1, 0.0))]
    mistakes = {"T_max = total_steps instead of total_steps − warmup_steps": {"t_max_total": True},
                "the cosine's clock started at step 0 instead of at the hand-over": {"clock_from_zero": True},
                "the warm-up reaching base_lr one step early (divided by warmup_steps − 1)": {"early_warmup": True},
                "the warm-up starting from 0 instead of start_factor × base_lr": {"from_zero": True}}
    cases = []
    for description, args in configs:
        right = [_rate(t, *args) for t in range(args[2] + 1)]
        assert torch.allclose(torch.tensor(right, dtype=torch.float64),
                              torch.tensor(_torch_rates(*args), dtype=torch.float64), rtol=1e-12, atol=1e-15)
        wrong = {}
        for label, flags in mistakes.items():
            values = [_rate(t, *args, **flags) for t in range(args[2] + 1)]
            if None not in values and max(abs(a - b) for a, b in zip(values, right)) > 1e-9:
                wrong[label] = torch.tensor(values, dtype=torch.float64)
        cases.append({"description": description, "args": list(args), "wrong": wrong})
    return cases


# ---------------------------------------------------------------------------------------------- training step
def _small_cnn() -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(64, 10))


def _run_steps(start, xs, ys, lr, max_norm, *, scheduler_first=False, no_zero_grad=False,
               norm_after_clip=False, no_clip=False, zero_grad_after_backward=False,
               clip_before_backward=False) -> dict:
    """Three training steps from ``start``, right or with one mistake: losses, norms, parameters, final lr."""
    model = _small_cnn().double()
    model.load_state_dict(start)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, nesterov=True)
    scheduler = lr_scheduler.LambdaLR(optimizer, lambda step: 1.0 / (step + 1))
    loss_fn = nn.CrossEntropyLoss(label_smoothing=0.1)
    losses, norms = [], []
    for x, y in zip(xs, ys):
        if not no_zero_grad:
            optimizer.zero_grad()
        if scheduler_first:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # PyTorch warns about exactly this mistake
                scheduler.step()
        if clip_before_backward:  # no gradients yet: nothing is clipped and the norm is 0
            norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        with torch.enable_grad():
            loss = loss_fn(model(x), y)
            loss.backward()
        if zero_grad_after_backward:
            optimizer.zero_grad()
        if clip_before_backward:
            pass
        elif no_clip:
            norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(p.grad) for p in model.parameters()
                                                         if p.grad is not None])) if not zero_grad_after_backward \
                else torch.tensor(0.0)
        else:
            norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        if norm_after_clip:
            norm = torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(p.grad) for p in model.parameters()]))
        optimizer.step()
        if not scheduler_first:
            scheduler.step()
        losses.append(loss.item())
        norms.append(float(norm))
    return {"losses": torch.tensor(losses, dtype=torch.float64), "norms": torch.tensor(norms, dtype=torch.float64),
            "parameters": torch.cat([p.detach().flatten() for p in model.parameters()]),
            "final_lr": optimizer.param_groups[0]["lr"]}


def _train_step_case() -> dict:
    seed, lr, max_norm = 8, 0.5, 0.5
    torch.manual_seed(seed)
    start = copy.deepcopy(_small_cnn().double().state_dict())
    generator = torch.Generator().manual_seed(seed + 1)
    xs = [torch.randn(8, 1, 8, 8, generator=generator, dtype=torch.float64) for _ in range(3)]
    ys = [torch.randint(0, 10, (8,), generator=generator) for _ in range(3)]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # float64 on one thread: the same bits on every run of this script
    try:
        right = _run_steps(start, xs, ys, lr, max_norm)
        assert all(n > max_norm for n in right["norms"].tolist()), "every step must clip, or a mistake can hide"
        mistakes = {"scheduler.step() called before optimizer.step()": {"scheduler_first": True},
                    "optimizer.zero_grad() left out, so gradients add up across steps": {"no_zero_grad": True},
                    "the norm measured after clipping instead of before": {"norm_after_clip": True},
                    "the update made with unclipped gradients (clipping after optimizer.step(), or not at all)":
                        {"no_clip": True},
                    "optimizer.zero_grad() called after backward(), so every update used zero gradients":
                        {"zero_grad_after_backward": True},
                    "the gradients clipped before backward(), when there were none to clip":
                        {"clip_before_backward": True}}
        variants = {label: _run_steps(start, xs, ys, lr, max_norm, **flags) for label, flags in mistakes.items()}
    finally:
        torch.set_num_threads(threads)
    return {"seed": seed, "lr": lr, "max_norm": max_norm, "start": start, "x": xs, "y": ys, **right,
            "wrong": {key: _merged(variants, key, right[key]) for key in right}}


def _same(a, b) -> bool:
    return torch.equal(a, b) if torch.is_tensor(a) else a == b


def _merged(variants: dict, key: str, right) -> dict:
    """Mistake label -> the value of ``key`` it gives, where that differs from the right value; mistakes that give
    the same value share one label, so a message never names one of them when the value cannot tell which."""
    merged: dict = {}
    for label, variant in variants.items():
        value = variant[key]
        if _same(value, right):
            continue
        same = next((k for k, v in merged.items() if _same(v, value)), None)
        if same is None:
            merged[label] = value
        else:
            merged[f"{same}; or {label}"] = merged.pop(same)
    return merged


def cases() -> dict:
    return {
        "ex01_flattened_size": _flattened_cases(),
        "ex02_predict_loss_floor": _loss_floor(),
        "ex03_param_groups": _param_groups(),
        "ex04_warmup_cosine": _warmup_cosine_cases(),
        "ex05_train_step": _train_step_case(),
        "ex06_predict_fatal_removal": {"answer_sha256": _digest(FATAL_REMOVAL)},
        "ex07_debug_run": {"diagnosis_sha256": _digest(DIAGNOSIS)},
    }
