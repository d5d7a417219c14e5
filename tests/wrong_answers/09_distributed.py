"""Plausible wrong answers for 09 Distributed. Each must fail at least one test cell of its exercise; ``names`` is
text the failure message must contain (the misconception, named for the learner). Most are small edits of the
reference answer, so they stay in step with it."""

from functools import partial

from tools.nbpipeline import WrongAnswer, edited_answer

_edit = partial(edited_answer, "09_distributed")

_REDUCE_TO_RANK_0 = '''
def all_reduce_mean_grads(model, world_size):
    for parameter in model.parameters():
        if parameter.grad is not None:
            dist.reduce(parameter.grad, dst=0)
            if dist.get_rank() == 0:
                parameter.grad /= world_size
'''

_ON_A_COPY = '''
def all_reduce_mean_grads(model, world_size):
    for parameter in model.parameters():
        if parameter.grad is not None:
            averaged = parameter.grad.clone()
            dist.all_reduce(averaged)
            averaged /= world_size
'''

_ZEROS_FOR_NONE = '''
def all_reduce_mean_grads(model, world_size):
    for parameter in model.parameters():
        if parameter.grad is None:
            parameter.grad = torch.zeros_like(parameter)
        dist.all_reduce(parameter.grad)
        parameter.grad /= world_size
'''

_BUFFER_OUTSIDE_STATE = ("                state = self.state[p]\n",
                         "                state = self.__dict__.setdefault(\"buffers\", {}).setdefault(p, {})\n")

_PREDICTION = '''
def predicted_effective_batch():
    return {BATCH}


def predicted_lr():
    return {LR}
'''

_SCHEDULER = '''
def scaled_lr(base_lr, base_batch, batch, warmup_steps, step):
    optimizer = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=base_lr * batch / base_batch)
    if not warmup_steps:
        return optimizer.param_groups[0]["lr"]
    scheduler = lr_scheduler.LinearLR(optimizer, base_batch / batch, 1.0, warmup_steps)
    for _ in range(step):
        optimizer.step()
        scheduler.step()
    return optimizer.param_groups[0]["lr"]
'''

_LARS_WITH_SGD = '''
class LARS(torch.optim.Optimizer):
    def __init__(self, params, lr, momentum=0.9, weight_decay=0.0, trust_coefficient=0.001,
                 eps=1e-8):
        defaults = dict(lr=lr, momentum=momentum, weight_decay=weight_decay,
                        trust_coefficient=trust_coefficient, eps=eps)
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure=None):
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if p.ndim > 1:
                    w_norm, g_norm = p.norm(), p.grad.norm()
                    p.grad.add_(p, alpha=group["weight_decay"])
                    if w_norm > 0 and g_norm > 0:
                        p.grad.mul_(group["trust_coefficient"] * w_norm
                                    / (g_norm + group["weight_decay"] * w_norm + group["eps"]))
                if p not in self.state or "sgd" not in self.state[p]:
                    self.state[p]["sgd"] = torch.optim.SGD([p], lr=group["lr"],
                                                           momentum=group["momentum"])
                self.state[p]["sgd"].step()
'''

BANK = {
    "ex01_all_reduce_mean_grads": [
        WrongAnswer("sums the gradients without dividing by the world size",
                    _edit("ex01_all_reduce_mean_grads", "            parameter.grad /= world_size\n", ""),
                    names="the sum over the 3 processes, not their mean"),
        WrongAnswer("averages a copy and never writes it back into .grad", _ON_A_COPY,
                    names="this process's own gradient"),
        WrongAnswer("divides by the world size without any collective",
                    _edit("ex01_all_reduce_mean_grads",
                          "            dist.all_reduce(parameter.grad, op=dist.ReduceOp.SUM)\n", ""),
                    names="divided by the world size, without a collective"),
        WrongAnswer("reduces to rank 0 only", _REDUCE_TO_RANK_0, names="the ranks end with different gradients"),
        WrongAnswer("divides by a hard-coded 2",
                    _edit("ex01_all_reduce_mean_grads", "parameter.grad /= world_size", "parameter.grad /= 2"),
                    names="a hard-coded world size"),
        WrongAnswer("averages on rank 0 only",
                    _edit("ex01_all_reduce_mean_grads", "            parameter.grad /= world_size\n",
                          "            if dist.get_rank() == 0:\n                parameter.grad /= world_size\n"),
                    names="the ranks end with different gradients"),
        WrongAnswer("replaces missing gradients by zeros", _ZEROS_FOR_NONE, names="must be left alone"),
        WrongAnswer("averages with ReduceOp.AVG and divides again",
                    _edit("ex01_all_reduce_mean_grads", "op=dist.ReduceOp.SUM", "op=dist.ReduceOp.AVG"),
                    names="ReduceOp.AVG already averages"),
        WrongAnswer("does not skip parameters without a gradient",
                    _edit("ex01_all_reduce_mean_grads", "        if parameter.grad is not None:\n",
                          "        if True:\n"),
                    names="must be left alone"),
    ],
    "ex02_predict_effective_batch": [
        WrongAnswer("forgets the accumulation", _PREDICTION.format(BATCH=48, LR=0.075),
                    names="forgets the 4 accumulated micro-batches"),
        WrongAnswer("one process's share", _PREDICTION.format(BATCH=96, LR=0.15),
                    names="one process's share"),
        WrongAnswer("right batch, unscaled rate", _PREDICTION.format(BATCH=192, LR=0.1),
                    names="not scaled at all"),
        WrongAnswer("counts micro-batches", _PREDICTION.format(BATCH=8, LR=0.3),
                    names="counts micro-batches, not samples"),
        WrongAnswer("right batch, scaled by the accumulation steps only", _PREDICTION.format(BATCH=192, LR=0.4),
                    names="accumulation steps only"),
        WrongAnswer("right batch, scaled by the processes only", _PREDICTION.format(BATCH=192, LR=0.2),
                    names="number of processes only"),
        WrongAnswer("right batch, scaled relative to one micro-batch", _PREDICTION.format(BATCH=192, LR=0.8),
                    names="one micro-batch of 24"),
        WrongAnswer("wrong batch, rate consistent with it", _PREDICTION.format(BATCH=24, LR=0.0375),
                    names="that batch is what is wrong"),
    ],
    "ex03_scaled_lr": [
        WrongAnswer("warm-up from zero",
                    _edit("ex03_scaled_lr", "return base_lr + (target - base_lr) * step / warmup_steps",
                          "return target * step / warmup_steps"),
                    names="the warm-up starting from 0"),
        WrongAnswer("no scaling", _edit("ex03_scaled_lr", "target = base_lr * batch / base_batch",
                                        "target = base_lr"),
                    names="no scaling"),
        WrongAnswer("square-root scaling", _edit("ex03_scaled_lr", "target = base_lr * batch / base_batch",
                                                 "target = base_lr * (batch / base_batch) ** 0.5"),
                    names="square-root scaling"),
        WrongAnswer("the warm-up ends one step early",
                    _edit("ex03_scaled_lr", "return base_lr + (target - base_lr) * step / warmup_steps",
                          "return base_lr + (target - base_lr) * min(1, step / max(warmup_steps - 1, 1))"),
                    names="one step early"),
        WrongAnswer("delegates to PyTorch's LinearLR", _SCHEDULER, names="must compute the rate itself"),
        WrongAnswer("divides by warmup_steps even without warm-up",
                    _edit("ex03_scaled_lr", "    if step < warmup_steps:\n        return",
                          "    return base_lr + (target - base_lr) * min(step / warmup_steps, 1)\n    if False:\n"
                          "        return"),
                    names="the case without warm-up"),
        WrongAnswer("integer division of the batches",
                    _edit("ex03_scaled_lr", "target = base_lr * batch / base_batch",
                          "target = base_lr * (batch // base_batch)"),
                    names="integer division"),
        WrongAnswer("the warm-up one step ahead",
                    _edit("ex03_scaled_lr", "(target - base_lr) * step / warmup_steps",
                          "(target - base_lr) * (step + 1) / warmup_steps"),
                    names="one step ahead"),
        WrongAnswer("a geometric warm-up",
                    _edit("ex03_scaled_lr", "return base_lr + (target - base_lr) * step / warmup_steps",
                          "return base_lr * (batch / base_batch) ** (step / warmup_steps)"),
                    names="a geometric warm-up"),
        WrongAnswer("computes in float32",
                    _edit("ex03_scaled_lr", "target = base_lr * batch / base_batch",
                          "target = torch.tensor(base_lr * batch / base_batch, dtype=torch.float32).item()"),
                    names="float32 rounding"),
    ],
    "ex04_lars": [
        WrongAnswer("biases not excluded",
                    _edit("ex04_lars", "if p.ndim > 1:", "if p.ndim > 0:"),
                    names="biases not excluded"),
        WrongAnswer("weight decay left out of the ratio",
                    _edit("ex04_lars", "/ (g_norm + group[\"weight_decay\"] * w_norm + group[\"eps\"])",
                          "/ (g_norm + group[\"eps\"])"),
                    names="weight decay left out of the trust ratio's denominator"),
        WrongAnswer("no trust coefficient",
                    _edit("ex04_lars", "d = d * (group[\"trust_coefficient\"] * w_norm",
                          "d = d * (w_norm"),
                    names="γ·η_trust·||w||"),
        WrongAnswer("momentum delegated to torch.optim.SGD", _LARS_WITH_SGD, names="from scratch"),
        WrongAnswer("no momentum",
                    _edit("ex04_lars", 'state["momentum_buffer"].mul_(group["momentum"]).add_(d)',
                          'state["momentum_buffer"] = d.clone()'),
                    names="no momentum"),
        WrongAnswer("dampening (1 - momentum)",
                    _edit("ex04_lars", 'state["momentum_buffer"].mul_(group["momentum"]).add_(d)',
                          'state["momentum_buffer"].mul_(group["momentum"]).add_(d, alpha=1 - group["momentum"])'),
                    names="dampening"),
        WrongAnswer("trust ratio from ||d||",
                    _edit("ex04_lars", '/ (g_norm + group["weight_decay"] * w_norm + group["eps"])',
                          '/ (d.norm() + group["eps"])'),
                    names="computed from ||d||"),
        WrongAnswer("weight decay ignored on weights",
                    _edit("ex04_lars", '                    d = d.add(p, alpha=group["weight_decay"])\n', "",
                          '/ (g_norm + group["weight_decay"] * w_norm + group["eps"])', '/ (g_norm + group["eps"])'),
                    names="weight decay ignored on the weights"),
        WrongAnswer("weight decay left out of d",
                    _edit("ex04_lars", '                    d = d.add(p, alpha=group["weight_decay"])\n', ""),
                    names="weight decay left out of d"),
        WrongAnswer("momentum buffer outside self.state", _edit("ex04_lars", *_BUFFER_OUTSIDE_STATE),
                    names="self.state[p]['momentum_buffer']"),
        WrongAnswer("trust ratio computed when ||g|| = 0",
                    _edit("ex04_lars", "if w_norm > 0 and g_norm > 0:", "if w_norm > 0:"),
                    names="With ||g|| = 0 the trust ratio is 1"),
    ],
}
